//! The audit's messages: where the CSV comes from, and the finished audit.

use mia_engine::checklist::review_report::InputDescription;
use mia_engine::simulator::SimulationParams;
use mia_engine::{AuditReport, ColumnMapping, IngestReport};
use serde::{Deserialize, Serialize};

use super::upload::Upload;

/// Where the CSV comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum InputSource {
    /// A bundled sample, by id (compiled into the worker).
    Sample { id: String },
    /// Scores drawn by the simulator.
    Simulation { params: SimulationParams },
    /// A file the user picked, read by the worker in slices.
    Upload(Upload),
}

impl InputSource {
    /// A short description for the page.
    pub fn display_name(&self) -> String {
        match self {
            InputSource::Sample { id } => crate::samples::sample_title(id).to_string(),
            InputSource::Upload(u) => u.name.clone(),
            InputSource::Simulation { params } => format!(
                "simulated scores (gap {}, spread {}, {} family)",
                params.gap,
                params.std,
                params.family.key()
            ),
        }
    }
}

/// Read `source` and audit every available signal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRequest {
    pub source: InputSource,
    pub mapping: Option<ColumnMapping>,
}

/// A finished audit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditOutcome {
    pub source: InputSource,
    /// Name, size and SHA-256 of the bytes read (for the review report).
    pub input: InputDescription,
    pub headers: Vec<String>,
    pub mapping: ColumnMapping,
    pub ingest: IngestReport,
    pub report: AuditReport,
    /// How long the worker took, for the page to state (and the scale benchmark to read).
    pub timings: WorkTimings,
    /// Why an upload's SHA-256 could not be computed (filled in on the page; the report then
    /// goes without it).
    #[serde(default)]
    pub fingerprint_error: Option<String>,
}

/// Wall-clock time of a worker job's stages, in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkTimings {
    /// Reading and validating the input (or simulating it).
    pub read_ms: f64,
    /// The threshold attack with every signal.
    pub attack_ms: f64,
    /// Workers that read the input at once: 2 when a large upload was read in two parts
    /// ([`crate::worker::part`]), else 1.
    #[serde(default)]
    pub read_by_workers: u32,
    /// Workers that ran the attacks at once: 2 when a large reference-attack table's tasks were
    /// shared with the part worker, else 1.
    #[serde(default)]
    pub attack_by_workers: u32,
    /// The other worker ran its share of the attacks on the table it joined itself from the
    /// read's two parts (only the tasks crossed), not on a copy sent to it.
    #[serde(default)]
    pub attack_table_joined_there: bool,
    /// Slices of an upload this worker read itself, synchronously, because its slice reader
    /// failed or fell silent (0 when the reader delivered every byte); `None` where not counted
    /// (input held in memory; the audit's reads).
    #[serde(default)]
    pub slices_read_here: Option<u32>,
}
