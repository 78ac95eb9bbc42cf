//! The privacy-generalization trade-off: the attack's strength as the gap grows.

use serde::{Deserialize, Serialize};

use super::{analytic_auc, simulate, simulated_table, Family, SimulationError, SimulationParams};
use crate::attack::threshold::attacker_advantage;
use crate::{auc, roc_curve, tpr_at_fpr, RiskLevel};

/// The gaps of the classic table.
pub const CLASSIC_GAPS: [f64; 4] = [0.05, 0.10, 0.20, 0.35];
/// Records per side used by the sweep (the sweep runs 51 simulations).
pub const SWEEP_MAX_PER_SIDE: usize = 20_000;

/// The attack at one gap.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    pub gap: f64,
    pub auc: f64,
    pub tpr_at_1pct_fpr: f64,
    pub advantage: f64,
    pub risk: RiskLevel,
    /// `Φ(gap/(std√2))` for the normal family; `None` for beta.
    pub analytic_auc: Option<f64>,
}

/// The gap grid 0, 0.01, …, 0.50 (exact hundredths).
pub fn sweep_gaps() -> Vec<f64> {
    (0..=50).map(|i| i as f64 / 100.0).collect()
}

/// One point of the sweep: `base` with `gap` and at most [`SWEEP_MAX_PER_SIDE`] records per side;
/// the seed is derived from the base seed and the gap so every point is reproducible.
pub fn sweep_point(base: &SimulationParams, gap: f64) -> Result<SweepPoint, SimulationError> {
    let p = SimulationParams {
        gap,
        n_members: base.n_members.min(SWEEP_MAX_PER_SIDE),
        n_nonmembers: base.n_nonmembers.min(SWEEP_MAX_PER_SIDE),
        seed: base.seed ^ ((gap * 100.0).round() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
        ..*base
    };
    let table = simulated_table(&simulate(&p)?);
    let conf = table.confidence.as_deref().unwrap_or(&[]);
    // Both sides have >= 10 records after validation, so the curve exists.
    let roc = roc_curve(&table.member.to_vec(), conf).map_err(|_| SimulationError::OutOfRange {
        name: "n_members",
        value: p.n_members as f64,
        min: super::params::N_RANGE.0 as f64,
        max: super::params::N_RANGE.1 as f64,
    })?;
    let a = auc(&roc);
    Ok(SweepPoint {
        gap,
        auc: a,
        tpr_at_1pct_fpr: tpr_at_fpr(&roc, 0.01).tpr,
        advantage: attacker_advantage(&roc),
        risk: RiskLevel::from_auc(a),
        analytic_auc: (base.family == Family::Normal)
            .then(|| analytic_auc(gap, base.std))
            .flatten(),
    })
}

/// The whole sweep over [`sweep_gaps`]. Gaps a beta family cannot reach (member mean ≥ 1) are
/// left out.
pub fn gap_sweep(base: &SimulationParams) -> Vec<SweepPoint> {
    sweep_gaps()
        .into_iter()
        .filter_map(|g| sweep_point(base, g).ok())
        .collect()
}
