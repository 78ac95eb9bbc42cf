//! The privacy–generalization trade-off: AUC and TPR at 1 % FPR against the gap, and the classic
//! table.

use std::rc::Rc;

use mia_engine::simulator::sweep::SWEEP_MAX_PER_SIDE;
use mia_engine::simulator::{SweepPoint, CLASSIC_GAPS};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::charts::sweep::draw_sweep;
use crate::format::{count, sig};
use crate::widgets::chart_canvas::{fit_canvas, ExportPng};

#[derive(Properties, PartialEq)]
pub struct SweepChartProps {
    pub points: Rc<Vec<SweepPoint>>,
    pub gap: f64,
    pub n_per_side: (usize, usize),
    pub window_width: f64,
}

#[component]
pub fn SweepChart(props: &SweepChartProps) -> Html {
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        use_effect_with(
            (
                props.points.clone(),
                props.gap.to_bits(),
                props.window_width.to_bits(),
            ),
            move |(points, gap, _)| {
                if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                    fit_canvas(&c, 0.5, 260);
                    draw_sweep(&c, points, f64::from_bits(*gap));
                }
            },
        );
    }
    let (m, n) = props.n_per_side;
    let classic = CLASSIC_GAPS.iter().filter_map(|g| {
        props.points.iter().find(|p| (p.gap - g).abs() < 1e-9).map(|p| html! {
            <tr>
                <td class="num">{format!("{g:.2}")}</td>
                <td class="num">{p.analytic_auc.map_or("–".to_string(), |a| sig(a, 4))}</td>
                <td class="num">{sig(p.auc, 4)}</td>
                <td class="num">{sig(p.tpr_at_1pct_fpr, 4)}</td>
                <td class="num">{sig(p.advantage, 4)}</td>
                <td><span class={classes!("risk-badge", p.risk.key())}>{p.risk.key()}</span></td>
            </tr>
        })
    });
    html! {
        <section class="panel sweep">
            <div class="sweep-grid">
                <figure class="chart plain">
                    <figcaption>
                        <span>{"The gap is the leak: attack strength as the gap grows"}</span>
                        <ExportPng canvas={canvas.clone()} file_name="gap_sweep.png" />
                    </figcaption>
                    <div class="canvas-box"><canvas ref={canvas} aria-label="AUC and TPR at 1% FPR against the generalization gap"></canvas></div>
                    <p class="muted small">{format!(
                        "Each point is a fresh simulation with the other settings as chosen ({} members, {} non-members at most {} per side); the black line is your gap.",
                        count(m.min(SWEEP_MAX_PER_SIDE) as u64), count(n.min(SWEEP_MAX_PER_SIDE) as u64), count(SWEEP_MAX_PER_SIDE as u64))}</p>
                </figure>
                <div>
                    <h3>{"The classic table"}</h3>
                    <div class="table-scroll">
                        <table data-testid="classic-table">
                            <thead><tr><th>{"Gap"}</th><th>{"AUC, closed form"}</th><th>{"AUC, simulated"}</th><th>{"TPR@1%"}</th><th>{"Advantage"}</th><th>{"Risk"}</th></tr></thead>
                            <tbody>{ for classic }</tbody>
                        </table>
                    </div>
                    <p class="muted small">{"Even a gap of 0.05 is measurable; by 0.35 most members are exposed."}</p>
                </div>
            </div>
        </section>
    }
}
