//! A text field that keeps what the user is typing through re-renders. Yew sets an input's `value`
//! on every render, so a field bound straight to committed state loses the half-typed text when
//! anything else re-renders the page (say, the worker finishing an audit). Here the typed text is a
//! draft, kept until the committed value changes. Every typed number in every view is one of these.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    /// The committed value, as text.
    pub value: AttrValue,
    /// The typed text, on change (blur or Enter).
    pub on_commit: Callback<String>,
    #[prop_or_default]
    pub placeholder: AttrValue,
    #[prop_or(AttrValue::Static("decimal"))]
    pub inputmode: AttrValue,
    pub testid: AttrValue,
    pub label: AttrValue,
    /// `text` (the default) or `number`, with its bounds.
    #[prop_or(AttrValue::Static("text"))]
    pub input_type: AttrValue,
    #[prop_or_default]
    pub min: Option<AttrValue>,
    #[prop_or_default]
    pub max: Option<AttrValue>,
}

#[component]
pub fn TextField(props: &TextFieldProps) -> Html {
    let draft = use_state(|| None::<String>);
    {
        // A new committed value replaces the draft (a valid entry, or a change from elsewhere).
        let draft = draft.clone();
        use_effect_with(props.value.clone(), move |_| draft.set(None));
    }
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            draft.set(Some(e.target_unchecked_into::<HtmlInputElement>().value()))
        })
    };
    let onchange = {
        let on_commit = props.on_commit.clone();
        Callback::from(move |e: Event| {
            on_commit.emit(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let shown = (*draft).clone().unwrap_or_else(|| props.value.to_string());
    html! {
        <input type={props.input_type.clone()} min={props.min.clone()} max={props.max.clone()} inputmode={props.inputmode.clone()} placeholder={props.placeholder.clone()} value={shown}
            oninput={oninput} onchange={onchange} data-testid={props.testid.clone()} aria-label={props.label.clone()} />
    }
}
