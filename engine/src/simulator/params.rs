//! The simulator's parameters and their valid ranges.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How confidences are distributed around their mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Family {
    /// Normal with the given mean and spread, clipped to `[0, 1]`: the classic textbook model.
    Normal,
    /// Beta with the same mean and spread (method of moments): skewed near 1.0, as real
    /// confidences are.
    Beta,
}

impl Family {
    pub fn key(self) -> &'static str {
        match self {
            Family::Normal => "normal",
            Family::Beta => "beta",
        }
    }

    pub fn from_key(s: &str) -> Option<Family> {
        match s {
            "normal" => Some(Family::Normal),
            "beta" => Some(Family::Beta),
            _ => None,
        }
    }
}

/// Everything that determines a simulation. The same parameters give the same scores on every
/// machine (ChaCha8 seeded from `seed`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SimulationParams {
    pub n_members: usize,
    pub n_nonmembers: usize,
    /// Member mean = non-member mean + gap.
    pub gap: f64,
    /// Standard deviation of both groups.
    pub std: f64,
    pub nonmember_mean: f64,
    pub family: Family,
    pub seed: u64,
}

impl Default for SimulationParams {
    fn default() -> Self {
        SimulationParams {
            n_members: 1_000,
            n_nonmembers: 1_000,
            gap: 0.1,
            std: 0.15,
            nonmember_mean: 0.5,
            family: Family::Normal,
            seed: 42,
        }
    }
}

/// Allowed ranges (inclusive).
pub const N_RANGE: (usize, usize) = (10, 1_000_000);
pub const GAP_RANGE: (f64, f64) = (0.0, 0.5);
pub const STD_RANGE: (f64, f64) = (0.01, 0.5);
pub const MEAN_RANGE: (f64, f64) = (0.0, 1.0);

/// Why parameters cannot be simulated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum SimulationError {
    OutOfRange {
        name: &'static str,
        value: f64,
        min: f64,
        max: f64,
    },
    /// A beta distribution with this mean cannot have this spread.
    BetaSpreadTooWide { mean: f64, std: f64, max_std: f64 },
    /// A beta distribution needs a mean strictly inside (0, 1).
    BetaMeanOutside { mean: f64 },
}

impl fmt::Display for SimulationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OutOfRange { name, value, min, max } => {
                write!(f, "{name} = {value} is outside {min} to {max}.")
            }
            Self::BetaSpreadTooWide { mean, std, max_std } => write!(
                f,
                "A beta distribution with mean {mean:.3} cannot have spread {std:.3} (at most {max_std:.3}). \
                 Lower the spread, move the means away from 0 and 1, or use the clipped normal."
            ),
            Self::BetaMeanOutside { mean } => write!(
                f,
                "A beta distribution needs a mean strictly between 0 and 1; the member mean is {mean:.3}. \
                 Lower the gap or the non-member mean, or use the clipped normal."
            ),
        }
    }
}

impl std::error::Error for SimulationError {}

impl SimulationParams {
    /// Mean of the members' scores.
    pub fn member_mean(&self) -> f64 {
        self.nonmember_mean + self.gap
    }

    /// Checks every parameter's range, and that a beta family can have the requested moments.
    pub fn validate(&self) -> Result<(), SimulationError> {
        let check = |name, value: f64, (min, max): (f64, f64)| {
            if value.is_finite() && value >= min && value <= max {
                Ok(())
            } else {
                Err(SimulationError::OutOfRange {
                    name,
                    value,
                    min,
                    max,
                })
            }
        };
        let n_range = (N_RANGE.0 as f64, N_RANGE.1 as f64);
        check("n_members", self.n_members as f64, n_range)?;
        check("n_nonmembers", self.n_nonmembers as f64, n_range)?;
        check("gap", self.gap, GAP_RANGE)?;
        check("std", self.std, STD_RANGE)?;
        check("nonmember_mean", self.nonmember_mean, MEAN_RANGE)?;
        if self.family == Family::Beta {
            for mean in [self.nonmember_mean, self.member_mean()] {
                beta_shape(mean, self.std)?;
            }
        }
        Ok(())
    }
}

/// Beta shape parameters `(α, β)` with the given mean and standard deviation (method of moments):
/// `k = m(1 − m)/s² − 1`, `α = m·k`, `β = (1 − m)·k`.
///
/// # Examples
/// ```
/// let (a, b) = mia_engine::simulator::params::beta_shape(0.5, 0.1).unwrap();
/// assert!((a - 12.0).abs() < 1e-9 && (b - 12.0).abs() < 1e-9);
/// ```
pub fn beta_shape(mean: f64, std: f64) -> Result<(f64, f64), SimulationError> {
    if !(mean > 0.0 && mean < 1.0) {
        return Err(SimulationError::BetaMeanOutside { mean });
    }
    let max_var = mean * (1.0 - mean);
    let k = max_var / (std * std) - 1.0;
    if k <= 0.0 {
        return Err(SimulationError::BetaSpreadTooWide {
            mean,
            std,
            max_std: max_var.sqrt(),
        });
    }
    Ok((mean * k, (1.0 - mean) * k))
}
