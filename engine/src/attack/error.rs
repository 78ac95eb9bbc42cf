//! Why a metric could not be computed.

use std::fmt;

/// Why a metric could not be computed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum MetricError {
    /// Scores and labels have different lengths.
    LengthMismatch { labels: usize, scores: usize },
    /// A ROC curve needs at least one member and one non-member.
    OneClass { n_members: u64, n_nonmembers: u64 },
    /// A score is NaN.
    NanScore { index: usize },
}

impl fmt::Display for MetricError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LengthMismatch { labels, scores } => {
                write!(f, "{labels} membership labels but {scores} scores")
            }
            Self::OneClass { n_members, n_nonmembers } => write!(
                f,
                "needs both members and non-members ({n_members} members, {n_nonmembers} non-members)"
            ),
            Self::NanScore { index } => write!(f, "score {index} is NaN"),
        }
    }
}

impl std::error::Error for MetricError {}
