//! Drawing the synthetic scores.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Distribution, Normal};
use serde::{Deserialize, Serialize};

use super::params::beta_shape;
use super::{Family, SimulationError, SimulationParams};
use crate::{AuditTable, ColumnMapping};

/// Member and non-member scores of one simulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimulatedScores {
    pub members: Vec<f64>,
    pub nonmembers: Vec<f64>,
}

fn draw(
    rng: &mut ChaCha8Rng,
    family: Family,
    mean: f64,
    std: f64,
    n: usize,
) -> Result<Vec<f64>, SimulationError> {
    match family {
        Family::Normal => {
            // std >= 0.01 after validation, so Normal::new cannot fail; fall back to the mean.
            let d = Normal::new(mean, std).map_err(|_| SimulationError::OutOfRange {
                name: "std",
                value: std,
                min: super::params::STD_RANGE.0,
                max: super::params::STD_RANGE.1,
            })?;
            Ok((0..n).map(|_| d.sample(rng).clamp(0.0, 1.0)).collect())
        }
        Family::Beta => {
            let (a, b) = beta_shape(mean, std)?;
            let d = Beta::new(a, b).map_err(|_| SimulationError::BetaMeanOutside { mean })?;
            Ok((0..n).map(|_| d.sample(rng)).collect())
        }
    }
}

/// Draws `n_members` scores around `nonmember_mean + gap` and `n_nonmembers` around
/// `nonmember_mean`, with a ChaCha8 generator seeded from `seed` (members first, then
/// non-members), so results are identical on every platform.
///
/// # Examples
/// ```
/// use mia_engine::simulator::{simulate, SimulationParams};
/// let p = SimulationParams::default();
/// assert_eq!(simulate(&p).unwrap(), simulate(&p).unwrap());
/// ```
pub fn simulate(p: &SimulationParams) -> Result<SimulatedScores, SimulationError> {
    p.validate()?;
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let members = draw(&mut rng, p.family, p.member_mean(), p.std, p.n_members)?;
    let nonmembers = draw(&mut rng, p.family, p.nonmember_mean, p.std, p.n_nonmembers)?;
    Ok(SimulatedScores {
        members,
        nonmembers,
    })
}

/// The simulated scores as an audit table with a `confidence` column, so the simulator and the
/// CSV audit run the very same report code. Records are named "member 1", "non-member 1", ….
pub fn simulated_table(s: &SimulatedScores) -> AuditTable {
    let n = s.members.len() + s.nonmembers.len();
    let mut member = Vec::with_capacity(n);
    member.extend(std::iter::repeat_n(true, s.members.len()));
    member.extend(std::iter::repeat_n(false, s.nonmembers.len()));
    let mut confidence = Vec::with_capacity(n);
    confidence.extend_from_slice(&s.members);
    confidence.extend_from_slice(&s.nonmembers);
    let ids = (1..=s.members.len())
        .map(|i| format!("member {i}"))
        .chain((1..=s.nonmembers.len()).map(|i| format!("non-member {i}")))
        .collect();
    AuditTable {
        headers: vec!["id".into(), "member".into(), "confidence".into()],
        mapping: ColumnMapping {
            id: Some(0),
            member: Some(1),
            confidence: Some(2),
            ..ColumnMapping::default()
        },
        n_classes: 0,
        source_rows: (2..n as u64 + 2).collect(),
        ids: Some(ids),
        member: member.into(),
        label: None,
        confidence: Some(confidence),
        loss: None,
        probs: None,
        logits: None,
        shadow: None,
        folded: None,
    }
}
