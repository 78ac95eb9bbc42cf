//! The query-log monitor's messages: a log (a bundled sample, or a picked file read in slices)
//! and the detector's settings; back, the replay of the log.

use mia_engine::monitor::{DetectorSettings, MonitorReport};
use serde::{Deserialize, Serialize};

use super::upload::Upload;

/// Where the log comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum MonitorSource {
    /// A bundled sample, by id (compiled into the worker).
    Sample {
        id: String,
    },
    Upload(Upload),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitorRequest {
    pub source: MonitorSource,
    /// As the page has them; the worker checks them (the engine's one check).
    pub settings: DetectorSettings,
}

/// A replayed log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitorOutcome {
    /// The input's name, for the page.
    pub source_name: String,
    /// The worker's time to read the log, and to replay it, in milliseconds.
    pub read_ms: f64,
    pub replay_ms: f64,
    pub report: MonitorReport,
}
