//! The seven checklist rules. Each fact that raises membership-inference risk becomes a
//! [`RiskFinding`] with its level and what to do about it.
//!
//! The rules encode what the literature measured: overfitting drives membership leakage (Yeom et
//! al. 2018), small training sets and large models memorize individual records (Carlini et al.
//! 2019, 2021), full confidence vectors and log-probabilities are what threshold and shadow attacks
//! read (Shokri et al. 2017), and DP-SGD bounds what any attack can learn (Abadi et al. 2016).

use serde::{Deserialize, Serialize};

use super::facts::{DataSensitivity, DeploymentFacts, TrainingApproach};
use crate::RiskLevel;

/// Generalization gap above which overfitting is a high risk.
pub const HIGH_GAP: f64 = 0.3;
/// Generalization gap above which overfitting is a medium risk.
pub const MODERATE_GAP: f64 = 0.1;
/// Fewer training examples than this is a critical risk.
pub const VERY_SMALL_DATASET: u64 = 1_000;
/// Fewer training examples than this is a medium risk.
pub const SMALL_DATASET: u64 = 10_000;
/// A large model trained on fewer examples than this can memorize them.
pub const LARGE_MODEL_DATASET: u64 = 100_000;

/// Which rule fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FindingId {
    DataSensitivity,
    Overfitting,
    ModerateOverfitting,
    VerySmallDataset,
    SmallDataset,
    LogprobExposure,
    GdprScope,
    NoPrivacyTraining,
    LargeModelMemorization,
}

impl FindingId {
    /// The stable key: `data_sensitivity`, `overfitting`, …
    pub fn key(self) -> &'static str {
        match self {
            FindingId::DataSensitivity => "data_sensitivity",
            FindingId::Overfitting => "overfitting",
            FindingId::ModerateOverfitting => "moderate_overfitting",
            FindingId::VerySmallDataset => "very_small_dataset",
            FindingId::SmallDataset => "small_dataset",
            FindingId::LogprobExposure => "logprob_exposure",
            FindingId::GdprScope => "gdpr_scope",
            FindingId::NoPrivacyTraining => "no_privacy_training",
            FindingId::LargeModelMemorization => "large_model_memorization",
        }
    }
}

/// One risk the facts raise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskFinding {
    pub id: FindingId,
    pub level: RiskLevel,
    /// Why, in terms of the facts.
    pub reason: String,
    pub recommendations: Vec<String>,
}

/// The recommendation to train with DP-SGD, shared by the rules that call for it.
fn dp_sgd_for(sensitivity: DataSensitivity) -> String {
    format!(
        "Train with DP-SGD at epsilon < 4 for {} data.",
        sensitivity.key()
    )
}

/// Every rule that fires for `facts`, in rule order.
///
/// # Examples
/// ```
/// use mia_engine::checklist::{findings, DeploymentFacts, FindingId};
/// let facts = DeploymentFacts { n_training_examples: 999, ..DeploymentFacts::default() };
/// let ids: Vec<_> = findings(&facts).iter().map(|f| f.id).collect();
/// assert_eq!(ids, [FindingId::VerySmallDataset]);
/// ```
pub fn findings(facts: &DeploymentFacts) -> Vec<RiskFinding> {
    let mut out = Vec::new();
    let mut add = |id, level, reason: String, recs: &[&str]| {
        out.push(RiskFinding {
            id,
            level,
            reason,
            recommendations: recs.iter().map(|r| r.to_string()).collect(),
        })
    };
    let s = facts.sensitivity;
    if s.is_sensitive() {
        let dp = dp_sgd_for(s);
        add(
            FindingId::DataSensitivity,
            RiskLevel::Critical,
            format!("The model is trained on {} data.", s.key()),
            &[
                &dp,
                "Measure membership-inference risk before deployment (this audit, on held-out members and non-members).",
            ],
        );
    }
    if let Some(gap) = facts.generalization_gap {
        if gap > HIGH_GAP {
            add(
                FindingId::Overfitting,
                RiskLevel::High,
                format!("Generalization gap {gap:.4} is above {HIGH_GAP}: the model fits its training records far better than new ones."),
                &[
                    "Add L2 regularization (weight decay).",
                    "Add dropout.",
                    "Use early stopping on a validation set.",
                ],
            );
        } else if gap > MODERATE_GAP {
            add(
                FindingId::ModerateOverfitting,
                RiskLevel::Medium,
                format!("Generalization gap {gap:.4} is above {MODERATE_GAP}."),
                &[
                    "Add L2 regularization (weight decay).",
                    "Monitor the generalization gap whenever the model is retrained.",
                ],
            );
        }
    }
    let n = facts.n_training_examples;
    if n < VERY_SMALL_DATASET {
        add(
            FindingId::VerySmallDataset,
            RiskLevel::Critical,
            format!("Only {n} training examples (fewer than 1,000): each record weighs heavily on the model."),
            &[
                "Train on synthetic data instead of the personal records.",
                "Consider federated learning, so the records stay with their owners.",
            ],
        );
    } else if n < SMALL_DATASET {
        add(
            FindingId::SmallDataset,
            RiskLevel::Medium,
            format!(
                "{} training examples (fewer than 10,000).",
                crate::output::number_format::count(n)
            ),
            &["Use data augmentation.", "Train with DP-SGD."],
        );
    }
    if facts.returns_logprobs {
        add(
            FindingId::LogprobExposure,
            RiskLevel::High,
            "The API returns log-probabilities, the signal membership attacks read.".to_string(),
            &[
                "Restrict log-probability access: return the label, or the top-1 confidence rounded.",
                "Add calibrated noise to the returned probabilities.",
            ],
        );
    }
    if facts.includes_eu_residents {
        add(
            FindingId::GdprScope,
            RiskLevel::Medium,
            "The training data includes EU residents, so the GDPR applies (erasure, minimisation)."
                .to_string(),
            &[
                "Build machine-unlearning capability before EU deployment.",
                "Keep per-user data provenance so deletion requests can be served.",
            ],
        );
    }
    if facts.training == TrainingApproach::Standard
        && matches!(
            s,
            DataSensitivity::Medical | DataSensitivity::Financial | DataSensitivity::Legal
        )
    {
        let dp = dp_sgd_for(s);
        add(
            FindingId::NoPrivacyTraining,
            RiskLevel::Critical,
            format!(
                "{} data trained without any privacy-preserving method.",
                s.title()
            ),
            &[&dp],
        );
    }
    if facts.model_size.is_large() && n < LARGE_MODEL_DATASET {
        add(
            FindingId::LargeModelMemorization,
            RiskLevel::High,
            format!(
                "A {} model trained on fewer than 100,000 examples can memorize records verbatim.",
                facts.model_size.title().to_lowercase()
            ),
            &["Test the model for verbatim memorization of training records (canary or extraction tests)."],
        );
    }
    out
}
