//! The fingerprint worker: the SHA-256 of an uploaded file, for the review report.
//!
//! Hashing a file in wasm takes about as long as parsing it (figures in the README). Done by the
//! audit worker it would delay the audit the user waits for; here it runs in a second worker once
//! the audit is shown, and the report's download buttons wait for it.

use std::cell::RefCell;
use std::io::Read;
use std::rc::Rc;

use futures::{FutureExt, SinkExt, StreamExt};
use mia_engine::ingest::fingerprint::Sha256Stream;
use yew_agent::prelude::*;

use crate::protocol::fingerprint::{FingerprintEvent, FingerprintRequest};
use crate::worker::io::file_slices::FileSlices;

/// Bytes hashed between two looks at the inbox (a newer file replaces the one being hashed).
const BYTES_PER_TURN: usize = 16 << 20;

/// Hashes `file_id`'s file; `Err(next)` when a newer request arrived first.
async fn fingerprint(
    scope: &mut ReactorScope<FingerprintRequest, FingerprintEvent>,
    file_id: u32,
) -> Result<FingerprintEvent, Option<FingerprintRequest>> {
    let failed = |message: String| Ok(FingerprintEvent::Failed { file_id, message });
    let Some(file) = crate::protocol::codec::take_file(file_id) else {
        return failed("The file is no longer available to the page.".into());
    };
    let hasher = Rc::new(RefCell::new(Sha256Stream::default()));
    let mut slices = match FileSlices::new(file, Some(hasher.clone())) {
        Ok(s) => s,
        Err(m) => return failed(m),
    };
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let mut turn = 0;
        while turn < BYTES_PER_TURN {
            match slices.read(&mut buf) {
                Ok(0) => {
                    let sha256 = std::mem::take(&mut *hasher.borrow_mut()).finish_hex();
                    return Ok(FingerprintEvent::Done { file_id, sha256 });
                }
                Ok(n) => turn += n,
                Err(e) => return failed(format!("The browser could not read the file: {e}")),
            }
        }
        crate::worker::event_loop::yield_to_event_loop().await;
        match scope.next().now_or_never() {
            None => {}
            Some(None) => return Err(None),
            Some(Some(req)) => return Err(Some(req)),
        }
    }
}

/// The fingerprint worker's message loop.
#[reactor]
pub async fn FingerprintReactor(mut scope: ReactorScope<FingerprintRequest, FingerprintEvent>) {
    let mut next = scope.next().await;
    while let Some(req) = next.take() {
        match fingerprint(&mut scope, req.file_id).await {
            Ok(ev) => {
                let _ = scope.send(ev).await;
                next = scope.next().await;
            }
            Err(newer) => next = newer,
        }
    }
}
