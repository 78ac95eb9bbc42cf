//! The measured attack as evidence beside the checklist: the strongest threshold attack of the
//! audit (Yeom et al. 2018), its risk band and its TPR at 0.1 % FPR, the figure that says whether
//! an attacker can confidently name members (Carlini et al. 2022).

use serde::{Deserialize, Serialize};

use super::assessment::ChecklistAssessment;
use crate::{AuditReport, RiskLevel, Signal, TprAtFpr};

/// The FPR at which the evidence reports the TPR.
pub const EVIDENCE_FPR: f64 = 0.001;

/// What the audit measured, summarised for the checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttackEvidence {
    /// The strongest signal (highest AUC).
    pub signal: Signal,
    pub auc: f64,
    pub risk: RiskLevel,
    pub tpr_at_low_fpr: Option<TprAtFpr>,
    pub n_members: u64,
    pub n_nonmembers: u64,
}

/// The evidence of `report`, or `None` when it has no signal.
pub fn attack_evidence(report: &AuditReport) -> Option<AttackEvidence> {
    let r = report.strongest()?;
    Some(AttackEvidence {
        signal: r.signal,
        auc: r.auc,
        risk: r.risk,
        tpr_at_low_fpr: r
            .tpr_at_fpr
            .iter()
            .find(|t| t.target_fpr == EVIDENCE_FPR)
            .copied(),
        n_members: report.summary.n_members,
        n_nonmembers: report.summary.n_nonmembers,
    })
}

impl AttackEvidence {
    /// A warning when the measured attack is a worse risk than the checklist's overall level.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::checklist::{assess, AttackEvidence, DeploymentFacts};
    /// use mia_engine::{RiskLevel, Signal};
    /// let a = assess(&DeploymentFacts::default());
    /// let e = AttackEvidence { signal: Signal::NegLoss, auc: 0.8, risk: RiskLevel::Critical,
    ///     tpr_at_low_fpr: None, n_members: 10, n_nonmembers: 10 };
    /// assert!(e.contradicts(&a).is_some());
    /// ```
    pub fn contradicts(&self, assessment: &ChecklistAssessment) -> Option<String> {
        (self.risk > assessment.overall).then(|| {
            format!(
                "The measured attack (AUC {:.4}, {} risk) is worse than the checklist's overall {} risk: treat the model as {} risk.",
                self.auc, self.risk, assessment.overall, self.risk
            )
        })
    }
}
