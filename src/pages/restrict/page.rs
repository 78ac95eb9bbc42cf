//! The confidence-restriction view: what temperature, a confidence cap and rounding do to the
//! attack and to utility, on a model's own outputs.

use std::rc::Rc;

use mia_engine::restriction::{RestrictionSetting, RestrictionWarning};
use mia_engine::Signal;
use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::charts::frontier::{draw_frontier, FrontierDot};
use crate::format::{count, percent, sig};
use crate::hooks::use_worker_job;
use crate::protocol::job::RestrictOutcome;
use crate::protocol::{
    InputSource, JobRequest, RestrictRequest, RestrictionOutcome, Stage, Upload,
};
use crate::route::restrict::RestrictQuery;
use crate::route::{self, UrlState, View, ViewQuery};
use crate::samples::{DEFAULT_SAMPLE, SAMPLES};
use crate::widgets::chart_canvas::{fit_canvas, ExportPng};
use crate::widgets::download::download_text;
use crate::widgets::form_events::{on_change_value, on_checked, on_input_value};
use crate::widgets::headline_metrics::card;
use crate::widgets::progress_bar::ProgressBar;
use crate::widgets::roc_chart::RocChart;

#[derive(Properties, PartialEq)]
pub struct RestrictionPageProps {
    pub visible: bool,
    pub window_width: f64,
    pub url: Rc<UrlState>,
}

#[component]
pub fn RestrictionPage(props: &RestrictionPageProps) -> Html {
    let setting = use_state(|| props.url.restrict.setting);
    let source = use_state(|| InputSource::Sample {
        id: props
            .url
            .restrict
            .sample
            .clone()
            .unwrap_or_else(|| DEFAULT_SAMPLE.to_string()),
    });
    let outcome = use_state(|| None::<Rc<RestrictionOutcome>>);
    let frontier_for = use_mut_ref(|| None::<InputSource>);
    // The picked file's handle: it goes with every request, so a replaced worker (which has
    // not kept the table) can read it again.
    let picked = use_mut_ref(|| None::<(Upload, web_sys::File)>);
    let window_width = if props.visible {
        props.window_width
    } else {
        0.0
    };

    let job = {
        let outcome = outcome.clone();
        use_worker_job(Callback::from(move |o: RestrictOutcome| match o {
            RestrictOutcome::Evaluated(o) => {
                let mut o = *o;
                // Keep the frontier of the same source when this answer has none.
                if o.frontier.is_none() {
                    if let Some(prev) = outcome.as_ref().filter(|p| p.source == o.source) {
                        o.frontier = prev.frontier.clone();
                    }
                }
                outcome.set(Some(Rc::new(o)));
            }
            RestrictOutcome::Csv(csv) => download_text("restricted_outputs.csv", "text/csv", &csv),
        }))
    };
    // Re-run whenever the setting or the source changes (once the view is shown).
    {
        let (job, frontier_for, picked) = (job.clone(), frontier_for.clone(), picked.clone());
        use_effect_with(
            ((*setting), (*source).clone(), props.visible),
            move |(setting, source, visible)| {
                if !*visible {
                    return;
                }
                let query = RestrictQuery {
                    sample: match source {
                        InputSource::Sample { id } => Some(id.clone()),
                        _ => None,
                    },
                    setting: *setting,
                };
                route::write(View::Restrict, &query.pairs());
                let frontier = frontier_for.borrow().as_ref() != Some(source);
                if frontier {
                    *frontier_for.borrow_mut() = Some(source.clone());
                }
                if let (InputSource::Upload(u), Some((p, file))) =
                    (source, picked.borrow().as_ref())
                {
                    if u == p {
                        u.reattach(file.clone());
                    }
                }
                let request = RestrictRequest::Evaluate {
                    source: source.clone(),
                    setting: *setting,
                    frontier,
                };
                job.run(
                    JobRequest::Restrict(request),
                    source.display_name(),
                    Stage::Reading,
                );
            },
        );
    }
    let update = |f: fn(&mut RestrictionSetting, &str)| {
        let setting = setting.clone();
        Callback::from(move |v: String| {
            let mut s = *setting;
            f(&mut s, &v);
            setting.set(s);
        })
    };
    let on_sample = {
        let source = source.clone();
        Callback::from(move |e: Event| {
            let id = e.target_unchecked_into::<HtmlSelectElement>().value();
            source.set(InputSource::Sample { id });
        })
    };
    // A picked file goes to the worker as a handle; the worker reads it in slices and keeps
    // its table while the controls move.
    let on_file = {
        let (source, picked) = (source.clone(), picked.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(f) = input.files().and_then(|l| l.get(0)) {
                let upload = Upload::attach(f.clone());
                *picked.borrow_mut() = Some((upload.clone(), f));
                source.set(InputSource::Upload(upload));
            }
        })
    };
    let export_json = {
        let setting = setting.clone();
        Callback::from(move |_: MouseEvent| {
            download_text(
                "restriction_setting.json",
                "application/json",
                &setting.to_json(),
            )
        })
    };
    let export_csv = {
        let (job, setting, source) = (job.clone(), setting.clone(), source.clone());
        Callback::from(move |_: MouseEvent| {
            let request = RestrictRequest::Export { setting: *setting };
            job.run(
                JobRequest::Restrict(request),
                source.display_name(),
                Stage::Reading,
            );
        })
    };
    let s = *setting;
    let sample_id = match &*source {
        InputSource::Sample { id } => id.clone(),
        _ => "file".into(),
    };
    let controls = html! {
        <section class="panel controls" aria-label="Restriction settings">
            <h2>{"Restrict the outputs"}</h2>
            <p class="muted small">{"Post-process what the model returns before anyone sees it, then see what the attack and the users get."}</p>
            <label class="control">
                <span class="control-head"><span>{"Model outputs"}</span></span>
                <select onchange={on_sample} data-testid="restrict-sample">
                    { for SAMPLES.iter().map(|x| html! { <option value={x.id} selected={sample_id == x.id}>{x.title}</option> }) }
                    if sample_id == "file" { <option value="file" selected=true>{source.display_name()}</option> }
                </select>
                <small>{"or your own CSV with logit_* (or prob_*) and label columns:"}</small>
                <input type="file" accept=".csv,text/csv" onchange={on_file} data-testid="restrict-file" />
            </label>
            <label class="control">
                <span class="control-head"><span>{"Temperature T"}</span><output data-testid="value-temperature">{format!("{:.1}", s.temperature)}</output></span>
                <input type="range" min="0.5" max="10" step="0.1" value={s.temperature.to_string()} disabled={s.label_only}
                    oninput={on_input_value(update(|s, v| if let Ok(t) = v.parse() { s.temperature = t }))} data-testid="restrict-temperature" />
                <small>{"softmax(logits / T): above 1 flattens the outputs"}</small>
            </label>
            <label class="control">
                <span class="control-head">
                    <span><input type="checkbox" checked={s.max_confidence.is_some()} disabled={s.label_only} data-testid="restrict-cap-on"
                        onchange={on_checked(update(|s, v| s.max_confidence = (v == "true").then_some(s.max_confidence.unwrap_or(0.95))))} />{" Cap the confidence"}</span>
                    <output>{s.max_confidence.map_or("off".to_string(), |c| format!("{c:.2}"))}</output>
                </span>
                if s.max_confidence.is_some() {
                    <input type="range" min="0.5" max="1" step="0.01" value={s.max_confidence.unwrap_or(1.0).to_string()} disabled={s.label_only}
                        oninput={on_input_value(update(|s, v| if let Ok(c) = v.parse() { s.max_confidence = Some(c) }))} data-testid="restrict-cap" />
                }
                <small>{"every probability at most this, then renormalised"}</small>
            </label>
            <label class="control">
                <span class="control-head"><span>{"Round to"}</span></span>
                <select disabled={s.label_only} onchange={on_change_value(update(|s, v| s.precision = v.parse().ok()))} data-testid="restrict-precision">
                    <option value="off" selected={s.precision.is_none()}>{"no rounding"}</option>
                    { for (1..=6u32).map(|p| html! { <option value={p.to_string()} selected={s.precision == Some(p)}>{format!("{p} decimal{}", if p == 1 { "" } else { "s" })}</option> }) }
                </select>
            </label>
            <label class="map-check"><input type="checkbox" checked={s.label_only} onchange={on_checked(update(|s, v| s.label_only = v == "true"))} data-testid="restrict-label-only" />
                {"Return the top-1 label only"}</label>
            <div class="seed-row">
                <button type="button" onclick={export_json} data-testid="export-setting">{"Export setting (JSON)"}</button>
                <button type="button" onclick={export_csv} data-testid="export-restricted">{"Restricted CSV"}</button>
            </div>
        </section>
    };
    let busy_bar = job.busy().cloned();
    html! {
        <div class="layout" hidden={!props.visible}>
            <aside class="side">
                {controls}
                if let Some(b) = busy_bar { <ProgressBar busy={b} on_cancel={job.on_cancel()} /> }
                <section class="panel explain">
                    <h3>{"What restriction can and cannot do"}</h3>
                    <p>{"Flattening, capping and rounding hide the small confidence differences a threshold attack reads. They do not change which class is predicted, so an attacker who only checks whether the model got a record right (“member iff correctly classified”) is untouched: restriction is no substitute for training with differential privacy."}</p>
                    <p>{"Too much temperature or too coarse rounding makes the scores useless to honest users: watch the agreement and the calibration."}</p>
                </section>
            </aside>
            <main class="main">
                if let Some(e) = job.failure() {
                    <div class="load-error" role="alert" data-testid="restrict-error"><strong>{"These outputs cannot be restricted. "}</strong>{e.to_string()}</div>
                }
                { match &*outcome {
                    Some(o) => html! { <RestrictionResults outcome={o.clone()} window_width={window_width} /> },
                    None => html! { <div class="placeholder">{"Restricting…"}</div> },
                } }
            </main>
        </div>
    }
}

/// A warning of the engine's ([`RestrictionReport::warnings`](mia_engine::restriction::RestrictionReport::warnings)) in words.
fn warning_text(w: &RestrictionWarning) -> Option<String> {
    Some(match *w {
        RestrictionWarning::PredictionsChanged { share } => format!(
            "{} of predictions changed: rounding or capping created ties that flip the top class.",
            percent(share)
        ),
        RestrictionWarning::AccuracyDrop { before, after } => format!(
            "Accuracy drops from {} to {}.",
            percent(before),
            percent(after)
        ),
        RestrictionWarning::LabelOnlyAsStrong {
            label_only_auc,
            attack_auc,
        } => format!("The label-only attacker (AUC {}) is now as strong as the confidence attack (AUC {}): restricting further buys nothing.", sig(label_only_auc, 4), sig(attack_auc, 4)),
        // A warning this page does not know yet is not shown.
        _ => return None,
    })
}

#[derive(Properties, PartialEq)]
struct RestrictionResultsProps {
    outcome: Rc<RestrictionOutcome>,
    window_width: f64,
}

#[component]
fn RestrictionResults(props: &RestrictionResultsProps) -> Html {
    let o = &props.outcome;
    let r = &o.report;
    let log = use_state(|| true);
    let on_log = {
        let log = log.clone();
        Callback::from(move |v| log.set(v))
    };
    let strongest = r.strongest();
    let (before, after) = (strongest.auc_before, strongest.auc_after);
    let u = &r.utility;
    let mut cards = vec![
        card(
            "metric-original-auc",
            "Attack AUC before",
            html! { sig(before, 4) },
            before.to_string(),
            html! { "strongest signal, unrestricted outputs" },
        ),
        card(
            "metric-restricted-auc",
            "Attack AUC after",
            html! { sig(after, 4) },
            after.to_string(),
            html! { "strongest signal, restricted outputs" },
        ),
        card(
            "metric-restricted-tpr-1",
            "TPR at 1% FPR after",
            html! { sig(strongest.tpr_at_1pct_after, 4) },
            strongest.tpr_at_1pct_after.to_string(),
            html! { format!("before: {}", sig(strongest.tpr_at_1pct_before, 4)) },
        ),
        card(
            "metric-agreement",
            "Top-1 agreement",
            html! { percent(u.top1_agreement) },
            u.top1_agreement.to_string(),
            html! { "predictions unchanged by the restriction" },
        ),
    ];
    if let (Some(a), Some(b)) = (u.accuracy, r.accuracy_before) {
        cards.push(card(
            "metric-accuracy",
            "Accuracy after",
            html! { percent(a) },
            a.to_string(),
            html! { format!("before: {}", percent(b)) },
        ));
    }
    if let (Some(e), Some(b)) = (u.ece, r.ece_before) {
        cards.push(card(
            "metric-ece",
            "Calibration error (ECE)",
            html! { sig(e, 3) },
            e.to_string(),
            html! { format!("15 bins; before: {}", sig(b, 3)) },
        ));
    }
    cards.push(card(
        "metric-lost-distinct",
        "Confidences merged",
        html! { count(u.n_lost_distinct as u64) },
        u.n_lost_distinct.to_string(),
        html! { "records whose unique confidence is now shared" },
    ));
    if let Some(l) = r.label_only_auc {
        cards.push(card(
            "metric-label-only-auc",
            "Label-only attack AUC",
            html! { sig(l, 4) },
            l.to_string(),
            html! { "member iff correctly classified: restriction cannot touch it" },
        ));
    }
    let warnings: Vec<String> = r.warnings().iter().filter_map(warning_text).collect();
    let frontier_canvas = use_node_ref();
    // x axis of the frontier: utility (accuracy, or agreement without labels) or calibration.
    let by_ece = use_state(|| false);
    {
        let canvas = frontier_canvas.clone();
        let frontier = o.frontier.clone();
        let ece_mode = *by_ece && u.ece.is_some();
        let x_now = if ece_mode {
            u.ece.unwrap_or(0.0)
        } else {
            u.accuracy.unwrap_or(u.top1_agreement)
        };
        let current = (x_now, after);
        let label = if ece_mode {
            "expected calibration error (lower is better)"
        } else if u.accuracy.is_some() {
            "accuracy"
        } else {
            "top-1 agreement"
        };
        let deps = (
            frontier,
            ece_mode,
            current.0.to_bits(),
            current.1.to_bits(),
            props.window_width.to_bits(),
        );
        use_effect_with(deps, move |(frontier, ece_mode, _, _, _)| {
            if let (Some(c), Some(points)) = (canvas.cast::<HtmlCanvasElement>(), frontier) {
                fit_canvas(&c, 0.55, 260);
                let dots: Vec<FrontierDot> = points
                    .iter()
                    .map(|p| {
                        if *ece_mode {
                            (p.ece.unwrap_or(0.0), p.max_auc, p.on_frontier_ece)
                        } else {
                            (p.utility, p.max_auc, p.on_frontier)
                        }
                    })
                    .collect();
                draw_frontier(&c, &dots, current, label);
            }
        });
    }
    let set_axis = |v: bool| {
        let by_ece = by_ece.clone();
        Callback::from(move |_: MouseEvent| by_ece.set(v))
    };
    let tpr = |t: &mia_engine::TprAtFpr| {
        if t.measurable {
            sig(t.tpr, 4)
        } else {
            "n/m".to_string()
        }
    };
    let point = {
        let (t, f, _) = o
            .roc_after
            .at_threshold(o.roc_after.max_advantage_threshold().unwrap_or(1.0));
        (f, t)
    };
    html! {
        <div class="audit">
            <div class="audit-head">
                <h2>{format!("Restricting {}", o.source.display_name())}</h2>
                <p class="muted" data-testid="restrict-summary">{format!(
                    "T = {}, cap {}, rounding {}{}",
                    r.setting.temperature,
                    r.setting.max_confidence.map_or("off".into(), |c| c.to_string()),
                    r.setting.precision.map_or("off".into(), |p| format!("{p} decimals")),
                    if r.setting.label_only { ", top-1 label only" } else { "" })}</p>
            </div>
            <section class="metrics" aria-label="Before and after">{ for cards }</section>
            { for warnings.iter().map(|w| html! { <p class="notice">{w}</p> }) }
            <div class="charts">
                <RocChart roc={Rc::new(o.roc_after.clone())} signal={Signal::Confidence} auc={r.after.iter().find(|f| f.signal == Signal::Confidence).map_or(0.5, |f| f.auc)}
                    point={point} window_width={props.window_width} log={*log} on_log={on_log}
                    reference={Some(Rc::new((o.roc_before.fpr.clone(), o.roc_before.tpr.clone())))}
                    curve_label={"confidence, restricted".to_string()} reference_label={"confidence, unrestricted"} />
                <figure class="chart">
                    <figcaption>
                        <span>{"Privacy–utility frontier"}</span>
                        if u.ece.is_some() {
                            <span class="toggle" role="group" aria-label="Utility axis">
                                <button class={classes!((!*by_ece).then_some("on"))} onclick={set_axis(false)}>{"accuracy"}</button>
                                <button class={classes!((*by_ece).then_some("on"))} onclick={set_axis(true)} data-testid="frontier-ece">{"ECE"}</button>
                            </span>
                        }
                        <ExportPng canvas={frontier_canvas.clone()} file_name="restriction_frontier.png" />
                    </figcaption>
                    if o.frontier.is_some() {
                        <div class="canvas-box"><canvas ref={frontier_canvas} aria-label="Attack AUC against utility for a grid of settings"></canvas></div>
                    } else {
                        <p class="muted">{"Computing the grid…"}</p>
                    }
                    <p class="muted small">{"80 settings (T 0.5–8, cap off/0.99/0.9/0.7, rounding off/3/2/1 decimals). Green: no other setting is both better on this axis and safer. In the table, n/m = not measurable with fewer than 1,000 non-members."}</p>
                </figure>
            </div>
            <section class="panel">
                <h3>{"Every signal, before and after"}</h3>
                <div class="table-scroll">
                    <table data-testid="restrict-table">
                        <thead><tr><th>{"Signal"}</th><th>{"AUC before"}</th><th>{"AUC after"}</th><th>{"TPR@0.1% before"}</th><th>{"TPR@0.1% after"}</th><th>{"TPR@1% before"}</th><th>{"TPR@1% after"}</th><th>{"Advantage after"}</th></tr></thead>
                        <tbody>
                        { for r.before.iter().map(|b| {
                            let a = r.after.iter().find(|a| a.signal == b.signal);
                            html! { <tr>
                                <td>{b.signal.title()}</td>
                                <td class="num">{sig(b.auc, 4)}</td>
                                <td class="num">{a.map_or("–".into(), |a| sig(a.auc, 4))}</td>
                                <td class="num">{tpr(&b.tpr_at_fpr[0])}</td>
                                <td class="num">{a.map_or("–".into(), |a| tpr(&a.tpr_at_fpr[0]))}</td>
                                <td class="num">{sig(b.tpr_at_fpr[1].tpr, 4)}</td>
                                <td class="num">{a.map_or("–".into(), |a| sig(a.tpr_at_fpr[1].tpr, 4))}</td>
                                <td class="num">{a.map_or("–".into(), |a| sig(a.advantage, 4))}</td>
                            </tr> }
                        }) }
                        </tbody>
                    </table>
                </div>
            </section>
        </div>
    }
}
