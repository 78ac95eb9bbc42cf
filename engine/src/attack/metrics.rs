//! The audit's figures of one attack from its per-record scores alone, for attacks that are not
//! a signal of an audit table (the reference-model attacks): the ROC, its AUC with DeLong's
//! interval, TPR at the reported FPRs, attacker advantage, balanced accuracy and the risk level,
//! each computed exactly as the audit computes it.

use serde::{Deserialize, Serialize};

use crate::attack::ranking::RankedRecords;
use crate::attack::roc::roc_from_ranked;
use crate::attack::threshold::{attacker_advantage, best_balanced_accuracy};
use crate::confidence::{delong_auc_interval, AucInterval};
use crate::table::member_flags::Membership;
use crate::{auc, tpr_at_fpr, MetricError, RiskLevel, RocCurve, TprAtFpr, FPR_TARGETS};

/// Every audit figure of one attack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttackMetrics {
    pub auc: f64,
    pub auc_interval: Option<AucInterval>,
    /// The full curve (one point per distinct score).
    pub roc: RocCurve,
    /// At 0.1 %, 1 % and 10 % FPR ([`FPR_TARGETS`]).
    pub tpr_at_fpr: Vec<TprAtFpr>,
    pub attacker_advantage: f64,
    pub best_balanced_accuracy: f64,
    pub risk: RiskLevel,
    pub n_distinct_scores: usize,
}

impl AttackMetrics {
    /// The figures of `scores` (higher = member) against the ground truth.
    ///
    /// # Errors
    /// A NaN score, or only one class.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::attack::metrics::AttackMetrics;
    /// let m = AttackMetrics::of_scores(&[0.9, 0.8, 0.8, 0.1], &[true, false, true, false]).unwrap();
    /// assert_eq!((m.auc, m.attacker_advantage), (0.875, 0.5));
    /// ```
    pub fn of_scores<M: Membership + ?Sized>(
        scores: &[f64],
        is_member: &M,
    ) -> Result<AttackMetrics, MetricError> {
        if let Some(index) = scores.iter().position(|s| s.is_nan()) {
            return Err(MetricError::NanScore { index });
        }
        Self::of_ranked(&RankedRecords::rank(scores, is_member))
    }

    /// The figures of records already ranked.
    pub fn of_ranked(ranked: &RankedRecords) -> Result<AttackMetrics, MetricError> {
        let roc = roc_from_ranked(ranked)?;
        let a = auc(&roc);
        Ok(AttackMetrics {
            auc: a,
            auc_interval: delong_auc_interval(&roc),
            tpr_at_fpr: FPR_TARGETS.iter().map(|&t| tpr_at_fpr(&roc, t)).collect(),
            attacker_advantage: attacker_advantage(&roc),
            best_balanced_accuracy: best_balanced_accuracy(&roc),
            risk: RiskLevel::from_auc(a),
            n_distinct_scores: roc.len() - 1,
            roc,
        })
    }

    /// TPR at FPR `target` if it is one of [`FPR_TARGETS`].
    pub fn tpr_at(&self, target: f64) -> Option<f64> {
        self.tpr_at_fpr
            .iter()
            .find(|t| t.target_fpr == target)
            .map(|t| t.tpr)
    }
}
