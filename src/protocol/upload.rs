//! A file the user picked, on its way to a worker: its `File` handle travels with the request
//! ([`crate::protocol::codec::attach_file`]) under `file_id`; its bytes never cross, and the
//! worker reads it in slices. Every upload, whatever the view, goes this way, with the same
//! limits and messages.

use std::cell::Cell;

use serde::{Deserialize, Serialize};

/// A picked file, named by the id its handle travels under.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Upload {
    pub name: String,
    pub size: u64,
    pub file_id: u32,
}

thread_local! {
    static NEXT_FILE_ID: Cell<u32> = const { Cell::new(0) };
}

impl Upload {
    /// Describes `file` under a new id, unique on this page (the worker keeps received files by
    /// id, whichever view sent them), and attaches its handle to the next message to the audit
    /// worker.
    pub fn attach(file: web_sys::File) -> Upload {
        let file_id = NEXT_FILE_ID.with(|n| {
            n.set(n.get() + 1);
            n.get()
        });
        let upload = Upload {
            name: file.name(),
            size: file.size() as u64,
            file_id,
        };
        crate::protocol::codec::attach_file(file_id, file);
        upload
    }
}

impl Upload {
    /// Attaches `file` again under this upload's id (the worker takes a file once per request:
    /// a re-run, say with another column mapping, sends it again).
    pub fn reattach(&self, file: web_sys::File) {
        crate::protocol::codec::attach_file(self.file_id, file);
    }
}
