//! The confidence-distribution simulator: synthetic member and non-member scores whose only
//! difference is a generalization gap, audited by the same threshold attack as a real CSV.

pub mod analytic;
pub mod params;
pub mod sample;
pub mod sweep;

pub use analytic::{analytic_auc, analytic_roc, analytic_tpr_at_fpr};
pub use params::{Family, SimulationError, SimulationParams};
pub use sample::{simulate, simulated_table, SimulatedScores};
pub use sweep::{gap_sweep, SweepPoint, CLASSIC_GAPS};
