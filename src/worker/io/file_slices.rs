//! Reading a user's `File` in a worker, one slice at a time, as an `io::Read`: the CSV parser
//! pulls slices as it needs them, so the file is never held whole; with a hasher, its SHA-256 is
//! computed on the way (the fingerprint worker).
//!
//! A worker reading a `Blob` itself only receives the bytes while its own event loop runs, that
//! is while its parser waits; so the audit worker has the file read by a helper worker of its own
//! (`www/slice_reader.js`, started from a blob: nothing is fetched), which streams it into a few
//! buffers and transfers each as soon as it is full, a few ahead of the parser; the parser gives
//! each back once it has copied it out, to be filled again. Without the helper (it failed to
//! start, or fell silent) slices are read synchronously with `FileReaderSync`.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::Read;
use std::rc::Rc;

use mia_engine::ingest::fingerprint::Sha256Stream;

use crate::protocol::slices::{decode, read_request, FromSliceReader};
use crate::worker::io::blob_worker::{BlobWorker, Wake};
use crate::worker::pacing::ROWS_PER_STEP;

/// The helper's script.
const SLICE_READER_JS: &str = include_str!("../../../www/slice_reader.js");

/// Bytes read per slice: the size of the helper's buffers, and of a synchronous read.
pub const SLICE_BYTES: u64 = 4 << 20;

/// The helper's buffers: one being copied out by the parser, the others filled ahead of it.
const HELPER_BUFFERS: u32 = 4;

/// Bytes buffered ahead of the parser below which [`SharedSlices::read_ahead`] waits for the
/// helper's next slice (more than one parsing step reads).
const LOW_WATER: usize = 6 << 20;

// The parser holds one buffer (the slice it copies from) while it waits for [`LOW_WATER`] bytes
// in the others: they must hold more, or the wait would end only in giving up on the helper.
const _: () = assert!((HELPER_BUFFERS as u64 - 1) * SLICE_BYTES > LOW_WATER as u64);

/// How long [`SharedSlices::read_ahead`] waits for a slice before it stops relying on the helper.
const HELPER_PATIENCE_MS: i32 = 2_000;

/// A `File` read front to back in slices.
pub struct FileSlices {
    file: web_sys::File,
    reader: web_sys::FileReaderSync,
    size: u64,
    /// Offset of the next slice to take.
    next: u64,
    /// The slice being read, where the browser put it (copied straight into the parser's
    /// buffer), and how much of it was read.
    buf: js_sys::Uint8Array,
    pos: usize,
    /// `buf` is one of the helper's buffers (given back once read).
    buf_from_helper: bool,
    /// Shared with the caller, who reads the digest once the reader reached the end.
    hasher: Option<Rc<RefCell<Sha256Stream>>>,
    /// The helper worker reading slices ahead, once started.
    helper: Option<SliceHelper>,
    /// Bytes handed to the parser so far.
    taken: u64,
    /// Slices read synchronously here (no helper, or it failed or fell silent).
    read_here: u32,
}

/// The helper worker and what it has delivered.
struct SliceHelper {
    worker: BlobWorker,
    inbox: Rc<RefCell<Inbox>>,
}

/// Slices delivered by the helper and not yet taken.
#[derive(Default)]
struct Inbox {
    /// Their file offsets and bytes, in file order.
    slices: VecDeque<(u64, js_sys::Uint8Array)>,
    /// Bytes in `slices`.
    bytes: usize,
    /// The helper failed or fell silent: the rest is read synchronously.
    failed: bool,
    /// Resolves the promise [`SharedSlices::read_ahead`] is waiting on.
    wake: Wake,
}

impl SliceHelper {
    /// Starts the helper on `file` from `start` to `end`; `None` if workers cannot be started
    /// here.
    fn start(file: &web_sys::File, start: u64, end: u64) -> Option<SliceHelper> {
        let inbox = Rc::new(RefCell::new(Inbox::default()));
        let (delivered, failed) = (inbox.clone(), inbox.clone());
        let on_message = move |e: web_sys::MessageEvent| {
            let mut inbox = delivered.borrow_mut();
            match decode(&e.data()) {
                FromSliceReader::Slice { start, bytes } => {
                    inbox.bytes += bytes.byte_length() as usize;
                    inbox.slices.push_back((start, bytes));
                }
                FromSliceReader::Failed(_) => inbox.failed = true,
            }
            inbox.wake.wake();
        };
        let on_error = move |_: web_sys::Event| {
            let mut inbox = failed.borrow_mut();
            inbox.failed = true;
            inbox.wake.wake();
        };
        let worker = BlobWorker::start(SLICE_READER_JS, on_message, on_error)?;
        let job = read_request(file, start, end, SLICE_BYTES, HELPER_BUFFERS);
        // On failure the helper is dropped: terminated, its URL revoked.
        worker.post(&job).ok()?;
        Some(SliceHelper { worker, inbox })
    }

    /// Gives the buffer under `bytes` back to the helper, to be filled again.
    fn give_back(&self, bytes: &js_sys::Uint8Array) {
        let buffer = bytes.buffer();
        let _ = self
            .worker
            .post_with_transfer(&buffer, &js_sys::Array::of1(&buffer));
    }
}

impl FileSlices {
    /// Opens `file`; fails outside a worker (no `FileReaderSync`).
    pub fn new(
        file: web_sys::File,
        hasher: Option<Rc<RefCell<Sha256Stream>>>,
    ) -> Result<FileSlices, String> {
        let reader = web_sys::FileReaderSync::new()
            .map_err(|_| "This browser cannot read files inside a worker.".to_string())?;
        Ok(FileSlices {
            size: file.size() as u64,
            file,
            reader,
            next: 0,
            buf: js_sys::Uint8Array::new_with_length(0),
            pos: 0,
            buf_from_helper: false,
            hasher,
            helper: None,
            taken: 0,
            read_here: 0,
        })
    }

    /// Reads only the bytes from `start` to `end` (a part of the file read by another worker),
    /// or stops at `end` if `start` is 0 ([`head`](Self::head) may then be read first).
    pub fn limit_to(&mut self, start: u64, end: u64) {
        self.size = end.min(self.file.size() as u64);
        self.next = start.min(self.size);
    }

    /// Has the rest of the file read ahead by the helper worker; without it (it cannot start),
    /// slices are read synchronously.
    pub fn read_ahead_on_helper(&mut self) {
        if self.helper.is_none() && self.next < self.size {
            self.helper = SliceHelper::start(&self.file, self.next, self.size);
        }
    }

    /// The next slice, or an empty one at the end: the helper's, else read now; and whether it
    /// is the helper's.
    fn read_slice(&mut self) -> std::io::Result<(js_sys::Uint8Array, bool)> {
        if let Some(bytes) = self.take_delivered() {
            return Ok((bytes, true));
        }
        let (start, end) = (self.next, (self.next + SLICE_BYTES).min(self.size));
        if start >= self.size {
            return Ok((js_sys::Uint8Array::new_with_length(0), false));
        }
        let array = self
            .reader
            .read_as_array_buffer(&self.blob(start, end)?)
            .map_err(|_| {
                std::io::Error::other(
                    "the browser could not read the file (was it moved or changed?)",
                )
            })?;
        self.next = end;
        self.read_here += 1;
        Ok((js_sys::Uint8Array::new(&array), false))
    }

    /// The helper's slice at `next`, if delivered; slices this side already read are given back.
    fn take_delivered(&mut self) -> Option<js_sys::Uint8Array> {
        loop {
            let helper = self.helper.as_ref()?;
            let (start, bytes) = {
                let mut inbox = helper.inbox.borrow_mut();
                let (start, bytes) = inbox.slices.pop_front()?;
                inbox.bytes -= bytes.length() as usize;
                (start, bytes)
            };
            if start == self.next {
                self.next += u64::from(bytes.length());
                return Some(bytes);
            }
            helper.give_back(&bytes);
            if start > self.next {
                // Out of step (cannot happen with in-order delivery): read the rest here.
                self.helper = None;
                return None;
            }
        }
    }

    fn blob(&self, start: u64, end: u64) -> std::io::Result<web_sys::Blob> {
        self.file
            .slice_with_f64_and_f64(start as f64, end as f64)
            .map_err(|_| std::io::Error::other("the browser could not slice the file"))
    }

    /// Hashes bytes on their way to the parser, when there is a hasher.
    fn hash(&self, bytes: &[u8]) {
        if let Some(h) = &self.hasher {
            h.borrow_mut().update(bytes);
        }
    }

    /// The first `n` bytes (or the whole file if shorter), consumed from the stream: they must
    /// be fed to the parser before the rest. Only those bytes are read, so reading ahead can
    /// start right after them.
    pub fn head(&mut self, n: usize) -> std::io::Result<Vec<u8>> {
        if self.next != 0 {
            return Err(std::io::Error::other(
                "the head is read before anything else",
            ));
        }
        let end = (n as u64).min(self.size);
        if end == 0 {
            return Ok(Vec::new());
        }
        let array = self
            .reader
            .read_as_array_buffer(&self.blob(0, end)?)
            .map_err(|_| {
                std::io::Error::other(
                    "the browser could not read the file (was it moved or changed?)",
                )
            })?;
        self.next = end;
        let bytes = js_sys::Uint8Array::new(&array).to_vec();
        self.hash(&bytes);
        Ok(bytes)
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// Slices read synchronously here so far, because the helper was not there to read them.
    pub fn read_here(&self) -> u32 {
        self.read_here
    }
}

/// A [`FileSlices`] shared between the parser (which reads it) and the job driving the parser
/// (which waits for the helper's slices, see [`read_ahead`](Self::read_ahead)).
#[derive(Clone)]
pub struct SharedSlices(pub Rc<RefCell<FileSlices>>);

impl SharedSlices {
    /// Slices read synchronously so far ([`FileSlices::read_here`]).
    pub fn read_here(&self) -> u32 {
        self.0.borrow().read_here()
    }

    /// When less than a parsing step's worth is buffered and the helper has more to deliver,
    /// waits for its next slice (at most [`HELPER_PATIENCE_MS`]; after a silence that long the
    /// rest is read synchronously). Call between parsing steps.
    pub async fn read_ahead(&self) {
        let waiting = {
            let me = self.0.borrow();
            let Some(helper) = &me.helper else {
                return;
            };
            let mut inbox = helper.inbox.borrow_mut();
            let buffered = (me.buf.length() as usize).saturating_sub(me.pos) + inbox.bytes;
            let all_delivered = me.next + inbox.bytes as u64 >= me.size;
            if inbox.failed || buffered >= LOW_WATER || all_delivered {
                return;
            }
            inbox.wake.wait(HELPER_PATIENCE_MS)
        };
        let _ = waiting.await;
        let mut me = self.0.borrow_mut();
        let silent = me.helper.as_ref().is_some_and(|h| {
            let inbox = h.inbox.borrow();
            inbox.failed || inbox.slices.is_empty()
        });
        if silent {
            me.helper = None;
        }
    }
}

/// Rows per parsing step of a file read in slices: as many as [`STEP_BYTES`] hold at the rows'
/// size so far, at most [`ROWS_PER_STEP`]. The helper's slices only arrive between steps, so a
/// step longer than what is read ahead (wide rows: 10,000 rows of a reference-attack table with
/// 64 references are 13 MB) would read the next slice itself, synchronously, beside the helper.
#[derive(Default)]
pub struct StepRows {
    rows: u64,
}

/// Bytes a parsing step of a sliced file aims at: below [`LOW_WATER`], which
/// [`SharedSlices::read_ahead`] has buffered before each step.
const STEP_BYTES: f64 = (4 << 20) as f64;

/// Rows of the first step, before the rows' size is known.
const FIRST_STEP_ROWS: usize = 100;

impl StepRows {
    /// The rows of the next step, `slices` having handed the parser what the steps so far read.
    pub fn next(&mut self, slices: &SharedSlices) -> usize {
        let rows = match self.rows {
            0 => FIRST_STEP_ROWS,
            done => {
                let per_row = (slices.0.borrow().taken as f64 / done as f64).max(1.0);
                ((STEP_BYTES / per_row) as usize).clamp(1, ROWS_PER_STEP)
            }
        };
        self.rows += rows as u64;
        rows
    }
}

impl Read for SharedSlices {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().read(out)
    }
}

impl Read for FileSlices {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let mut len = self.buf.length() as usize;
        if self.pos >= len {
            let (next, from_helper) = self.read_slice()?;
            let read = std::mem::replace(&mut self.buf, next);
            if std::mem::replace(&mut self.buf_from_helper, from_helper) {
                if let Some(helper) = &self.helper {
                    helper.give_back(&read);
                }
            }
            self.pos = 0;
            len = self.buf.length() as usize;
            // The end of the input (the helper never sends an empty slice).
            if len == 0 {
                return Ok(0);
            }
        }
        let n = out.len().min(len - self.pos);
        self.buf
            .subarray(self.pos as u32, (self.pos + n) as u32)
            .copy_to(&mut out[..n]);
        self.hash(&out[..n]);
        self.pos += n;
        self.taken += n as u64;
        Ok(n)
    }
}
