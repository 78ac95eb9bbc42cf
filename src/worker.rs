//! Everything that runs in the web workers: the audit worker's reactor and its jobs, its reads
//! of a picked file ([`io`]), the part worker that reads half of a large upload ([`part`]), the
//! warm-up, and the fingerprint worker. Messages are defined in [`crate::protocol`].

pub mod code;
pub mod event_loop;
pub mod fingerprint;
pub mod io;
pub mod jobs;
pub mod lifecycle;
pub mod pacing;
pub mod part;
pub mod reactor;
pub mod read;
pub mod warm_up;
