//! The ROC curve in linear and log-log axes. The log-log view shows what matters for privacy: how
//! many members are caught at a very low false-positive rate (Carlini et al. 2022).

use std::rc::Rc;

use mia_engine::dp::roc_contradiction;
use mia_engine::{RocCurve, Signal};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::charts::roc::{draw_roc, ReferenceCurve, RocAxes, RocOverlays};
use crate::format::{percent, probability, sig};
use crate::widgets::chart_canvas::{fit_canvas, ExportPng};
use crate::widgets::dp_claim::{DpClaim, DpClaimContext};

#[derive(Properties, PartialEq)]
pub struct RocChartProps {
    pub roc: Rc<RocCurve>,
    pub signal: Signal,
    pub auc: f64,
    /// (FPR, TPR) of the current threshold.
    pub point: (f64, f64),
    pub window_width: f64,
    /// Log-log axes instead of linear.
    pub log: bool,
    pub on_log: Callback<bool>,
    /// A second curve drawn dashed beside the measured one.
    #[prop_or_default]
    pub reference: Option<Rc<(Vec<f64>, Vec<f64>)>>,
    #[prop_or(AttrValue::Static("closed form"))]
    pub reference_label: AttrValue,
    /// The measured curve's legend; by default the signal and its AUC.
    #[prop_or_default]
    pub curve_label: Option<AttrValue>,
}

#[component]
pub fn RocChart(props: &RocChartProps) -> Html {
    let log = props.log;
    let canvas = use_node_ref();
    let claim = use_context::<DpClaimContext>().unwrap_or_default().0;
    let dp_bound = claim.map(|c| (c.epsilon, c.delta));
    {
        let canvas = canvas.clone();
        let label = props.curve_label.as_ref().map_or_else(
            || format!("{} (AUC {})", props.signal.key(), sig(props.auc, 4)),
            |l| l.to_string(),
        );
        let reference_label = props.reference_label.clone();
        let point = props.point;
        use_effect_with(
            (
                props.roc.clone(),
                props.reference.clone(),
                log,
                (point.0.to_bits(), point.1.to_bits()),
                props.window_width.to_bits(),
                dp_bound.map(|(e, d)| (e.to_bits(), d.to_bits())),
            ),
            move |(roc, reference, log, _, _, _)| {
                if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                    fit_canvas(&c, 0.75, 260);
                    let axes = if *log {
                        RocAxes::LogLog
                    } else {
                        RocAxes::Linear
                    };
                    let reference = reference.as_ref().map(|r| ReferenceCurve {
                        fpr: &r.0,
                        tpr: &r.1,
                        label: &reference_label,
                    });
                    let extra = RocOverlays {
                        reference,
                        dp_bound,
                    };
                    draw_roc(&c, &roc.fpr, &roc.tpr, point, axes, &label, extra);
                }
            },
        );
    }
    let set_axes = |v: bool| {
        let on_log = props.on_log.clone();
        Callback::from(move |_: MouseEvent| on_log.emit(v))
    };
    html! {
        <figure class="chart">
            <figcaption>
                <span>{"ROC curve"}</span>
                <span class="toggle" role="group" aria-label="Axes">
                    <button class={classes!((!log).then_some("on"))} onclick={set_axes(false)} data-testid="roc-linear">{"linear"}</button>
                    <button class={classes!(log.then_some("on"))} onclick={set_axes(true)} data-testid="roc-log">{"log-log"}</button>
                </span>
                <ExportPng canvas={canvas.clone()} file_name={format!("roc_{}_{}.png", props.signal.key(), if log { "loglog" } else { "linear" })} />
            </figcaption>
            <div class="canvas-box"><canvas ref={canvas} aria-label="ROC curve of the threshold attack"></canvas></div>
            if let Some(c) = claim {
                {dp_verdict(&props.roc, c)}
            }
            <p class="muted small">
                if log {
                    {"Log-log axes from FPR 1e-4: a curve far above the diagonal at the left means some members are identified with almost no false alarms."}
                } else {
                    {"Each point is one threshold. The area under the curve is the AUC; the diagonal is guessing."}
                }
            </p>
        </figure>
    }
}

/// Whether the measured curve crosses the bound of the claimed (ε, δ).
fn dp_verdict(roc: &RocCurve, c: DpClaim) -> Html {
    let claim = format!("ε = {}, δ = {}", sig(c.epsilon, 3), probability(c.delta));
    match roc_contradiction(&roc.fpr, &roc.tpr, c.epsilon, c.delta) {
        Some(x) => html! {
            <p class="dp-verdict contradicted" data-testid="dp-verdict" data-value="contradicted" data-fpr={x.fpr.to_string()}>
                <strong>{format!("Contradicts {claim}: ")}</strong>
                {format!("at FPR {} the attack catches {} of members, above the bound's {}. ", percent(x.fpr), percent(x.tpr), percent(x.bound_tpr))}
                {format!("That point needs ε ≥ {} (a point estimate; the ε lower bound in the DP view accounts for sampling error).",
                    if x.point_epsilon.is_finite() { sig(x.point_epsilon, 3) } else { "∞".to_string() })}
            </p>
        },
        None => html! {
            <p class="dp-verdict consistent" data-testid="dp-verdict" data-value="consistent">
                <strong>{format!("Consistent with {claim}: ")}</strong>
                {"the curve stays under the bound (which does not prove the claim: a stronger attack might cross it)."}
            </p>
        },
    }
}
