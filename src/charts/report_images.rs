//! The charts of the review report, drawn at a fixed size on canvases that are never shown, so
//! the report looks the same whichever view is on screen and however wide the window is.

use mia_engine::checklist::review_report::ChartImage;
use mia_engine::SignalReport;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

use super::histogram::draw_histogram;
use super::roc::{draw_roc, RocAxes, RocOverlays};
use crate::format::sig;

const WIDTH: u32 = 900;

fn canvas(height: u32) -> Option<HtmlCanvasElement> {
    let c: HtmlCanvasElement = web_sys::window()?
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    c.set_width(WIDTH);
    c.set_height(height);
    Some(c)
}

fn png(c: &HtmlCanvasElement, title: String) -> Option<ChartImage> {
    Some(ChartImage {
        title,
        png_data_url: c.to_data_url_with_type("image/png").ok()?,
    })
}

/// The histogram of `spread` (the logit-scaled confidence when the audit has it: confidences bunch
/// near 1, where a histogram shows nothing) at the attacker's best threshold, and the ROC curve of
/// the strongest signal `r` in linear and log-log axes.
pub fn report_charts(r: &SignalReport, spread: Option<&SignalReport>) -> Vec<ChartImage> {
    let mut out = Vec::new();
    let h = spread.unwrap_or(r);
    let h_threshold = h.shown_threshold(None, h.histogram.lo);
    if let Some(c) = canvas(480) {
        if draw_histogram(&c, &h.histogram, h_threshold, h.signal.title()).is_some() {
            out.extend(png(
                &c,
                format!(
                    "Scores of members and non-members: {}, threshold at the attacker's best",
                    h.signal.title()
                ),
            ));
        }
    }
    let threshold = r.shown_threshold(None, r.histogram.lo);
    let (tpr, fpr, _) = r.roc.at_threshold(threshold);
    let name = r.signal.title();
    let label = format!("{} (AUC {})", r.signal.key(), sig(r.auc, 4));
    for (axes, what) in [
        (RocAxes::Linear, "linear axes"),
        (RocAxes::LogLog, "log-log axes"),
    ] {
        if let Some(c) = canvas(640) {
            if draw_roc(
                &c,
                &r.roc.fpr,
                &r.roc.tpr,
                (fpr, tpr),
                axes,
                &label,
                RocOverlays::default(),
            )
            .is_some()
            {
                out.extend(png(&c, format!("ROC curve, {what}: {name}")));
            }
        }
    }
    out
}
