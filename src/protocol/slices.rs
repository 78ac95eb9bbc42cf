//! Messages between a worker reading a picked file and its slice reader (`www/slice_reader.js`, a
//! small script started from a blob, [`crate::worker::io::file_slices`]). The reader is plain
//! JavaScript, so these are the one pair of messages not in bincode: they are positional arrays
//! (no string keys), read and written only here.
//! - To the reader: `[file, start, end, slice, window]` (read `file` from `start` to `end` in
//!   slices of `slice` bytes, at most `window` ahead of what was taken), then a number: slices
//!   taken since, so it may read that many more.
//! - From the reader: `[start, buffer]` (a slice, its buffer transferred) or a string (why it
//!   stopped).

use wasm_bindgen::{JsCast, JsValue};

/// What the slice reader sent.
pub enum FromSliceReader {
    /// The bytes of the file from `start` on.
    Slice {
        start: u64,
        bytes: js_sys::ArrayBuffer,
    },
    /// It stopped reading (the message, or a message it did not understand).
    Failed(String),
}

/// The reader's job: `file` from `start` to `end`, `slice` bytes at a time, `window` ahead.
pub fn read_request(
    file: &web_sys::File,
    start: u64,
    end: u64,
    slice: u64,
    window: u32,
) -> JsValue {
    let numbers = [start as f64, end as f64, slice as f64, f64::from(window)];
    let message = js_sys::Array::of1(file);
    for n in numbers {
        message.push(&JsValue::from_f64(n));
    }
    message.into()
}

/// Slices taken since the last such message.
pub fn taken(n: u32) -> JsValue {
    JsValue::from_f64(f64::from(n))
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
        pair.get(1).dyn_into::<js_sys::ArrayBuffer>(),
    ) {
        (Some(start), Ok(bytes)) => FromSliceReader::Slice {
            start: start as u64,
            bytes,
        },
        _ => FromSliceReader::Failed("the slice reader sent a damaged slice".into()),
    }
}
