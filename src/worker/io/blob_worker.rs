//! A worker started from a script made in memory (a `blob:` URL, so starting it fetches nothing
//! new), with its message and error handlers; terminated, and its URL revoked, when dropped.
//! (What such workers say to each other is typed in [`crate::protocol`].)

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

pub struct BlobWorker {
    worker: web_sys::Worker,
    url: String,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl BlobWorker {
    /// Starts a worker running `source`; `None` if workers cannot be started here.
    pub fn start(
        source: &str,
        on_message: impl FnMut(web_sys::MessageEvent) + 'static,
        on_error: impl FnMut(web_sys::Event) + 'static,
    ) -> Option<BlobWorker> {
        let parts = js_sys::Array::of1(&JsValue::from_str(source));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("text/javascript");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        Self::start_url(url, on_message, on_error)
    }

    /// Starts a worker running the script at `url` (a `blob:` URL, revoked when the worker is
    /// dropped); `None` if workers cannot be started here.
    pub fn start_url(
        url: String,
        on_message: impl FnMut(web_sys::MessageEvent) + 'static,
        on_error: impl FnMut(web_sys::Event) + 'static,
    ) -> Option<BlobWorker> {
        let Ok(worker) = web_sys::Worker::new(&url) else {
            let _ = web_sys::Url::revoke_object_url(&url);
            return None;
        };
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(on_message);
        // The error is handled here: it does not go on to this worker's own scope (and the page).
        let mut on_error = on_error;
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            e.prevent_default();
            on_error(e);
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(BlobWorker {
            worker,
            url,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Stops the worker at once, keeping its handlers alive (an event it queued before it stopped
    /// may still be dispatched to them).
    pub fn terminate(&self) {
        self.worker.terminate();
    }

    /// Posts `msg` to the worker.
    pub fn post(&self, msg: &JsValue) -> Result<(), JsValue> {
        self.worker.post_message(msg)
    }

    /// Posts `msg` to the worker, handing over the buffers in `transfer`.
    pub fn post_with_transfer(&self, msg: &JsValue, transfer: &JsValue) -> Result<(), JsValue> {
        self.worker.post_message_with_transfer(msg, transfer)
    }
}

impl Drop for BlobWorker {
    fn drop(&mut self) {
        self.worker.terminate();
        let _ = web_sys::Url::revoke_object_url(&self.url);
    }
}

/// A property of a browser object (say, a performance entry's `name`); `None` when it has none.
pub fn field(data: &JsValue, key: &str) -> Option<JsValue> {
    js_sys::Reflect::get(data, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined())
}

/// A wait for a worker's next message, at most a given time long.
#[derive(Default)]
pub struct Wake(Option<js_sys::Function>);

impl Wake {
    /// Ends the wait, if one is on.
    pub fn wake(&mut self) {
        if let Some(f) = self.0.take() {
            let _ = f.call0(&JsValue::NULL);
        }
    }

    /// A wait that ends at the next [`wake`](Self::wake), or after `ms`.
    pub fn wait(&mut self, ms: i32) -> wasm_bindgen_futures::JsFuture {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
            let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
            self.0 = Some(resolve);
        });
        wasm_bindgen_futures::JsFuture::from(promise)
    }
}
