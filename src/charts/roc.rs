//! ROC curves, linear and log-log, with the chance diagonal and the current threshold's point.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::palette::{ANALYTIC, ATTACK, AXIS, CHANCE, DP_BOUND, INK};

/// The smallest FPR / TPR drawn on log axes; smaller values are drawn at this floor.
pub const LOG_FLOOR: f64 = 1e-4;

/// Which axes to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RocAxes {
    Linear,
    LogLog,
}

/// A second curve drawn dashed under the measured one (e.g. the closed form).
pub struct ReferenceCurve<'a> {
    pub fpr: &'a [f64],
    pub tpr: &'a [f64],
    pub label: &'a str,
}

/// What is drawn beside the measured curve.
#[derive(Default)]
pub struct RocOverlays<'a> {
    /// A second curve, dashed (e.g. the closed form).
    pub reference: Option<ReferenceCurve<'a>>,
    /// The (ε, δ)-DP bound: no attack's curve can lie above it.
    pub dp_bound: Option<(f64, f64)>,
}

/// Draws a ROC curve (`fpr`, `tpr` already thinned for drawing) and marks `point`.
pub fn draw_roc(
    canvas: &HtmlCanvasElement,
    fpr: &[f64],
    tpr: &[f64],
    point: (f64, f64),
    axes: RocAxes,
    label: &str,
    extra: RocOverlays,
) -> Option<()> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).ok()?;
    match axes {
        RocAxes::Linear => draw_linear(&root, fpr, tpr, point, label, extra),
        RocAxes::LogLog => draw_log(&root, fpr, tpr, point, label, extra),
    }?;
    root.present().ok()
}

/// Points of the DP bound's curve at `fprs`.
fn bound_points(fprs: impl Iterator<Item = f64>, (eps, delta): (f64, f64)) -> Vec<(f64, f64)> {
    fprs.map(|f| (f, mia_engine::dp::dp_tpr_bound(f, eps, delta)))
        .collect()
}

/// The DP bound, dashed, labelled with its ε and δ.
fn draw_bound<'a, DB: DrawingBackend + 'a, CT: CoordTranslate<From = (f64, f64)>>(
    chart: &mut ChartContext<'a, DB, CT>,
    points: Vec<(f64, f64)>,
    (eps, delta): (f64, f64),
) -> Option<()> {
    chart
        .draw_series(DashedLineSeries::new(
            points,
            8,
            4,
            DP_BOUND.stroke_width(2),
        ))
        .ok()?
        .label(format!(
            "DP bound (ε = {}, δ = {})",
            crate::format::sig(eps, 3),
            crate::format::probability(delta)
        ))
        .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], DP_BOUND.stroke_width(2)));
    Some(())
}

fn draw_linear(
    root: &DrawingArea<CanvasBackend, Shift>,
    fpr: &[f64],
    tpr: &[f64],
    point: (f64, f64),
    label: &str,
    extra: RocOverlays,
) -> Option<()> {
    let reference = extra.reference;
    let mut chart = ChartBuilder::on(root)
        .margin(10)
        .x_label_area_size(42)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)
        .ok()?;
    chart
        .configure_mesh()
        .x_desc("false positive rate")
        .y_desc("true positive rate")
        .x_labels(6)
        .y_labels(6)
        .light_line_style(CHANCE.mix(0.12))
        .bold_line_style(CHANCE.mix(0.25))
        .label_style(("sans-serif", 12).into_font().color(&AXIS))
        .axis_desc_style(("sans-serif", 13).into_font().color(&AXIS))
        .x_label_formatter(&|v| format!("{v:.1}"))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .draw()
        .ok()?;
    chart
        .draw_series(DashedLineSeries::new(
            [(0.0, 0.0), (1.0, 1.0)],
            6,
            4,
            CHANCE.stroke_width(1),
        ))
        .ok()?
        .label("chance")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], CHANCE.stroke_width(1)));
    if let Some(b) = extra.dp_bound {
        draw_bound(
            &mut chart,
            bound_points((0..=400).map(|i| i as f64 / 400.0), b),
            b,
        )?;
    }
    chart
        .draw_series(LineSeries::new(
            fpr.iter().copied().zip(tpr.iter().copied()),
            ATTACK.stroke_width(2),
        ))
        .ok()?
        .label(label)
        .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], ATTACK.stroke_width(2)));
    let reference = reference.map(|r| {
        (
            r.fpr.iter().copied().zip(r.tpr.iter().copied()).collect(),
            r.label,
        )
    });
    overlays(&mut chart, reference, point)?;
    legend(&mut chart, SeriesLabelPosition::LowerRight)
}

fn draw_log(
    root: &DrawingArea<CanvasBackend, Shift>,
    fpr: &[f64],
    tpr: &[f64],
    point: (f64, f64),
    label: &str,
    extra: RocOverlays,
) -> Option<()> {
    let reference = extra.reference;
    let floor = |v: f64| v.max(LOG_FLOOR);
    let mut chart = ChartBuilder::on(root)
        .margin(10)
        .x_label_area_size(42)
        .y_label_area_size(50)
        .build_cartesian_2d((LOG_FLOOR..1.0).log_scale(), (LOG_FLOOR..1.0).log_scale())
        .ok()?;
    chart
        .configure_mesh()
        .x_desc("false positive rate (log)")
        .y_desc("true positive rate (log)")
        .light_line_style(CHANCE.mix(0.12))
        .bold_line_style(CHANCE.mix(0.25))
        .label_style(("sans-serif", 12).into_font().color(&AXIS))
        .axis_desc_style(("sans-serif", 13).into_font().color(&AXIS))
        .x_label_formatter(&|v| crate::charts::axis_style::decade(*v))
        .y_label_formatter(&|v| crate::charts::axis_style::decade(*v))
        .draw()
        .ok()?;
    let diag: Vec<(f64, f64)> = (0..=40)
        .map(|i| 10f64.powf(-4.0 + 4.0 * i as f64 / 40.0))
        .map(|v| (v, v))
        .collect();
    chart
        .draw_series(DashedLineSeries::new(diag, 6, 4, CHANCE.stroke_width(1)))
        .ok()?
        .label("chance")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], CHANCE.stroke_width(1)));
    if let Some(b) = extra.dp_bound {
        let fprs = (0..=400).map(|i| 10f64.powf(-4.0 + 4.0 * i as f64 / 400.0));
        let pts = bound_points(fprs, b)
            .into_iter()
            .map(|(f, t)| (f, t.max(LOG_FLOOR)))
            .collect();
        draw_bound(&mut chart, pts, b)?;
    }
    // A step curve on log axes: skip the origin, floor zeros so the curve starts at the axes.
    chart
        .draw_series(LineSeries::new(
            fpr.iter()
                .zip(tpr)
                .skip(1)
                .map(|(&f, &t)| (floor(f), floor(t))),
            ATTACK.stroke_width(2),
        ))
        .ok()?
        .label(label)
        .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], ATTACK.stroke_width(2)));
    let reference = reference.map(|r| {
        let pts = r
            .fpr
            .iter()
            .zip(r.tpr)
            .filter(|(f, _)| **f > 0.0)
            .map(|(&f, &t)| (floor(f), floor(t)))
            .collect();
        (pts, r.label)
    });
    overlays(&mut chart, reference, (floor(point.0), floor(point.1)))?;
    legend(&mut chart, SeriesLabelPosition::LowerRight)
}

/// The reference curve (dashed, on top of the measured one) and the threshold's point, the same on
/// both axes.
fn overlays<'a, DB: DrawingBackend + 'a, CT: CoordTranslate<From = (f64, f64)>>(
    chart: &mut ChartContext<'a, DB, CT>,
    reference: Option<(Vec<(f64, f64)>, &str)>,
    point: (f64, f64),
) -> Option<()> {
    if let Some((points, label)) = reference {
        chart
            .draw_series(DashedLineSeries::new(
                points,
                6,
                4,
                ANALYTIC.stroke_width(2),
            ))
            .ok()?
            .label(label)
            .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], ANALYTIC.stroke_width(2)));
    }
    chart
        .draw_series([Circle::new(point, 5, INK.filled())])
        .ok()?
        .label("threshold")
        .legend(|(x, y)| Circle::new((x + 7, y), 4, INK.filled()));
    Some(())
}

fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    pos: SeriesLabelPosition,
) -> Option<()> {
    chart
        .configure_series_labels()
        .position(pos)
        .background_style(WHITE.mix(0.85))
        .border_style(AXIS.mix(0.3))
        .label_font(("sans-serif", 12))
        .draw()
        .ok()
}
