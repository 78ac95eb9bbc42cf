//! The settings of a mode-B experiment and their valid ranges, checked once here
//! ([`ShadowConfig::check`], after linfa's `ParamGuard` in
//! `algorithms/linfa-logistic/src/hyperparams.rs`): the experiment, the CLI's `mia shadow` and
//! the page's link parser all call it, so their ranges cannot disagree.
//!
//! The ranges are those the shadow view has always offered (its sliders and fields, and the
//! experiment's own 1–16 shadows): every shadow is a model trained in the browser tab, so the
//! work grows with shadows × hidden units × epochs.

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use super::error::ShadowConfigError;
use super::{AttackOptions, ModelKind};

/// How many shadow models an experiment may train.
pub const N_SHADOWS: RangeInclusive<usize> = 1..=16;
/// Hidden units of the MLP target and shadows.
pub const MLP_HIDDEN: RangeInclusive<usize> = 1..=512;
/// Training epochs of the MLP target and shadows.
pub const MLP_EPOCHS: RangeInclusive<usize> = 1..=2000;

/// Settings of an experiment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ShadowConfig {
    /// 1 to 16 ([`N_SHADOWS`]).
    pub n_shadows: usize,
    pub model: ModelKind,
    pub attack: AttackOptions,
    pub seed: u64,
}

impl Default for ShadowConfig {
    fn default() -> Self {
        ShadowConfig {
            n_shadows: 4,
            model: ModelKind::LogisticRegression { c: 1.0 },
            attack: AttackOptions::default(),
            seed: 0,
        }
    }
}

impl ShadowConfig {
    /// The settings if an experiment can run them: [`N_SHADOWS`] shadow models and, for an MLP,
    /// [`MLP_HIDDEN`] hidden units and [`MLP_EPOCHS`] epochs. The first setting out of range is
    /// named.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::shadow::{ShadowConfig, ShadowConfigError};
    /// let many = ShadowConfig { n_shadows: 17, ..ShadowConfig::default() };
    /// assert_eq!(many.check(), Err(ShadowConfigError::NShadows(17)));
    /// assert_eq!(
    ///     many.check().unwrap_err().to_string(),
    ///     "The number of shadow models must be 1 to 16, not 17."
    /// );
    /// assert!(ShadowConfig::default().check().is_ok());
    /// ```
    pub fn check(self) -> Result<ShadowConfig, ShadowConfigError> {
        if !N_SHADOWS.contains(&self.n_shadows) {
            return Err(ShadowConfigError::NShadows(self.n_shadows));
        }
        if let ModelKind::Mlp { hidden, epochs } = self.model {
            if !MLP_HIDDEN.contains(&hidden) {
                return Err(ShadowConfigError::MlpHidden(hidden));
            }
            if !MLP_EPOCHS.contains(&epochs) {
                return Err(ShadowConfigError::MlpEpochs(epochs));
            }
        }
        Ok(self)
    }
}
