//! The restriction's results: the strongest attack before and after, the utility cost with its
//! warnings, every signal's figures, both ROC curves and the privacy–utility frontier.

use std::rc::Rc;

use mia_engine::restriction::RestrictionWarning;
use mia_engine::Signal;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::charts::frontier::{draw_frontier, FrontierDot};
use crate::format::{count, percent, sig};
use crate::protocol::RestrictionOutcome;
use crate::widgets::chart_canvas::{fit_canvas, ExportPng};
use crate::widgets::headline_metrics::card;
use crate::widgets::roc_chart::RocChart;

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
pub struct RestrictionResultsProps {
    pub outcome: Rc<RestrictionOutcome>,
    pub window_width: f64,
}

#[component]
pub fn RestrictionResults(props: &RestrictionResultsProps) -> Html {
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
