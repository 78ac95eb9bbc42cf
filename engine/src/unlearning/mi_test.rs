//! The stronger test: the threshold attack (Yeom et al. 2018) with every signal, the forget set
//! (members) against held-out records (non-members), on the model after unlearning. A mean gap
//! can be small while a tail of forget records stays recognisable; this test looks at the whole
//! ROC. Verified only if, for every signal, the AUC's 95 % DeLong interval contains 0.5 and the
//! TPR at 1 % FPR is consistent with 1 % (its 95 % Clopper-Pearson interval contains 0.01).

use serde::{Deserialize, Serialize};

use crate::attack::report::AuditReport;
use crate::{Signal, SignalReport};

/// The FPR at which the TPR is checked.
pub const CHECKED_FPR: f64 = 0.01;

/// What the stronger test found on the model after unlearning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MiVerification {
    /// The signal with the highest AUC after unlearning: the attacker's pick.
    pub strongest_after: Signal,
    pub auc_after: f64,
    /// Every signal's AUC interval contains 0.5.
    pub auc_consistent: bool,
    /// Every signal's TPR at 1 % FPR is consistent with 1 %; `None` when it cannot be measured
    /// (fewer than 100 held-out records).
    pub tpr_consistent: Option<bool>,
    pub verified: bool,
    /// Why it is not verified, one sentence per failed check.
    pub failures: Vec<String>,
}

fn tpr_at_checked(r: &SignalReport) -> Option<&crate::TprAtFpr> {
    r.tpr_at_fpr.iter().find(|t| t.target_fpr == CHECKED_FPR)
}

impl MiVerification {
    /// The test on `after`, the audit of the forget set against held-out records after
    /// unlearning.
    pub fn of(after: &AuditReport) -> Option<MiVerification> {
        let strongest = after
            .signals
            .iter()
            .max_by(|a, b| a.auc.total_cmp(&b.auc))?;
        let mut failures = Vec::new();
        let mut auc_consistent = true;
        let mut tpr_consistent = Some(true);
        for r in &after.signals {
            if let Some(i) = r.auc_interval {
                if !(i.lower <= 0.5 && 0.5 <= i.upper) {
                    auc_consistent = false;
                    failures.push(format!(
                        "{}: the AUC {:.4} has a 95 % interval {:.4}–{:.4} that excludes 0.5: the attack still tells forget records from records never trained on.",
                        r.signal.title(),
                        r.auc,
                        i.lower,
                        i.upper
                    ));
                }
            }
            match tpr_at_checked(r) {
                Some(t) if t.measurable => {
                    let i = t.interval;
                    if !(i.lower <= CHECKED_FPR && CHECKED_FPR <= i.upper) {
                        tpr_consistent = tpr_consistent.map(|_| false);
                        failures.push(format!(
                            "{}: at 1 % FPR the attack finds {:.2} % of the forget set (95 % interval {:.2}–{:.2} %), not the 1 % of chance.",
                            r.signal.title(),
                            100.0 * t.tpr,
                            100.0 * i.lower,
                            100.0 * i.upper
                        ));
                    }
                }
                _ => tpr_consistent = None,
            }
        }
        let verified = auc_consistent && tpr_consistent != Some(false);
        Some(MiVerification {
            strongest_after: strongest.signal,
            auc_after: strongest.auc,
            auc_consistent,
            tpr_consistent,
            verified,
            failures,
        })
    }
}
