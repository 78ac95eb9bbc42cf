//! Risk levels from the attack's AUC, and what to do at each level.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How much membership leaks, judged by the threshold attack's AUC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RiskLevel {
    Low,
    Medium,
    High,
    Critical,
}

impl RiskLevel {
    /// AUC > 0.75 critical, > 0.65 high, > 0.55 medium, else low.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::RiskLevel;
    /// assert_eq!(RiskLevel::from_auc(0.75), RiskLevel::High);
    /// assert_eq!(RiskLevel::from_auc(0.7501), RiskLevel::Critical);
    /// assert_eq!(RiskLevel::from_auc(0.55), RiskLevel::Low);
    /// ```
    pub fn from_auc(auc: f64) -> RiskLevel {
        if auc > 0.75 {
            RiskLevel::Critical
        } else if auc > 0.65 {
            RiskLevel::High
        } else if auc > 0.55 {
            RiskLevel::Medium
        } else {
            RiskLevel::Low
        }
    }

    /// Lower-case name: `low`, `medium`, `high`, `critical`.
    pub fn key(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
            RiskLevel::Critical => "critical",
        }
    }

    /// Parses a [`key`](Self::key), case-insensitively.
    pub fn from_key(s: &str) -> Option<RiskLevel> {
        [
            RiskLevel::Low,
            RiskLevel::Medium,
            RiskLevel::High,
            RiskLevel::Critical,
        ]
        .into_iter()
        .find(|r| r.key().eq_ignore_ascii_case(s.trim()))
    }

    /// What the level means, in one sentence.
    pub fn meaning(self) -> &'static str {
        match self {
            RiskLevel::Low => "An attacker does little better than a coin flip at telling members from non-members.",
            RiskLevel::Medium => "An attacker tells members from non-members noticeably better than chance.",
            RiskLevel::High => "An attacker reliably separates many members from non-members.",
            RiskLevel::Critical => "Membership is exposed: an attacker identifies training records with high confidence.",
        }
    }

    /// The recommendations for this level.
    pub fn recommendations(self) -> &'static [&'static str] {
        match self {
            RiskLevel::Critical => &[
                "Retrain with differential privacy (DP-SGD) at epsilon < 4.",
                "Do not deploy this model on sensitive data.",
                "Consider training on synthetic data instead of the personal records.",
            ],
            RiskLevel::High => &[
                "Retrain with differential privacy (DP-SGD) at epsilon < 8.",
                "Add regularization and early stopping to close the generalization gap.",
                "Restrict access to log-probabilities and full confidence vectors.",
            ],
            RiskLevel::Medium => &[
                "Add regularization (weight decay) and dropout.",
                "Monitor overfitting (the train/test loss gap) as the model is retrained.",
                "Restrict access to log-probabilities and full confidence vectors.",
            ],
            RiskLevel::Low => &[
                "Acceptable for deployment with access controls on the model's outputs.",
                "Monitor the generalization gap over time, as retraining can change it.",
            ],
        }
    }
}

impl fmt::Display for RiskLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}
