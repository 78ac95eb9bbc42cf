//! Adapters from form events to the control's value as a string, shared by the views' controls.
//! web-sys getters read the `value` / `checked` property, so one adapter serves inputs and selects.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// `oninput` of a slider or text field: emits its value.
pub fn on_input_value(cb: Callback<String>) -> Callback<InputEvent> {
    Callback::from(move |e: InputEvent| {
        cb.emit(e.target_unchecked_into::<HtmlInputElement>().value())
    })
}

/// `onchange` of a select or number field: emits its value.
pub fn on_change_value(cb: Callback<String>) -> Callback<Event> {
    Callback::from(move |e: Event| cb.emit(e.target_unchecked_into::<HtmlInputElement>().value()))
}

/// `onchange` of a checkbox: emits `"true"` or `"false"`.
pub fn on_checked(cb: Callback<String>) -> Callback<Event> {
    Callback::from(move |e: Event| {
        cb.emit(
            e.target_unchecked_into::<HtmlInputElement>()
                .checked()
                .to_string(),
        )
    })
}
