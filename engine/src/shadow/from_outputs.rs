//! Mode A, outputs given: the shadow models' per-record outputs (with in/out flags) and the
//! target's outputs were computed elsewhere; train the attack here and apply it.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{
    attack_features, AttackModel, AttackOptions, RecordVerdict, ShadowError, ShadowReport,
};
use crate::attack::report::{audit_signal, model_summary, report_for_scores};
use crate::models::Matrix;
use crate::table::signal::softmax;
use crate::{AuditTable, Signal};

/// The probability vector of record `i`: `prob_*`, else softmax of `logit_*`, else
/// `[1 − confidence, confidence]` from the confidence column.
fn probability_vector(t: &AuditTable, i: usize) -> Option<Vec<f64>> {
    if let Some(p) = t.prob_row(i) {
        return Some(p.to_vec());
    }
    if let Some(z) = t.logit_row(i) {
        return Some(softmax(z));
    }
    t.confidence.as_ref().map(|c| vec![1.0 - c[i], c[i]])
}

fn features(t: &AuditTable, opt: &AttackOptions) -> Option<Vec<Vec<f64>>> {
    (0..t.len())
        .map(|i| {
            let p = probability_vector(t, i)?;
            // With only a confidence column, that confidence is the "true label" entry.
            let label = if t.n_classes > 0 {
                t.label.as_ref().map(|l| l[i] as usize)
            } else {
                Some(1)
            };
            Some(attack_features(&p, label, opt.top_k))
        })
        .collect()
}

/// What a table's output columns look like, to check that shadows and target match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OutputShape {
    /// Per-class `prob_*` or `logit_*` columns.
    Classes(usize),
    ConfidenceOnly,
}

impl OutputShape {
    pub fn of(t: &AuditTable) -> OutputShape {
        if t.n_classes > 0 {
            OutputShape::Classes(t.n_classes)
        } else {
            OutputShape::ConfidenceOnly
        }
    }
}

impl fmt::Display for OutputShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputShape::Classes(k) => write!(f, "{k} classes (prob_*/logit_* columns)"),
            OutputShape::ConfidenceOnly => write!(f, "a confidence column only"),
        }
    }
}

/// Splits a shadow-output table with a `shadow` column into one table per shadow model, named
/// `file / shadow X`; a table without the column is one shadow.
pub fn split_by_shadow(name: &str, t: AuditTable) -> Vec<(String, AuditTable)> {
    let Some(groups) = t.shadow.clone() else {
        return vec![(name.to_string(), t)];
    };
    let mut keys: Vec<String> = groups.clone();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .map(|k| {
            let idx: Vec<usize> = (0..t.len()).filter(|&i| groups[i] == k).collect();
            (format!("{name} / shadow {k}"), t.select_rows(&idx))
        })
        .collect()
}

/// Trains the attack on `shadows` (name, table with `member` = in/out of that shadow) and applies
/// it to `target`. The target's `member` column, when its values are known, gives the report; an
/// unlabelled target still gets verdicts. `target_labelled = false` means its member column is
/// a placeholder.
pub fn attack_from_outputs(
    shadows: &[(String, AuditTable)],
    target: &AuditTable,
    target_labelled: bool,
    opt: &AttackOptions,
    seed: u64,
) -> Result<ShadowReport, ShadowError> {
    if shadows.is_empty() {
        return Err(ShadowError::NoShadows);
    }
    let mut x = Vec::new();
    let (mut member, mut labels) = (Vec::new(), Vec::new());
    for (name, s) in shadows {
        let (n_in, n_out) = (s.n_members(), s.n_nonmembers());
        if n_in == 0 || n_out == 0 {
            return Err(ShadowError::OneSided {
                name: name.clone(),
                n_in,
                n_out,
            });
        }
        let (shadow_shape, target_shape) = (OutputShape::of(s), OutputShape::of(target));
        if shadow_shape != target_shape {
            return Err(ShadowError::ShapeMismatch {
                name: name.clone(),
                shadow: shadow_shape,
                target: target_shape,
            });
        }
        let f = features(s, opt)
            .ok_or_else(|| ShadowError::ShadowWithoutOutputs { name: name.clone() })?;
        x.extend(f);
        member.extend(s.member.iter());
        labels.extend((0..s.len()).map(|i| s.label.as_ref().map_or(0, |l| l[i] as usize)));
    }
    if let (Some(tl), true) = (
        &target.label,
        shadows.iter().all(|(_, s)| s.label.is_some()),
    ) {
        let max_shadow = labels.iter().copied().max().unwrap_or(0);
        if let Some(&t_max) = tl.iter().max() {
            if t_max as usize > max_shadow && opt.per_class {
                return Err(ShadowError::UncoveredClass { class: t_max });
            }
        }
    }
    let xm = Matrix::from_rows(&x).ok_or(ShadowError::InconsistentFeatures)?;
    let per_class_labels = (opt.per_class && shadows.iter().all(|(_, s)| s.label.is_some()))
        .then_some(labels.as_slice());
    let model = AttackModel::fit(&xm, &member, per_class_labels, opt)
        .map_err(ShadowError::AttackTraining)?;
    let oof = AttackModel::out_of_fold_accuracy(&xm, &member, per_class_labels, opt, seed)
        .map_err(ShadowError::AttackCrossValidation)?;
    let tf = features(target, opt).ok_or(ShadowError::TargetWithoutOutputs)?;
    let p: Vec<f64> = tf
        .iter()
        .enumerate()
        .map(|(i, f)| model.membership_probability(f, target.label.as_ref().map(|l| l[i] as usize)))
        .collect();
    let verdicts = (0..target.len())
        .map(|i| {
            RecordVerdict::new(
                target.record_name(i),
                target_labelled.then(|| target.member.get(i)),
                target.label.as_ref().map(|l| l[i]),
                p[i],
            )
        })
        .collect();
    let summary = model_summary(target);
    let mut report = ShadowReport {
        n_shadows: shadows.len(),
        model: "outputs given".into(),
        n_shadow_records: member.len(),
        attack_oof_accuracy: oof,
        verdicts,
        n_predicted_members: 0,
        n_high_confidence: 0,
        shadow_attack: if target_labelled {
            report_for_scores(target, Signal::Confidence, &p).ok()
        } else {
            None
        },
        threshold_attack: if target_labelled {
            audit_signal(target, Signal::Confidence).ok().flatten()
        } else {
            None
        },
        target_train_accuracy: summary.target_train_accuracy,
        target_test_accuracy: summary.target_test_accuracy,
    };
    report.count();
    Ok(report)
}
