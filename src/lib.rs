//! mia-playground: the browser front end of the membership-inference audit.
//!
//! The UI calls `mia-engine` through a web worker ([`agent`]); it never computes a metric itself.

pub mod agent;
pub mod app;
pub mod blob_worker;
pub mod charts;
pub mod checklist_state;
pub mod codec;
pub mod components;
pub mod csp;
pub mod download;
pub mod dp_claim;
pub mod event_loop;
pub mod file_read;
pub mod file_slices;
pub mod fingerprint_agent;
pub mod format;
pub mod part_worker;
pub mod samples;
pub mod shadow_state;
pub mod simulator_state;
pub mod state;
pub mod url_state;
pub mod warm_up;
pub mod worker_protocol;
