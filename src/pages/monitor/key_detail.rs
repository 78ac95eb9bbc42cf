//! One key in detail: its risk and query rate over time, with the monitor and block bands and a
//! brush (drag across the chart to zoom, double-click to see it all), and the inputs it repeated
//! most.

use mia_engine::monitor::KeyReport;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::key_table::iso;
use crate::charts::risk_timeline::draw_risk_timeline;
use crate::charts::XAxisMap;
use crate::format::count;
use crate::widgets::chart_canvas::fit_canvas;

#[derive(Properties, PartialEq)]
pub struct KeyDetailProps {
    pub key_report: KeyReport,
    pub monitor_risk: f64,
    pub block_risk: f64,
    pub window_width: f64,
}

#[component]
pub fn KeyDetail(props: &KeyDetailProps) -> Html {
    let k = &props.key_report;
    let canvas = use_node_ref();
    let full = (k.first_seen, k.last_seen.max(k.first_seen + 1.0));
    let range = use_state(|| full);
    let axis = use_mut_ref(XAxisMap::default);
    let drag = use_mut_ref(|| None::<f64>);
    {
        // A new key shows its whole course.
        let range = range.clone();
        use_effect_with(k.api_key.clone(), move |_| range.set(full));
    }
    {
        let (canvas, axis) = (canvas.clone(), axis.clone());
        let points = k.timeline.clone();
        let (m, b) = (props.monitor_risk, props.block_risk);
        use_effect_with(
            (
                range.0.to_bits(),
                range.1.to_bits(),
                props.window_width.to_bits(),
                k.api_key.clone(),
            ),
            move |(lo, hi, _, _)| {
                if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                    fit_canvas(&c, 0.4, 220);
                    if let Some(map) = draw_risk_timeline(
                        &c,
                        &points,
                        (f64::from_bits(*lo), f64::from_bits(*hi)),
                        m,
                        b,
                    ) {
                        *axis.borrow_mut() = map;
                    }
                }
            },
        );
    }
    // The time under the pointer, from the drawn axis.
    let time_at = {
        let (canvas, axis) = (canvas.clone(), axis.clone());
        move |e: &MouseEvent| -> Option<f64> {
            let c = canvas.cast::<HtmlCanvasElement>()?;
            let rect = c.get_bounding_client_rect();
            let scale = c.width() as f64 / rect.width().max(1.0);
            let x = (e.client_x() as f64 - rect.left()) * scale;
            let a = *axis.borrow();
            let w = (a.right_px - a.left_px).max(1.0);
            Some(a.lo + (x - a.left_px).clamp(0.0, w) / w * (a.hi - a.lo))
        }
    };
    let on_down = {
        let (drag, time_at) = (drag.clone(), time_at.clone());
        Callback::from(move |e: MouseEvent| *drag.borrow_mut() = time_at(&e))
    };
    let on_up = {
        let (drag, range) = (drag.clone(), range.clone());
        Callback::from(move |e: MouseEvent| {
            let start = drag.borrow_mut().take();
            if let (Some(a), Some(b)) = (start, time_at(&e)) {
                if (a - b).abs() > 1.0 {
                    range.set((a.min(b), a.max(b)));
                }
            }
        })
    };
    let reset = {
        let range = range.clone();
        Callback::from(move |_: MouseEvent| range.set(full))
    };
    let zoomed = *range != full;
    let inputs = k.top_inputs.iter().map(|i| html! {
        <tr><td><code>{i.input_hash.clone()}</code></td><td class="num">{count(i.count)}</td></tr>
    });
    html! {
        <section class="panel" data-testid="monitor-detail" data-key={k.api_key.clone()}>
            <h3>{format!("Key {}", k.api_key)}</h3>
            <p class="muted small">{format!(
                "{} queries from {} to {}; peak risk {}; {} after its last query. {}",
                count(k.queries), iso(k.first_seen), iso(k.last_seen), k.peak_risk, k.figures.action.key(),
                match (k.first_flagged_at, k.first_blocked_at) {
                    (Some(f), Some(b)) => format!("First flagged at {}, first blocked at {}.", iso(f), iso(b)),
                    (Some(f), None) => format!("First flagged at {}.", iso(f)),
                    _ => "Never flagged.".to_string(),
                })}</p>
            <figure class="chart">
                <figcaption>
                    <span>{"Risk (orange, left) and query rate (blue, right) over time"}</span>
                    if zoomed { <button class="secondary" onclick={reset} data-testid="monitor-zoom-reset">{"Show all"}</button> }
                </figcaption>
                <div class="canvas-box"><canvas ref={canvas} data-testid="monitor-timeline" onmousedown={on_down} onmouseup={on_up}
                    ondblclick={{ let range = range.clone(); Callback::from(move |_: MouseEvent| range.set(full)) }}
                    data-from={range.0.to_string()} data-to={range.1.to_string()}
                    aria-label={format!("Risk and query rate of key {} over time", k.api_key)} style="cursor: crosshair"></canvas></div>
                <p class="muted small">{"Shaded: the monitor band (amber) and the block band (red) of the thresholds set. Drag across the chart to zoom into a time range; double-click or “Show all” to see the whole course."}</p>
            </figure>
            <h4>{"Inputs it repeated most"}</h4>
            if k.top_inputs.is_empty() {
                <p class="muted small">{"It queried no input more than once."}</p>
            } else {
                <div class="table-scroll"><table data-testid="monitor-top-inputs">
                    <thead><tr><th>{"Input hash"}</th><th>{"Queries"}</th></tr></thead>
                    <tbody>{ for inputs }</tbody>
                </table></div>
            }
        </section>
    }
}
