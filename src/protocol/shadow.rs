//! The shadow attack's messages (its outcome is the engine's `ShadowReport`).

use mia_engine::shadow::ShadowConfig;
use serde::{Deserialize, Serialize};

use super::upload::Upload;

/// Train a target and shadows here (mode B), or attack from given outputs (mode A).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ShadowRequest {
    Train {
        dataset: DatasetSource,
        config: ShadowConfig,
    },
    /// Shadow outputs and target outputs given as audit-format CSVs.
    FromOutputs {
        shadows: Vec<Upload>,
        target: Upload,
        config: ShadowConfig,
    },
}

/// The dataset of a mode-B shadow attack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DatasetSource {
    /// A bundled dataset by id (compiled into the worker).
    Bundled {
        id: String,
    },
    Upload(Upload),
}
