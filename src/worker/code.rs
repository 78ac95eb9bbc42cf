//! The audit worker's code kept in memory, so a replacement can start without fetching anything:
//! the script and the wasm are read once while the page loads (the browser serves them from its
//! cache: the first worker has just loaded them), and a replacement starts from a blob made of
//! the script and the wasm's bytes. The page keeps one to replace a failed or grown audit worker
//! after it has locked its connections down ([`crate::csp`]); the audit worker keeps one to
//! replace a failed part worker ([`crate::worker::part`]).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The worker's script (its wasm-bindgen glue) and its wasm.
type Code = (String, Vec<u8>);

/// The worker's code, once read (`Err` if it could not be).
#[derive(Default)]
pub struct WorkerCode {
    code: RefCell<Option<Result<Code, ()>>>,
    /// Run once the code is read (or could not be).
    on_settled: RefCell<Vec<Box<dyn FnOnce()>>>,
}

impl WorkerCode {
    /// Reads `script` and its wasm (`…_bg.wasm`) in the background.
    pub fn load(script: &str) -> Rc<WorkerCode> {
        Self::load_pair(script, &script.replace(".js", "_bg.wasm"))
    }

    /// Reads `script` and `wasm` in the background.
    pub fn load_pair(script: &str, wasm: &str) -> Rc<WorkerCode> {
        let code = Rc::new(WorkerCode::default());
        let (me, script, wasm) = (code.clone(), script.to_string(), wasm.to_string());
        wasm_bindgen_futures::spawn_local(async move {
            let read = async {
                let text = JsFuture::from(fetch(&script).await?.text().ok()?)
                    .await
                    .ok()?;
                let bytes = JsFuture::from(fetch(&wasm).await?.array_buffer().ok()?)
                    .await
                    .ok()?;
                Some((text.as_string()?, js_sys::Uint8Array::new(&bytes).to_vec()))
            };
            *me.code.borrow_mut() = Some(read.await.ok_or(()));
            for f in me.on_settled.take() {
                f();
            }
        });
        code
    }

    /// The reads have ended (read or failed).
    pub fn is_settled(&self) -> bool {
        self.code.borrow().is_some()
    }

    /// Runs `f` once the code is read or could not be (at once if that has happened).
    pub fn when_settled(&self, f: impl FnOnce() + 'static) {
        if self.code.borrow().is_some() {
            f();
        } else {
            self.on_settled.borrow_mut().push(Box::new(f));
        }
    }

    /// A blob URL of a script that runs `prelude`, then is the worker, loading its wasm from
    /// bytes: nothing to fetch. `None` when the code could not be read.
    pub fn blob_url(&self, prelude: &str) -> Option<String> {
        let code = self.code.borrow();
        let (script, wasm) = code.as_ref()?.as_ref().ok()?;
        let start = format!(
            "\n;wasm_bindgen({{ module_or_path: Uint8Array.from(atob(\"{}\"), (c) => c.charCodeAt(0)) }});\n",
            base64(wasm)
        );
        let parts = js_sys::Array::of3(&prelude.into(), &script.as_str().into(), &start.into());
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/javascript");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
        web_sys::Url::create_object_url_with_blob(&blob).ok()
    }
}

/// `fetch` on the page or in a worker.
async fn fetch(url: &str) -> Option<web_sys::Response> {
    let promise = match web_sys::window() {
        Some(window) => window.fetch_with_str(url),
        None => js_sys::global()
            .dyn_into::<web_sys::WorkerGlobalScope>()
            .ok()?
            .fetch_with_str(url),
    };
    let response = JsFuture::from(promise).await.ok()?;
    let response: web_sys::Response = response.dyn_into().ok()?;
    response.ok().then_some(response)
}

/// Standard base64 (RFC 4648, with padding).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_rfc_4648() {
        let cases: [(&[u8], &str); 7] = [
            (b"", ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"fooba", "Zm9vYmE="),
            (b"foobar", "Zm9vYmFy"),
        ];
        for (input, want) in cases {
            assert_eq!(super::base64(input), want);
        }
    }
}
