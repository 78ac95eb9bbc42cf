//! How messages cross to and from the worker.
//!
//! yew-agent's default codec (bincode 2 through serde) writes byte strings one byte at a time:
//! half a second of main-thread work for a 27 MB file. bincode 1 copies a byte string in one go.
//!
//! A user's file does not cross as bytes at all: the page attaches the `File` handle itself
//! ([`attach_file`]) to the next message, the browser passes it to the worker without copying,
//! and the worker reads it in slices ([`take_file`]). The main thread never holds the file's bytes.

use std::cell::RefCell;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use yew_agent::Codec;

thread_local! {
    /// Page side: files to send with the next message posted, by id. (yew-agent queues messages
    /// until the worker has loaded, so the next one encoded may be an earlier request: the files
    /// are keyed by id, not by the message that carries them.)
    /// Each entry names the worker ([`BulkBincode`]'s `WORKER`) it goes to.
    static OUTGOING: RefCell<Vec<(usize, u32, web_sys::File)>> = const { RefCell::new(Vec::new()) };
    /// Worker side: files received, by id, until the job that reads them takes them.
    static INCOMING: RefCell<HashMap<u32, web_sys::File>> = RefCell::new(HashMap::new());
}

/// Sends `file` with the next message posted to the audit worker, where [`take_file`]`(id)`
/// gets it.
pub fn attach_file(id: u32, file: web_sys::File) {
    attach_file_to::<AUDIT_WORKER>(id, file);
}

/// [`attach_file`] for the worker whose codec is `BulkBincode<WORKER>`.
pub fn attach_file_to<const WORKER: usize>(id: u32, file: web_sys::File) {
    OUTGOING.with(|o| o.borrow_mut().push((WORKER, id, file)));
}

/// The audit worker's codec number.
pub const AUDIT_WORKER: usize = 0;
/// The fingerprint worker's codec number.
pub const FINGERPRINT_WORKER: usize = 1;

/// The file that arrived with id `id`, once.
pub fn take_file(id: u32) -> Option<web_sys::File> {
    INCOMING.with(|i| i.borrow_mut().remove(&id))
}

/// bincode 1 over a `Uint8Array`, or `{m: Uint8Array, ids: [id…], files: [File…]}` with files.
/// `WORKER` tells which worker's files a message carries (each worker has its own codec type).
#[derive(Debug)]
pub struct BulkBincode<const WORKER: usize = AUDIT_WORKER>;

impl<const WORKER: usize> Codec for BulkBincode<WORKER> {
    fn encode<I: Serialize>(input: I) -> JsValue {
        // Serializing plain data into a Vec cannot fail; an empty message is decoded as an error
        // on the other side rather than panicking here.
        let buf = bincode::serialize(&input).unwrap_or_default();
        let message: JsValue = js_sys::Uint8Array::from(buf.as_slice()).into();
        let files: Vec<(u32, web_sys::File)> = OUTGOING.with(|o| {
            let mut o = o.borrow_mut();
            let (mine, others): (Vec<_>, Vec<_>) = std::mem::take(&mut *o)
                .into_iter()
                .partition(|(w, _, _)| *w == WORKER);
            *o = others;
            mine.into_iter().map(|(_, id, f)| (id, f)).collect()
        });
        if files.is_empty() {
            return message;
        }
        let (ids, handles) = (js_sys::Array::new(), js_sys::Array::new());
        for (id, file) in files {
            ids.push(&JsValue::from(id));
            handles.push(&file);
        }
        let o = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&o, &"m".into(), &message);
        let _ = js_sys::Reflect::set(&o, &"ids".into(), &ids);
        let _ = js_sys::Reflect::set(&o, &"files".into(), &handles);
        o.into()
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: JsValue) -> O {
        let message = if input.is_instance_of::<js_sys::Uint8Array>() {
            input
        } else {
            let get = |k: &str| js_sys::Reflect::get(&input, &k.into()).unwrap_or(JsValue::NULL);
            let (ids, files) = (
                js_sys::Array::from(&get("ids")),
                js_sys::Array::from(&get("files")),
            );
            for (id, file) in ids.iter().zip(files.iter()) {
                if let (Some(id), Ok(file)) = (id.as_f64(), file.dyn_into::<web_sys::File>()) {
                    INCOMING.with(|i| i.borrow_mut().insert(id as u32, file));
                }
            }
            get("m")
        };
        let data = js_sys::Uint8Array::from(message).to_vec();
        match bincode::deserialize(&data) {
            Ok(v) => v,
            // The two ends are built from the same source, so this cannot happen short of a
            // corrupted bundle; the panic hook then shows the recoverable error banner.
            Err(e) => panic!("a worker message could not be decoded: {e}"),
        }
    }
}
