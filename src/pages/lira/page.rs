//! The reference-attack view: choose the input (a bundled case, your CSV, or models trained
//! here) and the attacks' parameters; the worker reads or trains and runs every variant.

use std::rc::Rc;

use mia_engine::reference_attack::training::REFERENCE_COUNTS;
use mia_engine::reference_attack::{Center, OfflineTest, ReferenceSettings};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::hooks::use_worker_job;
use crate::pages::lira::results::LiraResults;
use crate::pages::lira::state::{LiraAction, LiraInput, LiraQuery, LiraState};
use crate::protocol::{JobRequest, LiraOutcome, LiraRequest, LiraSource, Stage, Upload};
use crate::route::{self, UrlState, View, ViewQuery};
use crate::samples::{DATASETS, REFERENCE_SAMPLES};
use crate::widgets::chart_canvas::chart_width;
use crate::widgets::form_events::on_change_value;
use crate::widgets::progress_bar::ProgressBar;
use crate::widgets::text_field::TextField;

#[derive(Properties, PartialEq)]
pub struct LiraPageProps {
    pub visible: bool,
    pub window_width: f64,
    pub url: Rc<UrlState>,
    /// A file handed over by the audit view (a reference-attack CSV picked there), numbered so
    /// that the same file handed twice is read twice.
    #[prop_or_default]
    pub handoff: Option<(u32, Upload, web_sys::File)>,
    /// Each finished comparison, for the checklist and the review report.
    pub on_outcome: Callback<Rc<LiraOutcome>>,
}

/// The input the attacks run on, as the request will carry it; `None` when a file is needed and
/// none is chosen.
fn source_for(
    q: &LiraQuery,
    file: &Option<(Upload, web_sys::File)>,
    outcome: Option<&LiraOutcome>,
) -> Option<LiraSource> {
    match q.input {
        LiraInput::Sample => Some(LiraSource::Sample {
            id: q.sample.clone(),
        }),
        LiraInput::File => file.as_ref().map(|(u, _)| LiraSource::Upload(u.clone())),
        // New settings on a finished training attack the models already trained.
        LiraInput::Train => outcome
            .and_then(|o| o.training.clone())
            .map(LiraSource::Generated),
    }
}

#[component]
pub fn LiraPage(props: &LiraPageProps) -> Html {
    let state = use_reducer(|| LiraState {
        query: props.url.lira.clone(),
        ..LiraState::default()
    });
    let file = use_mut_ref(|| None::<(Upload, web_sys::File)>);
    let window_width = chart_width(props.visible, props.window_width);
    let job = {
        let d = state.dispatcher();
        let on_outcome = props.on_outcome.clone();
        use_worker_job(Callback::from(move |o: Box<LiraOutcome>| {
            let o = Rc::new(*o);
            on_outcome.emit(o.clone());
            d.dispatch(LiraAction::Finished(o));
        }))
    };
    {
        let q = state.query.clone();
        use_effect_with((q, props.visible), |(q, visible)| {
            if *visible {
                route::write(View::Lira, &q.pairs());
            }
        });
    }
    // The last request sent: an upload's file goes with one request only (the worker keeps it
    // until a job takes it), so the same input with the same settings is never sent twice.
    let last_sent = use_mut_ref(|| None::<(LiraSource, ReferenceSettings)>);
    let send = {
        let job = job.clone();
        let d = state.dispatcher();
        let last_sent = last_sent.clone();
        Callback::from(move |(source, query): (LiraSource, LiraQuery)| {
            *last_sent.borrow_mut() = Some((source.clone(), query.settings));
            d.dispatch(LiraAction::Started);
            let name = source.display_name();
            let stage = match source {
                LiraSource::Train { .. } => Stage::TrainingReference(0),
                _ => Stage::Reading,
            };
            let request = LiraRequest {
                source,
                settings: query.settings,
            };
            job.run(JobRequest::Lira(request), name, stage);
        })
    };
    // The first visit with a bundled case runs it at once; new attack settings re-run the
    // attacks on the current input (a training is never re-run by itself).
    let query_now = state.query.clone();
    let outcome_now = state.outcome.clone();
    {
        let send = send.clone();
        let file = file.clone();
        let deps = (
            query_now.input,
            query_now.sample.clone(),
            query_now.settings,
            props.visible,
        );
        let q = query_now.clone();
        let outcome = outcome_now.clone();
        let last_sent = last_sent.clone();
        use_effect_with(deps, move |(_, _, _, visible)| {
            if *visible {
                if let Some(source) = source_for(&q, &file.borrow(), outcome.as_deref()) {
                    let shown = outcome.as_ref().is_some_and(|o| {
                        o.report.settings == q.settings && same_input(&o.source, &source)
                    });
                    let sent = last_sent.borrow().as_ref().is_some_and(|(s, settings)| {
                        *settings == q.settings && same_input(s, &source)
                    });
                    if !shown && !sent {
                        if let LiraSource::Upload(u) = &source {
                            if let Some((_, f)) = file.borrow().as_ref() {
                                u.reattach(f.clone());
                            }
                        }
                        send.emit((source, q));
                    }
                }
            }
        });
    }
    // A file handed over by the audit view: the view switches to it, and the effect above
    // reads it once the query says so.
    {
        let d = state.dispatcher();
        let file = file.clone();
        let q = state.query.clone();
        let last_sent = last_sent.clone();
        use_effect_with(props.handoff.clone(), move |h| {
            if let Some((_, upload, f)) = h {
                *file.borrow_mut() = Some((upload.clone(), f.clone()));
                *last_sent.borrow_mut() = None;
                d.dispatch(LiraAction::Set(LiraQuery {
                    input: LiraInput::File,
                    ..q
                }));
            }
        });
    }
    let set = |f: fn(&mut LiraQuery, &str)| {
        let d = state.dispatcher();
        let current = state.query.clone();
        Callback::from(move |value: String| {
            let mut q = current.clone();
            f(&mut q, &value);
            d.dispatch(LiraAction::Set(q));
        })
    };
    let on_file = {
        let file = file.clone();
        let send = send.clone();
        let q = state.query.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(f) = input.files().and_then(|l| l.get(0)) else {
                return;
            };
            let upload = Upload::attach(f.clone());
            *file.borrow_mut() = Some((upload.clone(), f));
            send.emit((LiraSource::Upload(upload), q.clone()));
        })
    };
    let train = {
        let send = send.clone();
        let q = state.query.clone();
        Callback::from(move |_: MouseEvent| {
            let source = LiraSource::Train {
                dataset: q.dataset.clone(),
                config: q.training(),
            };
            send.emit((source, q.clone()));
        })
    };
    let q = &state.query;
    let busy = job.busy().cloned();
    let training_busy = busy
        .as_ref()
        .is_some_and(|b| matches!(b.stage, Stage::TrainingReference(_)));
    let input_button = |i: LiraInput, title: &str| {
        let cb = set(|q, v| {
            q.input = match v {
                "file" => LiraInput::File,
                "train" => LiraInput::Train,
                _ => LiraInput::Sample,
            }
        });
        let key = i.key().to_string();
        html! {
            <button class={classes!((q.input == i).then_some("on"))} onclick={Callback::from(move |_: MouseEvent| cb.emit(key.clone()))}
                data-testid={format!("lira-source-{}", i.key())}>{title}</button>
        }
    };
    let input_controls = match q.input {
        LiraInput::Sample => html! {
            <label class="control">
                <span class="control-head"><span>{"Bundled case"}</span></span>
                <select onchange={on_change_value(set(|q, v| q.sample = v.to_string()))} data-testid="lira-sample">
                    { for REFERENCE_SAMPLES.iter().map(|s| html! { <option value={s.id} selected={q.sample == s.id}>{s.title}</option> }) }
                </select>
                <small>{REFERENCE_SAMPLES.iter().find(|s| s.id == q.sample).map_or("", |s| s.description)}</small>
            </label>
        },
        LiraInput::File => html! {
            <label class="control">
                <span class="control-head"><span>{"Your reference-attack CSV"}</span></span>
                <small>{"member, the target's phi (or logit_* / confidence / prob_* with label), and for each reference model j: ref_in_j and ref_phi_j or ref_conf_j. Read here; nothing is uploaded."}</small>
                <input type="file" accept=".csv,text/csv,.tsv,.txt" onchange={on_file} data-testid="lira-input" />
            </label>
        },
        LiraInput::Train => html! {
            <>
            <label class="control">
                <span class="control-head"><span>{"Dataset"}</span></span>
                <select onchange={on_change_value(set(|q, v| q.dataset = v.to_string()))} data-testid="lira-dataset">
                    { for DATASETS.iter().map(|(id, title)| html! { <option value={*id} selected={q.dataset == *id}>{*title}</option> }) }
                </select>
            </label>
            <label class="control">
                <span class="control-head"><span>{"Pixel / feature noise (σ)"}</span></span>
                <TextField input_type="number" min="0" max="32" value={q.noise.to_string()} on_commit={set(|q, v| if let Ok(x) = v.trim().parse::<f64>() { if (0.0..=32.0).contains(&x) { q.noise = x } })} testid="lira-noise" label="Noise" />
                <small>{"Fixed Gaussian noise added to every feature once: harder data, more memorisation."}</small>
            </label>
            <label class="control">
                <span class="control-head"><span>{"Model (target and references)"}</span></span>
                <select onchange={on_change_value(set(|q, v| q.mlp = v == "mlp"))} data-testid="lira-model">
                    <option value="mlp" selected={q.mlp}>{"Neural network (one hidden layer)"}</option>
                    <option value="logreg" selected={!q.mlp}>{"Logistic regression (C = 1)"}</option>
                </select>
            </label>
            if q.mlp {
                <label class="control">
                    <span class="control-head"><span>{"Hidden units / epochs"}</span></span>
                    <span class="seed-row">
                        <TextField input_type="number" min="1" max="512" inputmode="numeric" value={q.hidden.to_string()} on_commit={set(|q, v| if let Ok(x) = v.trim().parse::<usize>() { if (1..=512).contains(&x) { q.hidden = x } })} testid="lira-hidden" label="Hidden units" />
                        <TextField input_type="number" min="1" max="2000" inputmode="numeric" value={q.epochs.to_string()} on_commit={set(|q, v| if let Ok(x) = v.trim().parse::<usize>() { if (1..=2000).contains(&x) { q.epochs = x } })} testid="lira-epochs" label="Epochs" />
                    </span>
                </label>
            }
            <label class="control">
                <span class="control-head"><span>{"Reference models M"}</span></span>
                <select onchange={on_change_value(set(|q, v| if let Ok(x) = v.parse() { q.m = x }))} data-testid="lira-m">
                    { for REFERENCE_COUNTS.iter().map(|m| html! { <option value={m.to_string()} selected={q.m == *m}>{m.to_string()}</option> }) }
                </select>
                <small>{"Each of the target and the M references trains on its own random half, so every record is IN for about half of the references."}</small>
            </label>
            <label class="control seed">
                <span class="control-head"><span>{"Random seed"}</span></span>
                <TextField input_type="number" min="0" inputmode="numeric" value={q.seed.to_string()} on_commit={set(|q, v| if let Ok(x) = v.trim().parse() { q.seed = x })} testid="lira-seed" label="Random seed" />
            </label>
            <button class="primary wide" onclick={train} disabled={busy.is_some()} data-testid="lira-train">{format!("Train the target and {} references", q.m)}</button>
            </>
        },
    };
    let s = q.settings;
    let attack_controls = html! {
        <details class="control advanced" open={s != mia_engine::reference_attack::ReferenceSettings::default()}>
            <summary>{"Attack parameters"}</summary>
            <label class="control">
                <span class="control-head"><span>{"RMIA γ"}</span></span>
                <TextField value={s.gamma.to_string()} on_commit={set(|q, v| if let Ok(x) = v.trim().parse::<f64>() { if (0.01..=100.0).contains(&x) { q.settings.gamma = x } })} testid="lira-gamma" label="RMIA gamma" />
                <small>{"x beats a population record z when its ratio exceeds γ times z's (1 in the paper's main results)."}</small>
            </label>
            <label class="control">
                <span class="control-head"><span>{"Offline RMIA a"}</span></span>
                <TextField value={s.offline_a.to_string()} on_commit={set(|q, v| if let Ok(x) = v.trim().parse::<f64>() { if (0.0..=1.0).contains(&x) { q.settings.offline_a = x } })} testid="lira-a" label="Offline RMIA a" />
            </label>
            <label class="control">
                <span class="control-head"><span>{"LiRA centre"}</span></span>
                <select onchange={on_change_value(set(|q, v| if let Some(c) = Center::parse(v) { q.settings.center = c }))} data-testid="lira-center">
                    <option value="median" selected={s.center == Center::Median}>{"median (robust)"}</option>
                    <option value="mean" selected={s.center == Center::Mean}>{"mean (tensorflow_privacy)"}</option>
                </select>
            </label>
            <label class="control">
                <span class="control-head"><span>{"Offline LiRA test"}</span></span>
                <select onchange={on_change_value(set(|q, v| if let Some(t) = OfflineTest::parse(v) { q.settings.offline_test = t }))} data-testid="lira-test">
                    <option value="one-sided" selected={s.offline_test == OfflineTest::OneSided}>{"one-sided (the paper)"}</option>
                    <option value="two-sided" selected={s.offline_test == OfflineTest::TwoSided}>{"two-sided (tensorflow_privacy)"}</option>
                </select>
            </label>
        </details>
    };
    // The same callback while the query stays: the results (and their charts) are then not
    // rendered again for each progress message of a job.
    let on_log = {
        let on_log = set(|q, v| q.log_roc = v == "true");
        use_callback(state.query.clone(), move |b: bool, _| {
            on_log.emit(b.to_string())
        })
    };
    let results = state.outcome.as_ref().map(|o| {
        html! { <LiraResults outcome={o.clone()} window_width={window_width} log_roc={q.log_roc} on_log={on_log.clone()}
            stale={o.report.settings != q.settings && busy.is_some()} /> }
    });
    let cancel_note = if training_busy {
        "Cancel keeps the reference models trained so far and attacks with them."
    } else {
        ""
    };
    html! {
        <div class="layout" hidden={!props.visible}>
            <aside class="side">
                <section class="panel controls" aria-label="Reference attack settings">
                    <h2>{"Reference attacks"}</h2>
                    <p class="muted small">{"LiRA and RMIA ask, for each record, how the target's output compares with reference models trained with and without it. They find members at low false-positive rates that the target's output alone does not show."}</p>
                    <span class="toggle wide-toggle" role="group" aria-label="Input">
                        {input_button(LiraInput::Sample, "Bundled")}
                        {input_button(LiraInput::File, "My CSV")}
                        {input_button(LiraInput::Train, "Train here")}
                    </span>
                    {input_controls}
                    {attack_controls}
                </section>
                if let Some(b) = busy {
                    <ProgressBar busy={b} on_cancel={job.on_cancel()} />
                    if !cancel_note.is_empty() { <p class="muted small">{cancel_note}</p> }
                }
            </aside>
            <main class="main">
                if job.status().cancelled { <p class="notice">{"Stopped. Change the settings or run again."}</p> }
                if let Some(e) = state.error.clone().or_else(|| job.failure().map(|e| e.to_string())) {
                    <div class="load-error" role="alert" data-testid="lira-error"><strong>{"The attacks could not run. "}</strong>{e}</div>
                }
                { results.unwrap_or_else(|| html! { <div class="placeholder" data-testid="lira-placeholder">{match q.input {
                    LiraInput::File => "Choose a reference-attack CSV. It is read in a background worker; nothing leaves this page.",
                    LiraInput::Train => "Choose a dataset, a model and M, then train. Training happens in a background worker; the page stays responsive.",
                    LiraInput::Sample => "Loading the bundled case…",
                }}</div> }) }
            </main>
        </div>
    }
}

/// The same input, ignoring how it is attached (an upload's file id is the same file).
fn same_input(a: &LiraSource, b: &LiraSource) -> bool {
    match (a, b) {
        (LiraSource::Upload(x), LiraSource::Upload(y)) => x.file_id == y.file_id,
        (LiraSource::Generated(x), LiraSource::Generated(y)) => x.csv == y.csv,
        (LiraSource::Train { .. }, LiraSource::Generated(_)) => true,
        (a, b) => a == b,
    }
}
