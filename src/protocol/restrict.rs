//! The restriction view's messages.

use mia_engine::restriction::frontier::FrontierPoint;
use mia_engine::restriction::{RestrictionReport, RestrictionSetting};
use serde::{Deserialize, Serialize};

use super::audit::InputSource;

/// What the restriction view asks of the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RestrictRequest {
    /// Restrict the outputs of `source` and compare the attack before and after; with
    /// `frontier`, also evaluate the settings grid. The worker keeps the last table read, so the
    /// same source again (a moved control) is not read again.
    Evaluate {
        source: InputSource,
        setting: RestrictionSetting,
        frontier: bool,
    },
    /// The restricted outputs of the last source read, as CSV.
    Export { setting: RestrictionSetting },
}

/// A restriction's effect, with the ROC curves of the confidence signal before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestrictionOutcome {
    pub source: InputSource,
    pub report: RestrictionReport,
    pub roc_before: mia_engine::RocCurve,
    pub roc_after: mia_engine::RocCurve,
    pub frontier: Option<Vec<FrontierPoint>>,
}
