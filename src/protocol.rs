//! Every message between the page and its workers: plain typed data, no behaviour, serialised by
//! [`codec`] (bincode), so page and worker cannot disagree on a field name.
//!
//! One envelope for every feature: the page sends [`WorkerRequest::Run`] with a [`JobRequest`]
//! (one variant per feature, each defined in that feature's file) and gets [`WorkerEvent`]s back,
//! each `{ job, kind: Progress | Interim(outcome) | Paused | Failed | Cancelled | Finished(outcome) }`.
//! The page's job hook ([`crate::hooks::use_worker_job`]) handles progress, pause, failure and
//! cancel once; a page sees only its own outcome type.

pub mod audit;
pub mod codec;
pub mod fingerprint;
pub mod job;
pub mod lira;
pub mod monitor;
pub mod part;
pub mod restrict;
pub mod shadow;
pub mod simulate;
pub mod slices;
pub mod text;
pub mod train;
pub mod unlearn;
pub mod upload;

pub use audit::{AuditOutcome, AuditRequest, InputSource, WorkTimings};
pub use job::{
    EventKind, JobError, JobId, JobOutcome, JobRequest, Stage, WorkerEvent, WorkerRequest,
};
pub use lira::{LiraOutcome, LiraRequest, LiraSource, TrainedReferences};
pub use monitor::{MonitorOutcome, MonitorRequest, MonitorSource};
pub use restrict::{RestrictRequest, RestrictionOutcome};
pub use shadow::{DatasetSource, ShadowRequest};
pub use simulate::SimulationOutcome;
pub use text::{TextOutcome, TextRequest, TextResult, TextSource};
pub use train::{CurrentAttack, LabUnlearnSnapshot, ProfileSnapshot, TrainRequest, TrainSnapshot};
pub use unlearn::{UnlearnOutcome, UnlearnRequest};
pub use upload::Upload;
