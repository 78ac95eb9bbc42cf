//! The gap sweep: the attack's AUC and TPR at 1 % FPR as the generalization gap grows, over the
//! risk bands.

use mia_engine::simulator::SweepPoint;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::palette::{ANALYTIC, ATTACK, AXIS, CHANCE, INK, NONMEMBER};

/// Risk bands by AUC: (from, to, colour).
const BANDS: [(f64, f64, RGBColor); 4] = [
    (0.0, 0.55, RGBColor(26, 127, 55)),
    (0.55, 0.65, RGBColor(154, 103, 0)),
    (0.65, 0.75, RGBColor(188, 76, 0)),
    (0.75, 1.0, RGBColor(207, 34, 46)),
];

/// Draws the sweep and a vertical line at `current_gap`.
pub fn draw_sweep(
    canvas: &HtmlCanvasElement,
    points: &[SweepPoint],
    current_gap: f64,
) -> Option<()> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).ok()?;
    let mut chart = ChartBuilder::on(&root)
        .margin(10)
        .x_label_area_size(42)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..0.5, 0.0..1.0)
        .ok()?;
    for (lo, hi, c) in BANDS {
        chart
            .draw_series([Rectangle::new([(0.0, lo), (0.5, hi)], c.mix(0.08).filled())])
            .ok()?;
    }
    chart
        .configure_mesh()
        .x_desc("generalization gap (member mean − non-member mean)")
        .y_desc("AUC  /  TPR at 1% FPR")
        .light_line_style(CHANCE.mix(0.1))
        .bold_line_style(CHANCE.mix(0.2))
        .label_style(("sans-serif", 12).into_font().color(&AXIS))
        .axis_desc_style(("sans-serif", 13).into_font().color(&AXIS))
        .x_label_formatter(&|v| format!("{v:.2}"))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .draw()
        .ok()?;
    for (y, name) in [(0.55, "medium"), (0.65, "high"), (0.75, "critical")] {
        chart
            .draw_series([Text::new(
                name,
                (0.005, y + 0.012),
                ("sans-serif", 11).into_font().color(&AXIS),
            )])
            .ok()?;
    }
    chart
        .draw_series([PathElement::new(
            [(current_gap, 0.0), (current_gap, 1.0)],
            INK.stroke_width(1),
        )])
        .ok()?;
    chart
        .draw_series(LineSeries::new(
            points.iter().map(|p| (p.gap, p.auc)),
            ATTACK.stroke_width(2),
        ))
        .ok()?
        .label("AUC, simulated")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], ATTACK.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(
            points.iter().map(|p| (p.gap, p.tpr_at_1pct_fpr)),
            NONMEMBER.stroke_width(2),
        ))
        .ok()?
        .label("TPR at 1% FPR, simulated")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], NONMEMBER.stroke_width(2)));
    // The closed form goes on top, dashed, so it shows where the simulation follows it.
    if points.iter().any(|p| p.analytic_auc.is_some()) {
        chart
            .draw_series(DashedLineSeries::new(
                points
                    .iter()
                    .filter_map(|p| p.analytic_auc.map(|a| (p.gap, a))),
                6,
                4,
                ANALYTIC.stroke_width(2),
            ))
            .ok()?
            .label("AUC, closed form")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], ANALYTIC.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.9))
        .border_style(AXIS.mix(0.3))
        .label_font(("sans-serif", 12))
        .draw()
        .ok()?;
    root.present().ok()
}
