//! Every reference attack's ROC curve on one chart, linear or log-log, with the chance diagonal
//! dashed and the legend under the plot. One colour per variant, paired by family: LiRA online
//! warm, LiRA offline blue, RMIA green and purple, the target-only baseline near black.

use mia_engine::reference_attack::Variant;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::axis_style::{decade, house_style};
use super::legend_below::{fit_height, LegendEntry, LegendLayout, Mark};
use super::palette::{ANALYTIC, ATTACK, CHANCE, INK, MEMBER, NONMEMBER, ORANGE, SKY_BLUE};
use super::roc::{RocAxes, LOG_FLOOR};

/// The colour of `v`'s curve, the same wherever the variant is drawn.
pub fn variant_colour(v: Variant) -> RGBColor {
    match v {
        Variant::TargetPhi => INK,
        Variant::LiraOnline => MEMBER,
        Variant::LiraOnlineGlobal => ORANGE,
        Variant::LiraOffline => NONMEMBER,
        Variant::LiraOfflineGlobal => SKY_BLUE,
        Variant::RmiaOnline => ATTACK,
        Variant::RmiaOffline => ANALYTIC,
    }
}

/// One curve to draw (`fpr`, `tpr` already thinned).
pub struct RocLine<'a> {
    pub fpr: &'a [f64],
    pub tpr: &'a [f64],
    pub colour: RGBColor,
    pub label: String,
}

/// The log axes' lower end: the largest power of ten at or below 1 / `n_nonmembers` (the smallest
/// FPR above 0 the data can show), from 0.1 down to [`LOG_FLOOR`].
pub fn log_floor(n_nonmembers: u64) -> f64 {
    if n_nonmembers == 0 {
        return LOG_FLOOR;
    }
    let smallest = 1.0 / n_nonmembers as f64;
    [0.1, 0.01, 0.001]
        .into_iter()
        .find(|&d| d <= smallest)
        .unwrap_or(LOG_FLOOR)
}

/// The plot's height at `width` pixels: 3:4, within bounds a phone and a wide screen both suit.
fn plot_height(width: u32) -> u32 {
    ((width as f64 * 0.75) as u32).clamp(260, 560)
}

/// Draws the curves on `axes` (on log axes, values below `floor` at it) and the legend under
/// them; the canvas's height is set to fit both.
pub fn draw_reference_roc(
    canvas: &HtmlCanvasElement,
    lines: &[RocLine],
    axes: RocAxes,
    floor: f64,
) -> Option<()> {
    let mut entries = vec![LegendEntry {
        colour: CHANCE,
        label: "random guess".into(),
        mark: Mark::Dashed,
    }];
    entries.extend(lines.iter().map(|l| LegendEntry {
        colour: l.colour,
        label: l.label.clone(),
        mark: Mark::Line,
    }));
    let legend = LegendLayout::of(canvas.width(), &entries);
    let plot_px = plot_height(canvas.width());
    fit_height(canvas, plot_px, &legend);
    let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).ok()?;
    let (plot, below) = root.split_vertically(plot_px);
    match axes {
        RocAxes::Linear => draw_linear(&plot, lines),
        RocAxes::LogLog => draw_log(&plot, lines, floor),
    }?;
    legend.draw(&below, &entries)?;
    root.present().ok()
}

fn draw_linear(area: &DrawingArea<CanvasBackend, Shift>, lines: &[RocLine]) -> Option<()> {
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .x_label_area_size(42)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)
        .ok()?;
    house_style(&mut chart.configure_mesh())
        .x_desc("false positive rate")
        .y_desc("true positive rate")
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|v| format!("{v:.1}"))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .draw()
        .ok()?;
    diagonal_and_curves(&mut chart, lines, 0.0, |f, t| Some((f, t)))
}

fn draw_log(area: &DrawingArea<CanvasBackend, Shift>, lines: &[RocLine], floor: f64) -> Option<()> {
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .x_label_area_size(42)
        .y_label_area_size(50)
        // A hair below the floor, so that the floor's own decade gets its tick (plotters starts the
        // ticks at the first power of ten inside the range, and 1e-3 is not exactly one).
        .build_cartesian_2d(
            (floor * 0.999..1.0).log_scale(),
            (floor * 0.999..1.0).log_scale(),
        )
        .ok()?;
    house_style(&mut chart.configure_mesh())
        .x_desc("false positive rate (log)")
        .y_desc("true positive rate (log)")
        .x_label_formatter(&|v| decade(*v))
        .y_label_formatter(&|v| decade(*v))
        .draw()
        .ok()?;
    // The origin has no place on log axes; zeros are drawn at the floor, so a curve that rises at
    // FPR 0 starts on the left edge.
    diagonal_and_curves(&mut chart, lines, floor, |f, t| {
        (f > 0.0 || t > 0.0).then(|| (f.max(floor), t.max(floor)))
    })
}

/// The chance diagonal from (`lo`, `lo`) to (1, 1), dashed, and every curve, its points placed by
/// `at` (`None`: left out).
fn diagonal_and_curves<'a, DB: DrawingBackend + 'a, CT: CoordTranslate<From = (f64, f64)>>(
    chart: &mut ChartContext<'a, DB, CT>,
    lines: &[RocLine],
    lo: f64,
    at: impl Fn(f64, f64) -> Option<(f64, f64)>,
) -> Option<()> {
    chart
        .draw_series(DashedLineSeries::new(
            [(lo, lo), (1.0, 1.0)],
            6,
            4,
            CHANCE.stroke_width(1),
        ))
        .ok()?;
    for l in lines {
        chart
            .draw_series(LineSeries::new(
                l.fpr.iter().zip(l.tpr).filter_map(|(&f, &t)| at(f, t)),
                l.colour.stroke_width(2),
            ))
            .ok()?;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_floor_is_the_decade_at_or_below_one_over_n() {
        for (n, floor) in [
            (0, 1e-4),
            (1, 0.1),
            (10, 0.1),
            (11, 0.01),
            (500, 0.001),
            (1000, 0.001),
            (1001, 1e-4),
            (1_000_000, 1e-4),
        ] {
            assert_eq!(log_floor(n), floor, "n = {n}");
        }
    }
}
