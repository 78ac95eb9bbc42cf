//! Why a text is not a value of a checklist fact ([`FactValue::parse`](super::FactValue::parse)).
//! The CLI (after `invalid value '…' for '--…':`), the page's form and its link parser all show
//! the message as it is, so it says what is accepted; `text` is the trimmed input.

use serde::{Deserialize, Serialize};

/// A fact's text that cannot be read, with what the fact accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum FactError {
    #[error("use medical, financial, legal, biometric or general, not `{text}`")]
    Sensitivity { text: String },
    #[error("the gap is train accuracy − test accuracy, between −1 and 1; `{text}` is outside")]
    GapOutOfRange { text: String },
    #[error("`{text}` is not a number (write e.g. 0.12, or leave it empty if unknown)")]
    GapNotANumber { text: String },
    #[error("`{text}` is not a whole number of examples")]
    TrainingExamples { text: String },
    /// Log-probabilities returned, EU residents: a yes/no fact.
    #[error("use yes or no, not `{text}`")]
    YesNo { text: String },
    #[error("use standard, dp_sgd or federated, not `{text}`")]
    Training { text: String },
    #[error("use small, medium, large or xlarge, not `{text}`")]
    ModelSize { text: String },
}
