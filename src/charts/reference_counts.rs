//! How many records have k IN and k OUT references, k = 0..M, as paired bars; the bars under 2
//! (where LiRA cannot estimate a record's own spread) on a shaded band.

use mia_engine::reference_attack::reference_counts::ReferenceCounts;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::axis_style::{house_style, whole};
use super::legend_below::{fit_height, LegendEntry, LegendLayout, Mark};
use super::palette::{CHANCE, MEMBER, NONMEMBER};

/// The legend's entries: IN bars in the members' colour, OUT bars in the non-members'.
fn entries() -> [LegendEntry; 2] {
    [
        LegendEntry {
            colour: MEMBER,
            label: "IN references (trained on the record)".into(),
            mark: Mark::Bar,
        },
        LegendEntry {
            colour: NONMEMBER,
            label: "OUT references (did not)".into(),
            mark: Mark::Bar,
        },
    ]
}

/// Draws the counts of M references and sets the canvas's height to fit them.
pub fn draw_reference_counts(canvas: &HtmlCanvasElement, counts: &ReferenceCounts) -> Option<()> {
    let entries = entries();
    let legend = LegendLayout::of(canvas.width(), &entries);
    let plot_px = ((canvas.width() as f64 * 0.45) as u32).clamp(200, 320);
    fit_height(canvas, plot_px, &legend);
    let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).ok()?;
    let (plot, below) = root.split_vertically(plot_px);
    let m = counts.n_in.len().max(counts.n_out.len()).saturating_sub(1) as f64;
    let y_max = counts
        .n_in
        .iter()
        .chain(&counts.n_out)
        .copied()
        .max()
        .unwrap_or(0)
        .max(1) as f64
        * 1.1;
    let mut chart = ChartBuilder::on(&plot)
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(-0.6..(m + 0.6), 0.0..y_max)
        .ok()?;
    // Fewer than 2 on a side: LiRA falls back to the global spread (or, with none, the mean
    // centre).
    chart
        .draw_series([Rectangle::new(
            [(-0.6, 0.0), (1.5f64.min(m + 0.6), y_max)],
            CHANCE.mix(0.12).filled(),
        )])
        .ok()?;
    house_style(&mut chart.configure_mesh())
        .disable_x_mesh()
        .x_desc("references per record (IN or OUT)")
        .y_desc("records")
        .y_labels(5)
        .x_label_formatter(&|v| whole(*v))
        .y_label_formatter(&|v| whole(*v))
        .draw()
        .ok()?;
    for (side, colour, offset) in [
        (&counts.n_in, MEMBER, -0.4),
        (&counts.n_out, NONMEMBER, 0.0),
    ] {
        chart
            .draw_series(
                side.iter()
                    .enumerate()
                    .filter(|(_, &c)| c > 0)
                    .map(|(k, &c)| {
                        let x = k as f64 + offset;
                        Rectangle::new([(x, 0.0), (x + 0.4, c as f64)], colour.mix(0.6).filled())
                    }),
            )
            .ok()?;
    }
    legend.draw(&below, &entries)?;
    root.present().ok()
}
