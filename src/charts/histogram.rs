//! Overlaid member / non-member histograms with the threshold line.

use mia_engine::attack::histogram::ScoreHistogram;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::palette::{AXIS, INK, MEMBER, NONMEMBER};
use super::XAxisMap;

/// Draws the histograms as densities (share of each group per bin), so groups of different sizes
/// compare, and a vertical line at `threshold`. Returns the x-axis mapping for pointer input.
pub fn draw_histogram(
    canvas: &HtmlCanvasElement,
    h: &ScoreHistogram,
    threshold: f64,
    x_label: &str,
) -> Option<XAxisMap> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).ok()?;
    let n_m: u64 = h.members.iter().sum::<u64>().max(1);
    let n_n: u64 = h.nonmembers.iter().sum::<u64>().max(1);
    let share_m: Vec<f64> = h.members.iter().map(|&c| c as f64 / n_m as f64).collect();
    let share_n: Vec<f64> = h
        .nonmembers
        .iter()
        .map(|&c| c as f64 / n_n as f64)
        .collect();
    let y_max = share_m
        .iter()
        .chain(&share_n)
        .copied()
        .fold(0.0, f64::max)
        .max(1e-9)
        * 1.1;
    let small = canvas.width() < 500;
    let mut chart = ChartBuilder::on(&root)
        .margin(10)
        .x_label_area_size(if small { 36 } else { 42 })
        .y_label_area_size(if small { 52 } else { 66 })
        .build_cartesian_2d(h.lo..h.hi, 0.0..y_max)
        .ok()?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc(x_label)
        .y_desc("share of group")
        .x_labels(if small { 4 } else { 8 })
        .y_labels(5)
        .label_style(("sans-serif", 12).into_font().color(&AXIS))
        .axis_desc_style(("sans-serif", 13).into_font().color(&AXIS))
        .x_label_formatter(&|v| crate::format::sig(*v, 3))
        .y_label_formatter(&|v| format!("{:.0}%", v * 100.0))
        .draw()
        .ok()?;
    // The legend is HTML beside the canvas, so it never hides bars.
    for (shares, colour) in [(&share_n, NONMEMBER), (&share_m, MEMBER)] {
        chart
            .draw_series(shares.iter().enumerate().map(|(i, &s)| {
                Rectangle::new(
                    [(h.edge(i), 0.0), (h.edge(i + 1), s)],
                    colour.mix(0.45).filled(),
                )
            }))
            .ok()?;
    }
    // A NaN threshold draws no line (a histogram with no threshold to drag).
    if !threshold.is_nan() {
        let t = threshold.clamp(h.lo, h.hi);
        chart
            .draw_series(LineSeries::new([(t, 0.0), (t, y_max)], INK.stroke_width(2)))
            .ok()?;
    }
    let (xr, _) = chart.plotting_area().get_pixel_range();
    root.present().ok()?;
    Some(XAxisMap {
        left_px: xr.start as f64,
        right_px: xr.end as f64,
        lo: h.lo,
        hi: h.hi,
    })
}
