//! The fingerprint worker's plumbing for a page: ask for a picked file's SHA-256, get it back.

use yew::prelude::*;
use yew_agent::reactor::{use_reactor_bridge, ReactorEvent, UseReactorBridgeHandle};

use crate::protocol::codec::{attach_file_to, FINGERPRINT_WORKER};
use crate::protocol::fingerprint::{FingerprintEvent, FingerprintRequest};
use crate::worker::fingerprint::FingerprintReactor;

/// A page's handle on the fingerprint worker.
#[derive(Clone, PartialEq)]
pub struct Fingerprinter {
    bridge: UseReactorBridgeHandle<FingerprintReactor>,
}

impl Fingerprinter {
    /// Hashes `file` (a newer request replaces a running one); the answer names `file_id`.
    pub fn request(&self, file_id: u32, file: web_sys::File) {
        attach_file_to::<FINGERPRINT_WORKER>(file_id, file);
        self.bridge.send(FingerprintRequest { file_id });
    }
}

/// Connects a page to the fingerprint worker; `on_done` gets `(file_id, SHA-256 or why not)`.
#[hook]
pub fn use_fingerprint(on_done: Callback<(u32, Result<String, String>)>) -> Fingerprinter {
    let bridge = use_reactor_bridge::<FingerprintReactor, _>(move |ev| {
        let answer = match ev {
            ReactorEvent::Output(FingerprintEvent::Done { file_id, sha256 }) => {
                (file_id, Ok(sha256))
            }
            ReactorEvent::Output(FingerprintEvent::Failed { file_id, message }) => {
                (file_id, Err(message))
            }
            _ => return,
        };
        on_done.emit(answer);
    });
    Fingerprinter { bridge }
}
