//! Drawing the audit's charts with plotters on a canvas. Pure drawing: the figures come from the
//! engine's report.

pub mod axis_style;
pub mod frontier;
pub mod histogram;
pub mod legend_below;
pub mod line_panel;
pub mod palette;
pub mod panels;
pub mod privacy_profile;
pub mod qq_plot;
pub mod reference_counts;
pub mod reference_roc;
pub mod reference_trend;
pub mod report_images;
pub mod risk_timeline;
pub mod roc;
pub mod sweep;
pub mod training_curves;
pub mod unlearning_courses;

/// Where the plotting area of a drawn chart lies, to map pointer positions back to data.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct XAxisMap {
    pub left_px: f64,
    pub right_px: f64,
    pub lo: f64,
    pub hi: f64,
}

impl XAxisMap {
    /// The data value under canvas x-coordinate `px`, clamped to the axis.
    pub fn value_at(&self, px: f64) -> f64 {
        let w = (self.right_px - self.left_px).max(1.0);
        let t = ((px - self.left_px) / w).clamp(0.0, 1.0);
        // Weighted form: exact at both ends of the axis.
        self.lo * (1.0 - t) + self.hi * t
    }
}
