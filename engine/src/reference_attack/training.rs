//! Reference models trained here, for a reviewer without their own: a target and M reference
//! models, each trained on its own seeded random half of a dataset (the setting of Carlini et al.
//! 2022, §5: every record is IN for about half of the models), with the shadow attack's trainer
//! ([`Classifier`]). The result is a reference-attack CSV (`id,member,label,phi,ref_in_j,ref_phi_j`,
//! φ from the logits), which the attacks then read like any upload: the page's figures and
//! `mia lira` on the downloaded file are the same.
//!
//! One model per [`step`](ReferenceTraining::step), so a caller can show progress and stop; the
//! CSV of the models trained so far can be taken at any point with at least one reference.

use std::io::{self, Write};

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::phi::{phi_from_logits, phi_from_probability};
use crate::models::fit_error::FitError;
use crate::shadow::config::{MLP_EPOCHS, MLP_HIDDEN};
use crate::shadow::{Classifier, ModelKind, TabularDataset};

/// The numbers of reference models the page offers.
pub const REFERENCE_COUNTS: [usize; 5] = [4, 8, 16, 32, 64];
/// Smallest dataset trained on: each half needs room for every class.
pub const MIN_TRAINING_ROWS: usize = 20;
/// Largest pixel-noise standard deviation (pixel values are 0..16 in the digits).
pub const MAX_NOISE: f64 = 32.0;
/// Seed of the fixed pixel noise (the same noise for every model: it is part of the data).
pub const NOISE_SEED: u64 = crate::training::datasets::DIGITS_NOISE_SEED;

/// Settings of an in-page training.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrainingConfig {
    /// M, one of [`REFERENCE_COUNTS`].
    pub m: usize,
    pub model: ModelKind,
    /// Standard deviation of the Gaussian noise added once to every feature (0 = none).
    pub noise: f64,
    pub seed: u64,
}

impl Default for TrainingConfig {
    fn default() -> Self {
        TrainingConfig {
            m: 8,
            model: ModelKind::Mlp {
                hidden: 128,
                epochs: 300,
            },
            noise: 8.0,
            seed: 0,
        }
    }
}

/// Why a training cannot start or go on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum TrainingError {
    #[error("The number of reference models must be one of 4, 8, 16, 32 or 64, not {0}.")]
    ReferenceCount(usize),
    #[error("The MLP's hidden units must be {lo} to {hi}, not {0}.", lo = MLP_HIDDEN.start(), hi = MLP_HIDDEN.end())]
    MlpHidden(usize),
    #[error("The MLP's training epochs must be {lo} to {hi}, not {0}.", lo = MLP_EPOCHS.start(), hi = MLP_EPOCHS.end())]
    MlpEpochs(usize),
    #[error("The pixel noise must be a number from 0 to {MAX_NOISE}, not {0}.")]
    Noise(f64),
    #[error("The dataset has {rows} rows; training a target and reference models on random halves needs at least {MIN_TRAINING_ROWS}.")]
    TooFewRows { rows: usize },
    #[error("Training model {model} failed: {source}.")]
    Fit { model: usize, source: FitError },
}

impl TrainingConfig {
    /// The settings if a training can run them.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::reference_attack::training::{TrainingConfig, TrainingError};
    /// let c = TrainingConfig { m: 5, ..TrainingConfig::default() };
    /// assert_eq!(c.check(), Err(TrainingError::ReferenceCount(5)));
    /// assert!(TrainingConfig::default().check().is_ok());
    /// ```
    pub fn check(self) -> Result<TrainingConfig, TrainingError> {
        if !REFERENCE_COUNTS.contains(&self.m) {
            return Err(TrainingError::ReferenceCount(self.m));
        }
        if let ModelKind::Mlp { hidden, epochs } = self.model {
            if !MLP_HIDDEN.contains(&hidden) {
                return Err(TrainingError::MlpHidden(hidden));
            }
            if !MLP_EPOCHS.contains(&epochs) {
                return Err(TrainingError::MlpEpochs(epochs));
            }
        }
        if !(0.0..=MAX_NOISE).contains(&self.noise) {
            return Err(TrainingError::Noise(self.noise));
        }
        Ok(self)
    }
}

/// What one trained model gives: its φ on every record and which records it trained on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct TrainedOutputs {
    phi: Vec<f64>,
    inside: Vec<bool>,
}

/// A training in progress: model 0 is the target, models 1..=M the references.
pub struct ReferenceTraining {
    data: TabularDataset,
    config: TrainingConfig,
    models: Vec<TrainedOutputs>,
}

impl ReferenceTraining {
    /// Adds the noise to the features (seeded by [`NOISE_SEED`]) after checking the settings.
    pub fn new(
        data: TabularDataset,
        config: TrainingConfig,
    ) -> Result<ReferenceTraining, TrainingError> {
        let config = config.check()?;
        if data.x.rows < MIN_TRAINING_ROWS {
            return Err(TrainingError::TooFewRows { rows: data.x.rows });
        }
        Ok(ReferenceTraining {
            data: data.with_pixel_noise(config.noise, NOISE_SEED),
            config,
            models: Vec::with_capacity(config.m + 1),
        })
    }

    /// Models trained so far (the target included).
    pub fn models_trained(&self) -> usize {
        self.models.len()
    }

    /// Reference models trained so far.
    pub fn references_trained(&self) -> usize {
        self.models.len().saturating_sub(1)
    }

    /// The settings.
    pub fn config(&self) -> TrainingConfig {
        self.config
    }

    /// Fraction of the models trained.
    pub fn fraction_done(&self) -> f64 {
        self.models.len() as f64 / (self.config.m + 1) as f64
    }

    /// Trains the next model. Returns `true` once the target and all M references are trained.
    pub fn step(&mut self) -> Result<bool, TrainingError> {
        let k = self.models.len();
        if k > self.config.m {
            return Ok(true);
        }
        let n = self.data.x.rows;
        let seed = self.config.seed.wrapping_add(k as u64);
        let mut rows: Vec<usize> = (0..n).collect();
        rows.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
        rows.truncate(n / 2);
        rows.sort_unstable();
        let y: Vec<usize> = rows.iter().map(|&i| self.data.y[i]).collect();
        let model = Classifier::fit(
            self.config.model,
            &self.data.x.select_rows(&rows),
            &y,
            self.data.n_classes(),
            seed,
        )
        .map_err(|source| TrainingError::Fit { model: k, source })?;
        let phi = model
            .predict_logits(&self.data.x)
            .iter()
            .zip(&self.data.y)
            .map(|(z, &label)| {
                let f = phi_from_logits(z, label);
                // A class the model never saw has logit −∞: probability 0.
                if f.is_finite() {
                    f
                } else {
                    phi_from_probability(if f > 0.0 { 1.0 } else { 0.0 })
                }
            })
            .collect();
        let mut inside = vec![false; n];
        for &i in &rows {
            inside[i] = true;
        }
        self.models.push(TrainedOutputs { phi, inside });
        Ok(self.models.len() > self.config.m)
    }

    /// The reference-attack CSV of the target and the references trained so far
    /// (`id,member,label,phi,ref_in_0..,ref_phi_0..`); nothing without a reference.
    pub fn write_csv(&self, out: &mut dyn Write) -> io::Result<bool> {
        let Some((target, refs)) = self.models.split_first() else {
            return Ok(false);
        };
        if refs.is_empty() {
            return Ok(false);
        }
        let mut w = io::BufWriter::new(out);
        write!(w, "id,member,label,phi")?;
        for j in 0..refs.len() {
            write!(w, ",ref_in_{j}")?;
        }
        for j in 0..refs.len() {
            write!(w, ",ref_phi_{j}")?;
        }
        writeln!(w)?;
        for i in 0..self.data.x.rows {
            write!(
                w,
                "{},{},{},{}",
                i,
                u8::from(target.inside[i]),
                self.data.y[i],
                target.phi[i]
            )?;
            for r in refs {
                write!(w, ",{}", u8::from(r.inside[i]))?;
            }
            for r in refs {
                write!(w, ",{}", r.phi[i])?;
            }
            writeln!(w)?;
        }
        w.flush()?;
        Ok(true)
    }

    /// [`write_csv`](Self::write_csv) into memory.
    pub fn csv(&self) -> Option<Vec<u8>> {
        let mut v = Vec::new();
        match self.write_csv(&mut v) {
            Ok(true) => Some(v),
            _ => None,
        }
    }
}
