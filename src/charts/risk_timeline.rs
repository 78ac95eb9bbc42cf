//! One API key's course in the monitor: its risk after each query (a step line, 0 to 1, with the
//! monitor and block bands of the detector's thresholds) and its query rate in the window (a
//! second line on its own axis), over a time range the user can narrow with a brush.

use mia_engine::monitor::TimelinePoint;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::palette::{AXIS, MEMBER, NONMEMBER};
use super::XAxisMap;

/// Hours and minutes (UTC) of Unix time `t`, with the day when the range spans days.
fn clock(t: f64, with_day: bool) -> String {
    let s = t.rem_euclid(86_400.0) as u64;
    let (h, m) = (s / 3600, (s % 3600) / 60);
    if with_day {
        let day = (t / 86_400.0).floor() as i64;
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(day as f64 * 86_400_000.0));
        format!(
            "{}-{:02} {h:02}:{m:02}",
            date.get_utc_month() + 1,
            date.get_utc_date()
        )
    } else {
        format!("{h:02}:{m:02}")
    }
}

/// Draws `points` between times `lo` and `hi`, with the bands above `monitor` and `block`.
/// Returns the time axis' mapping, for the brush.
pub fn draw_risk_timeline(
    canvas: &HtmlCanvasElement,
    points: &[TimelinePoint],
    (lo, hi): (f64, f64),
    monitor: f64,
    block: f64,
) -> Option<XAxisMap> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).ok()?;
    let hi = if hi > lo { hi } else { lo + 1.0 };
    let shown: Vec<&TimelinePoint> = points
        .iter()
        .filter(|p| p.time >= lo && p.time <= hi)
        .collect();
    let rate_max = shown
        .iter()
        .map(|p| p.rate_per_second * 3600.0)
        .fold(0.0, f64::max)
        .max(1.0)
        * 1.1;
    let small = canvas.width() < 500;
    let with_day = hi - lo > 86_400.0;
    let mut chart = ChartBuilder::on(&root)
        .margin(10)
        .x_label_area_size(if small { 34 } else { 40 })
        .y_label_area_size(if small { 40 } else { 52 })
        .right_y_label_area_size(if small { 48 } else { 64 })
        .build_cartesian_2d(lo..hi, 0.0..1.05)
        .ok()?
        .set_secondary_coord(lo..hi, 0.0..rate_max);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc("time (UTC)")
        .y_desc("risk")
        .x_labels(if small { 3 } else { 7 })
        .y_labels(6)
        .label_style(("sans-serif", 12).into_font().color(&AXIS))
        .axis_desc_style(("sans-serif", 13).into_font().color(&AXIS))
        .x_label_formatter(&|t| clock(*t, with_day))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .draw()
        .ok()?;
    chart
        .configure_secondary_axes()
        .y_desc("queries per hour in the window")
        .label_style(("sans-serif", 12).into_font().color(&AXIS))
        .axis_desc_style(("sans-serif", 13).into_font().color(&AXIS))
        .y_label_formatter(&|v| crate::format::sig(*v, 3))
        .draw()
        .ok()?;
    // The bands: monitor above its level, block above its own.
    let amber = RGBColor(245, 158, 11);
    let red = RGBColor(220, 38, 38);
    chart
        .draw_series([
            Rectangle::new(
                [(lo, monitor), (hi, block.min(1.05))],
                amber.mix(0.12).filled(),
            ),
            Rectangle::new([(lo, block), (hi, 1.05)], red.mix(0.12).filled()),
        ])
        .ok()?;
    // The risk holds from one query to the next: a step line.
    let mut steps: Vec<(f64, f64)> = Vec::with_capacity(shown.len() * 2);
    for (i, p) in shown.iter().enumerate() {
        if i > 0 {
            steps.push((p.time, shown[i - 1].risk));
        }
        steps.push((p.time, p.risk));
    }
    chart
        .draw_secondary_series(LineSeries::new(
            shown.iter().map(|p| (p.time, p.rate_per_second * 3600.0)),
            NONMEMBER.stroke_width(1),
        ))
        .ok()?;
    chart
        .draw_series(LineSeries::new(steps, MEMBER.stroke_width(2)))
        .ok()?;
    let (xr, _) = chart.plotting_area().get_pixel_range();
    root.present().ok()?;
    Some(XAxisMap {
        left_px: xr.start as f64,
        right_px: xr.end as f64,
        lo,
        hi,
    })
}
