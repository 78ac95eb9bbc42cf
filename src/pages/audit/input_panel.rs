//! Where data comes in: file picker, drag-and-drop, and the bundled samples.

use web_sys::{DragEvent, HtmlInputElement};
use yew::prelude::*;

use crate::widgets::sample_list::sample_item;

use crate::samples::SAMPLES;

#[derive(Properties, PartialEq)]
pub struct InputPanelProps {
    pub on_file: Callback<web_sys::File>,
    pub on_sample: Callback<String>,
    /// Name of what is shown now.
    pub current: Option<String>,
    pub busy: bool,
}

/// File picker, drop zone and sample list.
#[component]
pub fn InputPanel(props: &InputPanelProps) -> Html {
    let dragging = use_state(|| false);
    let on_change = {
        let on_file = props.on_file.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(f) = input.files().and_then(|l| l.get(0)) {
                on_file.emit(f);
            }
            // Allow picking the same file again after editing it.
            input.set_value("");
        })
    };
    let on_drop = {
        let on_file = props.on_file.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(f) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|l| l.get(0))
            {
                on_file.emit(f);
            }
        })
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let zone_class = classes!("drop-zone", dragging.then_some("dragging"));
    html! {
        <section class="panel input-panel" aria-label="Data">
            <h2>{"Your model's outputs"}</h2>
            <label class={zone_class} ondrop={on_drop} ondragover={on_drag_over} ondragleave={on_drag_leave}>
                <span class="drop-title">{"Drop a CSV here, or click to choose"}</span>
                <span class="drop-hint">{"One row per record: a "}<code>{"member"}</code>{" column (1/0) and "}
                    <code>{"confidence"}</code>{", "}<code>{"loss"}</code>{", "}<code>{"prob_*"}</code>{" or "}<code>{"logit_*"}</code>{" columns."}</span>
                <input type="file" accept=".csv,.tsv,.txt,text/csv" data-testid="csv-input" onchange={on_change} />
            </label>
            <h3>{"Or try a sample"}</h3>
            <ul class="samples">
                { for SAMPLES.iter().map(|s| {
                    let active = props.current.as_deref() == Some(s.title);
                    sample_item(s, format!("sample-{}", s.id), active, props.busy, &props.on_sample)
                }) }
            </ul>
        </section>
    }
}
