//! Every variant's ROC curve on one chart, log-log by default: at a very low false-positive rate
//! the reference attacks differ most from each other and from the target-only baseline
//! (Carlini et al. 2022).

use std::rc::Rc;

use mia_engine::reference_attack::Variant;
use mia_engine::RocCurve;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::charts::reference_roc::{draw_reference_roc, log_floor, variant_colour, RocLine};
use crate::charts::roc::RocAxes;
use crate::format::{probability, sig};
use crate::widgets::chart_canvas::{draw_later, fit_canvas, mark_drawn, use_drawings, ExportPng};

#[derive(Properties, PartialEq)]
pub struct ReferenceRocChartProps {
    /// Every variant that ran, with its (thinned) curve and AUC.
    pub curves: Rc<Vec<(Variant, RocCurve, f64)>>,
    pub log: bool,
    pub on_log: Callback<bool>,
    pub window_width: f64,
}

/// The non-members behind the curves (every curve has the same).
fn n_nonmembers(curves: &[(Variant, RocCurve, f64)]) -> u64 {
    curves.first().map_or(0, |(_, roc, _)| roc.n_nonmembers)
}

#[component]
pub fn ReferenceRocChart(props: &ReferenceRocChartProps) -> Html {
    let log = props.log;
    let canvas = use_node_ref();
    let floor = log_floor(n_nonmembers(&props.curves));
    let drawings = use_drawings();
    {
        let canvas = canvas.clone();
        use_effect_with(
            (props.curves.clone(), log, props.window_width.to_bits()),
            move |(curves, log, _)| {
                let (curves, log) = (curves.clone(), *log);
                // After the page's next frame, as every view's charts: the figures are on
                // screen first, and the drawing forces no layout of the page just rendered.
                draw_later(&drawings, move || {
                    let Some(c) = canvas.cast::<HtmlCanvasElement>() else {
                        return;
                    };
                    // The width from the container; the drawing sets the height the plot and
                    // its legend need.
                    fit_canvas(&c, 0.75, 260);
                    let lines: Vec<RocLine> = curves
                        .iter()
                        .map(|(v, roc, auc)| RocLine {
                            fpr: &roc.fpr,
                            tpr: &roc.tpr,
                            colour: variant_colour(*v),
                            label: format!("{} (AUC {})", v.label(), sig(*auc, 4)),
                        })
                        .collect();
                    let axes = if log {
                        RocAxes::LogLog
                    } else {
                        RocAxes::Linear
                    };
                    draw_reference_roc(&c, &lines, axes, floor);
                    mark_drawn(&c);
                });
            },
        );
    }
    let set_axes = |v: bool| {
        let on_log = props.on_log.clone();
        Callback::from(move |_: MouseEvent| on_log.emit(v))
    };
    html! {
        <figure class="chart lira-roc">
            <figcaption>
                <span>{"ROC curves of every attack"}</span>
                <span class="toggle" role="group" aria-label="Axes">
                    <button class={classes!((!log).then_some("on"))} onclick={set_axes(false)} data-testid="lira-roc-linear">{"linear"}</button>
                    <button class={classes!(log.then_some("on"))} onclick={set_axes(true)} data-testid="lira-roc-log">{"log-log"}</button>
                </span>
                <ExportPng canvas={canvas.clone()} file_name={format!("lira_roc_{}.png", if log { "loglog" } else { "linear" })} />
            </figcaption>
            <div class="canvas-box">
                <canvas ref={canvas} data-testid="lira-roc" data-axes={if log { "log" } else { "linear" }}
                    aria-label="ROC curves of the target-only attack, LiRA and RMIA on the same target"></canvas>
            </div>
            <p class="muted small">
                if log {
                    {format!("Log-log axes from FPR {}: a curve far above the dashed diagonal at the left names some members with almost no false alarms. ", probability(floor))}
                    if floor > crate::charts::roc::LOG_FLOOR {
                        {format!("With {} non-members no smaller FPR can be measured.", n_nonmembers(&props.curves))}
                    }
                } else {
                    {"Each point is one threshold; the dashed diagonal is guessing. The area under each curve is its AUC, which averages over every threshold and hides what happens at low FPR: switch to log-log to see it."}
                }
            </p>
        </figure>
    }
}
