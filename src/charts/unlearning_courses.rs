//! Unlearning in the training lab, live: for each method, the loss on the forget set over its
//! steps (gradient ascent) or epochs (fine-tuning, retraining), against the loss the retrained
//! model ends with (the gold standard's level, dashed), and the accuracy on the retained and the
//! held-out records along the way. Methods side by side, loss above accuracy; stacked on a phone.

use mia_engine::unlearning::lab::{MethodCourse, UnlearnMethod};
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

use super::legend_below::{LegendEntry, LegendLayout, Mark};
use super::line_panel::{chart, dashed, line, mesh, padded};
use super::palette::{ATTACK, INK, MEMBER, NONMEMBER};
use super::panels::{columns, extent, panel_grid, Area};

const FORGET: RGBColor = ATTACK;
const RETAIN: RGBColor = MEMBER;
const HELD_OUT: RGBColor = NONMEMBER;
const RETRAINED: RGBColor = INK;
/// At most this many points of a course are drawn.
const MAX_DRAWN: usize = 1_500;

/// Draws `courses` (in the order they ran) and sets the canvas's height to fit them.
pub fn draw_unlearning_courses(canvas: &HtmlCanvasElement, courses: &[MethodCourse]) -> Option<()> {
    let retrained = courses
        .iter()
        .find(|c| c.method == UnlearnMethod::Retrain && c.done)
        .and_then(|c| c.forget_losses.last().copied())
        .filter(|l| l.is_finite());
    let entry = |colour: RGBColor, label: &str, mark: Mark| LegendEntry {
        colour,
        label: label.into(),
        mark,
    };
    let mut entries = vec![
        entry(FORGET, "loss on the forget set", Mark::Line),
        entry(RETAIN, "accuracy, retained records", Mark::Line),
        entry(HELD_OUT, "accuracy, held-out records", Mark::Line),
    ];
    if retrained.is_some() {
        entries.push(entry(
            RETRAINED,
            "forget loss after retraining",
            Mark::Dashed,
        ));
    }
    let width = canvas.width();
    let n = courses.len().max(1);
    let cols = columns(width, n.min(3));
    let legend = LegendLayout::of(width, &entries);
    // Side by side: every method's loss in the first row, its accuracy under it. Stacked: each
    // method's two panels together.
    let order: Vec<(usize, bool)> = if cols > 1 {
        (0..n)
            .map(|i| (i, true))
            .chain((0..n).map(|i| (i, false)))
            .collect()
    } else {
        (0..n).flat_map(|i| [(i, true), (i, false)]).collect()
    };
    let row_px = ((width as f64 / cols as f64) * 0.62).clamp(180.0, 230.0) as u32;
    let grid = panel_grid(canvas, order.len(), cols, row_px, &legend)?;
    for (&(i, is_loss), cell) in order.iter().zip(&grid.cells) {
        let Some(c) = courses.get(i) else { continue };
        if is_loss {
            draw_loss(cell, c, retrained)?;
        } else {
            draw_accuracy(cell, c)?;
        }
    }
    legend.draw(&grid.below, &entries)?;
    grid.root.present().ok()
}

fn x_end(c: &MethodCourse) -> f64 {
    c.planned.max(c.forget_losses.len()).max(1) as f64
}

fn draw_loss(area: &Area, c: &MethodCourse, retrained: Option<f64>) -> Option<()> {
    // A long ascent is drawn from every k-th step (and the last): the canvas has fewer pixels.
    let stride = c.forget_losses.len().div_ceil(MAX_DRAWN).max(1);
    let last = c.forget_losses.len().saturating_sub(1);
    let points: Vec<(f64, f64)> = c
        .forget_losses
        .iter()
        .enumerate()
        .filter(|(i, _)| i % stride == 0 || *i == last)
        .map(|(i, &l)| ((i + 1) as f64, l))
        .filter(|p| p.1.is_finite())
        .collect();
    let reference = retrained.filter(|_| c.method != UnlearnMethod::Retrain);
    let range = match extent(points.iter().map(|p| p.1).chain(reference)) {
        Some((lo, hi)) if lo >= 0.0 => (0.0, padded((lo, hi), 0.02).1),
        Some(e) => padded(e, 0.02),
        None => (0.0, 1.0),
    };
    let x1 = x_end(c);
    // Gradient ascent's is the seed's loss on each step's forget batch; the others' the mean
    // over the whole forget set after each epoch.
    let title = match c.method {
        UnlearnMethod::GradientAscent(_) => "Gradient ascent: forget-batch loss".to_string(),
        _ => format!("{}: forget loss", c.method.kind().title()),
    };
    let mut chart = chart(area, &title, x1, range)?;
    mesh(&mut chart, c.method.kind().unit(), x1, range)?;
    if let Some(r) = reference {
        dashed(&mut chart, x1, r, RETRAINED.mix(0.8).stroke_width(1))?;
    }
    line(&mut chart, &points, FORGET)
}

fn draw_accuracy(area: &Area, c: &MethodCourse) -> Option<()> {
    let series = |f: fn(&mia_engine::unlearning::lab::AccuracyPoint) -> f64| -> Vec<(f64, f64)> {
        c.accuracy
            .iter()
            .map(|p| (p.step as f64, f(p)))
            .filter(|p| p.1.is_finite())
            .collect()
    };
    let retain = series(|p| p.retain);
    let held_out = series(|p| p.held_out);
    let range = extent(retain.iter().chain(&held_out).map(|p| p.1))
        .map(|e| padded(e, 0.02))
        .map_or((0.0, 1.0), |(lo, hi)| (lo.max(0.0), hi.min(1.0)));
    let x1 = x_end(c);
    let title = format!("{}: accuracy", c.method.kind().title());
    let mut chart = chart(area, &title, x1, range)?;
    mesh(&mut chart, c.method.kind().unit(), x1, range)?;
    line(&mut chart, &retain, RETAIN)?;
    line(&mut chart, &held_out, HELD_OUT)
}
