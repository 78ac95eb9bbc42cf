//! The simulator's outcome (its request is the engine's `SimulationParams`).

use mia_engine::attack::report::ModelSummary;
use mia_engine::simulator::{SimulationParams, SweepPoint};
use mia_engine::SignalReport;
use serde::{Deserialize, Serialize};

/// A finished simulation: the attack on the simulated scores, the closed form, and the sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimulationOutcome {
    pub params: SimulationParams,
    pub summary: ModelSummary,
    pub report: SignalReport,
    /// Closed forms for the (unclipped) normal family; `None` for beta.
    pub analytic_auc: Option<f64>,
    pub analytic_roc: Option<(Vec<f64>, Vec<f64>)>,
    pub sweep: Vec<SweepPoint>,
}
