//! Checklist facts the audit already measured, with where each came from, so the reviewer
//! confirms figures instead of retyping them.

use super::facts::{FactOrigin, FactValue, TrainingApproach};
use crate::attack::report::ModelSummary;
use crate::output::number_format::{count, percent, sig};

/// What the audit of `summary` says about the checklist's inputs: the accuracy gap (members −
/// non-members) when the file has labels and probabilities, the number of member records (a lower
/// bound on the training set when the audit sampled it), and whether the outputs included logits.
///
/// # Examples
/// ```
/// use mia_engine::checklist::prefill::measured_facts;
/// use mia_engine::checklist::FactValue;
/// let table = mia_engine::ingest(b"member,confidence\n1,0.9\n0,0.4\n", None).unwrap().table;
/// let facts = measured_facts(&mia_engine::audit(&table).unwrap().summary);
/// assert_eq!(facts[0].0, FactValue::TrainingExamples(1));
/// ```
pub fn measured_facts(summary: &ModelSummary) -> Vec<(FactValue, FactOrigin)> {
    let mut out = Vec::new();
    if let (Some(tr), Some(te)) = (summary.target_train_accuracy, summary.target_test_accuracy) {
        out.push((
            FactValue::GeneralizationGap(Some(tr - te)),
            FactOrigin::Audit {
                detail: format!(
                    "accuracy {} on members − {} on non-members",
                    percent(tr),
                    percent(te)
                ),
            },
        ));
    }
    out.push((
        FactValue::TrainingExamples(summary.n_members),
        FactOrigin::Audit {
            detail: format!(
                "{} member records audited (a lower bound if the audit sampled the training set)",
                count(summary.n_members)
            ),
        },
    ));
    out.push((
        FactValue::ReturnsLogprobs(summary.has_logits),
        FactOrigin::Audit {
            detail: if summary.has_logits {
                "the audited outputs include logits".to_string()
            } else {
                "the audited outputs have no logit columns".to_string()
            },
        },
    ));
    out
}

/// What the training lab knows of a model it trained and hands to the audit: how it was trained,
/// with DP-SGD (ε spent and δ) or without. The audit of its outputs measures the rest.
///
/// # Examples
/// ```
/// use mia_engine::checklist::prefill::training_lab_facts;
/// use mia_engine::checklist::{FactValue, TrainingApproach};
/// let facts = training_lab_facts(Some((1.0, 1e-5)));
/// assert_eq!(facts[0].0, FactValue::Training(TrainingApproach::DpSgd));
/// ```
pub fn training_lab_facts(dp: Option<(f64, f64)>) -> Vec<(FactValue, FactOrigin)> {
    let (approach, detail) = match dp {
        Some((epsilon, delta)) => (
            TrainingApproach::DpSgd,
            format!(
                "trained in the training lab with DP-SGD (ε = {}, δ = {})",
                sig(epsilon, 3),
                sig(delta, 2)
            ),
        ),
        None => (
            TrainingApproach::Standard,
            "trained in the training lab without DP-SGD".to_string(),
        ),
    };
    vec![(FactValue::Training(approach), FactOrigin::Audit { detail })]
}
