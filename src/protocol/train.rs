//! The training lab's messages: train one model, or the privacy-utility profile, on a bundled or
//! uploaded dataset; and what the page is shown while they run and when they end.

use mia_engine::attack::histogram::ScoreHistogram;
use mia_engine::training::profile::{ProfileRow, ProfileVariant};
use mia_engine::training::run::{DpAccounting, EpochRecord, StopReason};
use mia_engine::training::settings::TrainSettings;
use mia_engine::unlearning::lab::{LabUnlearningSettings, MethodCourse, MethodResult};
use mia_engine::RocCurve;
use mia_engine::TprAtFpr;
use serde::{Deserialize, Serialize};

use super::shadow::DatasetSource;

/// What the lab asks the worker for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TrainRequest {
    /// Train one model, epoch by epoch, measuring the attack after each.
    Run {
        dataset: DatasetSource,
        settings: TrainSettings,
    },
    /// Train the same model once per variant (privacy budgets and defences).
    Profile {
        dataset: DatasetSource,
        settings: TrainSettings,
        variants: Vec<ProfileVariant>,
    },
    /// Train the model as `Run` does, to the end, then unlearn a forget set from it by each
    /// method, step by step, and verify each (`mia train --unlearn-forget`).
    Unlearn {
        dataset: DatasetSource,
        settings: TrainSettings,
        unlearning: LabUnlearningSettings,
    },
}

/// The threshold attack on the loss under the current model, as the charts draw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentAttack {
    /// Scores are −loss: members (the training set) against held-out records.
    pub histogram: ScoreHistogram,
    /// Thinned for drawing; the figures below come from the full curve.
    pub roc: RocCurve,
    pub auc: f64,
    pub tpr_at_fpr: Vec<TprAtFpr>,
}

/// A training run as it stands: sent while it runs (the live curves), when it is paused, and
/// when it ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainSnapshot {
    /// The dataset's name (a bundled id or the file's name).
    pub dataset: String,
    pub settings: TrainSettings,
    pub n_members: usize,
    pub n_held_out: usize,
    pub class_names: Vec<String>,
    pub history: Vec<EpochRecord>,
    /// Set once the run has ended on its own.
    pub stopped: Option<StopReason>,
    pub dp: Option<DpAccounting>,
    /// The attack after the last recorded epoch.
    pub attack: Option<CurrentAttack>,
    /// Every record's outputs under the current model in the audit's CSV schema (members first,
    /// with logits): present when the run is paused or has ended, for "Audit this model" and
    /// "Download outputs".
    pub outputs_csv: Option<String>,
    /// Wall-clock time of each epoch in the worker (training and measuring), in ms.
    pub epoch_ms: Vec<f64>,
}

/// The privacy-utility profile as it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileSnapshot {
    pub dataset: String,
    /// The finished runs, in the order they ran.
    pub rows: Vec<ProfileRow>,
    /// How many runs the profile has in all.
    pub total: usize,
    /// The knee of the finished budgets ([`mia_engine::training::profile::knee`]).
    pub knee: Option<f64>,
    /// The run in progress: its label and the epochs it has trained.
    pub current: Option<(String, usize)>,
}

/// An unlearning in the lab as it stands: the model being trained, then each method's course,
/// then each method's verification as it finishes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabUnlearnSnapshot {
    pub dataset: String,
    pub settings: TrainSettings,
    pub unlearning: LabUnlearningSettings,
    pub class_names: Vec<String>,
    pub n_held_out: usize,
    /// The epochs the model to unlearn has trained so far.
    pub trained_epochs: usize,
    /// The trained model's figures, once it is trained: held-out accuracy and the loss attack's
    /// AUC on all members.
    pub trained: Option<(f64, f64)>,
    /// The forgotten dataset rows (the outputs' ids), once chosen.
    pub forget: Vec<usize>,
    pub n_retain: usize,
    /// The methods started, in the order they run (retraining first).
    pub courses: Vec<MethodCourse>,
    /// The finished methods; all of them, in the order asked for, once the job has ended.
    pub results: Vec<MethodResult>,
    pub finished: bool,
}
