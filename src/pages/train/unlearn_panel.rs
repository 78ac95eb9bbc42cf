//! Unlearning in the training lab: choose the forget set (k members at random, one class, or ids
//! pasted or uploaded) and the methods (the seed design's gradient ascent, fine-tuning on the
//! retained records, retraining without the forget set), run them in the worker, and compare
//! them ([`super::unlearn_results`]). Every choice is a link key, set the way the other
//! controls are ([`crate::route::train::TrainQuery::with`]).

use std::rc::Rc;

use mia_engine::unlearning::lab::{ForgetChoice, MethodKind};
use mia_engine::unlearning::lab_settings::forget_ids_from_text;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::hooks::worker_job::Busy;
use crate::pages::train::controls::number;
use crate::pages::train::unlearn_results::LabUnlearnResults;
use crate::protocol::LabUnlearnSnapshot;
use crate::route::train::TrainQuery;
use crate::widgets::form_events::on_change_value;
use crate::widgets::progress_bar::ProgressBar;

#[derive(Properties, PartialEq)]
pub struct UnlearnPanelProps {
    pub query: TrainQuery,
    /// A control changed: its link key and value.
    pub on_set: Callback<(&'static str, String)>,
    /// Why the last unlearning value was refused.
    pub refused: Option<String>,
    /// The dataset's classes, once a run has shown them.
    pub class_names: Vec<String>,
    pub on_run: Callback<()>,
    pub busy: Option<Busy>,
    pub on_cancel: Callback<()>,
    pub snapshot: Option<Rc<LabUnlearnSnapshot>>,
    pub failure: Option<String>,
    pub cancelled: bool,
    pub window_width: f64,
    pub log_roc: bool,
    pub on_log: Callback<bool>,
}

/// The forget choice's kind, as the mode selector names it.
fn mode(f: &ForgetChoice) -> &'static str {
    match f {
        ForgetChoice::Random { .. } => "random",
        ForgetChoice::Class { .. } => "class",
        ForgetChoice::Rows(_) => "rows",
    }
}

#[component]
pub fn UnlearnPanel(props: &UnlearnPanelProps) -> Html {
    let u = &props.query.unlearning;
    let on_set = &props.on_set;
    // Ids typed or read from a file, before they are applied.
    let ids_error = use_state(|| None::<String>);
    let apply_ids = {
        let on_set = on_set.clone();
        let ids_error = ids_error.clone();
        Callback::from(move |text: String| match forget_ids_from_text(&text) {
            Ok(ids) => {
                ids_error.set(None);
                on_set.emit(("unlearn_forget", ForgetChoice::Rows(ids).to_string()));
            }
            Err(e) => ids_error.set(Some(e)),
        })
    };
    let on_mode = {
        let on_set = on_set.clone();
        let current = u.forget.clone();
        // Ids start from the last forget set, if one was chosen, to be edited.
        let last: Vec<usize> = props
            .snapshot
            .as_ref()
            .map(|s| s.forget.clone())
            .unwrap_or_default();
        Callback::from(move |m: String| {
            let value = match (m.as_str(), &current) {
                (a, f) if a == mode(f) => f.to_string(),
                ("class", _) => "class:0".to_string(),
                ("rows", _) if !last.is_empty() => ForgetChoice::Rows(last.clone()).to_string(),
                ("rows", _) => "rows:0".to_string(),
                _ => "100".to_string(),
            };
            on_set.emit(("unlearn_forget", value));
        })
    };
    let pick_ids = {
        let apply_ids = apply_ids.clone();
        let ids_error = ids_error.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|l| l.get(0)) else {
                return;
            };
            let apply_ids = apply_ids.clone();
            let ids_error = ids_error.clone();
            let name = file.name();
            wasm_bindgen_futures::spawn_local(async move {
                match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    Ok(t) => apply_ids.emit(t.as_string().unwrap_or_default()),
                    Err(_) => {
                        ids_error.set(Some(format!("{name} could not be read; choose it again.")))
                    }
                }
            });
        })
    };
    let method_box = |kind: MethodKind, label: &str| {
        let on_set = on_set.clone();
        let methods = u.methods.clone();
        let checked = methods.contains(&kind);
        let onchange = Callback::from(move |_: Event| {
            let m: Vec<MethodKind> = MethodKind::ALL
                .into_iter()
                .filter(|k| {
                    if *k == kind {
                        !checked
                    } else {
                        methods.contains(k)
                    }
                })
                .collect();
            on_set.emit(("unlearn_methods", MethodKind::list_text(&m)));
        });
        html! {
            <label class="map-check">
                <input type="checkbox" checked={checked} onchange={onchange} data-testid={format!("train-unlearn-method-{}", kind.key())} />
                {label.to_string()}
            </label>
        }
    };
    let forget_control = match &u.forget {
        ForgetChoice::Random { k } => number(
            on_set,
            "unlearn_forget",
            "Members to forget",
            k.to_string(),
            "",
        ),
        ForgetChoice::Class { class } => {
            let on_class = {
                let on_set = on_set.clone();
                Callback::from(move |v: String| {
                    on_set.emit(("unlearn_forget", format!("class:{v}")))
                })
            };
            if props.class_names.is_empty() {
                number(
                    on_set,
                    "unlearn_forget",
                    "Class (its index)",
                    format!("class:{class}"),
                    "",
                )
            } else {
                html! {
                    <label class="control">
                        <span class="control-head"><span>{"Class"}</span></span>
                        <select onchange={on_change_value(on_class)} data-testid="train-unlearn-class">
                            { for props.class_names.iter().enumerate().map(|(i, n)| html! { <option value={i.to_string()} selected={i == *class}>{format!("{n} (class {i})")}</option> }) }
                        </select>
                    </label>
                }
            }
        }
        ForgetChoice::Rows(rows) => {
            let text: Vec<String> = rows.iter().map(usize::to_string).collect();
            let on_text = {
                let apply_ids = apply_ids.clone();
                Callback::from(move |e: Event| {
                    let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
                    apply_ids.emit(area.value());
                })
            };
            html! {
                <>
                    <label class="control">
                        <span class="control-head"><span>{"Ids to forget"}</span></span>
                        <textarea rows="3" value={text.join(", ")} onchange={on_text} data-testid="train-unlearn-ids"
                            aria-label="Ids to forget, separated by commas, spaces or new lines" />
                        <small>{"The lab's ids are its dataset rows (the id column of the outputs). Separate them by commas, spaces or new lines."}</small>
                    </label>
                    <label class="control">
                        <small>{"Or upload them: a list, or a CSV with an id column (such as the lab's outputs, filtered)."}</small>
                        <input type="file" accept=".csv,.txt,text/csv,text/plain" onchange={pick_ids} data-testid="train-unlearn-ids-file" />
                    </label>
                </>
            }
        }
    };
    let running = props.busy.is_some();
    let stale = !running
        && props
            .snapshot
            .as_ref()
            .is_some_and(|s| s.settings != props.query.train_settings() || s.unlearning != *u);
    let run_click = {
        let on_run = props.on_run.clone();
        Callback::from(move |_: MouseEvent| on_run.emit(()))
    };
    html! {
        <section class="panel" data-testid="train-unlearn-panel">
            <h2>{"Unlearning: right to erasure"}</h2>
            <p class="muted small">{"Someone asks for their records to be erased. Train the model above, choose what to forget and how, and compare: gradient ascent is cheap but promises nothing, retraining without the records is the gold standard. Each method is verified by membership inference, and measured against the retrained model."}</p>
            <div class="unlearn-controls">
                <fieldset class="control-group">
                    <legend>{"Forget set (members of the trained model)"}</legend>
                    <label class="control">
                        <span class="control-head"><span>{"Choose"}</span></span>
                        <select onchange={on_change_value(on_mode)} data-testid="train-unlearn-mode">
                            <option value="random" selected={mode(&u.forget) == "random"}>{"k members at random"}</option>
                            <option value="class" selected={mode(&u.forget) == "class"}>{"every member of one class"}</option>
                            <option value="rows" selected={mode(&u.forget) == "rows"}>{"these ids (paste or upload)"}</option>
                        </select>
                    </label>
                    {forget_control}
                    if let Some(e) = &*ids_error {
                        <p class="field-error" role="alert" data-testid="train-unlearn-ids-error">{e.clone()}</p>
                    }
                </fieldset>
                <fieldset class="control-group">
                    <legend>{"Methods"}</legend>
                    {method_box(MethodKind::GradientAscent, "Gradient ascent with retain regularisation (the seed design)")}
                    <div class="control-pair">
                        {number(on_set, "unlearn_lr", "Learning rate", u.ascent.unlearn_lr.to_string(), "")}
                        {number(on_set, "unlearn_steps", "Steps", u.ascent.unlearn_steps.to_string(), "")}
                    </div>
                    {number(on_set, "retain_regularization", "λ, weight of the retain loss", u.ascent.retain_regularization.to_string(), "")}
                    {method_box(MethodKind::FineTune, "Fine-tuning on the retained records only")}
                    {number(on_set, "finetune_epochs", "Fine-tuning epochs", u.finetune_epochs.to_string(), "")}
                    {method_box(MethodKind::Retrain, "Retraining from scratch without the forget set")}
                </fieldset>
            </div>
            if let Some(r) = &props.refused {
                <p class="field-error" role="alert" data-testid="train-unlearn-refused">{format!("Not used: {r}")}</p>
            }
            <p class="muted small">{"The model unlearned is the one these training settings give at the end of their epochs (trained again in the worker from the same seed, as mia train --unlearn-forget does)."}</p>
            <button class="primary" onclick={run_click} data-testid="train-unlearn-run">
                {if running { "Restart unlearning" } else { "Unlearn and compare" }}
            </button>
            if let Some(b) = props.busy.clone() {
                <div data-testid="train-unlearn-progress">
                    <ProgressBar busy={b} on_cancel={props.on_cancel.clone()} />
                </div>
            }
            if let Some(e) = &props.failure {
                <div class="load-error" role="alert" data-testid="train-unlearn-error"><strong>{"The unlearning could not run. "}</strong>{e.clone()}</div>
            }
            if stale {
                <p class="notice" data-testid="train-unlearn-stale">{"The settings have changed since this comparison: press “Unlearn and compare” to run them."}</p>
            }
            // A failed run's partial state is not shown: its message is.
            if let Some(s) = props.snapshot.clone().filter(|_| props.failure.is_none()) {
                <LabUnlearnResults snapshot={s} running={running} cancelled={props.cancelled}
                    window_width={props.window_width} log_roc={props.log_roc} on_log={props.on_log.clone()} />
            }
        </section>
    }
}
