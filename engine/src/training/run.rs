//! A training run, one epoch per step, in the order of the seed design's
//! `train_with_privacy_regularization`: the epoch's batches (each: gradients, clipping, the
//! optimiser's step), the train loss as the mean of the batch losses, the held-out loss as the
//! mean of the held-out batches' mean losses, the generalisation gap, then the privacy-aware stop
//! (gap above the target after epoch 5, 0-based epoch > 5) before the patience stop. After each
//! epoch it also measures what an attacker gets: the threshold attack on the loss (a lower loss
//! says member), members against
//! held-out records (as TensorFlow Privacy's "privacy vs epoch" report), and, with DP-SGD, the ε
//! spent so far.
//!
//! Everything is deterministic from the seed: the split, the initial weights (PyTorch's
//! `nn.Linear` default, U(−1/√fan_in, 1/√fan_in) for weights and biases), the batch order, the
//! dropout masks, DP-SGD's batches and noise.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::dp_sgd::{poisson_batch, private_gradient};
use super::network::Network;
use super::optimizer::{clip_grad_norm, Optimizer, OptimizerKind};
use super::settings::{
    EarlyStop, NoiseChoice, OptimizerChoice, TrainSettings, TrainSettingsError, PATIENCE,
    SGD_MOMENTUM,
};
use crate::attack::metrics::AttackMetrics;
use crate::dp::{dp_sgd_epsilon, noise_multiplier_for_epsilon, DpSgdSchedule};
use crate::models::StandardScaler;
use crate::shadow::TabularDataset;
use crate::MetricError;

/// Fewest records per class: each side of the split needs several.
pub const MIN_PER_CLASS: usize = 10;

/// Epochs after which the privacy-aware stop may act (the seed's `epoch > 5`, 0-based).
pub const GAP_STOP_AFTER: usize = 5;

/// The seed design's reading of the gap: high above 0.3, medium above 0.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GapBand {
    Low,
    Medium,
    High,
}

/// Gaps above this are a high risk (the seed design's band).
pub const GAP_HIGH: f64 = 0.3;
/// Gaps above this are a medium risk.
pub const GAP_MEDIUM: f64 = 0.1;

impl GapBand {
    pub fn of(gap: f64) -> GapBand {
        if gap > GAP_HIGH {
            GapBand::High
        } else if gap > GAP_MEDIUM {
            GapBand::Medium
        } else {
            GapBand::Low
        }
    }

    /// The band's name: low, medium or high.
    pub fn name(self) -> &'static str {
        match self {
            GapBand::Low => "low",
            GapBand::Medium => "medium",
            GapBand::High => "high",
        }
    }
}

/// What one epoch measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochRecord {
    /// 1-based.
    pub epoch: usize,
    pub train_loss: f64,
    pub held_out_loss: f64,
    /// held-out loss − train loss.
    pub gap: f64,
    pub gap_band: GapBand,
    pub train_accuracy: f64,
    pub held_out_accuracy: f64,
    /// The threshold attack on the loss, members against held-out records.
    pub attack_auc: f64,
    pub attack_tpr_at_1_percent: f64,
    /// Optimiser steps so far.
    pub steps: u64,
    /// ε spent so far (DP-SGD).
    pub epsilon: Option<f64>,
}

/// Why a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum StopReason {
    /// Every epoch ran.
    Finished,
    /// The privacy-aware stop: the gap exceeded the target at this epoch (1-based).
    Gap { epoch: usize, gap: f64, target: f64 },
    /// The held-out loss did not improve for [`PATIENCE`] epochs.
    Patience { epoch: usize },
}

impl StopReason {
    /// Why the run ended, in a sentence (empty when every epoch ran).
    pub fn describe(&self) -> String {
        match *self {
            StopReason::Finished => String::new(),
            StopReason::Gap { epoch, gap, target } => format!(
                "Privacy-aware early stop at epoch {epoch}: the generalisation gap {gap:.3} exceeded the target {target} (checked after epoch 5, before patience)."
            ),
            StopReason::Patience { epoch } => format!(
                "Early stop at epoch {epoch}: the held-out loss had not improved for {PATIENCE} epochs."
            ),
        }
    }
}

/// DP-SGD's accounting for a run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DpAccounting {
    /// q = B/N.
    pub sampling_rate: f64,
    pub noise_multiplier: f64,
    pub max_grad_norm: f64,
    pub delta: f64,
    /// δ ≥ 1/N: the guarantee allows leaking a whole record.
    pub delta_too_large: bool,
    /// Steps per epoch (Opacus's Poisson sampler: ⌊1/q⌋).
    pub steps_per_epoch: u64,
}

/// Why a dataset or settings cannot train.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum TrainError {
    #[error("{0}")]
    Settings(#[from] TrainSettingsError),
    #[error("The data has one class; training needs at least two.")]
    OneClass,
    #[error("Class `{class}` has {count} records; each class needs at least {MIN_PER_CLASS} so that both the members and the held-out records have some.")]
    SmallClass { class: String, count: usize },
    #[error("The target ε cannot be reached: {0}")]
    Epsilon(String),
}

/// The data of a run: standardised features (by the members' means and spreads), labels and the
/// split.
#[derive(Debug, Clone, PartialEq)]
pub struct LabData {
    pub d: usize,
    pub k: usize,
    pub x: Vec<f64>,
    pub y: Vec<usize>,
    pub members: Vec<usize>,
    pub held_out: Vec<usize>,
    pub class_names: Vec<String>,
}

impl LabData {
    /// Splits `data` into members and held-out records, stratified by class and seeded.
    pub fn split(data: &TabularDataset, held_out: f64, seed: u64) -> Result<LabData, TrainError> {
        let k = data.class_names.len();
        let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); k];
        for (i, &c) in data.y.iter().enumerate() {
            by_class[c].push(i);
        }
        if by_class.iter().filter(|c| !c.is_empty()).count() < 2 {
            return Err(TrainError::OneClass);
        }
        if let Some((c, v)) = by_class
            .iter()
            .enumerate()
            .find(|(_, v)| v.len() < MIN_PER_CLASS)
        {
            return Err(TrainError::SmallClass {
                class: data.class_names[c].clone(),
                count: v.len(),
            });
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (mut members, mut out) = (Vec::new(), Vec::new());
        for mut v in by_class {
            v.shuffle(&mut rng);
            let n_out = ((v.len() as f64 * held_out).round() as usize).clamp(1, v.len() - 1);
            out.extend_from_slice(&v[..n_out]);
            members.extend_from_slice(&v[n_out..]);
        }
        members.sort_unstable();
        out.sort_unstable();
        let scaler = StandardScaler::fit(&data.x.select_rows(&members));
        let x = scaler.transform(&data.x).data;
        Ok(LabData {
            d: data.x.cols,
            k,
            x,
            y: data.y.clone(),
            members,
            held_out: out,
            class_names: data.class_names.clone(),
        })
    }
}

/// The optimiser a run's settings choose.
pub fn optimizer_kind(choice: OptimizerChoice) -> OptimizerKind {
    match choice {
        OptimizerChoice::Sgd => OptimizerKind::Sgd {
            momentum: SGD_MOMENTUM,
        },
        OptimizerChoice::Adam => OptimizerKind::Adam,
    }
}

/// A run in progress.
pub struct TrainingRun {
    settings: TrainSettings,
    data: LabData,
    net: Network,
    optimizer: Optimizer,
    /// Batch order and DP-SGD's batches.
    rng: ChaCha8Rng,
    /// Dropout masks and DP-SGD's noise.
    noise_rng: ChaCha8Rng,
    dp: Option<DpAccounting>,
    history: Vec<EpochRecord>,
    best_held_out: f64,
    patience_count: usize,
    stopped: Option<StopReason>,
}

impl TrainingRun {
    /// A run of `settings` on `data`, not yet started.
    pub fn new(data: &TabularDataset, settings: TrainSettings) -> Result<TrainingRun, TrainError> {
        let lab = LabData::split(data, settings.held_out, settings.seed)?;
        TrainingRun::from_lab(lab, settings)
    }

    /// A run of `settings` on data already split (the members `lab.members` train the model):
    /// retraining without a forget set trains on fewer members of the same data.
    pub fn from_lab(lab: LabData, settings: TrainSettings) -> Result<TrainingRun, TrainError> {
        settings.check(lab.members.len())?;
        let sizes = settings.layer_sizes(lab.d, lab.k);
        let mut init = ChaCha8Rng::seed_from_u64(settings.seed.wrapping_add(1));
        let mut net = Network::zeros(&sizes);
        for (l, &fan_in) in sizes.iter().enumerate().take(net.n_layers()) {
            let bound = 1.0 / (fan_in as f64).sqrt();
            for p in net.params[2 * l..2 * l + 2].iter_mut().flatten() {
                *p = init.random_range(-bound..bound);
            }
        }
        let kind = optimizer_kind(settings.optimizer);
        let n = lab.members.len();
        let dp = match &settings.dp {
            None => None,
            Some(dp) => {
                let q = settings.batch as f64 / n as f64;
                let steps_per_epoch = (1.0 / q).floor().max(1.0) as u64;
                let delta = dp.delta.unwrap_or(1.0 / (10.0 * n as f64));
                let noise_multiplier = match dp.noise {
                    NoiseChoice::NoiseMultiplier(s) => s,
                    NoiseChoice::TargetEpsilon(e) => noise_multiplier_for_epsilon(
                        q,
                        steps_per_epoch * settings.epochs as u64,
                        delta,
                        e,
                    )
                    .map_err(|e| TrainError::Epsilon(e.to_string()))?,
                };
                Some(DpAccounting {
                    sampling_rate: q,
                    noise_multiplier,
                    max_grad_norm: dp.max_grad_norm,
                    delta,
                    delta_too_large: delta >= 1.0 / n as f64,
                    steps_per_epoch,
                })
            }
        };
        Ok(TrainingRun {
            optimizer: Optimizer::new(kind, settings.lr, settings.l2),
            rng: ChaCha8Rng::seed_from_u64(settings.seed.wrapping_add(2)),
            noise_rng: ChaCha8Rng::seed_from_u64(settings.seed.wrapping_add(3)),
            settings,
            data: lab,
            net,
            dp,
            history: Vec::new(),
            best_held_out: f64::INFINITY,
            patience_count: 0,
            stopped: None,
        })
    }

    pub fn settings(&self) -> &TrainSettings {
        &self.settings
    }

    pub fn data(&self) -> &LabData {
        &self.data
    }

    pub fn network(&self) -> &Network {
        &self.net
    }

    pub fn history(&self) -> &[EpochRecord] {
        &self.history
    }

    pub fn dp(&self) -> Option<&DpAccounting> {
        self.dp.as_ref()
    }

    /// Why the run ended (`None` while it goes on).
    pub fn stopped(&self) -> Option<StopReason> {
        self.stopped
    }

    /// Fraction of the epochs done.
    pub fn fraction_done(&self) -> f64 {
        if self.stopped.is_some() {
            1.0
        } else {
            self.history.len() as f64 / self.settings.epochs.max(1) as f64
        }
    }

    /// Trains one epoch and measures it; `true` once the run has ended.
    pub fn step(&mut self) -> bool {
        if self.stopped.is_some() {
            return true;
        }
        let train_loss = match self.dp {
            None => self.plain_epoch(),
            Some(dp) => self.private_epoch(dp),
        };
        let record = self.measure(train_loss);
        let epoch0 = self.history.len();
        let (gap, held_out_loss) = (record.gap, record.held_out_loss);
        self.history.push(record);
        // The seed design's order: the privacy-aware stop first, then the patience rule.
        if self.settings.early_stop == EarlyStop::Gap
            && gap > self.settings.target_gap
            && epoch0 > GAP_STOP_AFTER
        {
            self.stopped = Some(StopReason::Gap {
                epoch: epoch0 + 1,
                gap,
                target: self.settings.target_gap,
            });
            return true;
        }
        if self.settings.early_stop != EarlyStop::None {
            if held_out_loss < self.best_held_out {
                self.best_held_out = held_out_loss;
                self.patience_count = 0;
            } else {
                self.patience_count += 1;
                if self.patience_count >= PATIENCE {
                    self.stopped = Some(StopReason::Patience { epoch: epoch0 + 1 });
                    return true;
                }
            }
        }
        if self.history.len() >= self.settings.epochs {
            self.stopped = Some(StopReason::Finished);
            return true;
        }
        false
    }

    /// Shuffled mini-batches of the members (the last one shorter); the mean batch loss.
    fn plain_epoch(&mut self) -> f64 {
        let mut order = self.data.members.clone();
        order.shuffle(&mut self.rng);
        let (s, d) = (&self.settings, &self.data);
        let (mut total, mut batches) = (0.0, 0usize);
        for batch in order.chunks(s.batch) {
            let mut uniform = || self.noise_rng.random::<f64>();
            let dropout =
                (s.dropout > 0.0).then_some((s.dropout, &mut uniform as &mut dyn FnMut() -> f64));
            let (loss, mut grad) =
                self.net
                    .batch_gradient(&d.x, &d.y, batch, s.label_smoothing, dropout);
            if s.clip > 0.0 {
                clip_grad_norm(&mut grad, s.clip);
            }
            self.optimizer.step(&mut self.net.params, &grad);
            total += loss;
            batches += 1;
        }
        total / batches.max(1) as f64
    }

    /// ⌊1/q⌋ Poisson batches; the mean loss over the non-empty ones.
    fn private_epoch(&mut self, dp: DpAccounting) -> f64 {
        let (s, d) = (&self.settings, &self.data);
        let (mut total, mut batches) = (0.0, 0usize);
        for _ in 0..dp.steps_per_epoch {
            let picked = poisson_batch(d.members.len(), dp.sampling_rate, &mut self.rng);
            let batch: Vec<usize> = picked.into_iter().map(|j| d.members[j]).collect();
            let g = private_gradient(
                &self.net,
                &d.x,
                &d.y,
                &batch,
                s.label_smoothing,
                s.dropout,
                dp.max_grad_norm,
                dp.noise_multiplier,
                s.batch as f64,
                &mut self.noise_rng,
            );
            self.optimizer.step(&mut self.net.params, &g.grad);
            if !batch.is_empty() {
                total += g.loss;
                batches += 1;
            }
        }
        total / batches.max(1) as f64
    }

    /// The epoch's figures after its training (one forward pass per record).
    fn measure(&self, train_loss: f64) -> EpochRecord {
        let d = &self.data;
        let outputs = self.outputs();
        let n_members = d.members.len();
        let (members, held_out) = outputs.split_at(n_members);
        let accuracy = |o: &[RecordOutput]| {
            o.iter().filter(|r| r.correct).count() as f64 / o.len().max(1) as f64
        };
        // Held-out loss as a data loader gives it: the mean of the batches' mean losses.
        let batch_means: Vec<f64> = held_out
            .chunks(self.settings.batch)
            .map(|b| b.iter().map(|r| r.loss).sum::<f64>() / b.len() as f64)
            .collect();
        let held_out_loss = batch_means.iter().sum::<f64>() / batch_means.len().max(1) as f64;
        let (scores, member) = loss_scores(&outputs, n_members);
        let (attack_auc, attack_tpr_at_1_percent) = AttackMetrics::of_scores(&scores, &member)
            .map(|m| (m.auc, m.tpr_at(0.01).unwrap_or(0.0)))
            .unwrap_or((f64::NAN, f64::NAN));
        let (train_accuracy, held_out_accuracy) = (accuracy(members), accuracy(held_out));
        let steps = u64::from(self.optimizer.steps());
        // σ = 0 gives no privacy at all: ε = ∞.
        let epsilon = self.dp.and_then(|dp| {
            if dp.noise_multiplier > 0.0 {
                let schedule = DpSgdSchedule {
                    sampling_rate: dp.sampling_rate,
                    noise_multiplier: dp.noise_multiplier,
                    steps,
                };
                dp_sgd_epsilon(&schedule, dp.delta).ok().map(|e| e.epsilon)
            } else {
                Some(f64::INFINITY)
            }
        });
        let gap = held_out_loss - train_loss;
        EpochRecord {
            epoch: self.history.len() + 1,
            train_loss,
            held_out_loss,
            gap,
            gap_band: GapBand::of(gap),
            train_accuracy,
            held_out_accuracy,
            attack_auc,
            attack_tpr_at_1_percent,
            steps,
            epsilon,
        }
    }

    /// Every member's and then every held-out record's output under the current model (no
    /// dropout): logits, loss on the true label, whether the prediction is right.
    pub fn outputs(&self) -> Vec<RecordOutput> {
        let d = &self.data;
        d.members
            .iter()
            .chain(&d.held_out)
            .map(|&i| {
                let logits = self.net.logits(&d.x[i * d.d..(i + 1) * d.d]);
                let loss = -super::network::log_softmax(&logits)[d.y[i]];
                let correct = crate::restriction::pipeline::argmax(&logits) == d.y[i];
                RecordOutput {
                    index: i,
                    logits,
                    loss,
                    correct,
                }
            })
            .collect()
    }
}

impl TrainingRun {
    /// The threshold attack on the loss (a lower loss says member), members against held-out
    /// records, under the current model: what each epoch records, with every figure.
    pub fn attack(&self) -> Result<AttackMetrics, MetricError> {
        let (scores, member) = self.loss_scores();
        AttackMetrics::of_scores(&scores, &member)
    }

    /// The attack's scores (−loss, higher says member) under the current model, every member's
    /// and then every held-out record's, with whether each is a member.
    pub fn loss_scores(&self) -> (Vec<f64>, Vec<bool>) {
        loss_scores(&self.outputs(), self.data.members.len())
    }
}

/// The attack's scores of `outputs` (the first `n_members` of them members).
fn loss_scores(outputs: &[RecordOutput], n_members: usize) -> (Vec<f64>, Vec<bool>) {
    let scores = outputs.iter().map(|r| -r.loss).collect();
    let member = (0..outputs.len()).map(|i| i < n_members).collect();
    (scores, member)
}

/// One record's output under the model.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordOutput {
    /// Row in the dataset.
    pub index: usize,
    pub logits: Vec<f64>,
    /// Cross-entropy on the true label.
    pub loss: f64,
    pub correct: bool,
}
