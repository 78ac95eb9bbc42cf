//! The training lab's settings form. Every control sends `(key, value)` with the link's key: the
//! page applies it the way a link is read ([`crate::route::train::TrainQuery::with`]), so the
//! form, the link and `mia train` share one parser and the engine's one check.

use mia_engine::training::settings::{EarlyStop, ModelKind, NoiseChoice, OptimizerChoice};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::route::train::{hidden_text, TrainQuery, FILE_DATASET};
use crate::samples::LAB_DATASETS;
use crate::widgets::form_events::{on_change_value, on_checked};
use crate::widgets::text_field::TextField;

#[derive(Properties, PartialEq)]
pub struct TrainControlsProps {
    pub query: TrainQuery,
    /// A control changed: its link key and value.
    pub on_set: Callback<(&'static str, String)>,
    /// The dataset file picked (when the dataset is "my own CSV").
    pub on_file: Callback<web_sys::File>,
    pub file_name: Option<String>,
    /// Why the last value typed was refused.
    pub refused: Option<String>,
}

/// A callback that sets `key` to the value it is given.
fn setter(on_set: &Callback<(&'static str, String)>, key: &'static str) -> Callback<String> {
    let on_set = on_set.clone();
    Callback::from(move |v: String| on_set.emit((key, v)))
}

/// A labelled number field for link key `key` (test id `train-KEY`).
pub fn number(
    on_set: &Callback<(&'static str, String)>,
    key: &'static str,
    title: &str,
    value: String,
    note: &str,
) -> Html {
    html! {
        <label class="control">
            <span class="control-head"><span>{title.to_string()}</span></span>
            <TextField value={value} on_commit={setter(on_set, key)} testid={format!("train-{key}")} label={title.to_string()} />
            if !note.is_empty() { <small>{note.to_string()}</small> }
        </label>
    }
}

#[component]
pub fn TrainControls(props: &TrainControlsProps) -> Html {
    let q = &props.query;
    let s = &q.settings;
    let on_set = &props.on_set;
    let pick = {
        let on_file = props.on_file.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(f) = input.files().and_then(|l| l.get(0)) {
                on_file.emit(f);
            }
        })
    };
    let dp = q.dp;
    let (noise_kind, noise_value) = match dp.noise {
        NoiseChoice::NoiseMultiplier(x) => ("noise_multiplier", x),
        NoiseChoice::TargetEpsilon(x) => ("target_epsilon", x),
    };
    let noise_switch = {
        let on_set = on_set.clone();
        Callback::from(move |v: String| {
            // Switching between σ and a target ε starts from a sensible value of the other.
            let key: &'static str = if v == "target_epsilon" {
                "target_epsilon"
            } else {
                "noise_multiplier"
            };
            let value = if key == noise_kind {
                noise_value.to_string()
            } else if key == "target_epsilon" {
                "2".into()
            } else {
                "1".into()
            };
            on_set.emit((key, value));
        })
    };
    html! {
        <section class="panel controls" aria-label="Training settings">
            <h2>{"Training lab"}</h2>
            <p class="muted small">{"Train a small model here, from a seed, and watch membership leak as it memorises its training set: half of the data trains it (the members), the other half is held out."}</p>
            <label class="control">
                <span class="control-head"><span>{"Dataset"}</span></span>
                <select onchange={on_change_value(setter(on_set, "dataset"))} data-testid="train-dataset">
                    { for LAB_DATASETS.iter().map(|(id, title)| html! { <option value={*id} selected={q.dataset == *id}>{*title}</option> }) }
                    <option value={FILE_DATASET} selected={q.dataset == FILE_DATASET}>{"My own CSV…"}</option>
                </select>
            </label>
            if q.dataset == FILE_DATASET {
                <label class="control">
                    <small>{"Numeric feature columns and a class column (named class, label, target or y; else the last column), as for the shadow attack. It is read in the worker; nothing is sent."}</small>
                    <input type="file" accept=".csv,text/csv" onchange={pick} data-testid="train-dataset-file" />
                    if let Some(n) = &props.file_name { <small>{n.clone()}</small> }
                </label>
            }
            <label class="control">
                <span class="control-head"><span>{"Model"}</span></span>
                <select onchange={on_change_value(setter(on_set, "model"))} data-testid="train-model">
                    <option value="mlp" selected={s.model == ModelKind::Mlp}>{"Neural network (ReLU hidden layers)"}</option>
                    <option value="logreg" selected={s.model == ModelKind::LogReg}>{"Logistic regression"}</option>
                </select>
            </label>
            <div class="control-pair">
                if s.model == ModelKind::Mlp {
                    {number(on_set, "hidden", "Hidden units", hidden_text(&s.hidden), "one layer, or two: 128,64")}
                }
                {number(on_set, "epochs", "Epochs", s.epochs.to_string(), "")}
            </div>
            <div class="control-pair">
                {number(on_set, "batch", "Batch size", s.batch.to_string(), "")}
                {number(on_set, "lr", "Learning rate", s.lr.to_string(), "")}
            </div>
            <label class="control">
                <span class="control-head"><span>{"Optimiser"}</span></span>
                <select onchange={on_change_value(setter(on_set, "optimizer"))} data-testid="train-optimizer">
                    <option value="adam" selected={s.optimizer == OptimizerChoice::Adam}>{"Adam"}</option>
                    <option value="sgd" selected={s.optimizer == OptimizerChoice::Sgd}>{"SGD, momentum 0.9"}</option>
                </select>
            </label>
            <fieldset class="control-group">
                <legend>{"Defences"}</legend>
                <div class="control-pair">
                    {number(on_set, "l2", "L2 (weight decay)", s.l2.to_string(), "")}
                    {number(on_set, "dropout", "Dropout", s.dropout.to_string(), "")}
                </div>
                <div class="control-pair">
                    {number(on_set, "label_smoothing", "Label smoothing", s.label_smoothing.to_string(), "")}
                    {number(on_set, "clip", "Gradient clipping", s.clip.to_string(), "max norm; 0 = off")}
                </div>
                <label class="control">
                    <span class="control-head"><span>{"Early stopping"}</span></span>
                    <select onchange={on_change_value(setter(on_set, "early_stop"))} data-testid="train-early_stop">
                        <option value="none" selected={s.early_stop == EarlyStop::None}>{"None"}</option>
                        <option value="patience" selected={s.early_stop == EarlyStop::Patience}>{"Patience: held-out loss, 5 epochs"}</option>
                        <option value="gap" selected={s.early_stop == EarlyStop::Gap}>{"Privacy-aware: generalisation gap"}</option>
                    </select>
                </label>
                if s.early_stop == EarlyStop::Gap {
                    {number(on_set, "target_gap", "Target gap", s.target_gap.to_string(), "stop when held-out − train loss exceeds it, after epoch 5 (checked before patience)")}
                }
                <label class="map-check">
                    <input type="checkbox" checked={q.dp_on} onchange={on_checked(setter(on_set, "dp"))} data-testid="train-dp" />
                    {"DP-SGD (per-example clipping and Gaussian noise)"}
                </label>
                if q.dp_on {
                    <div class="dp-controls">
                        <label class="control">
                            <span class="control-head"><span>{"Noise from"}</span></span>
                            <select onchange={on_change_value(noise_switch)} data-testid="train-noise-choice">
                                <option value="noise_multiplier" selected={noise_kind == "noise_multiplier"}>{"a noise multiplier σ"}</option>
                                <option value="target_epsilon" selected={noise_kind == "target_epsilon"}>{"a target ε (σ found for it)"}</option>
                            </select>
                        </label>
                        <div class="control-pair">
                            if noise_kind == "noise_multiplier" {
                                {number(on_set, "noise_multiplier", "σ", noise_value.to_string(), "")}
                            } else {
                                {number(on_set, "target_epsilon", "Target ε", noise_value.to_string(), "")}
                            }
                            {number(on_set, "max_grad_norm", "Clip norm C", dp.max_grad_norm.to_string(), "")}
                        </div>
                        {number(on_set, "delta", "δ", dp.delta.map_or_else(String::new, |d| d.to_string()), "empty: 1/(10·N), N the members")}
                    </div>
                }
            </fieldset>
            <label class="control seed">
                <span class="control-head"><span>{"Random seed"}</span></span>
                <TextField input_type="number" min="0" inputmode="numeric" value={s.seed.to_string()} on_commit={setter(on_set, "seed")} testid="train-seed" label="Random seed" />
            </label>
            if let Some(r) = &props.refused {
                <p class="field-error" role="alert" data-testid="train-refused">{format!("Not used: {r}")}</p>
            }
        </section>
    }
}
