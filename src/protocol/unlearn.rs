//! The unlearning view's messages: verify an unlearning from a model's outputs before and after
//! (a bundled sample, one file with `after_` columns, or two files joined on `id`).

use mia_engine::unlearning::UnlearningReport;
use serde::{Deserialize, Serialize};

use super::upload::Upload;

/// Where the outputs come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum UnlearnRequest {
    /// A bundled sample, by id (compiled into the worker).
    Sample { id: String },
    /// One file with the after-model's columns prefixed `after_`, or the before file and the
    /// after file.
    Upload {
        before: Upload,
        after: Option<Upload>,
    },
}

/// A finished verification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnlearnOutcome {
    /// The input's name, for the page.
    pub source_name: String,
    /// Every ROC thinned for drawing; the figures come from the full curves.
    pub report: UnlearningReport,
}
