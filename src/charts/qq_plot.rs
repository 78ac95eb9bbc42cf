//! A normal Q-Q plot: N(0, 1)'s quantile against the observed quantile at the same level, the
//! line y = x where a Gaussian sample would lie, and the ±3 band the tail statistic counts.

use mia_engine::reference_attack::gaussian_check::QqPoint;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::axis_style::house_style;
use super::palette::{AXIS, CHANCE, INK};

/// The canvas height at `width` pixels: nearly square, within bounds.
fn canvas_height(width: u32) -> u32 {
    ((width as f64 * 0.8) as u32).clamp(220, 380)
}

/// The smallest and largest of `values`, padded by 5 % of the span (at least 0.1).
fn padded_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if lo > hi {
        return (-3.0, 3.0);
    }
    let pad = ((hi - lo) * 0.05).max(0.1);
    (lo - pad, hi + pad)
}

/// Draws the points of `qq` in `colour`, titled `title`, and sets the canvas's height.
pub fn draw_qq(
    canvas: &HtmlCanvasElement,
    qq: &[QqPoint],
    colour: RGBColor,
    title: &str,
) -> Option<()> {
    let height = canvas_height(canvas.width());
    if canvas.height() != height {
        canvas.set_height(height);
    }
    let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).ok()?;
    let (x0, x1) = padded_range(qq.iter().map(|p| p.normal));
    // The y range holds the line y = x too, so it is never cut off.
    let (y0, y1) = padded_range(qq.iter().flat_map(|p| [p.normal, p.observed]));
    let mut chart = ChartBuilder::on(&root)
        .margin(10)
        .caption(title, ("sans-serif", 13).into_font().color(&AXIS))
        .x_label_area_size(40)
        .y_label_area_size(46)
        .build_cartesian_2d(x0..x1, y0..y1)
        .ok()?;
    house_style(&mut chart.configure_mesh())
        .x_desc("normal quantile")
        .y_desc("observed quantile")
        .x_labels(7)
        .y_labels(7)
        .x_label_formatter(&|v| crate::format::sig(*v, 2))
        .y_label_formatter(&|v| crate::format::sig(*v, 2))
        .draw()
        .ok()?;
    // Beyond these lines lie the residuals the tail statistic counts.
    for y in [-3.0, 3.0] {
        if (y0..y1).contains(&y) {
            chart
                .draw_series(DashedLineSeries::new(
                    [(x0, y), (x1, y)],
                    2,
                    4,
                    CHANCE.stroke_width(1),
                ))
                .ok()?;
        }
    }
    chart
        .draw_series(DashedLineSeries::new(
            [(x0, x0), (x1, x1)],
            6,
            4,
            INK.mix(0.6).stroke_width(1),
        ))
        .ok()?;
    chart
        .draw_series(
            qq.iter()
                .filter(|p| p.observed.is_finite())
                .map(|p| Circle::new((p.normal, p.observed), 3, colour.mix(0.8).filled())),
        )
        .ok()?;
    root.present().ok()
}
