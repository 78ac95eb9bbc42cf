//! Messages between a worker reading a picked file and its slice reader (`www/slice_reader.js`, a
//! small script started from a blob, [`crate::worker::io::file_slices`]). The reader is plain
//! JavaScript, so these are the one pair of messages not in bincode: they are positional arrays
//! (no string keys), read and written only here.
//! - To the reader: `[file, start, end, size, count]` (read `file` from `start` to `end` into
//!   `count` buffers of `size` bytes), then each buffer given back once its bytes are copied out
//!   (an `ArrayBuffer`, transferred), to be filled again.
//! - From the reader: `[start, bytes]` (a `Uint8Array` of the file's bytes from `start` on, over
//!   one of its buffers, transferred) or a string (why it stopped).

use wasm_bindgen::{JsCast, JsValue};

/// What the slice reader sent.
pub enum FromSliceReader {
    /// The bytes of the file from `start` on.
    Slice {
        start: u64,
        bytes: js_sys::Uint8Array,
    },
    /// It stopped reading (the message, or a message it did not understand).
    Failed(String),
}

/// The reader's job: `file` from `start` to `end`, into `count` buffers of `size` bytes.
pub fn read_request(file: &web_sys::File, start: u64, end: u64, size: u64, count: u32) -> JsValue {
    let numbers = [start as f64, end as f64, size as f64, f64::from(count)];
    let message = js_sys::Array::of1(file);
    for n in numbers {
        message.push(&JsValue::from_f64(n));
    }
    message.into()
}

/// Reads a message from the slice reader.
pub fn decode(data: &JsValue) -> FromSliceReader {
    if let Some(message) = data.as_string() {
        return FromSliceReader::Failed(message);
    }
    let Some(pair) = data.dyn_ref::<js_sys::Array>() else {
        return FromSliceReader::Failed("the slice reader sent something else".into());
    };
    match (
        pair.get(0).as_f64(),
        pair.get(1).dyn_into::<js_sys::Uint8Array>(),
    ) {
        (Some(start), Ok(bytes)) => FromSliceReader::Slice {
            start: start as u64,
            bytes,
        },
        _ => FromSliceReader::Failed("the slice reader sent a damaged slice".into()),
    }
}
