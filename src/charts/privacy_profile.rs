//! The training lab's privacy-utility profile: each run of the profile as a point (held-out
//! accuracy, attack), the threshold attack's AUC in one panel and its TPR at 1 % FPR in the other
//! (side by side, stacked on a phone). The DP-SGD budgets are joined in increasing ε, then no DP
//! (ε = ∞), so the frontier reads as a curve; each non-DP defence alone is a square; the knee is
//! ringed. The figures are the engine's `ProfileRow`s (`mia_engine::training::profile`), the
//! seed design's "privacy-utility profiling before deployment"; the attack per run is the one
//! TensorFlow Privacy's "privacy vs epoch" report measures (members against held-out records).

use mia_engine::training::profile::{ProfileRow, ProfileVariant};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::axis_style::house_style;
use super::legend_below::{LegendEntry, LegendLayout, Mark};
use super::palette::{ATTACK, AXIS, CHANCE, INK, ORANGE};
use super::panels::{columns, extent, panel_grid, Area};

/// The DP-SGD budgets' curve and the defences' squares.
const DP: RGBColor = ATTACK;
const DEFENCE: RGBColor = ORANGE;

/// Chance for each panel's figure: AUC 0.5, and TPR = FPR = 1 % at 1 % FPR.
const CHANCE_AUC: f64 = 0.5;
const CHANCE_TPR_AT_1_PERCENT: f64 = 0.01;

type Chart<'a> = ChartContext<'a, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// One panel's figure of a row.
type Figure = fn(&ProfileRow) -> f64;

/// Draws `rows` (in any order) with the knee, the budget ε of [`knee`](mia_engine::training::profile::knee),
/// ringed, and sets the canvas's height to fit them.
pub fn draw_privacy_profile(
    canvas: &HtmlCanvasElement,
    rows: &[ProfileRow],
    knee: Option<f64>,
) -> Option<()> {
    let entries = legend_entries();
    let width = canvas.width();
    let legend = LegendLayout::of(width, &entries);
    let cols = columns(width, 2);
    let row_px = if cols == 2 {
        ((width as f64 * 0.4) as u32).clamp(240, 340)
    } else {
        ((width as f64 * 0.75) as u32).clamp(220, 300)
    };
    let grid = panel_grid(canvas, 2, cols, row_px, &legend)?;
    let auc: Figure = |r| r.attack_auc;
    let tpr: Figure = |r| r.attack_tpr_at_1_percent;
    let figures = [
        ("Attack AUC", "attack AUC", auc, CHANCE_AUC),
        (
            "Attack TPR at 1 % FPR",
            "TPR at 1 % FPR",
            tpr,
            CHANCE_TPR_AT_1_PERCENT,
        ),
    ];
    for (area, &(title, y_desc, figure, chance)) in grid.cells.iter().zip(&figures) {
        draw_panel(area, rows, knee, title, y_desc, figure, chance)?;
    }
    legend.draw(&grid.below, &entries)?;
    grid.root.present().ok()
}

fn legend_entries() -> Vec<LegendEntry> {
    vec![
        LegendEntry {
            colour: DP,
            label: "DP-SGD, ε increasing, then no DP (ε = ∞)".into(),
            mark: Mark::LineDot,
        },
        LegendEntry {
            colour: DEFENCE,
            label: "one non-DP defence alone".into(),
            mark: Mark::Bar,
        },
        LegendEntry {
            colour: CHANCE,
            label: "chance".into(),
            mark: Mark::Dashed,
        },
    ]
}

/// The budget of a DP-SGD run (∞ without DP); `None` for the other defences.
fn budget(variant: ProfileVariant) -> Option<f64> {
    match variant {
        ProfileVariant::Dp { epsilon } => Some(epsilon),
        ProfileVariant::NoDp => Some(f64::INFINITY),
        _ => None,
    }
}

/// A label short enough to sit next to its point.
fn short_label(variant: ProfileVariant) -> String {
    match variant {
        ProfileVariant::Dp { epsilon } => format!("ε={epsilon}"),
        ProfileVariant::NoDp => "no DP".into(),
        ProfileVariant::L2 => "L2".into(),
        ProfileVariant::Dropout => "dropout".into(),
        ProfileVariant::LabelSmoothing => "smoothing".into(),
        ProfileVariant::Clipping => "clipping".into(),
        ProfileVariant::EarlyStopping => "early stop".into(),
    }
}

/// Whether `variant` is the budget `knee`.
fn is_knee(variant: ProfileVariant, knee: Option<f64>) -> bool {
    match (budget(variant), knee) {
        (Some(b), Some(k)) if b.is_infinite() || k.is_infinite() => b == k,
        (Some(b), Some(k)) => (b - k).abs() <= 1e-9 * k.abs().max(1.0),
        _ => false,
    }
}

/// A rate's axis: the range of `values` with room for the labels, within [0, 1].
fn rate_range(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    extent(values).map_or((0.0, 1.0), |(lo, hi)| {
        let pad = ((hi - lo) * 0.12).max(0.02);
        ((lo - pad).max(0.0), (hi + pad).min(1.0))
    })
}

fn decimals(span: f64) -> usize {
    if span < 0.1 {
        3
    } else {
        2
    }
}

fn draw_panel(
    area: &Area,
    rows: &[ProfileRow],
    knee: Option<f64>,
    title: &str,
    y_desc: &str,
    figure: Figure,
    chance: f64,
) -> Option<()> {
    // (x, y, row) of every row with both figures.
    let points: Vec<(f64, f64, &ProfileRow)> = rows
        .iter()
        .map(|r| (r.held_out_accuracy, figure(r), r))
        .filter(|(x, y, _)| x.is_finite() && y.is_finite())
        .collect();
    let (x0, x1) = rate_range(points.iter().map(|p| p.0));
    // Chance stays in view, so a run's distance from it reads; no runs yet, the whole scale.
    let (y0, y1) = if points.is_empty() {
        (0.0, 1.0)
    } else {
        rate_range(points.iter().map(|p| p.1).chain([chance]))
    };
    let mut chart: Chart = ChartBuilder::on(area)
        .margin(10)
        .caption(title, ("sans-serif", 13).into_font().color(&AXIS))
        .x_label_area_size(40)
        .y_label_area_size(52)
        .build_cartesian_2d(x0..x1, y0..y1)
        .ok()?;
    let (dx, dy) = (decimals(x1 - x0), decimals(y1 - y0));
    house_style(&mut chart.configure_mesh())
        .x_desc("held-out accuracy")
        .y_desc(y_desc)
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|v| format!("{v:.dx$}"))
        .y_label_formatter(&|v| format!("{v:.dy$}"))
        .draw()
        .ok()?;
    chart
        .draw_series(DashedLineSeries::new(
            [(x0, chance), (x1, chance)],
            6,
            4,
            CHANCE.stroke_width(1),
        ))
        .ok()?;
    if points.is_empty() {
        // Above the chance lines, which sit low on the whole scale.
        let centre = ((x0 + x1) / 2.0, y0 + 0.75 * (y1 - y0));
        chart
            .draw_series([Text::new(
                "Run the profile to see the trade-off",
                centre,
                ("sans-serif", 13)
                    .into_font()
                    .color(&AXIS)
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            )])
            .ok()?;
        return Some(());
    }
    // The budgets' curve, from the strictest to no DP.
    let mut curve: Vec<(f64, (f64, f64))> = points
        .iter()
        .filter_map(|&(x, y, r)| budget(r.variant).map(|b| (b, (x, y))))
        .collect();
    curve.sort_by(|a, b| a.0.total_cmp(&b.0));
    chart
        .draw_series(LineSeries::new(
            curve.iter().map(|c| c.1),
            DP.stroke_width(2),
        ))
        .ok()?;
    // The marks first, so that the labels can keep clear of all of them.
    let mut taken: Vec<PxRect> = Vec::with_capacity(3 * points.len());
    for &(x, y, r) in &points {
        let at = EmptyElement::at((x, y));
        if budget(r.variant).is_some() {
            chart
                .draw_series([at + Circle::new((0, 0), 4, DP.filled())])
                .ok()?;
        } else {
            chart
                .draw_series([at + Rectangle::new([(-4, -4), (4, 4)], DEFENCE.filled())])
                .ok()?;
        }
        taken.push(around(chart.backend_coord(&(x, y)), 5));
    }
    let knees: Vec<(f64, f64)> = points
        .iter()
        .filter(|p| is_knee(p.2.variant, knee))
        .map(|p| (p.0, p.1))
        .collect();
    for &(x, y) in &knees {
        chart
            .draw_series([EmptyElement::at((x, y)) + Circle::new((0, 0), 9, INK.stroke_width(2))])
            .ok()?;
        taken.push(around(chart.backend_coord(&(x, y)), 10));
    }
    // Then the labels, each where it overlaps least: the knee's word, the budgets (above their
    // point by preference), the defences (below theirs).
    let font = ("sans-serif", 11)
        .into_font()
        .color(&INK)
        .pos(Pos::new(HPos::Left, VPos::Top));
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let bounds = (xs.start, ys.start, xs.end, ys.end);
    let mut labels: Vec<(f64, f64, String, i32, bool)> = knees
        .iter()
        .map(|&(x, y)| (x, y, "knee".to_string(), 10, false))
        .collect();
    let mut ordered: Vec<&(f64, f64, &ProfileRow)> = points.iter().collect();
    ordered.sort_by_key(|p| budget(p.2.variant).is_none());
    labels.extend(ordered.iter().map(|&&(x, y, r)| {
        let is_budget = budget(r.variant).is_some();
        (x, y, short_label(r.variant), 5, is_budget)
    }));
    for (x, y, label, clearance, above_first) in labels {
        let size = chart
            .plotting_area()
            .estimate_text_size(&label, &font)
            .map_or(((label.chars().count() * 7) as i32, 12), |(w, h)| {
                (w as i32, h as i32)
            });
        let at = chart.backend_coord(&(x, y));
        let spot = place_label(at, size, clearance, &taken, bounds, above_first);
        taken.push(spot);
        chart
            .draw_series([EmptyElement::at((x, y))
                + Text::new(label, (spot.0 - at.0, spot.1 - at.1), font.clone())])
            .ok()?;
    }
    Some(())
}

/// A box in canvas pixels: (left, top, right, bottom).
type PxRect = (i32, i32, i32, i32);

/// The box of half-width `r` around `(x, y)`.
fn around((x, y): (i32, i32), r: i32) -> PxRect {
    (x - r, y - r, x + r, y + r)
}

/// The area `a` and `b` share.
fn overlap(a: PxRect, b: PxRect) -> i64 {
    let w = (a.2.min(b.2) - a.0.max(b.0)).max(0) as i64;
    let h = (a.3.min(b.3) - a.1.max(b.1)).max(0) as i64;
    w * h
}

/// Where a label of `(w, h)` pixels goes next to a mark at `at` that takes `clearance` pixels
/// each way: of the spots right, left and centred, above and below (above first when
/// `above_first`), the first that lies inside `bounds` and overlaps nothing `taken`; failing
/// that, the one least outside and then least overlapping.
fn place_label(
    at: (i32, i32),
    (w, h): (i32, i32),
    clearance: i32,
    taken: &[PxRect],
    bounds: PxRect,
    above_first: bool,
) -> PxRect {
    let (x, y) = at;
    let c = clearance + 1;
    let above = y - c + 2 - h;
    let below = y + c - 2;
    let rows = if above_first {
        [above, below]
    } else {
        [below, above]
    };
    let lefts = [x + c, x - c - w, x - w / 2];
    let spots = rows.iter().flat_map(|&top| {
        lefts
            .iter()
            .map(move |&left| (left, top, left + w, top + h))
    });
    let area = (w.max(0) as i64) * (h.max(0) as i64);
    spots
        .min_by_key(|&spot| {
            let outside = area - overlap(spot, bounds);
            let covered: i64 = taken.iter().map(|&t| overlap(spot, t)).sum();
            (outside, covered)
        })
        .unwrap_or((x, y, x + w, y + h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_knee_is_the_budget_it_names() {
        let dp = |epsilon| ProfileVariant::Dp { epsilon };
        assert!(is_knee(dp(2.0), Some(2.0)));
        assert!(!is_knee(dp(1.0), Some(2.0)));
        assert!(!is_knee(dp(2.0), None));
        assert!(!is_knee(ProfileVariant::L2, Some(2.0)));
        assert!(is_knee(ProfileVariant::NoDp, Some(f64::INFINITY)));
        assert!(!is_knee(ProfileVariant::NoDp, Some(8.0)));
    }

    #[test]
    fn labels_keep_clear_of_marks_and_edges() {
        let bounds = (0, 0, 200, 100);
        // Free room: right of the mark, above it.
        let spot = place_label((50, 50), (30, 10), 5, &[], bounds, true);
        assert_eq!(spot.0, 56);
        assert!(spot.3 <= 50);
        // At the right edge: to the left instead.
        let spot = place_label((195, 50), (30, 10), 5, &[], bounds, true);
        assert!(spot.2 <= 200 && spot.0 < 195);
        // Above taken: below.
        let taken = [(40, 0, 120, 50)];
        let spot = place_label((50, 50), (30, 10), 5, &taken, bounds, true);
        assert!(spot.1 >= 50);
        assert_eq!(overlap(spot, taken[0]), 0);
    }

    #[test]
    fn empty_rates_get_the_unit_range() {
        assert_eq!(rate_range([]), (0.0, 1.0));
        assert_eq!(rate_range([f64::NAN]), (0.0, 1.0));
        let (lo, hi) = rate_range([0.5, 0.5]);
        assert!(lo < 0.5 && hi > 0.5 && lo >= 0.0 && hi <= 1.0);
    }
}
