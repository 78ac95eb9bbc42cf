//! Reading a user's file into memory, asynchronously (the page stays responsive).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The whole file as bytes.
pub async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buf = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| format!("The browser could not read the file: {}", js_message(&e)))?;
    let buf: js_sys::ArrayBuffer = buf
        .dyn_into()
        .map_err(|_| "The browser returned something other than bytes for the file.".to_string())?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

fn js_message(e: &wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}
