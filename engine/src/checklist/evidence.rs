//! The measured attack as evidence beside the checklist: the strongest attack measured, with its
//! name: the threshold attack of the audit (Yeom et al. 2018) or a reference-model attack (LiRA,
//! RMIA), its risk band, its TPR at 0.1 % and at 1 % FPR, the figures that say whether an attacker
//! can confidently name members (Carlini et al. 2022).

use serde::{Deserialize, Serialize};

use super::assessment::ChecklistAssessment;
use crate::reference_attack::ReferenceReport;
use crate::{AuditReport, RiskLevel, Signal, TprAtFpr};

/// The FPR at which the evidence reports the TPR.
pub const EVIDENCE_FPR: f64 = 0.001;

/// What the audit measured, summarised for the checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttackEvidence {
    /// The attack's name as a reviewer reads it: `threshold attack (loss)`, or
    /// `LiRA online, global spread (8 reference models)`.
    pub attack: String,
    /// The threshold attack's signal (`None` for a reference-model attack).
    pub signal: Option<Signal>,
    pub auc: f64,
    pub risk: RiskLevel,
    pub tpr_at_low_fpr: Option<TprAtFpr>,
    /// TPR at 1 % FPR.
    pub tpr_at_1_percent: Option<f64>,
    pub n_members: u64,
    pub n_nonmembers: u64,
}

/// The evidence of `report`, or `None` when it has no signal.
pub fn attack_evidence(report: &AuditReport) -> Option<AttackEvidence> {
    let r = report.strongest()?;
    Some(AttackEvidence {
        attack: format!("threshold attack ({})", r.signal.title().to_lowercase()),
        signal: Some(r.signal),
        auc: r.auc,
        risk: r.risk,
        tpr_at_low_fpr: r
            .tpr_at_fpr
            .iter()
            .find(|t| t.target_fpr == EVIDENCE_FPR)
            .copied(),
        tpr_at_1_percent: r
            .tpr_at_fpr
            .iter()
            .find(|t| t.target_fpr == 0.01)
            .map(|t| t.tpr),
        n_members: report.summary.n_members,
        n_nonmembers: report.summary.n_nonmembers,
    })
}

/// The evidence of a reference-attack comparison: its strongest variant
/// ([`ReferenceReport::strongest`]), named with the number of reference models.
pub fn reference_evidence(report: &ReferenceReport) -> Option<AttackEvidence> {
    let (v, m) = report.strongest()?;
    Some(AttackEvidence {
        attack: format!("{} ({} reference models)", v.label(), report.m),
        signal: None,
        auc: m.auc,
        risk: m.risk,
        tpr_at_low_fpr: m
            .tpr_at_fpr
            .iter()
            .find(|t| t.target_fpr == EVIDENCE_FPR)
            .copied(),
        tpr_at_1_percent: m.tpr_at(0.01),
        n_members: report.n_members,
        n_nonmembers: report.n_nonmembers,
    })
}

/// The stronger of two measured attacks: the higher TPR at 1 % FPR, then the higher AUC; the
/// first on a tie.
pub fn stronger(a: Option<AttackEvidence>, b: Option<AttackEvidence>) -> Option<AttackEvidence> {
    let key = |e: &AttackEvidence| (e.tpr_at_1_percent.unwrap_or(0.0), e.auc);
    match (a, b) {
        (Some(a), Some(b)) => Some(if key(&b) > key(&a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

impl AttackEvidence {
    /// A warning when the measured attack is a worse risk than the checklist's overall level.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::checklist::{assess, AttackEvidence, DeploymentFacts};
    /// use mia_engine::{RiskLevel, Signal};
    /// let a = assess(&DeploymentFacts::default());
    /// let e = AttackEvidence { attack: "threshold attack (loss)".into(), signal: Some(Signal::NegLoss),
    ///     auc: 0.8, risk: RiskLevel::Critical, tpr_at_low_fpr: None, tpr_at_1_percent: None,
    ///     n_members: 10, n_nonmembers: 10 };
    /// assert!(e.contradicts(&a).is_some());
    /// ```
    pub fn contradicts(&self, assessment: &ChecklistAssessment) -> Option<String> {
        (self.risk > assessment.overall).then(|| {
            format!(
                "The measured attack ({}: AUC {:.4}, {} risk) is worse than the checklist's overall {} risk: treat the model as {} risk.",
                self.attack, self.auc, self.risk, assessment.overall, self.risk
            )
        })
    }
}
