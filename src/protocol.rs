//! Messages between the page and the audit worker: plain data, no behaviour.

pub mod codec;

use mia_engine::attack::report::ModelSummary;
use mia_engine::checklist::review_report::InputDescription;
use mia_engine::restriction::frontier::FrontierPoint;
use mia_engine::restriction::{RestrictionReport, RestrictionSetting};
use mia_engine::shadow::{ShadowConfig, ShadowReport, ShadowStage};
use mia_engine::simulator::{SimulationParams, SweepPoint};
use mia_engine::{AuditReport, ColumnMapping, IngestReport, Signal, SignalReport};
use serde::{Deserialize, Serialize};

/// Where the CSV comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum InputSource {
    /// A bundled sample, by id (compiled into the worker).
    Sample { id: String },
    /// A file the user picked or dropped. `bytes` is emptied once the worker has it.
    File {
        name: String,
        size: u64,
        /// Serialized as one byte string (a copy), not byte by byte.
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    },
    /// Scores drawn by the simulator.
    Simulation { params: SimulationParams },
    /// A file the user picked, read by the worker in slices: the `File` handle travels with the
    /// request (see [`crate::protocol::codec::attach_file`]) under `file_id`; its bytes never cross.
    Upload {
        name: String,
        size: u64,
        file_id: u32,
    },
}

impl InputSource {
    /// The same source without the file's bytes, to keep in the page's state.
    pub fn without_bytes(&self) -> InputSource {
        match self {
            InputSource::File { name, size, .. } => InputSource::File {
                name: name.clone(),
                size: *size,
                bytes: Vec::new(),
            },
            s => s.clone(),
        }
    }

    /// A short description for the page.
    pub fn display_name(&self) -> String {
        match self {
            InputSource::Sample { id } => crate::samples::sample_title(id).to_string(),
            InputSource::File { name, .. } | InputSource::Upload { name, .. } => name.clone(),
            InputSource::Simulation { params } => format!(
                "simulated scores (gap {}, spread {}, {} family)",
                params.gap,
                params.std,
                params.family.key()
            ),
        }
    }
}

/// From the page to the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WorkerRequest {
    /// Read `source` and audit every available signal. A new request replaces a running one.
    Audit {
        job: u32,
        source: InputSource,
        mapping: Option<ColumnMapping>,
    },
    /// Simulate scores and attack them; a new request replaces a running one.
    Simulate { job: u32, params: SimulationParams },
    /// Mode B of the shadow attack: train a target and shadows on a dataset here.
    ShadowTrain {
        job: u32,
        dataset: DatasetSource,
        config: ShadowConfig,
    },
    /// Mode A: shadow outputs and target outputs given as audit-format CSVs.
    ShadowFromOutputs {
        job: u32,
        shadows: Vec<NamedFile>,
        target: NamedFile,
        config: ShadowConfig,
    },
    /// Restrict the outputs of `source` (a `File` with no bytes reuses the last file read) and
    /// compare the attack before and after; with `frontier`, also evaluate the settings grid.
    Restrict {
        job: u32,
        source: InputSource,
        setting: RestrictionSetting,
        frontier: bool,
    },
    /// The restricted outputs of the last source as CSV.
    RestrictExport {
        job: u32,
        setting: RestrictionSetting,
    },
    /// Stop job `job` at its next step.
    Cancel { job: u32 },
}

/// A file's name and bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedFile {
    pub name: String,
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
}

/// The dataset of a mode-B shadow attack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DatasetSource {
    /// A bundled dataset by id (compiled into the worker).
    Bundled {
        id: String,
    },
    File(NamedFile),
}

/// What the worker is doing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Stage {
    Reading,
    Simulating,
    Attacking(Signal),
    Sweeping,
    Training(ShadowStage),
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
}

/// A finished simulation: the attack on the simulated scores, the closed form, and the sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimulationOutcome {
    pub params: SimulationParams,
    pub summary: ModelSummary,
    pub report: SignalReport,
    /// Closed forms for the (unclipped) normal family; `None` for beta.
    pub analytic_auc: Option<f64>,
    pub analytic_roc: Option<(Vec<f64>, Vec<f64>)>,
    pub sweep: Vec<SweepPoint>,
}

/// A restriction's effect, with the ROC curves of the confidence signal before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestrictionOutcome {
    pub source: InputSource,
    pub report: RestrictionReport,
    pub roc_before: mia_engine::RocCurve,
    pub roc_after: mia_engine::RocCurve,
    pub frontier: Option<Vec<FrontierPoint>>,
}

/// From the worker to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WorkerEvent {
    Progress {
        job: u32,
        stage: Stage,
        fraction: f64,
    },
    Done {
        job: u32,
        outcome: Box<AuditOutcome>,
    },
    Simulated {
        job: u32,
        outcome: Box<SimulationOutcome>,
    },
    ShadowDone {
        job: u32,
        report: Box<ShadowReport>,
    },
    Restricted {
        job: u32,
        outcome: Box<RestrictionOutcome>,
    },
    RestrictedCsv {
        job: u32,
        csv: String,
    },
    /// The input cannot be audited; `headers` lets the page offer a column mapping.
    Failed {
        job: u32,
        message: String,
        headers: Vec<String>,
    },
    Cancelled {
        job: u32,
    },
}

impl WorkerEvent {
    /// The job the event belongs to.
    pub fn job(&self) -> u32 {
        match self {
            WorkerEvent::Progress { job, .. }
            | WorkerEvent::Done { job, .. }
            | WorkerEvent::Simulated { job, .. }
            | WorkerEvent::ShadowDone { job, .. }
            | WorkerEvent::Restricted { job, .. }
            | WorkerEvent::RestrictedCsv { job, .. }
            | WorkerEvent::Failed { job, .. }
            | WorkerEvent::Cancelled { job } => *job,
        }
    }
}

/// Numbers jobs: each view keeps a counter and ignores events of all but its latest job.
pub fn next_job(counter: &std::cell::RefCell<u32>) -> u32 {
    let mut c = counter.borrow_mut();
    *c += 1;
    *c
}
