//! One file per job the audit worker runs: each takes its request and its page's channel, and
//! gives its outcome or a typed error ([`crate::worker::pacing::JobResult`]).

pub mod audit;
pub mod lab_unlearning;
pub mod lira;
pub mod monitor;
pub mod restrict;
pub mod shadow;
pub mod simulate;
pub mod text;
pub mod train;
pub mod unlearn;
