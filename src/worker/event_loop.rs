//! Yielding a worker's computation to its event loop, so that messages (a cancel, a newer
//! request, a slice read ahead) are handled, without the timer clamp: a zero-delay
//! `setTimeout` waits at least 4 ms once nested, which at a yield every 50 ms cost a tenth of a
//! large read. A message posted through a `MessageChannel` comes back in the next task instead.

use wasm_bindgen::JsValue;

/// Returns after the event loop has run the tasks queued before this call.
pub async fn yield_to_event_loop() {
    // A channel per yield: several reactors share the worker's thread and may yield at once.
    let Ok(channel) = web_sys::MessageChannel::new() else {
        // No channel here: a timer turn does the same, only slower.
        yew::platform::time::sleep(std::time::Duration::ZERO).await;
        return;
    };
    let mut posted = false;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        channel.port1().set_onmessage(Some(&resolve));
        posted = channel.port2().post_message(&JsValue::NULL).is_ok();
    });
    if posted {
        // `channel` lives across the wait, so its ports stay alive until the message is in.
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        channel.port1().close();
    } else {
        yew::platform::time::sleep(std::time::Duration::ZERO).await;
    }
}
