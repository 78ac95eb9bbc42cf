//! The training lab view: train a small model here, from a seed, and watch the train and held-out
//! curves part and the attack's ROC bow out, epoch by epoch; pause, resume, cancel; try the
//! defences (L2, dropout, label smoothing, clipping, early stopping, DP-SGD); run the
//! privacy-utility profile; hand the trained model's outputs to the audit.

use std::rc::Rc;

use mia_engine::checklist::prefill::training_lab_facts;
use mia_engine::checklist::{FactOrigin, FactValue};
use mia_engine::training::profile::ProfileVariant;
use mia_engine::training::run::StopReason;
use yew::prelude::*;

use crate::format::{percent, sig};
use crate::hooks::use_worker_job;
use crate::hooks::worker_job::WorkerJob;
use crate::pages::train::controls::TrainControls;
use crate::pages::train::curves::TrainingCurves;
use crate::pages::train::model_view::ModelView;
use crate::pages::train::profile_panel::ProfilePanel;
use crate::pages::train::unlearn_panel::UnlearnPanel;
use crate::protocol::job::Outcome;
use crate::protocol::{
    DatasetSource, JobRequest, LabUnlearnSnapshot, ProfileSnapshot, Stage, TrainRequest,
    TrainSnapshot, Upload,
};
use crate::route::train::{TrainQuery, FILE_DATASET};
use crate::route::{self, UrlState, View, ViewQuery};
use crate::widgets::chart_canvas::chart_width;
use crate::widgets::download::download_text;
use crate::widgets::headline_metrics::card;
use crate::widgets::progress_bar::ProgressBar;
use mia_engine::training::settings::TrainSettings;

/// A model the lab hands to the audit: its outputs as a file, and what the lab knows of how it
/// was trained (for the checklist).
#[derive(Debug, Clone, PartialEq)]
pub struct LabModel {
    pub file: web_sys::File,
    pub facts: Vec<(FactValue, FactOrigin)>,
}

#[derive(Properties, PartialEq)]
pub struct TrainPageProps {
    pub visible: bool,
    pub window_width: f64,
    pub url: Rc<UrlState>,
    /// "Audit this model".
    pub on_audit_model: Callback<LabModel>,
}

/// The outputs' file name: the dataset, seed and epoch it was taken at.
fn outputs_name(s: &TrainSnapshot) -> String {
    let stem: String = s
        .dataset
        .trim_end_matches(".csv")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!(
        "training-lab-{stem}-seed{}-epoch{}.csv",
        s.settings.seed,
        s.history.len()
    )
}

/// The snapshot's outputs as a `File` (made here, in memory).
fn outputs_file(s: &TrainSnapshot) -> Option<web_sys::File> {
    let csv = s.outputs_csv.as_ref()?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(csv));
    let opts = web_sys::FilePropertyBag::new();
    opts.set_type("text/csv");
    web_sys::File::new_with_str_sequence_and_options(&parts, &outputs_name(s), &opts).ok()
}

/// The median of `ms`, if any.
fn median_ms(ms: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = ms.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied()
}

/// A figure with a dash for a missing value.
fn figure(v: Option<f64>, show: impl Fn(f64) -> String) -> (Html, String) {
    match v.filter(|x| !x.is_nan()) {
        Some(x) => (html! { show(x) }, x.to_string()),
        None => (html! { "—" }, String::new()),
    }
}

/// The headline figures of the last finished epoch.
fn headline(s: &TrainSnapshot) -> Html {
    let last = s.history.last();
    let epoch = last.map(|r| r.epoch);
    let (held, held_full) = figure(last.map(|r| r.held_out_accuracy), percent);
    let (train_acc, _) = figure(last.map(|r| r.train_accuracy), percent);
    let (auc, auc_full) = figure(last.map(|r| r.attack_auc), |x| sig(x, 4));
    let (tpr, tpr_full) = figure(last.map(|r| r.attack_tpr_at_1_percent), percent);
    let (gap, gap_full) = figure(last.map(|r| r.gap), |x| sig(x, 3));
    let eps = last.and_then(|r| r.epsilon);
    let (eps_html, eps_full) = match eps {
        Some(e) if e.is_infinite() => (html! { "∞" }, "inf".to_string()),
        _ => figure(eps, |x| sig(x, 4)),
    };
    let gap_note = match last.map(|r| r.gap_band.name()) {
        Some(band) => format!("{band} (held-out − train loss)"),
        None => "held-out − train loss".to_string(),
    };
    let eps_note = match &s.dp {
        Some(dp) => html! {
            format!("ε, at δ = {}; σ = {}", sig(dp.delta, 2), sig(dp.noise_multiplier, 4))
        },
        None => html! { "ε = ∞: without DP-SGD, no guarantee" },
    };
    html! {
        <div class="metrics">
            {card("train-epoch", "Epoch", html! { epoch.map_or_else(|| "—".to_string(), |e| format!("{e} of {}", s.settings.epochs)) },
                epoch.map_or_else(String::new, |e| e.to_string()), html! { "last finished epoch" })}
            {card("train-heldout-acc", "Held-out accuracy", held, held_full, html! { <>{"train "}{train_acc}</> })}
            {card("train-auc", "Attack AUC", auc, auc_full, html! { "threshold attack on the loss; 0.5 = guessing" })}
            {card("train-tpr-1", "TPR at 1% FPR", tpr, tpr_full, html! { "members found with 1 false alarm in 100" })}
            {card("train-gap", "Generalisation gap", gap, gap_full, html! { gap_note })}
            {card("train-epsilon", "Privacy spent", eps_html, eps_full, eps_note)}
        </div>
    }
}

/// What DP-SGD's accounting says, with the flags a reviewer needs.
fn dp_panel(s: &TrainSnapshot) -> Html {
    let Some(dp) = s.dp else {
        return html! {};
    };
    let steps = s.history.last().map_or(0, |r| r.steps);
    let target = matches!(
        s.settings.dp.map(|d| d.noise),
        Some(mia_engine::training::settings::NoiseChoice::TargetEpsilon(
            _
        ))
    );
    html! {
        <section class="panel explain" data-testid="train-dp-panel">
            <h3>{"DP-SGD's accounting"}</h3>
            <p class="small">
                {format!("Poisson sampling at q = B/N = {}, {} steps per epoch, {} steps so far; each example's gradient clipped to C = {}; Gaussian noise σ·C with σ = {}; δ = {}. ε is the RDP accountant's (the DP view's), shown live.",
                    sig(dp.sampling_rate, 4), dp.steps_per_epoch, steps, dp.max_grad_norm, sig(dp.noise_multiplier, 5), sig(dp.delta, 3))}
            </p>
            if target {
                <p class="small muted">{"σ was found for the target ε by the RDP accountant's search. Opacus's default accountant (PRV) is tighter and can give a slightly smaller σ for the same ε."}</p>
            }
            if dp.delta_too_large {
                <p class="notice" data-testid="train-delta-flag">{format!("δ = {} is not below 1/N = {}: a guarantee this loose allows leaking a whole record. Use δ < 1/N (the default is 1/(10·N)).", sig(dp.delta, 3), sig(1.0 / s.n_members.max(1) as f64, 3))}</p>
            }
        </section>
    }
}

/// A control's change, applied the way a link is read ([`TrainQuery::with`]); a refused value is
/// kept in `refused` for the form to show.
fn apply_control(
    query: &UseStateHandle<TrainQuery>,
    refused: &UseStateHandle<Option<String>>,
) -> Callback<(&'static str, String)> {
    let (query, refused) = (query.clone(), refused.clone());
    Callback::from(
        move |(key, value): (&'static str, String)| match query.with(key, &value) {
            Ok(q) => {
                query.set(q);
                refused.set(None);
            }
            Err(why) => refused.set(Some(why)),
        },
    )
}

/// Starts `job` with the request `request` makes of the dataset and `q`'s settings, training
/// from epoch 1; or shows in `refused` why there is no dataset. Whether it started.
fn start<O: Outcome>(
    job: &WorkerJob<O>,
    source: Result<(DatasetSource, String), String>,
    q: &TrainQuery,
    refused: &UseStateHandle<Option<String>>,
    request: impl FnOnce(DatasetSource, TrainSettings) -> TrainRequest,
) -> bool {
    match source {
        Ok((dataset, name)) => {
            refused.set(None);
            let settings = q.train_settings();
            let stage = Stage::TrainingEpoch {
                epoch: 1,
                epochs: settings.epochs,
            };
            job.run(
                JobRequest::Train(Box::new(request(dataset, settings))),
                name,
                stage,
            );
            true
        }
        Err(why) => {
            refused.set(Some(why));
            false
        }
    }
}

#[component]
pub fn TrainPage(props: &TrainPageProps) -> Html {
    let query = use_state(|| props.url.train.clone());
    let refused = use_state(|| None::<String>);
    let snapshot = use_state(|| None::<Rc<TrainSnapshot>>);
    let profile = use_state(|| None::<Rc<ProfileSnapshot>>);
    let chosen = use_state(|| Rc::new(vec![true; ProfileVariant::all().len()]));
    let dataset_file = use_mut_ref(|| None::<web_sys::File>);
    let file_name = use_state(|| None::<String>);
    let started = use_mut_ref(|| false);
    let unlearn_snapshot = use_state(|| None::<Rc<LabUnlearnSnapshot>>);
    let unlearn_refused = use_state(|| None::<String>);
    let window_width = chart_width(props.visible, props.window_width);

    let run_job = {
        let snapshot = snapshot.clone();
        use_worker_job(Callback::from(move |s: Box<TrainSnapshot>| {
            snapshot.set(Some(Rc::from(s)))
        }))
    };
    let profile_job = {
        let profile = profile.clone();
        use_worker_job(Callback::from(move |p: Box<ProfileSnapshot>| {
            profile.set(Some(Rc::from(p)))
        }))
    };
    let unlearn_job = {
        let unlearn_snapshot = unlearn_snapshot.clone();
        use_worker_job(Callback::from(move |s: Box<LabUnlearnSnapshot>| {
            unlearn_snapshot.set(Some(Rc::from(s)))
        }))
    };
    {
        let q = (*query).clone();
        use_effect_with((q, props.visible), |(q, visible)| {
            if *visible {
                route::write(View::Train, &q.pairs());
            }
        });
    }
    let on_set = apply_control(&query, &refused);
    let on_set_unlearn = apply_control(&query, &unlearn_refused);
    let on_file = {
        let dataset_file = dataset_file.clone();
        let file_name = file_name.clone();
        Callback::from(move |f: web_sys::File| {
            file_name.set(Some(f.name()));
            *dataset_file.borrow_mut() = Some(f);
        })
    };
    // The dataset to send, or why there is none.
    let source = {
        let dataset_file = dataset_file.clone();
        move |q: &TrainQuery| -> Result<(DatasetSource, String), String> {
            if q.dataset == FILE_DATASET {
                match dataset_file.borrow().as_ref() {
                    Some(f) => Ok((DatasetSource::Upload(Upload::attach(f.clone())), f.name())),
                    None => Err("Choose a CSV file first, or pick a bundled dataset.".into()),
                }
            } else {
                Ok((
                    DatasetSource::Bundled {
                        id: q.dataset.clone(),
                    },
                    q.dataset.clone(),
                ))
            }
        }
    };
    let run = {
        let job = run_job.clone();
        let query = query.clone();
        let refused = refused.clone();
        let source = source.clone();
        Callback::from(move |_: ()| {
            let q = (*query).clone();
            start(&job, source(&q), &q, &refused, |dataset, settings| {
                TrainRequest::Run { dataset, settings }
            });
        })
    };
    let run_unlearn = {
        let job = unlearn_job.clone();
        let query = query.clone();
        let refused = unlearn_refused.clone();
        let source = source.clone();
        Callback::from(move |_: ()| {
            // Unlearning is in the link from the first run on.
            let q = TrainQuery {
                unlearn_on: true,
                ..(*query).clone()
            };
            let unlearning = q.unlearning.clone();
            let started = start(&job, source(&q), &q, &refused, |dataset, settings| {
                TrainRequest::Unlearn {
                    dataset,
                    settings,
                    unlearning,
                }
            });
            if started && !query.unlearn_on {
                query.set(q);
            }
        })
    };
    // A link to the lab trains at once, when the view is first shown (with a bundled dataset),
    // and unlearns too when the link asks for it.
    {
        let run = run.clone();
        let run_unlearn = run_unlearn.clone();
        let started = started.clone();
        let bundled = query.dataset != FILE_DATASET;
        let unlearn = query.unlearn_on;
        use_effect_with(props.visible, move |visible| {
            if *visible && bundled && !*started.borrow() {
                *started.borrow_mut() = true;
                run.emit(());
                if unlearn {
                    run_unlearn.emit(());
                }
            }
        });
    }
    let run_profile = {
        let job = profile_job.clone();
        let query = query.clone();
        let refused = refused.clone();
        let chosen = chosen.clone();
        Callback::from(move |_: ()| {
            let q = (*query).clone();
            let variants: Vec<ProfileVariant> = ProfileVariant::all()
                .into_iter()
                .zip(chosen.iter())
                .filter(|(_, &c)| c)
                .map(|(v, _)| v)
                .collect();
            match source(&q) {
                Ok((dataset, name)) => {
                    let runs = variants.len();
                    job.run(
                        JobRequest::Train(Box::new(TrainRequest::Profile {
                            dataset,
                            settings: q.train_settings(),
                            variants,
                        })),
                        name,
                        Stage::Profiling { run: 1, runs },
                    );
                }
                Err(why) => refused.set(Some(why)),
            }
        })
    };
    let on_choose = {
        let chosen = chosen.clone();
        Callback::from(move |(i, on): (usize, bool)| {
            let mut c = (**chosen).clone();
            if let Some(x) = c.get_mut(i) {
                *x = on;
            }
            chosen.set(Rc::new(c));
        })
    };
    let on_pause = {
        let job = run_job.clone();
        Callback::from(move |pause: bool| job.pause(pause))
    };
    let on_log = {
        let on_set = on_set.clone();
        Callback::from(move |log: bool| {
            on_set.emit(("roc", if log { "log" } else { "linear" }.to_string()))
        })
    };

    let busy = run_job.busy().cloned();
    let snap = (*snapshot).clone();
    let stale = snap.as_ref().is_some_and(|s| {
        s.settings != query.train_settings()
            || (query.dataset != FILE_DATASET && s.dataset != query.dataset)
    });
    let ended = busy.is_none() && snap.is_some();
    let done_reason = if run_job.status().cancelled {
        "cancelled"
    } else {
        match snap.as_ref().and_then(|s| s.stopped) {
            Some(StopReason::Gap { .. }) => "gap",
            Some(StopReason::Patience { .. }) => "patience",
            _ => "finished",
        }
    };
    let handover = snap.as_ref().map(|s| {
        let has_outputs = s.outputs_csv.is_some();
        let audit = {
            let s = s.clone();
            let on_audit = props.on_audit_model.clone();
            Callback::from(move |_: MouseEvent| {
                let Some(file) = outputs_file(&s) else { return };
                let facts = training_lab_facts(s.dp.and_then(|dp| {
                    s.history.last().and_then(|r| r.epsilon).map(|e| (e, dp.delta))
                }));
                on_audit.emit(LabModel { file, facts });
            })
        };
        let download = {
            let s = s.clone();
            Callback::from(move |_: MouseEvent| {
                if let Some(csv) = &s.outputs_csv {
                    download_text(&outputs_name(&s), "text/csv", csv);
                }
            })
        };
        let note = if busy.as_ref().is_some_and(|b| b.paused) {
            format!("The model as paused after epoch {}.", s.history.len())
        } else if has_outputs {
            format!("The model after epoch {}: every record's probabilities and logits, with its label and whether it trained the model.", s.history.len())
        } else {
            "Available when the run is paused or has ended.".to_string()
        };
        html! {
            <div class="handover">
                <button class="primary" onclick={audit} disabled={!has_outputs} data-testid="train-audit">{"Audit this model"}</button>
                <button class="export" onclick={download} disabled={!has_outputs} data-testid="train-download">{"Download outputs (CSV)"}</button>
                <span class="muted small">{note}</span>
            </div>
        }
    });
    let failure = run_job.failure().map(|e| e.to_string());
    let class_names = snap
        .as_ref()
        .map(|s| s.class_names.clone())
        .or_else(|| unlearn_snapshot.as_ref().map(|s| s.class_names.clone()))
        .unwrap_or_default();
    let profile_failure = profile_job.failure().map(|e| e.to_string());
    let run_click = {
        let run = run.clone();
        Callback::from(move |_: MouseEvent| run.emit(()))
    };
    html! {
        <div class="layout" hidden={!props.visible}>
            <aside class="side">
                <TrainControls query={(*query).clone()} on_set={on_set.clone()} on_file={on_file}
                    file_name={(*file_name).clone()} refused={(*refused).clone()} />
                <button class="primary wide" onclick={run_click} data-testid="train-run">
                    {if busy.is_some() { "Restart training" } else { "Train" }}
                </button>
                if let Some(b) = busy.clone() {
                    <div data-testid="train-progress">
                        <ProgressBar busy={b} on_cancel={run_job.on_cancel()} on_pause={Some(on_pause)} />
                    </div>
                }
                <section class="panel explain">
                    <h3>{"What to look for"}</h3>
                    <ol class="small">
                        <li>{"As the model memorises its members, train loss keeps falling while held-out loss turns up: the gap opens."}</li>
                        <li>{"The attack follows the gap: a lower loss says “member”, so its AUC and TPR at 1% FPR rise with it."}</li>
                        <li>{"Defences close the gap at a cost in accuracy. DP-SGD is the one with a guarantee: ε bounds what any attack can achieve."}</li>
                    </ol>
                </section>
            </aside>
            <main class="main">
                if let Some(e) = failure {
                    <div class="load-error" role="alert" data-testid="train-error"><strong>{"The model could not be trained. "}</strong>{e}</div>
                }
                if stale && busy.is_none() {
                    <p class="notice" data-testid="train-stale">{"The settings have changed since this run: press Train to run them."}</p>
                }
                if let Some(s) = snap.clone() {
                    <p class="muted small" data-testid="train-data"
                        data-epoch-ms={s.epoch_ms.iter().map(f64::to_string).collect::<Vec<_>>().join(",")}>
                        {format!("{}: {} members train the model, {} are held out ({} classes). The members' means and spreads standardise the features.",
                            s.dataset, s.n_members, s.n_held_out, s.class_names.len())}
                        {median_ms(&s.epoch_ms).map(|m| format!(" An epoch takes {} ms in the worker.", sig(m, 2))).unwrap_or_default()}
                    </p>
                    {headline(&s)}
                    if let Some(reason) = s.stopped.map(|r| r.describe()).filter(|d| !d.is_empty()) {
                        <p class="notice" data-testid="train-stopped">{reason}</p>
                    }
                    if ended {
                        <p class="muted small" data-testid="train-done" data-reason={done_reason}
                            data-epochs={s.history.len().to_string()}>
                            {match done_reason {
                                "cancelled" => format!("Cancelled after epoch {}.", s.history.len()),
                                _ => format!("Done: {} epochs.", s.history.len()),
                            }}
                        </p>
                    }
                    <TrainingCurves snapshot={s.clone()} window_width={window_width} />
                    {dp_panel(&s)}
                    if let Some(a) = s.attack.clone() {
                        <ModelView attack={Rc::new(a)} window_width={window_width} log_roc={query.log_roc} on_log={on_log.clone()} />
                    }
                    {handover.unwrap_or_default()}
                } else {
                    <div class="placeholder">{"Choose the settings and press Train. Training runs in a background worker, epoch by epoch; the page stays responsive."}</div>
                }
                <UnlearnPanel query={(*query).clone()} on_set={on_set_unlearn} refused={(*unlearn_refused).clone()}
                    class_names={class_names} on_run={run_unlearn} busy={unlearn_job.busy().cloned()}
                    on_cancel={unlearn_job.on_cancel()} snapshot={(*unlearn_snapshot).clone()}
                    failure={unlearn_job.failure().map(|e| e.to_string())} cancelled={unlearn_job.status().cancelled}
                    window_width={window_width} log_roc={query.log_roc} on_log={on_log.clone()} />
                if let Some(e) = profile_failure {
                    <div class="load-error" role="alert" data-testid="train-profile-error"><strong>{"The profile could not run. "}</strong>{e}</div>
                }
                <ProfilePanel chosen={(*chosen).clone()} on_choose={on_choose} on_run={run_profile}
                    busy={profile_job.busy().cloned()} on_cancel={profile_job.on_cancel()}
                    profile={(*profile).clone()} cancelled={profile_job.status().cancelled} window_width={window_width} />
            </main>
        </div>
    }
}
