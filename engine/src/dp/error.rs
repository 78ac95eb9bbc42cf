//! What can be wrong with the inputs of a DP computation.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An input a DP computation cannot use, with what to do.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum DpError {
    /// The sampling rate must be in `[0, 1]`.
    SamplingRate(f64),
    /// The noise multiplier must be positive and finite.
    NoiseMultiplier(f64),
    /// δ must be in `(0, 1)`.
    Delta(f64),
    /// ε must be positive and finite.
    Epsilon(f64),
    /// Dataset or batch sizes that make no sampling rate.
    Sizes { dataset: u64, batch: u64 },
    /// No noise multiplier up to the search limit reaches the target.
    Unreachable { target_epsilon: f64 },
}

impl fmt::Display for DpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DpError::SamplingRate(q) => write!(f, "The sampling rate q = {q} must be between 0 and 1 (batch size ÷ dataset size)."),
            DpError::NoiseMultiplier(s) => write!(f, "The noise multiplier σ = {s} must be a positive number (DP-SGD typically uses 0.5 to 5)."),
            DpError::Delta(d) => write!(f, "δ = {d} must be between 0 and 1; use less than 1 / dataset size, e.g. 1e-5."),
            DpError::Epsilon(e) => write!(f, "ε = {e} must be a positive number."),
            DpError::Sizes { dataset, batch } => write!(f, "A batch of {batch} from a dataset of {dataset} gives no sampling rate: the dataset must be at least 1 and the batch between 1 and the dataset size."),
            DpError::Unreachable { target_epsilon } => write!(f, "No noise multiplier up to 1,000 reaches ε = {target_epsilon} with these settings; train for fewer steps or sample smaller batches."),
        }
    }
}

impl std::error::Error for DpError {}

/// A claimed (ε, δ) that cannot be a DP guarantee ([`DpClaim::new`](super::DpClaim::new)); the
/// message names the page's field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum DpClaimError {
    /// ε must be positive and finite.
    #[error("Claimed ε: use a positive number.")]
    Epsilon(f64),
    /// δ must be in `[0, 1)`.
    #[error("Claimed δ: use a number from 0 to below 1, e.g. 1e-5.")]
    Delta(f64),
}
