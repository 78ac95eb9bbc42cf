//! Online LiRA's AUC and TPR at 0.1 % FPR against the number of references used (M/4, M/2, M),
//! with per-record and global spreads: two panels side by side (stacked on a phone), since the
//! two figures live on different scales.

use mia_engine::reference_attack::reference_trend::{TrendFigures, TrendPoint};
use mia_engine::reference_attack::Variant;
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::axis_style::{house_style, whole};
use super::legend_below::{LegendEntry, LegendLayout, Mark};
use super::palette::AXIS;
use super::panels::{columns, panel_grid, Area};
use super::reference_roc::variant_colour;

/// The series: which figures, in the colour of their variant on the ROC chart.
const SERIES: [(Variant, &str); 2] = [
    (Variant::LiraOnline, "LiRA online (per-record spread)"),
    (Variant::LiraOnlineGlobal, "LiRA online, global spread"),
];

/// One panel's figure.
type Figure = fn(&TrendFigures) -> f64;

/// Draws `points` (in increasing M) for a file of `m` references and sets the canvas's height
/// to fit them.
pub fn draw_trend(canvas: &HtmlCanvasElement, points: &[TrendPoint], m: usize) -> Option<()> {
    let entries: Vec<LegendEntry> = SERIES
        .iter()
        .map(|&(v, label)| LegendEntry {
            colour: variant_colour(v),
            label: label.into(),
            mark: Mark::LineDot,
        })
        .collect();
    let width = canvas.width();
    let legend = LegendLayout::of(width, &entries);
    let cols = columns(width, 2);
    let row_px = if cols == 2 {
        ((width as f64 * 0.38) as u32).clamp(220, 320)
    } else {
        ((width as f64 * 0.65) as u32).clamp(200, 280)
    };
    let grid = panel_grid(canvas, 2, cols, row_px, &legend)?;
    let panels = &grid.cells;
    let auc: Figure = |f| f.auc;
    let tpr: Figure = |f| f.tpr_at_0_1_percent;
    for (area, (title, figure)) in panels.iter().zip([("AUC", auc), ("TPR at 0.1 % FPR", tpr)]) {
        draw_panel(area, points, m, title, figure)?;
    }
    legend.draw(&grid.below, &entries)?;
    grid.root.present().ok()
}

/// The figures of `v` at each point that has them.
fn series(points: &[TrendPoint], v: Variant, figure: Figure) -> Vec<(f64, f64)> {
    points
        .iter()
        .filter_map(|p| {
            let f = if v == Variant::LiraOnline {
                p.online
            } else {
                p.online_global
            };
            f.map(|f| (p.m as f64, figure(&f)))
        })
        .filter(|(_, y)| y.is_finite())
        .collect()
}

fn draw_panel(
    area: &Area,
    points: &[TrendPoint],
    m: usize,
    title: &str,
    figure: Figure,
) -> Option<()> {
    let all: Vec<Vec<(f64, f64)>> = SERIES
        .iter()
        .map(|&(v, _)| series(points, v, figure))
        .collect();
    let (lo, hi) = all
        .iter()
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &(_, y)| {
            (a.min(y), b.max(y))
        });
    // Rates stay within [0, 1]; a flat line gets a little room so it reads as flat.
    let (y0, y1) = if lo > hi {
        (0.0, 1.0)
    } else {
        let pad = ((hi - lo) * 0.2).max(0.02);
        ((lo - pad).max(0.0), (hi + pad).min(1.0))
    };
    let x1 = m.max(1) as f64;
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .caption(title, ("sans-serif", 13).into_font().color(&AXIS))
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..(x1 * 1.05), y0..y1)
        .ok()?;
    let decimals = if y1 - y0 < 0.1 { 3 } else { 2 };
    house_style(&mut chart.configure_mesh())
        .x_desc("reference models used")
        .x_labels(6)
        .y_labels(5)
        .x_label_formatter(&|v| whole(*v))
        .y_label_formatter(&|v| format!("{v:.decimals$}"))
        .draw()
        .ok()?;
    for (&(v, _), pts) in SERIES.iter().zip(&all) {
        let colour = variant_colour(v);
        chart
            .draw_series(LineSeries::new(pts.iter().copied(), colour.stroke_width(2)))
            .ok()?;
        chart
            .draw_series(pts.iter().map(|&p| Circle::new(p, 4, colour.filled())))
            .ok()?;
    }
    Some(())
}
