//! The reference-attack view's messages: where the reference-attack CSV comes from (a bundled
//! case, an upload, or models trained here), and the finished comparison.

use mia_engine::reference_attack::training::TrainingConfig;
use mia_engine::reference_attack::{ExposedReference, ReferenceReport, ReferenceSettings};
use mia_engine::IngestReport;
use serde::{Deserialize, Serialize};

use super::audit::WorkTimings;
use super::upload::Upload;

/// Where the reference-attack CSV comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LiraSource {
    /// A bundled case, by id.
    Sample { id: String },
    /// A file the user picked, read by the worker in slices.
    Upload(Upload),
    /// Train a target and M references on a bundled dataset here.
    Train {
        dataset: String,
        config: TrainingConfig,
    },
    /// The CSV of an earlier in-page training, attacked again with other settings.
    Generated(TrainedReferences),
}

impl LiraSource {
    /// A short description for the page.
    pub fn display_name(&self) -> String {
        match self {
            LiraSource::Sample { id } => crate::samples::reference_sample_title(id).to_string(),
            LiraSource::Upload(u) => u.name.clone(),
            LiraSource::Generated(t) => format!("{} reference models trained here", t.trained),
            LiraSource::Train { dataset, config } => format!(
                "{} reference models trained here on {dataset}{}",
                config.m,
                if config.noise > 0.0 {
                    format!(" with pixel noise σ = {}", config.noise)
                } else {
                    String::new()
                }
            ),
        }
    }
}

/// Read (or train) `source` and run every reference attack with `settings`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiraRequest {
    pub source: LiraSource,
    pub settings: ReferenceSettings,
}

/// What an in-page training produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainedReferences {
    /// References trained (fewer than asked when the training was stopped).
    pub trained: usize,
    pub requested: usize,
    /// The generated reference-attack CSV, for download (`mia lira` on it gives these figures).
    pub csv: String,
}

/// A finished comparison. The report's per-record scores and fits are not sent (the most
/// exposed records are), and its ROC curves are thinned for drawing; every figure was computed
/// on the full curves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiraOutcome {
    pub source: LiraSource,
    pub report: ReferenceReport,
    pub most_exposed: Vec<ExposedReference>,
    pub ingest: IngestReport,
    pub training: Option<TrainedReferences>,
    /// How long the worker took to read (or train) and to run the attacks.
    pub timings: WorkTimings,
}
