//! The page's hooks: the plumbing that every page would otherwise write again.

pub mod audit_worker;
pub mod fingerprint;
pub mod providers;
pub mod use_window_width;
pub mod worker_job;

pub use worker_job::{use_worker_job, Busy, JobStatus, WorkerJob};

pub use fingerprint::{use_fingerprint, Fingerprinter};
pub use providers::WorkerProviders;
pub use use_window_width::use_window_width;
