//! The window's width, so charts redraw at the new size.

use yew::prelude::*;

/// Tracks the window width, so charts redraw at the new size.
#[hook]
pub fn use_window_width() -> f64 {
    let read = || {
        web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|v| v.as_f64())
            .unwrap_or(1280.0)
    };
    let width = use_state(read);
    {
        let width = width.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window()
                .map(|w| gloo_events::EventListener::new(&w, "resize", move |_| width.set(read())));
            move || drop(listener)
        });
    }
    *width
}
