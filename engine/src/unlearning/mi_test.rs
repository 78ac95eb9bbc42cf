//! The stronger test: the threshold attack (Yeom et al. 2018) with every signal, the forget set
//! (members) against held-out records (non-members), on the model after unlearning. A mean gap
//! can be small while a tail of forget records stays recognisable; this test looks at the whole
//! ROC. The test is on one signal fixed in advance, the seed's own (the confidence on the true
//! label; the first available signal without it), so that looking at six signals does not make a
//! chance excess likely: verified only if its AUC's 95 % DeLong interval contains 0.5 and its TPR
//! at 1 % FPR is consistent with 1 % (the 95 % Clopper-Pearson interval contains 0.01). The other
//! signals are reported beside it.

use serde::{Deserialize, Serialize};

use crate::attack::report::AuditReport;
use crate::{Signal, SignalReport};

/// The FPR at which the TPR is checked.
pub const CHECKED_FPR: f64 = 0.01;

/// What the stronger test found on the model after unlearning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MiVerification {
    /// The signal tested.
    pub tested: Signal,
    pub auc_after: f64,
    /// Its AUC interval contains 0.5.
    pub auc_consistent: bool,
    /// Its TPR at 1 % FPR is consistent with 1 %; `None` when it cannot be measured (fewer than
    /// 100 held-out records).
    pub tpr_consistent: Option<bool>,
    /// The signal with the highest AUC after unlearning (reported, not tested).
    pub strongest_after: Signal,
    pub strongest_auc_after: f64,
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
        let r = after
            .signals
            .iter()
            .find(|s| s.signal == Signal::Confidence)
            .or_else(|| after.signals.first())?;
        let mut failures = Vec::new();
        let auc_consistent = r
            .auc_interval
            .is_none_or(|i| i.lower <= 0.5 && 0.5 <= i.upper);
        if let (false, Some(i)) = (auc_consistent, r.auc_interval) {
            failures.push(format!(
                "{}: the AUC {:.4} has a 95 % interval {:.4}–{:.4} that excludes 0.5: the attack still tells forget records from records never trained on.",
                r.signal.title(),
                r.auc,
                i.lower,
                i.upper
            ));
        }
        let tpr_consistent = match tpr_at_checked(r) {
            Some(t) if t.measurable => {
                let i = t.interval;
                let ok = i.lower <= CHECKED_FPR && CHECKED_FPR <= i.upper;
                if !ok {
                    failures.push(format!(
                        "{}: at 1 % FPR the attack finds {:.2} % of the forget set (95 % interval {:.2}–{:.2} %), not the 1 % of chance.",
                        r.signal.title(),
                        100.0 * t.tpr,
                        100.0 * i.lower,
                        100.0 * i.upper
                    ));
                }
                Some(ok)
            }
            _ => None,
        };
        let verified = auc_consistent && tpr_consistent != Some(false);
        Some(MiVerification {
            tested: r.signal,
            auc_after: r.auc,
            auc_consistent,
            tpr_consistent,
            strongest_after: strongest.signal,
            strongest_auc_after: strongest.auc,
            verified,
            failures,
        })
    }
}
