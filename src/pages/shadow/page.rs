//! The shadow-model attack view (Shokri et al. 2017). Mode B trains a target and N shadow models
//! on a dataset in the worker; mode A takes shadow and target outputs computed elsewhere.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::widgets::chart_canvas::chart_width;

use crate::hooks::use_worker_job;
use crate::pages::shadow::results::ShadowResults;
use crate::pages::shadow::state::{ShadowAction, ShadowMode, ShadowSettings, ShadowState};
use crate::protocol::{DatasetSource, JobRequest, ShadowRequest, Stage, Upload};
use crate::route::{self, UrlState, View};
use crate::samples::DATASETS;
use crate::widgets::form_events::{on_change_value, on_checked, on_input_value};
use crate::widgets::progress_bar::ProgressBar;
use crate::widgets::text_field::TextField;

#[derive(Properties, PartialEq)]
pub struct ShadowPageProps {
    pub visible: bool,
    pub window_width: f64,
    pub url: Rc<UrlState>,
}

/// The files chosen for the current run: handles only; the worker reads them.
#[derive(Default)]
struct Files {
    dataset: Option<web_sys::File>,
    shadows: Vec<web_sys::File>,
    target: Option<web_sys::File>,
}

fn file_list(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

#[component]
pub fn ShadowPage(props: &ShadowPageProps) -> Html {
    let state = use_reducer(|| ShadowState {
        settings: props.url.shadow.clone(),
        ..ShadowState::default()
    });
    let files = use_mut_ref(Files::default);
    let file_names = use_state(|| (None::<String>, Vec::<String>::new(), None::<String>));
    let window_width = chart_width(props.visible, props.window_width);
    let job = {
        let d = state.dispatcher();
        use_worker_job(Callback::from(move |r| {
            d.dispatch(ShadowAction::Finished(r))
        }))
    };
    {
        let settings = state.settings.clone();
        use_effect_with((settings, props.visible), |(settings, visible)| {
            if *visible {
                route::write(View::Shadow, &settings.pairs());
            }
        });
    }
    let set = |f: fn(&mut ShadowSettings, &str)| {
        let d = state.dispatcher();
        let current = state.settings.clone();
        Callback::from(move |value: String| {
            let mut s = current.clone();
            f(&mut s, &value);
            d.dispatch(ShadowAction::Set(s));
        })
    };

    let run = {
        let job = job.clone();
        let d = state.dispatcher();
        let settings = state.settings.clone();
        let files = files.clone();
        Callback::from(move |_: MouseEvent| {
            let config = settings.config();
            let f = files.borrow();
            let request = match settings.mode {
                ShadowMode::Train => {
                    let dataset = if settings.dataset == "file" {
                        match &f.dataset {
                            Some(file) => DatasetSource::Upload(Upload::attach(file.clone())),
                            None => {
                                d.dispatch(ShadowAction::Failed(
                                    "Choose a dataset file first, or pick a bundled dataset."
                                        .into(),
                                ));
                                return;
                            }
                        }
                    } else {
                        DatasetSource::Bundled {
                            id: settings.dataset.clone(),
                        }
                    };
                    ShadowRequest::Train { dataset, config }
                }
                ShadowMode::Outputs => {
                    match (&f.target, f.shadows.is_empty()) {
                        (Some(target), false) => ShadowRequest::FromOutputs {
                            shadows: f.shadows.iter().cloned().map(Upload::attach).collect(),
                            target: Upload::attach(target.clone()),
                            config,
                        },
                        _ => {
                            d.dispatch(ShadowAction::Failed("Choose at least one shadow-output file and the target's output file.".into()));
                            return;
                        }
                    }
                }
            };
            d.dispatch(ShadowAction::Started);
            job.run(JobRequest::Shadow(request), "the data", Stage::Reading);
        })
    };
    let pick = |which: u8| {
        let files = files.clone();
        let names = file_names.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let picked = file_list(input.files());
            let mut f = files.borrow_mut();
            let (mut a, mut b, mut c) = (*names).clone();
            match which {
                0 => {
                    a = picked.first().map(|f| f.name());
                    f.dataset = picked.into_iter().next();
                }
                1 => {
                    b = picked.iter().map(|f| f.name()).collect();
                    f.shadows = picked;
                }
                _ => {
                    c = picked.first().map(|f| f.name());
                    f.target = picked.into_iter().next();
                }
            }
            names.set((a, b, c));
        })
    };
    let s = &state.settings;
    let busy = job.busy().cloned();
    let mode_button = |m: ShadowMode, title: &str| {
        let cb = set(|s, v| {
            s.mode = if v == "outputs" {
                ShadowMode::Outputs
            } else {
                ShadowMode::Train
            }
        });
        let key = m.key().to_string();
        html! {
            <button class={classes!((s.mode == m).then_some("on"))} onclick={Callback::from(move |_: MouseEvent| cb.emit(key.clone()))}
                data-testid={format!("shadow-mode-{}", m.key())}>{title}</button>
        }
    };
    let controls = html! {
        <section class="panel controls" aria-label="Shadow attack settings">
            <h2>{"Shadow-model attack"}</h2>
            <p class="muted small">{"An outside attacker trains look-alike “shadow” models on similar data, where it knows who was in and who was out, and learns from them what membership looks like."}</p>
            <span class="toggle wide-toggle" role="group" aria-label="Mode">
                {mode_button(ShadowMode::Train, "Train everything here")}
                {mode_button(ShadowMode::Outputs, "Outputs given")}
            </span>
            if s.mode == ShadowMode::Train {
                <label class="control">
                    <span class="control-head"><span>{"Dataset"}</span></span>
                    <select onchange={on_change_value(set(|s, v| s.dataset = v.to_string()))} data-testid="shadow-dataset">
                        { for DATASETS.iter().map(|(id, title)| html! { <option value={*id} selected={s.dataset == *id}>{*title}</option> }) }
                        <option value="file" selected={s.dataset == "file"}>{"My own CSV…"}</option>
                    </select>
                </label>
                if s.dataset == "file" {
                    <label class="control">
                        <small>{"Numeric feature columns and a class column (named class, label, target or y; else the last column)."}</small>
                        <input type="file" accept=".csv,text/csv" onchange={pick(0)} data-testid="shadow-dataset-file" />
                    </label>
                }
                <label class="control">
                    <span class="control-head"><span>{"Model (target and shadows)"}</span></span>
                    <select onchange={on_change_value(set(|s, v| s.mlp = v == "mlp"))} data-testid="shadow-model">
                        <option value="logreg" selected={!s.mlp}>{"Logistic regression (C = 1)"}</option>
                        <option value="mlp" selected={s.mlp}>{"Neural network (one hidden layer)"}</option>
                    </select>
                </label>
                if s.mlp {
                    <label class="control">
                        <span class="control-head"><span>{"Hidden units / epochs"}</span></span>
                        <span class="seed-row">
                            <TextField input_type="number" min="1" max="512" inputmode="numeric" value={s.hidden.to_string()} on_commit={set(|s, v| if let Ok(x) = v.trim().parse() { s.hidden = x })} testid="shadow-hidden" label="Hidden units" />
                            <TextField input_type="number" min="1" max="2000" inputmode="numeric" value={s.epochs.to_string()} on_commit={set(|s, v| if let Ok(x) = v.trim().parse() { s.epochs = x })} testid="shadow-epochs" label="Epochs" />
                        </span>
                    </label>
                }
                <label class="control">
                    <span class="control-head"><span>{"Shadow models"}</span><output data-testid="value-shadows">{s.n_shadows}</output></span>
                    <input type="range" min="1" max="16" step="1" value={s.n_shadows.to_string()}
                        oninput={on_input_value(set(|s, v| if let Ok(x) = v.parse() { s.n_shadows = x }))} data-testid="shadow-count" />
                    <small>{"each trained on a random half of the attacker's data"}</small>
                </label>
            } else {
                <label class="control">
                    <span class="control-head"><span>{"Shadow outputs"}</span></span>
                    <small>{"One or more CSVs in the audit format; member = 1 for records in that shadow's training set."}</small>
                    <input type="file" multiple=true accept=".csv,text/csv" onchange={pick(1)} data-testid="shadow-files" />
                    if !file_names.1.is_empty() { <small>{file_names.1.join(", ")}</small> }
                </label>
                <label class="control">
                    <span class="control-head"><span>{"Target outputs"}</span></span>
                    <small>{"The same columns. A member column, if present, is used only to score the attack; without it you get the verdicts."}</small>
                    <input type="file" accept=".csv,text/csv" onchange={pick(2)} data-testid="target-file" />
                </label>
            }
            <label class="map-check"><input type="checkbox" checked={s.per_class} onchange={on_checked(set(|s, v| s.per_class = v == "true"))} />
                {"One attack model per class (Shokri's design)"}</label>
            <label class="map-check"><input type="checkbox" checked={s.top_k} onchange={on_checked(set(|s, v| s.top_k = v == "true"))} />
                {"Add the 3 largest probabilities to the attack features"}</label>
            <label class="control seed">
                <span class="control-head"><span>{"Random seed"}</span></span>
                <TextField input_type="number" min="0" inputmode="numeric" value={s.seed.to_string()} on_commit={set(|s, v| if let Ok(x) = v.trim().parse() { s.seed = x })} testid="shadow-seed" label="Random seed" />
            </label>
            <button class="primary wide" onclick={run} disabled={job.busy().is_some()} data-testid="shadow-run">{"Run the attack"}</button>
        </section>
    };
    let results = state.report.as_ref().map(|r| html! {
        <ShadowResults report={r.clone()} window_width={window_width} stale={state.report_settings.as_ref() != Some(&state.settings)} />
    });
    html! {
        <div class="layout" hidden={!props.visible}>
            <aside class="side">
                {controls}
                if let Some(b) = busy { <ProgressBar busy={b} on_cancel={job.on_cancel()} /> }
                <section class="panel explain">
                    <h3>{"The steps"}</h3>
                    if state.settings.mode == ShadowMode::Train {
                        <ol class="small">
                            <li>{"Half of the data is the target's: it trains on half of that (the members)."}</li>
                            <li>{"The attacker holds the other half. Each shadow model trains on a random half of it (in) and is shown the rest (out)."}</li>
                            <li>{"The shadows' outputs, labelled in/out, train the attack: L2 logistic regression on confidence, 1 − confidence, entropy, confidence² and |confidence − 0.5|."}</li>
                            <li>{"The attack scores every target record. Its AUC is measured against who really was in the target's training set."}</li>
                        </ol>
                    } else {
                        <ol class="small">
                            <li>{"Each shadow file holds one shadow model's outputs on records it trained on (member = 1) and on records it did not (member = 0)."}</li>
                            <li>{"Those labelled outputs train the attack (L2 logistic regression on confidence features), with its accuracy checked out-of-fold."}</li>
                            <li>{"The attack scores the target's records; the target's member column measures how well it did."}</li>
                        </ol>
                    }
                </section>
            </aside>
            <main class="main">
                if job.status().cancelled { <p class="notice">{"Training stopped. Change the settings or run again."}</p> }
                if let Some(e) = state.error.clone().or_else(|| job.failure().map(|e| e.to_string())) {
                    <div class="load-error" role="alert" data-testid="shadow-error"><strong>{"The attack could not run. "}</strong>{e}</div>
                }
                { results.unwrap_or_else(|| html! { <div class="placeholder">{"Choose the settings and run the attack. Training happens in a background worker; the page stays responsive."}</div> }) }
            </main>
        </div>
    }
}
