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
            buf: Vec::new(),
            pos: 0,
            hasher,
        })
    }

    /// The next slice, or an empty one at the end.
    fn read_slice(&mut self) -> std::io::Result<Vec<u8>> {
        if self.next >= self.size {
            return Ok(Vec::new());
        }
        let end = (self.next + SLICE_BYTES).min(self.size);
        let blob = self
            .file
            .slice_with_f64_and_f64(self.next as f64, end as f64)
            .map_err(|_| std::io::Error::other("the browser could not slice the file"))?;
        let array = self.reader.read_as_array_buffer(&blob).map_err(|_| {
            std::io::Error::other("the browser could not read the file (was it moved or changed?)")
        })?;
        let bytes = js_sys::Uint8Array::new(&array).to_vec();
        self.next = end;
        if let Some(h) = &self.hasher {
            h.borrow_mut().update(&bytes);
        }
        Ok(bytes)
    }

    /// The first `n` bytes (or the whole file if shorter), consumed from the stream: they must
    /// be fed to the parser before the rest.
    pub fn head(&mut self, n: usize) -> std::io::Result<Vec<u8>> {
        let mut head = Vec::with_capacity(n);
        while head.len() < n {
            if self.pos >= self.buf.len() {
                self.buf = self.read_slice()?;
                self.pos = 0;
                if self.buf.is_empty() {
                    break;
                }
            }
            let take = (n - head.len()).min(self.buf.len() - self.pos);
            head.extend_from_slice(&self.buf[self.pos..self.pos + take]);
            self.pos += take;
        }
        Ok(head)
    }

    pub fn size(&self) -> u64 {
        self.size
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
