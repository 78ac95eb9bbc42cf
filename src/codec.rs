//! How messages cross to and from the worker.
//!
//! yew-agent's default codec (bincode 2 through serde) writes byte strings one byte at a time:
//! half a second of main-thread work for a 27 MB file. bincode 1 copies a byte string in one go,
//! so posting a file to the worker costs a memcpy.

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use yew_agent::Codec;

/// bincode 1 over a `Uint8Array`.
#[derive(Debug)]
pub struct BulkBincode;

impl Codec for BulkBincode {
    fn encode<I: Serialize>(input: I) -> JsValue {
        // Serializing plain data into a Vec cannot fail; an empty message is decoded as an error
        // on the other side rather than panicking here.
        let buf = bincode::serialize(&input).unwrap_or_default();
        js_sys::Uint8Array::from(buf.as_slice()).into()
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: JsValue) -> O {
        let data = js_sys::Uint8Array::from(input).to_vec();
        match bincode::deserialize(&data) {
            Ok(v) => v,
            // The two ends are built from the same source, so this cannot happen short of a
            // corrupted bundle; the panic hook then shows the recoverable error banner.
            Err(e) => panic!("a worker message could not be decoded: {e}"),
        }
    }
}
