//! The envelope every feature's messages travel in, and the job primitives both sides share.

use mia_engine::restriction::RestrictionError;
use mia_engine::shadow::{DatasetError, ShadowError, ShadowStage};
use mia_engine::{IngestError, MetricError, Signal};
use serde::{Deserialize, Serialize};

use super::audit::{AuditOutcome, AuditRequest};
use super::lira::{LiraOutcome, LiraRequest};
use super::monitor::{MonitorOutcome, MonitorRequest};
use super::restrict::{RestrictRequest, RestrictionOutcome};
use super::shadow::ShadowRequest;
use super::simulate::SimulationOutcome;
use super::text::{TextOutcome, TextRequest};
use super::train::{LabUnlearnSnapshot, ProfileSnapshot, TrainRequest, TrainSnapshot};
use super::unlearn::{UnlearnOutcome, UnlearnRequest};

/// A job's number. Each page numbers its own jobs; the worker answers each page (each bridge)
/// on its own channel, so numbers of different pages never meet.
pub type JobId = u32;

/// From the page to the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WorkerRequest {
    /// Run a job. A newer job from the same page replaces its running one; another page's job
    /// runs beside it.
    Run { job: JobId, request: JobRequest },
    /// Stop job `job` at its next step.
    Cancel { job: JobId },
    /// Hold job `job` at its next pause point (jobs that can pause: the training lab's), keeping
    /// its state; other jobs ignore it.
    Pause { job: JobId },
    /// Go on with a paused job.
    Resume { job: JobId },
}

/// What a job does: one variant per feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum JobRequest {
    Audit(AuditRequest),
    Simulate(mia_engine::simulator::SimulationParams),
    Shadow(ShadowRequest),
    Restrict(RestrictRequest),
    Lira(LiraRequest),
    Train(Box<TrainRequest>),
    Unlearn(UnlearnRequest),
    Text(TextRequest),
    Monitor(MonitorRequest),
}

/// From the worker to the page: what became of job `job`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerEvent {
    pub job: JobId,
    pub kind: EventKind,
    /// The worker's WebAssembly memory when it sent this, in bytes: a worker grown past
    /// [`crate::hooks::audit_worker::MEMORY_LIMIT_BYTES`] is replaced once idle.
    pub memory: u64,
    /// The worker's own loads (its part worker's code) have ended: from an event that says so
    /// on, nothing the page runs needs the network, and the page locks its connections down.
    pub loaded: bool,
}

/// What a job reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum EventKind {
    Progress {
        stage: Stage,
        fraction: f64,
    },
    /// What the job has produced so far (a live view); the job goes on.
    Interim(JobOutcome),
    /// The job is held (`true`) or goes on again (`false`).
    Paused(bool),
    Failed(JobError),
    Cancelled,
    Finished(JobOutcome),
    /// Nothing for the job: the worker's own loads have ended since its last event
    /// ([`WorkerEvent::loaded`]).
    Loaded,
}

/// What a finished job produced: one variant per feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum JobOutcome {
    Audit(Box<AuditOutcome>),
    Simulation(Box<SimulationOutcome>),
    Shadow(Box<mia_engine::shadow::ShadowReport>),
    Restriction(Box<RestrictionOutcome>),
    /// The restricted outputs as CSV.
    RestrictedCsv(String),
    Lira(Box<LiraOutcome>),
    Training(Box<TrainSnapshot>),
    Profile(Box<ProfileSnapshot>),
    Unlearn(Box<UnlearnOutcome>),
    LabUnlearning(Box<LabUnlearnSnapshot>),
    Text(Box<TextOutcome>),
    Monitor(Box<MonitorOutcome>),
}

/// A page's own outcome type, taken out of the envelope (`None` for another feature's).
pub trait Outcome: Sized + 'static {
    fn from_outcome(outcome: JobOutcome) -> Option<Self>;
}

macro_rules! outcome {
    ($ty:ty, $variant:ident) => {
        impl Outcome for $ty {
            fn from_outcome(outcome: JobOutcome) -> Option<Self> {
                match outcome {
                    JobOutcome::$variant(o) => Some(o),
                    _ => None,
                }
            }
        }
    };
}
outcome!(Box<AuditOutcome>, Audit);
outcome!(Box<SimulationOutcome>, Simulation);
outcome!(Box<mia_engine::shadow::ShadowReport>, Shadow);
outcome!(Box<LiraOutcome>, Lira);
outcome!(Box<TrainSnapshot>, Training);
outcome!(Box<ProfileSnapshot>, Profile);
outcome!(Box<UnlearnOutcome>, Unlearn);
outcome!(Box<LabUnlearnSnapshot>, LabUnlearning);
outcome!(Box<TextOutcome>, Text);
outcome!(Box<MonitorOutcome>, Monitor);

/// The restriction view's two outcomes.
#[derive(Debug, Clone, PartialEq)]
pub enum RestrictOutcome {
    Evaluated(Box<RestrictionOutcome>),
    Csv(String),
}

impl Outcome for RestrictOutcome {
    fn from_outcome(outcome: JobOutcome) -> Option<Self> {
        match outcome {
            JobOutcome::Restriction(o) => Some(RestrictOutcome::Evaluated(o)),
            JobOutcome::RestrictedCsv(c) => Some(RestrictOutcome::Csv(c)),
            _ => None,
        }
    }
}

/// What the worker is doing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Stage {
    Reading,
    Simulating,
    Attacking(Signal),
    Sweeping,
    Training(ShadowStage),
    /// Training model k of an in-page reference training (0 = the target).
    TrainingReference(usize),
    /// Running the reference attacks.
    ReferenceAttacks,
    /// The training lab: epoch `epoch` (1-based) of `epochs`.
    TrainingEpoch {
        epoch: usize,
        epochs: usize,
    },
    /// The privacy-utility profile: run `run` (1-based) of `runs`.
    Profiling {
        run: usize,
        runs: usize,
    },
    /// Verifying an unlearning.
    Verifying,
    /// Scoring pair `done` of `total` of a text audit.
    ScoringPairs {
        done: usize,
        total: usize,
    },
    /// Running a text audit.
    AuditingTexts,
    /// Canary exposure: the skew-normal fit of canary `done` + 1 of `total`.
    FittingCanaries {
        done: usize,
        total: usize,
    },
    /// The monitor's replay of a query log in time order.
    ReplayingLog,
    /// Unlearning in the lab: step (or epoch) `step` of `steps` of a method.
    Unlearning {
        method: mia_engine::unlearning::lab::MethodKind,
        step: usize,
        steps: usize,
    },
}

/// Why a job failed. The message (`Display`) is shown to the user as is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum JobError {
    /// The input cannot be read as an audit table. `columns` is the file's header, taken from
    /// the read itself, so the page can offer a column mapping.
    Ingest {
        error: IngestError,
        columns: Vec<String>,
    },
    /// The browser could not read a picked file.
    Unreadable {
        message: String,
    },
    /// The picked file is no longer available to the worker.
    FileGone,
    UnknownSample {
        id: String,
    },
    UnknownDataset {
        id: String,
    },
    /// A signal's figures could not be computed.
    Metric {
        signal: Signal,
        error: MetricError,
    },
    /// The simulator's parameters cannot be simulated.
    Simulation {
        message: String,
    },
    /// The simulation gave no scores.
    NoScores,
    /// A dataset (named `input`) the shadow attack cannot train on.
    Dataset {
        input: String,
        error: DatasetError,
    },
    /// The shadow experiment on dataset `input` could not run (mode B).
    ShadowExperiment {
        input: String,
        error: ShadowError,
    },
    /// A file of the shadow attack's mode A failed; `role` is "Shadow" or "Target".
    InFile {
        role: String,
        name: String,
        error: Box<JobError>,
    },
    /// The shadow attack could not be trained or run on the given outputs (mode A).
    ShadowAttack {
        error: ShadowError,
    },
    /// The restriction could not be evaluated.
    Restriction {
        error: RestrictionError,
    },
    /// A file that is not a reference-attack input.
    ReferenceInput {
        error: mia_engine::reference_attack::ReferenceInputError,
    },
    /// The reference attacks' settings are out of range.
    ReferenceSettings {
        error: mia_engine::reference_attack::ReferenceSettingsError,
    },
    /// Reference models could not be trained here.
    ReferenceTraining {
        error: mia_engine::reference_attack::training::TrainingError,
    },
    /// The training lab cannot train on dataset `input` with these settings.
    Training {
        input: String,
        error: mia_engine::training::run::TrainError,
    },
    /// Outputs that cannot be verified as an unlearning.
    Unlearning {
        error: mia_engine::unlearning::UnlearningError,
    },
    /// The lab's unlearning of dataset `input` could not run.
    LabUnlearning {
        input: String,
        error: mia_engine::unlearning::lab::LabUnlearningError,
    },
    /// A text file that cannot be audited.
    Text {
        error: mia_engine::text::report::TextError,
    },
    /// A query log that cannot be read, or settings the detector refuses.
    Monitor {
        error: mia_engine::monitor::MonitorError,
    },
    /// A job needs data that has not been loaded.
    NoData {
        message: String,
    },
    /// The worker stopped (it failed or was replaced) before the job finished.
    WorkerLost,
}

impl JobError {
    /// The header of the file that could not be read, if known.
    pub fn columns(&self) -> &[String] {
        match self {
            JobError::Ingest { columns, .. } => columns,
            _ => &[],
        }
    }
}

impl std::fmt::Display for JobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JobError::Ingest { error, .. } => write!(f, "{error}"),
            JobError::Unreadable { message } => write!(f, "{message}"),
            JobError::FileGone => {
                write!(
                    f,
                    "The file is no longer available to the page; choose it again."
                )
            }
            JobError::UnknownSample { id } => {
                write!(f, "There is no bundled sample called `{id}`.")
            }
            JobError::UnknownDataset { id } => {
                write!(f, "There is no bundled dataset called `{id}`.")
            }
            JobError::Metric { signal, error } => write!(f, "{}: {error}", signal.title()),
            JobError::NoScores => write!(f, "The simulation produced no scores."),
            JobError::Dataset { input, error } => write!(f, "{input}: {error}"),
            JobError::ShadowExperiment { input, error } => write!(f, "{input}: {error}"),
            JobError::Training { input, error } => write!(f, "{input}: {error}"),
            JobError::Unlearning { error } => write!(f, "{error}"),
            JobError::Text { error } => write!(f, "{error}"),
            JobError::Monitor { error } => write!(f, "{error}"),
            JobError::LabUnlearning { input, error } => write!(f, "{input}: {error}"),
            JobError::InFile { role, name, error } => write!(f, "{role} file {name}: {error}"),
            JobError::ShadowAttack { error } => write!(f, "{error}"),
            JobError::Restriction { error } => write!(f, "{error}"),
            JobError::ReferenceInput { error } => write!(f, "{error}"),
            JobError::ReferenceTraining { error } => write!(f, "{error}"),
            JobError::ReferenceSettings { error } => write!(f, "{error}"),
            JobError::Simulation { message } | JobError::NoData { message } => {
                write!(f, "{message}")
            }
            JobError::WorkerLost => write!(
                f,
                "The worker stopped before this job finished (it ran out of memory or failed); \
                 it has been restarted. Try again."
            ),
        }
    }
}
