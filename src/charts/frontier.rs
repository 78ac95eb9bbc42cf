//! The privacy–utility frontier: every grid setting as a point (utility, strongest attack's AUC),
//! the Pareto-optimal ones joined, the current setting marked.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::palette::{ATTACK, AXIS, CHANCE, INK, MEMBER};

/// One plotted setting: (x, strongest attack's AUC, on the frontier).
pub type FrontierDot = (f64, f64, bool);

/// Draws the points; `current` is (x, max AUC) of the chosen setting.
pub fn draw_frontier(
    canvas: &HtmlCanvasElement,
    points: &[FrontierDot],
    current: (f64, f64),
    x_label: &str,
) -> Option<()> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).ok()?;
    let xs = points.iter().map(|p| p.0).chain([current.0]);
    let ys = points.iter().map(|p| p.1).chain([current.1]);
    let (x0, x1) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let (y0, y1) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let pad = |a: f64, b: f64| ((b - a) * 0.08).max(0.005);
    let (px, py) = (pad(x0, x1), pad(y0, y1));
    let mut chart = ChartBuilder::on(&root)
        .margin(10)
        .x_label_area_size(42)
        .y_label_area_size(56)
        .build_cartesian_2d((x0 - px)..(x1 + px), (y0 - py)..(y1 + py))
        .ok()?;
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc("strongest attack's AUC")
        .light_line_style(CHANCE.mix(0.1))
        .bold_line_style(CHANCE.mix(0.2))
        .label_style(("sans-serif", 12).into_font().color(&AXIS))
        .axis_desc_style(("sans-serif", 13).into_font().color(&AXIS))
        .x_label_formatter(&|v| format!("{:.3}", v))
        .y_label_formatter(&|v| format!("{:.3}", v))
        .draw()
        .ok()?;
    chart
        .draw_series(
            points
                .iter()
                .filter(|p| !p.2)
                .map(|p| Circle::new((p.0, p.1), 3, CHANCE.mix(0.7).filled())),
        )
        .ok()?
        .label("grid setting")
        .legend(|(x, y)| Circle::new((x + 6, y), 3, CHANCE.filled()));
    let mut frontier: Vec<(f64, f64)> = points.iter().filter(|p| p.2).map(|p| (p.0, p.1)).collect();
    frontier.sort_by(|a, b| a.0.total_cmp(&b.0));
    chart
        .draw_series(LineSeries::new(frontier.clone(), ATTACK.stroke_width(2)))
        .ok()?;
    chart
        .draw_series(frontier.iter().map(|&p| Circle::new(p, 4, ATTACK.filled())))
        .ok()?
        .label("on the frontier")
        .legend(|(x, y)| Circle::new((x + 6, y), 4, ATTACK.filled()));
    chart
        .draw_series([Cross::new(current, 7, MEMBER.stroke_width(3))])
        .ok()?
        .label("your setting")
        .legend(|(x, y)| Cross::new((x + 6, y), 5, MEMBER.stroke_width(2)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(INK.mix(0.3))
        .label_font(("sans-serif", 12))
        .draw()
        .ok()?;
    root.present().ok()
}
