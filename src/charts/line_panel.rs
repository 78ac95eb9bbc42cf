//! One panel of a chart of lines over steps or epochs (the training lab's curves, unlearning's
//! courses): its caption and coordinates, the house mesh with whole-number x ticks, a line with a
//! dot on its latest point, and a dashed reference line.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

use super::axis_style::{house_style, whole};
use super::palette::AXIS;
use super::panels::Area;

pub type Chart<'a> = ChartContext<'a, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// `lo..hi` with a little room on each side (a flat line gets some, so it reads as flat).
pub fn padded((lo, hi): (f64, f64), min_pad: f64) -> (f64, f64) {
    let pad = ((hi - lo) * 0.1).max(min_pad);
    (lo - pad, hi + pad)
}

/// The panel's chart: the caption and the coordinates, before the mesh.
pub fn chart<'a>(area: &'a Area, title: &str, x1: f64, (y0, y1): (f64, f64)) -> Option<Chart<'a>> {
    ChartBuilder::on(area)
        .margin(10)
        .caption(title, ("sans-serif", 13).into_font().color(&AXIS))
        .x_label_area_size(36)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..x1, y0..y1)
        .ok()
}

/// The house mesh, `x_desc` under whole-number ticks, and y labels with as many decimals as the
/// range needs.
pub fn mesh(chart: &mut Chart, x_desc: &str, x1: f64, (y0, y1): (f64, f64)) -> Option<()> {
    let span = y1 - y0;
    let decimals = if span < 0.1 {
        3
    } else if span < 2.0 {
        2
    } else if span < 20.0 {
        1
    } else {
        0
    };
    house_style(&mut chart.configure_mesh())
        .x_desc(x_desc)
        .x_labels((x1 as usize + 1).clamp(2, 7))
        .y_labels(5)
        .x_label_formatter(&|v| whole(*v))
        .y_label_formatter(&|v| format!("{v:.decimals$}"))
        .draw()
        .ok()
}

/// A series as a line, with a dot on its latest point.
pub fn line(chart: &mut Chart, points: &[(f64, f64)], colour: RGBColor) -> Option<()> {
    chart
        .draw_series(LineSeries::new(
            points.iter().copied(),
            colour.stroke_width(2),
        ))
        .ok()?;
    chart
        .draw_series(points.last().map(|&p| Circle::new(p, 3, colour.filled())))
        .ok()?;
    Some(())
}

/// A dashed horizontal line across the panel at `y`.
pub fn dashed(chart: &mut Chart, x1: f64, y: f64, style: ShapeStyle) -> Option<()> {
    chart
        .draw_series(DashedLineSeries::new([(0.0, y), (x1, y)], 6, 4, style))
        .ok()?;
    Some(())
}
