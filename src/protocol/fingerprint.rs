//! Messages between the page and the fingerprint worker ([`crate::worker::fingerprint`]).

use serde::{Deserialize, Serialize};

/// From the page: fingerprint the file attached under `file_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FingerprintRequest {
    pub file_id: u32,
}

/// To the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FingerprintEvent {
    /// The file's SHA-256, as lower-case hex.
    Done {
        file_id: u32,
        sha256: String,
    },
    Failed {
        file_id: u32,
        message: String,
    },
}
