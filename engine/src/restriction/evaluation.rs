//! Before and after a restriction: the threshold attack with every signal, and the utility cost.

use serde::{Deserialize, Serialize};

use super::error::RestrictionError;
use super::pipeline::{argmax, restricted_table, RestrictionSetting};
use super::utility::{expected_calibration_error, lost_distinct, top1_agreement, Utility};
use crate::attack::report::SignalAuditor;
use crate::{auc, roc_curve, AuditTable, Signal, TprAtFpr};

/// Bins of the expected calibration error.
pub const ECE_BINS: usize = 15;

/// The attack with one signal, in brief.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttackFigures {
    pub signal: Signal,
    pub auc: f64,
    pub tpr_at_fpr: Vec<TprAtFpr>,
    pub advantage: f64,
}

/// A restriction's effect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestrictionReport {
    pub setting: RestrictionSetting,
    /// The attack on the unrestricted probabilities (softmax of the logits).
    pub before: Vec<AttackFigures>,
    pub after: Vec<AttackFigures>,
    pub utility: Utility,
    pub ece_before: Option<f64>,
    pub accuracy_before: Option<f64>,
    /// AUC of the label-only attacker "member iff correctly classified" (Yeom et al. 2018), which
    /// no confidence restriction can stop; `None` without labels.
    pub label_only_auc: Option<f64>,
}

fn figures(t: &AuditTable) -> Vec<AttackFigures> {
    // Only the attack figures are shown: no ε audit, and one auditor so signals share rankings.
    let mut auditor = SignalAuditor::new(t, false);
    Signal::available(t)
        .into_iter()
        .filter_map(|s| auditor.audit(s).ok().flatten())
        .map(|r| AttackFigures {
            signal: r.signal,
            auc: r.auc,
            tpr_at_fpr: r.tpr_at_fpr,
            advantage: r.attacker_advantage,
        })
        .collect()
}

fn accuracy(probs: &[f64], k: usize, labels: &[u32]) -> f64 {
    let correct = labels
        .iter()
        .enumerate()
        .filter(|(i, &y)| argmax(&probs[i * k..(i + 1) * k]) == y as usize)
        .count();
    correct as f64 / labels.len().max(1) as f64
}

/// Evaluates `setting` on `table` (which needs `logit_*` or `prob_*` columns).
pub fn evaluate(
    table: &AuditTable,
    setting: &RestrictionSetting,
) -> Result<RestrictionReport, RestrictionError> {
    let none = RestrictionSetting::default();
    let before_t = restricted_table(table, &none).ok_or(RestrictionError::NoClassColumns)?;
    let after_t = restricted_table(table, setting).ok_or(RestrictionError::NoClassColumns)?;
    let k = table.n_classes;
    let (pb, pa) = (
        before_t.probs.as_deref().unwrap_or(&[]),
        after_t.probs.as_deref().unwrap_or(&[]),
    );
    let labels = table.label.as_deref();
    let conf = |t: &AuditTable| Signal::Confidence.scores(t);
    let n_lost_distinct = match (conf(&before_t), conf(&after_t)) {
        (Some(b), Some(a)) => lost_distinct(&b, &a),
        _ => 0,
    };
    let label_only_auc = labels.and_then(|l| {
        let correct: Vec<f64> = (0..table.len())
            .map(|i| (argmax(&pb[i * k..(i + 1) * k]) == l[i] as usize) as u8 as f64)
            .collect();
        roc_curve(&table.member.to_vec(), &correct)
            .ok()
            .map(|r| auc(&r))
    });
    Ok(RestrictionReport {
        setting: *setting,
        before: figures(&before_t),
        after: figures(&after_t),
        utility: Utility {
            top1_agreement: top1_agreement(pb, pa, k),
            accuracy: labels.map(|l| accuracy(pa, k, l)),
            ece: labels.map(|l| expected_calibration_error(pa, k, l, ECE_BINS)),
            n_lost_distinct,
        },
        ece_before: labels.map(|l| expected_calibration_error(pb, k, l, ECE_BINS)),
        accuracy_before: labels.map(|l| accuracy(pb, k, l)),
        label_only_auc,
    })
}

/// The restricted outputs as CSV: `id` (or the row number), `member`, `label` when known,
/// `prob_0..prob_{K-1}` restricted, and `confidence` (restricted probability of the label).
pub fn restricted_csv(table: &AuditTable, setting: &RestrictionSetting) -> Option<String> {
    let t = restricted_table(table, setting)?;
    let k = t.n_classes;
    let conf = Signal::Confidence.scores(&t);
    let mut out = String::from("id,member");
    if t.label.is_some() {
        out.push_str(",label");
    }
    for c in 0..k {
        out.push_str(&format!(",prob_{c}"));
    }
    if conf.is_some() {
        out.push_str(",confidence");
    }
    out.push('\n');
    let probs = t.probs.as_deref().unwrap_or(&[]);
    for i in 0..t.len() {
        let id = t.record_name(i).replace([',', '"', '\n'], " ");
        out.push_str(&format!("{id},{}", t.member.get(i) as u8));
        if let Some(l) = &t.label {
            out.push_str(&format!(",{}", l[i]));
        }
        for v in &probs[i * k..(i + 1) * k] {
            out.push_str(&format!(",{v}"));
        }
        if let Some(c) = &conf {
            out.push_str(&format!(",{}", c[i]));
        }
        out.push('\n');
    }
    Some(out)
}
