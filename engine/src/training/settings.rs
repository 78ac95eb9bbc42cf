//! The training lab's settings, as the page's link and `mia train` spell them, and the one check
//! both run before training.

use serde::{Deserialize, Serialize};

/// The classifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModelKind {
    /// Multinomial logistic regression (no hidden layer).
    LogReg,
    /// One or two hidden ReLU layers.
    Mlp,
}

/// The optimiser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OptimizerChoice {
    /// SGD with momentum [`SGD_MOMENTUM`].
    Sgd,
    Adam,
}

/// SGD's momentum (the value the lab teaches with; PyTorch's default is 0).
pub const SGD_MOMENTUM: f64 = 0.9;

/// Early stopping, as the seed design's `train_with_privacy_regularization` does it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EarlyStop {
    None,
    /// Stop when the held-out loss has not improved for [`PATIENCE`] epochs.
    Patience,
    /// Privacy-aware: stop when the generalisation gap exceeds the target gap after epoch 5
    /// (checked before the patience rule, which also applies).
    Gap,
}

/// Epochs without a held-out improvement before stopping (the seed design's default).
pub const PATIENCE: usize = 5;
/// The seed design's `target_gen_gap`.
pub const DEFAULT_TARGET_GAP: f64 = 0.1;

/// How DP-SGD's noise is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum NoiseChoice {
    /// σ given.
    NoiseMultiplier(f64),
    /// The σ whose ε after every epoch is the target (the RDP accountant's search).
    TargetEpsilon(f64),
}

/// DP-SGD's settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DpSettings {
    pub noise: NoiseChoice,
    /// C.
    pub max_grad_norm: f64,
    /// `None`: 1/(10·N), N the members.
    pub delta: Option<f64>,
}

impl Default for DpSettings {
    fn default() -> Self {
        DpSettings {
            noise: NoiseChoice::NoiseMultiplier(1.0),
            max_grad_norm: 1.0,
            delta: None,
        }
    }
}

/// Everything a run needs besides the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainSettings {
    pub model: ModelKind,
    /// Units per hidden layer (one or two layers; ignored for logistic regression).
    pub hidden: Vec<usize>,
    pub epochs: usize,
    pub batch: usize,
    pub lr: f64,
    pub optimizer: OptimizerChoice,
    /// L2 as the optimiser's weight decay.
    pub l2: f64,
    pub dropout: f64,
    pub label_smoothing: f64,
    /// Whole-batch gradient-norm clipping (`clip_grad_norm_`'s max_norm); 0 = off.
    pub clip: f64,
    pub early_stop: EarlyStop,
    pub target_gap: f64,
    pub dp: Option<DpSettings>,
    pub seed: u64,
    /// Share of the records held out as non-members.
    pub held_out: f64,
}

impl Default for TrainSettings {
    fn default() -> Self {
        TrainSettings {
            model: ModelKind::Mlp,
            hidden: vec![128],
            epochs: 60,
            batch: 32,
            lr: 0.001,
            optimizer: OptimizerChoice::Adam,
            l2: 0.0,
            dropout: 0.0,
            label_smoothing: 0.0,
            clip: 0.0,
            early_stop: EarlyStop::None,
            target_gap: DEFAULT_TARGET_GAP,
            dp: None,
            seed: 0,
            held_out: 0.5,
        }
    }
}

/// A setting a run cannot use, named as the link and the CLI name it.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum TrainSettingsError {
    #[error("lr = {0}: the learning rate must be a number above 0.")]
    LearningRate(f64),
    #[error("batch = 0: the batch size must be at least 1.")]
    BatchZero,
    #[error("batch = {batch}: the batch size must be between 1 and the {members} members.")]
    Batch { batch: usize, members: usize },
    #[error("epochs = {0}: train for 1 to 10,000 epochs.")]
    Epochs(usize),
    #[error("hidden: an MLP has one or two hidden layers of 1 to 4,096 units each.")]
    Hidden,
    #[error("dropout = {0}: the dropout rate must be in [0, 1).")]
    Dropout(f64),
    #[error("label_smoothing = {0}: label smoothing must be in [0, 1).")]
    LabelSmoothing(f64),
    #[error("l2 = {0}: the L2 weight decay must be 0 or more.")]
    L2(f64),
    #[error("clip = {0}: the clipping norm must be above 0, or 0 for no clipping.")]
    Clip(f64),
    #[error("target_gap = {0}: the target generalisation gap must be a number above 0.")]
    TargetGap(f64),
    #[error("max_grad_norm = {0}: DP-SGD's clipping norm C must be above 0.")]
    MaxGradNorm(f64),
    #[error("noise_multiplier = {0}: σ must be 0 or more.")]
    NoiseMultiplier(f64),
    #[error("target_epsilon = {0}: the target ε must be above 0.")]
    TargetEpsilon(f64),
    #[error("delta = {0}: δ must be in (0, 1).")]
    Delta(f64),
    #[error("held_out = {0}: the held-out share must be in (0, 1).")]
    HeldOut(f64),
}

impl TrainSettings {
    /// The settings if a run on `members` training records can use them; the first setting it
    /// cannot use otherwise.
    pub fn check(&self, members: usize) -> Result<(), TrainSettingsError> {
        use TrainSettingsError as E;
        let open01 = |v: f64| v.is_finite() && (0.0..1.0).contains(&v);
        if !(self.lr.is_finite() && self.lr > 0.0) {
            return Err(E::LearningRate(self.lr));
        }
        if self.batch == 0 {
            return Err(E::BatchZero);
        }
        if self.batch > members {
            return Err(E::Batch {
                batch: self.batch,
                members,
            });
        }
        if !(1..=10_000).contains(&self.epochs) {
            return Err(E::Epochs(self.epochs));
        }
        if self.model == ModelKind::Mlp
            && !((1..=2).contains(&self.hidden.len())
                && self.hidden.iter().all(|&h| (1..=4096).contains(&h)))
        {
            return Err(E::Hidden);
        }
        if !open01(self.dropout) {
            return Err(E::Dropout(self.dropout));
        }
        if !open01(self.label_smoothing) {
            return Err(E::LabelSmoothing(self.label_smoothing));
        }
        if !(self.l2.is_finite() && self.l2 >= 0.0) {
            return Err(E::L2(self.l2));
        }
        if !(self.clip.is_finite() && self.clip >= 0.0) {
            return Err(E::Clip(self.clip));
        }
        if !(self.target_gap.is_finite() && self.target_gap > 0.0) {
            return Err(E::TargetGap(self.target_gap));
        }
        if !(self.held_out.is_finite() && self.held_out > 0.0 && self.held_out < 1.0) {
            return Err(E::HeldOut(self.held_out));
        }
        if let Some(dp) = &self.dp {
            if !(dp.max_grad_norm.is_finite() && dp.max_grad_norm > 0.0) {
                return Err(E::MaxGradNorm(dp.max_grad_norm));
            }
            match dp.noise {
                NoiseChoice::NoiseMultiplier(s) if !(s.is_finite() && s >= 0.0) => {
                    return Err(E::NoiseMultiplier(s))
                }
                NoiseChoice::TargetEpsilon(e) if !(e.is_finite() && e > 0.0) => {
                    return Err(E::TargetEpsilon(e))
                }
                _ => {}
            }
            if let Some(d) = dp.delta {
                if !(d.is_finite() && d > 0.0 && d < 1.0) {
                    return Err(E::Delta(d));
                }
            }
        }
        Ok(())
    }

    /// The layer sizes for `features` inputs and `classes` outputs.
    pub fn layer_sizes(&self, features: usize, classes: usize) -> Vec<usize> {
        let mut s = vec![features];
        if self.model == ModelKind::Mlp {
            s.extend(&self.hidden);
        }
        s.push(classes);
        s
    }
}
