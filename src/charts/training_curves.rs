//! The training lab's curves, epoch by epoch, in a grid of panels (two columns, one on a phone):
//! train and held-out loss; train and held-out accuracy; the generalisation gap over the seed
//! design's bands (medium above 0.1, high above 0.3, the engine's `GAP_MEDIUM` and `GAP_HIGH`)
//! with the target gap of the privacy-aware stop; the threshold attack on the current model (AUC
//! and TPR at 1 % FPR, as TensorFlow Privacy's "privacy vs epoch" report); and, with DP-SGD, the
//! ε spent. The x axes run to the planned number of epochs, so the curves grow as epochs arrive.

use mia_engine::training::run::{EpochRecord, GAP_HIGH, GAP_MEDIUM};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use web_sys::HtmlCanvasElement;

use super::legend_below::{LegendEntry, LegendLayout, Mark};
use super::line_panel::{chart, dashed, line, mesh, padded};
use super::palette::{ANALYTIC, ATTACK, AXIS, CHANCE, DP_BOUND, INK, MEMBER, NONMEMBER, ORANGE};
use super::panels::{columns, extent, panel_grid, Area};

/// The series' colours: the members are the training set.
const TRAIN: RGBColor = MEMBER;
const HELD_OUT: RGBColor = NONMEMBER;
const GAP: RGBColor = INK;
const AUC: RGBColor = ATTACK;
const TPR: RGBColor = ANALYTIC;
const EPSILON: RGBColor = DP_BOUND;
/// The gap bands' shading: light amber (medium) and light red (high).
const MEDIUM_BAND: RGBColor = ORANGE;
const HIGH_BAND: RGBColor = DP_BOUND;

/// The panels, in their order on the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Panel {
    Loss,
    Accuracy,
    Gap,
    Attack,
    Epsilon,
}

/// Draws the curves of `history` on an x axis to `planned_epochs` (or the last recorded epoch,
/// if later), with the target gap of the privacy-aware stop if any, and sets the canvas's height
/// to fit them.
pub fn draw_training_curves(
    canvas: &HtmlCanvasElement,
    history: &[EpochRecord],
    planned_epochs: usize,
    target_gap: Option<f64>,
) -> Option<()> {
    let target_gap = target_gap.filter(|g| g.is_finite());
    let with_epsilon = history
        .iter()
        .any(|r| r.epsilon.is_some_and(f64::is_finite));
    let mut panels = vec![Panel::Loss, Panel::Accuracy, Panel::Gap, Panel::Attack];
    if with_epsilon {
        panels.push(Panel::Epsilon);
    }
    let entries = legend_entries(target_gap.is_some(), with_epsilon);
    let width = canvas.width();
    let cols = columns(width, 2);
    let legend = LegendLayout::of(width, &entries);
    let grid = panel_grid(
        canvas,
        panels.len(),
        cols,
        panel_height(width, cols),
        &legend,
    )?;
    let last_epoch = history.iter().map(|r| r.epoch).max().unwrap_or(0);
    let x1 = planned_epochs.max(last_epoch).max(1) as f64;
    for (panel, cell) in panels.iter().zip(&grid.cells) {
        match panel {
            Panel::Loss => draw_loss(cell, history, x1)?,
            Panel::Accuracy => draw_accuracy(cell, history, x1)?,
            Panel::Gap => draw_gap(cell, history, x1, target_gap)?,
            Panel::Attack => draw_attack(cell, history, x1)?,
            Panel::Epsilon => draw_epsilon(cell, history, x1)?,
        }
    }
    legend.draw(&grid.below, &entries)?;
    grid.root.present().ok()
}

/// One panel's height at a canvas `width` split in `cols` columns.
fn panel_height(width: u32, cols: usize) -> u32 {
    let panel_width = width as f64 / cols.max(1) as f64;
    ((panel_width * 0.72) as u32).clamp(200, 260)
}

fn legend_entries(with_target: bool, with_epsilon: bool) -> Vec<LegendEntry> {
    let entry = |colour: RGBColor, label: &str, mark: Mark| LegendEntry {
        colour,
        label: label.into(),
        mark,
    };
    let mut entries = vec![
        entry(TRAIN, "train (members)", Mark::Line),
        entry(HELD_OUT, "held-out", Mark::Line),
        entry(GAP, "generalisation gap", Mark::Line),
    ];
    if with_target {
        entries.push(entry(GAP, "target gap", Mark::Dashed));
    }
    entries.extend([
        entry(AUC, "attack AUC", Mark::Line),
        entry(TPR, "attack TPR at 1 % FPR", Mark::Line),
        entry(CHANCE, "chance (AUC 0.5)", Mark::Dashed),
    ]);
    if with_epsilon {
        entries.push(entry(EPSILON, "ε spent (DP-SGD)", Mark::Line));
    }
    entries
}

/// (epoch, figure) of every record whose figure is finite.
fn series(
    history: &[EpochRecord],
    figure: impl Fn(&EpochRecord) -> Option<f64>,
) -> Vec<(f64, f64)> {
    history
        .iter()
        .filter_map(|r| figure(r).map(|y| (r.epoch as f64, y)))
        .filter(|&(_, y)| y.is_finite())
        .collect()
}

fn draw_loss(area: &Area, history: &[EpochRecord], x1: f64) -> Option<()> {
    let train = series(history, |r| Some(r.train_loss));
    let held_out = series(history, |r| Some(r.held_out_loss));
    let range = match extent(train.iter().chain(&held_out).map(|p| p.1)) {
        // Losses are not negative: the axis starts at 0 so that their size reads true.
        Some((lo, hi)) if lo >= 0.0 => (0.0, padded((lo, hi), 0.02).1),
        Some(e) => padded(e, 0.02),
        None => (0.0, 1.0),
    };
    let mut chart = chart(area, "Loss", x1, range)?;
    mesh(&mut chart, "epoch", x1, range)?;
    line(&mut chart, &train, TRAIN)?;
    line(&mut chart, &held_out, HELD_OUT)
}

fn draw_accuracy(area: &Area, history: &[EpochRecord], x1: f64) -> Option<()> {
    let train = series(history, |r| Some(r.train_accuracy));
    let held_out = series(history, |r| Some(r.held_out_accuracy));
    // Rates stay within [0, 1].
    let range = extent(train.iter().chain(&held_out).map(|p| p.1))
        .map(|e| padded(e, 0.02))
        .map_or((0.0, 1.0), |(lo, hi)| (lo.max(0.0), hi.min(1.0)));
    let mut chart = chart(area, "Accuracy", x1, range)?;
    mesh(&mut chart, "epoch", x1, range)?;
    line(&mut chart, &train, TRAIN)?;
    line(&mut chart, &held_out, HELD_OUT)
}

fn draw_gap(area: &Area, history: &[EpochRecord], x1: f64, target: Option<f64>) -> Option<()> {
    let gap = series(history, |r| Some(r.gap));
    let (medium, high) = (Some(GAP_MEDIUM), Some(GAP_HIGH));
    // The bands' edges stay in view, so a small gap reads as small against them.
    let (lo, hi) = extent(
        gap.iter()
            .map(|p| p.1)
            .chain(target)
            .chain(medium)
            .chain(high)
            .chain([0.0]),
    )
    .unwrap_or((0.0, 1.0));
    let range = padded((lo, hi), 0.02);
    let (y0, y1) = range;
    let mut chart = chart(
        area,
        "Generalisation gap (held-out − train loss)",
        x1,
        range,
    )?;
    // The bands under the mesh: from each edge to the next (or the top), clipped to the panel.
    let bands = [
        (medium, high, MEDIUM_BAND, "medium"),
        (high, None, HIGH_BAND, "high"),
    ];
    let label_font = ("sans-serif", 11)
        .into_font()
        .color(&AXIS)
        .pos(Pos::new(HPos::Left, VPos::Bottom));
    for (from, to, colour, name) in bands {
        let Some(from) = from else { continue };
        let (a, b) = (from.max(y0), to.unwrap_or(y1).min(y1));
        if a >= b {
            continue;
        }
        chart
            .draw_series([Rectangle::new(
                [(0.0, a), (x1, b)],
                colour.mix(0.12).filled(),
            )])
            .ok()?;
        chart
            .draw_series(
                [EmptyElement::at((0.0, a)) + Text::new(name, (4, -2), label_font.clone())],
            )
            .ok()?;
    }
    mesh(&mut chart, "epoch", x1, range)?;
    if let Some(t) = target {
        dashed(&mut chart, x1, t, GAP.mix(0.8).stroke_width(1))?;
        chart
            .draw_series([EmptyElement::at((x1, t))
                + Text::new(
                    "target gap",
                    (-4, -2),
                    ("sans-serif", 11)
                        .into_font()
                        .color(&INK)
                        .pos(Pos::new(HPos::Right, VPos::Bottom)),
                )])
            .ok()?;
    }
    line(&mut chart, &gap, GAP)
}

fn draw_attack(area: &Area, history: &[EpochRecord], x1: f64) -> Option<()> {
    let auc = series(history, |r| Some(r.attack_auc));
    let tpr = series(history, |r| Some(r.attack_tpr_at_1_percent));
    let range = (0.0, 1.0);
    let mut chart = chart(area, "Attack on the current model", x1, range)?;
    mesh(&mut chart, "epoch", x1, range)?;
    dashed(&mut chart, x1, 0.5, CHANCE.stroke_width(1))?;
    line(&mut chart, &auc, AUC)?;
    line(&mut chart, &tpr, TPR)
}

fn draw_epsilon(area: &Area, history: &[EpochRecord], x1: f64) -> Option<()> {
    let epsilon = series(history, |r| r.epsilon);
    let top = extent(epsilon.iter().map(|p| p.1)).map_or(1.0, |(_, hi)| hi.max(0.0));
    let range = (0.0, (top * 1.1).max(0.1));
    let mut chart = chart(area, "ε spent", x1, range)?;
    mesh(&mut chart, "epoch", x1, range)?;
    line(&mut chart, &epsilon, EPSILON)
}
