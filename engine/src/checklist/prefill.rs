//! Checklist facts the audit already measured, with where each came from, so the reviewer
//! confirms figures instead of retyping them.

use super::facts::{DeploymentFacts, Fact, FactOrigin};
use crate::audit_report::ModelSummary;
use crate::number_format::{count, percent};

/// A fact's value as measured by the audit.
#[derive(Debug, Clone, PartialEq)]
pub enum MeasuredFact {
    GeneralizationGap(f64),
    TrainingExamples(u64),
    ReturnsLogprobs(bool),
}

impl MeasuredFact {
    /// The checklist input this measures.
    pub fn fact(&self) -> Fact {
        match self {
            MeasuredFact::GeneralizationGap(_) => Fact::GeneralizationGap,
            MeasuredFact::TrainingExamples(_) => Fact::TrainingExamples,
            MeasuredFact::ReturnsLogprobs(_) => Fact::ReturnsLogprobs,
        }
    }

    /// Writes the value into `facts`.
    pub fn apply(&self, facts: &mut DeploymentFacts) {
        match *self {
            MeasuredFact::GeneralizationGap(g) => facts.generalization_gap = Some(g),
            MeasuredFact::TrainingExamples(n) => facts.n_training_examples = n,
            MeasuredFact::ReturnsLogprobs(b) => facts.returns_logprobs = b,
        }
    }
}

/// What the audit of `summary` says about the checklist's inputs: the accuracy gap (members −
/// non-members) when the file has labels and probabilities, the number of member records (a lower
/// bound on the training set when the audit sampled it), and whether the outputs included logits.
///
/// # Examples
/// ```
/// use mia_engine::checklist::prefill::{measured_facts, MeasuredFact};
/// let table = mia_engine::ingest(b"member,confidence\n1,0.9\n0,0.4\n", None).unwrap().table;
/// let facts = measured_facts(&mia_engine::audit(&table).unwrap().summary);
/// assert_eq!(facts[0].0, MeasuredFact::TrainingExamples(1));
/// ```
pub fn measured_facts(summary: &ModelSummary) -> Vec<(MeasuredFact, FactOrigin)> {
    let mut out = Vec::new();
    if let (Some(tr), Some(te)) = (summary.target_train_accuracy, summary.target_test_accuracy) {
        out.push((
            MeasuredFact::GeneralizationGap(tr - te),
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
        MeasuredFact::TrainingExamples(summary.n_members),
        FactOrigin::Audit {
            detail: format!(
                "{} member records audited (a lower bound if the audit sampled the training set)",
                count(summary.n_members)
            ),
        },
    ));
    out.push((
        MeasuredFact::ReturnsLogprobs(summary.has_logits),
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
