//! Reading a user's `File` in the worker, one slice at a time (`FileReaderSync`, available in
//! workers only), as an `io::Read`: the CSV parser pulls slices as it needs them, so the file is
//! never held whole; with a hasher, its SHA-256 is computed on the way (the fingerprint worker).

use std::io::Read;

use std::cell::RefCell;
use std::rc::Rc;

use mia_engine::fingerprint::Sha256Stream;

/// Bytes read per slice.
pub const SLICE_BYTES: u64 = 8 << 20;

/// A `File` read front to back in slices.
pub struct FileSlices {
    file: web_sys::File,
    reader: web_sys::FileReaderSync,
    size: u64,
    /// Offset of the next slice to read.
    next: u64,
    buf: Vec<u8>,
    pos: usize,
    /// Shared with the caller, who reads the digest once the reader reached the end.
    hasher: Option<Rc<RefCell<Sha256Stream>>>,
    /// The next slices, requested ahead with `Blob.arrayBuffer()` (the browser reads them while
    /// the parser works): their byte ranges and the pending reads, in file order.
    ahead: std::collections::VecDeque<(u64, u64, wasm_bindgen_futures::JsFuture)>,
    /// Slices that arrived ahead, to be read after `buf`.
    arrived: std::collections::VecDeque<Vec<u8>>,
}

/// Slice reads kept in flight: the browser's read of one slice can take longer than parsing the
/// previous one (on two cores, 8 MB reads took ~20 ms on average beyond the parse).
const SLICES_AHEAD: usize = 2;

/// Bytes buffered ahead of the parser below which [`SharedSlices::read_ahead`] waits for the
/// requested slice (more than one parsing step reads).
const LOW_WATER: usize = 6 << 20;

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
            buf: Vec::new(),
            pos: 0,
            hasher,
            ahead: std::collections::VecDeque::new(),
            arrived: std::collections::VecDeque::new(),
        })
    }

    /// The next slice, or an empty one at the end: one that arrived ahead, else read now.
    fn read_slice(&mut self) -> std::io::Result<Vec<u8>> {
        if let Some(bytes) = self.arrived.pop_front() {
            return Ok(bytes);
        }
        // A slice requested ahead but not arrived yet is read now instead (its answer is
        // dropped): the parser never waits on the event loop.
        let (start, end) = match self.ahead.pop_front() {
            Some((start, end, _)) => (start, end),
            None => (self.next, (self.next + SLICE_BYTES).min(self.size)),
        };
        if start >= self.size {
            return Ok(Vec::new());
        }
        let array = self
            .reader
            .read_as_array_buffer(&self.blob(start, end)?)
            .map_err(|_| {
                std::io::Error::other(
                    "the browser could not read the file (was it moved or changed?)",
                )
            })?;
        self.next = self.next.max(end);
        Ok(self.take_bytes(&array))
    }

    fn blob(&self, start: u64, end: u64) -> std::io::Result<web_sys::Blob> {
        self.file
            .slice_with_f64_and_f64(start as f64, end as f64)
            .map_err(|_| std::io::Error::other("the browser could not slice the file"))
    }

    /// The bytes of a slice read, hashed on the way when there is a hasher.
    fn take_bytes(&self, array: &wasm_bindgen::JsValue) -> Vec<u8> {
        let bytes = js_sys::Uint8Array::new(array).to_vec();
        if let Some(h) = &self.hasher {
            h.borrow_mut().update(&bytes);
        }
        bytes
    }

    /// Bytes read from the file and not yet given to the parser.
    fn buffered(&self) -> usize {
        self.buf.len() - self.pos + self.arrived.iter().map(Vec::len).sum::<usize>()
    }

    /// Requests the next slices with `Blob.arrayBuffer()` until [`SLICES_AHEAD`] are pending or
    /// the file is requested to the end.
    fn request_ahead(&mut self) {
        while self.ahead.len() < SLICES_AHEAD && self.next < self.size {
            let end = (self.next + SLICE_BYTES).min(self.size);
            let Ok(blob) = self.blob(self.next, end) else {
                return;
            };
            self.ahead
                .push_back((self.next, end, blob.array_buffer().into()));
            self.next = end;
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
        Ok(self.take_bytes(&array))
    }

    pub fn size(&self) -> u64 {
        self.size
    }
}

/// A [`FileSlices`] shared between the parser (which reads it) and the job driving the parser
/// (which keeps a slice requested ahead, see [`read_ahead`](Self::read_ahead)).
#[derive(Clone)]
pub struct SharedSlices(pub Rc<RefCell<FileSlices>>);

impl SharedSlices {
    /// Keeps slices requested ahead; when less than a parsing step's worth is buffered, waits
    /// for the first. Call between parsing steps.
    pub async fn read_ahead(&self) {
        let pending = {
            let mut me = self.0.borrow_mut();
            me.request_ahead();
            if me.buffered() >= LOW_WATER {
                return;
            }
            me.ahead.pop_front()
        };
        let Some((start, _, read)) = pending else {
            return;
        };
        let answer = read.await;
        let mut me = self.0.borrow_mut();
        match answer {
            Ok(array) => {
                let bytes = me.take_bytes(&array);
                me.arrived.push_back(bytes);
                me.request_ahead();
            }
            // The parser reads that range (and those after it) again, the synchronous way.
            Err(_) => {
                me.ahead.clear();
                me.next = start;
            }
        }
    }
}

impl Read for SharedSlices {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().read(out)
    }
}

impl Read for FileSlices {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.buf.len() {
            self.buf = self.read_slice()?;
            self.pos = 0;
            if self.buf.is_empty() {
                return Ok(0);
            }
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}
