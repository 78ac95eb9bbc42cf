//! A legend drawn under a chart's plot, in as many columns as the widest label allows. Inside the
//! plot, seven labels would hide the curves on a phone; under it they never do, and an exported
//! PNG keeps them.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::palette::INK;

/// How an entry's sample is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Line,
    Dashed,
    /// A line with a dot on it (a series drawn with markers).
    LineDot,
    /// A filled box (bars).
    Bar,
}

/// One legend entry.
pub struct LegendEntry {
    pub colour: RGBColor,
    pub label: String,
    pub mark: Mark,
}

/// Left margin and the sample's width before the label.
const INDENT_PX: u32 = 10;
const SAMPLE_PX: u32 = 30;
/// Space between columns.
const GAP_PX: u32 = 16;
/// Space above and below the rows.
const PAD_PX: u32 = 6;
/// Font sizes tried, largest first, until the widest label fits the width.
const FONT_PX: [f64; 3] = [12.0, 11.0, 10.0];

/// Where the entries go at one width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LegendLayout {
    cols: usize,
    col_px: u32,
    font_px: f64,
    /// Pixels the legend takes under the plot.
    pub height: u32,
}

impl LegendLayout {
    /// The layout of `entries` at `width` pixels: up to three columns, the font made smaller (to
    /// 10 px) if the widest label would not fit on one line.
    pub fn of(width: u32, entries: &[LegendEntry]) -> LegendLayout {
        let widest_at = |font_px: f64| {
            let font = FontDesc::new(FontFamily::SansSerif, font_px, FontStyle::Normal);
            entries
                .iter()
                .map(|e| {
                    font.box_size(&e.label).map_or(
                        (e.label.chars().count() as f64 * font_px * 0.6) as u32,
                        |b| b.0,
                    )
                })
                .max()
                .unwrap_or(0)
                + INDENT_PX
                + SAMPLE_PX
                + GAP_PX
        };
        let (font_px, widest) = FONT_PX
            .iter()
            .map(|&f| (f, widest_at(f)))
            .find(|&(_, w)| w <= width)
            .unwrap_or_else(|| (FONT_PX[2], widest_at(FONT_PX[2])));
        let cols = ((width / widest.max(1)) as usize).clamp(1, 3);
        let rows = entries.len().div_ceil(cols) as u32;
        LegendLayout {
            cols,
            col_px: width / cols as u32,
            font_px,
            height: rows * Self::row_px(font_px) + 2 * PAD_PX,
        }
    }

    fn row_px(font_px: f64) -> u32 {
        font_px as u32 + 7
    }

    /// Draws `entries` row by row on `area` (the strip of [`height`](Self::height) under the plot).
    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        entries: &[LegendEntry],
    ) -> Option<()> {
        let font = ("sans-serif", self.font_px)
            .into_font()
            .color(&INK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let row_px = Self::row_px(self.font_px);
        for (i, e) in entries.iter().enumerate() {
            let x = (INDENT_PX + (i % self.cols) as u32 * self.col_px) as i32;
            let y = (PAD_PX + (i / self.cols) as u32 * row_px + row_px / 2) as i32;
            let stroke = e.colour.stroke_width(2);
            let segments: &[(i32, i32)] = match e.mark {
                Mark::Line | Mark::LineDot => &[(0, 22)],
                Mark::Dashed => &[(0, 8), (14, 22)],
                Mark::Bar => &[],
            };
            for &(a, b) in segments {
                area.draw(&PathElement::new([(x + a, y), (x + b, y)], stroke))
                    .ok()?;
            }
            match e.mark {
                Mark::LineDot => {
                    area.draw(&Circle::new((x + 11, y), 3, e.colour.filled()))
                        .ok()?;
                }
                Mark::Bar => {
                    area.draw(&Rectangle::new(
                        [(x + 5, y - 6), (x + 17, y + 6)],
                        e.colour.mix(0.6).filled(),
                    ))
                    .ok()?;
                }
                Mark::Line | Mark::Dashed => {}
            }
            let label_x = x + SAMPLE_PX as i32;
            area.draw(&Text::new(e.label.as_str(), (label_x, y), font.clone()))
                .ok()?;
        }
        Some(())
    }
}

/// Sets `canvas`'s height to `plot_px` plus the legend's, if it differs (setting it clears the
/// canvas, which is redrawn next anyway).
pub fn fit_height(canvas: &web_sys::HtmlCanvasElement, plot_px: u32, legend: &LegendLayout) {
    let height = plot_px + legend.height;
    if canvas.height() != height {
        canvas.set_height(height);
    }
}
