//! What can stop a confidence restriction: a setting outside the pipeline's domain (refused by
//! [`RestrictionSetting::check`](super::RestrictionSetting::check), the one range check the CLI
//! and the page share), or outputs the pipeline cannot start from.
//!
//! The messages are shown as they are by the CLI (after `invalid value '…' for '--…':`) and the
//! page, so they read as the end of a sentence.

use serde::{Deserialize, Serialize};

/// A restriction setting outside the domain of the pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum RestrictionSettingError {
    /// The softmax temperature must be positive and finite.
    #[error("the temperature must be positive (and finite)")]
    Temperature(f64),
    /// The cap on every probability must be in `(0, 1]`.
    #[error("the cap must be in (0, 1]")]
    Cap(f64),
    /// Rounding keeps at most [`MAX_PRECISION`](super::setting::MAX_PRECISION) decimals.
    #[error("the precision must be a whole number of decimals from 0 to {max}", max = super::setting::MAX_PRECISION)]
    Precision(u32),
}

/// Why a table's outputs cannot be restricted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum RestrictionError {
    /// The table has neither logits nor per-class probabilities to restrict.
    #[error("Confidence restriction needs per-class `logit_*` or `prob_*` columns.")]
    NoClassColumns,
}
