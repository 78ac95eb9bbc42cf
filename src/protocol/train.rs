//! The training lab's messages: train one model, or the privacy-utility profile, on a bundled or
//! uploaded dataset; and what the page is shown while they run and when they end.

use mia_engine::attack::histogram::ScoreHistogram;
use mia_engine::training::profile::{ProfileRow, ProfileVariant};
use mia_engine::training::run::{DpAccounting, EpochRecord, StopReason};
use mia_engine::training::settings::TrainSettings;
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
