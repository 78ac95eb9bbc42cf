//! Charts of several panels above one legend (the training lab's curves, the privacy-utility
//! profile, the reference attacks' trend): the grid of panels, side by side when the canvas is
//! wide and stacked on a phone, and the legend's area below; and the y range their data needs.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::legend_below::{fit_height, LegendLayout};

/// From this canvas width, panels sit side by side; below it they are stacked.
pub const SIDE_BY_SIDE_PX: u32 = 560;

pub type Area = DrawingArea<CanvasBackend, Shift>;

/// A canvas split into panels and the legend's area.
pub struct PanelGrid {
    pub root: Area,
    /// One per panel, row by row.
    pub cells: Vec<Area>,
    pub below: Area,
}

/// The columns at canvas width `width`: `wide` side by side, or 1 on a narrow canvas.
pub fn columns(width: u32, wide: usize) -> usize {
    if width >= SIDE_BY_SIDE_PX {
        wide.max(1)
    } else {
        1
    }
}

/// Sizes `canvas` for `n` panels in `cols` columns, rows of `row_px` pixels, and `legend` below;
/// clears it and splits it. A last row with fewer panels than columns gives them its whole width.
pub fn panel_grid(
    canvas: &HtmlCanvasElement,
    n: usize,
    cols: usize,
    row_px: u32,
    legend: &LegendLayout,
) -> Option<PanelGrid> {
    let cols = cols.max(1);
    let rows = n.div_ceil(cols).max(1);
    let plot_px = rows as u32 * row_px;
    fit_height(canvas, plot_px, legend);
    let root = CanvasBackend::with_canvas_object(canvas.clone())?.into_drawing_area();
    root.fill(&WHITE).ok()?;
    let (plot, below) = root.split_vertically(plot_px);
    let mut cells = Vec::with_capacity(n);
    for (r, row) in plot.split_evenly((rows, 1)).iter().enumerate() {
        let in_row = n.saturating_sub(r * cols).min(cols).max(1);
        cells.extend(row.split_evenly((1, in_row)));
    }
    cells.truncate(n);
    Some(PanelGrid { root, cells, below })
}

/// The lowest and highest of the finite `values`; `None` when there are none.
pub fn extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extents_skip_what_is_not_finite() {
        assert_eq!(
            extent([f64::NAN, 2.0, f64::INFINITY, -1.0]),
            Some((-1.0, 2.0))
        );
        assert_eq!(extent([f64::NAN]), None);
    }

    #[test]
    fn narrow_canvases_stack_their_panels() {
        assert_eq!(columns(SIDE_BY_SIDE_PX, 2), 2);
        assert_eq!(columns(SIDE_BY_SIDE_PX - 1, 2), 1);
    }
}
