//! The per-class columns of an audit folded into the signals computed from them, one record at a
//! time while the file is read: a threshold audit needs each record's signals, not its vector, so
//! ten probabilities and ten logits (160 bytes) become at most six scores and one bit.

use serde::{Deserialize, Serialize};

use crate::table::member_flags::MemberFlags;
use crate::table::signal::{ClassOutputs, Signal};
use crate::AuditTable;

/// Every record's scores for the signals that read the per-class columns
/// ([`Signal::reads_class_outputs`]), and whether its top class is its label.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FoldedSignals {
    /// The file had `prob_*` columns.
    pub had_probs: bool,
    /// The file had `logit_*` columns.
    pub had_logits: bool,
    signals: Vec<Signal>,
    /// `scores[j][i]`: record `i`'s score for `signals[j]`.
    scores: Vec<Vec<f64>>,
    /// Whether each record's top class is its label, when the table has labels.
    top_class_correct: Option<MemberFlags>,
    /// Reused memory for a softmax (not part of the value).
    #[serde(skip)]
    scratch: Vec<f64>,
}

impl PartialEq for FoldedSignals {
    fn eq(&self, other: &Self) -> bool {
        (
            self.had_probs,
            self.had_logits,
            &self.signals,
            &self.scores,
            &self.top_class_correct,
        ) == (
            other.had_probs,
            other.had_logits,
            &other.signals,
            &other.scores,
            &other.top_class_correct,
        )
    }
}

impl FoldedSignals {
    /// An empty fold for `t`'s layout, or `None` when `t` keeps no per-class columns.
    pub fn for_table(t: &AuditTable) -> Option<FoldedSignals> {
        if t.probs.is_none() && t.logits.is_none() {
            return None;
        }
        let signals: Vec<Signal> = Signal::ALL
            .into_iter()
            .filter(|s| s.reads_class_outputs(t))
            .collect();
        Some(FoldedSignals {
            had_probs: t.probs.is_some(),
            had_logits: t.logits.is_some(),
            scores: vec![Vec::new(); signals.len()],
            signals,
            top_class_correct: t.label.as_ref().map(|_| MemberFlags::default()),
            scratch: Vec::new(),
        })
    }

    /// Appends the next record.
    pub fn push(&mut self, record: ClassOutputs<'_>) {
        let mut row = [0.0; Signal::ALL.len()];
        let row = &mut row[..self.signals.len()];
        record.scores_into(&self.signals, row, &mut self.scratch);
        for (column, &v) in self.scores.iter_mut().zip(row.iter()) {
            column.push(v);
        }
        if let Some(c) = self.top_class_correct.as_mut() {
            c.push(record.top_class_is_label());
        }
    }

    /// Makes room for `additional` more records.
    pub fn reserve(&mut self, additional: usize) {
        for column in &mut self.scores {
            column.reserve(additional);
        }
        if let Some(c) = self.top_class_correct.as_mut() {
            c.reserve(additional);
        }
    }

    /// Appends `other`'s records; `false` (nothing appended) if it folded other signals.
    pub fn append(&mut self, other: &FoldedSignals) -> bool {
        if (self.had_probs, self.had_logits, &self.signals)
            != (other.had_probs, other.had_logits, &other.signals)
            || self.top_class_correct.is_some() != other.top_class_correct.is_some()
        {
            return false;
        }
        for (column, more) in self.scores.iter_mut().zip(&other.scores) {
            column.extend_from_slice(more);
        }
        if let (Some(c), Some(more)) = (self.top_class_correct.as_mut(), &other.top_class_correct) {
            c.append(more);
        }
        true
    }

    /// How many signals were folded.
    pub fn n_signals(&self) -> usize {
        self.signals.len()
    }

    /// Takes the score columns out, one per folded signal (see
    /// [`IngestedPart::take_float_columns`](crate::ingest::split::IngestedPart::take_float_columns)).
    pub fn take_scores(&mut self) -> Vec<Vec<f64>> {
        self.scores.iter_mut().map(std::mem::take).collect()
    }

    /// Puts back the columns [`take_scores`](Self::take_scores) took.
    pub fn put_scores(&mut self, scores: Vec<Vec<f64>>) {
        self.scores = scores;
    }

    /// Every record's score for `s`, when `s` was folded.
    pub fn scores(&self, s: Signal) -> Option<&[f64]> {
        let j = self.signals.iter().position(|&f| f == s)?;
        Some(&self.scores[j])
    }

    /// Whether each record's top class is its label, when the table has labels.
    pub fn top_class_correct(&self) -> Option<&MemberFlags> {
        self.top_class_correct.as_ref()
    }

    /// The fold restricted to rows `idx`, in that order.
    pub fn select_rows(&self, idx: &[usize]) -> FoldedSignals {
        FoldedSignals {
            had_probs: self.had_probs,
            had_logits: self.had_logits,
            signals: self.signals.clone(),
            scores: self
                .scores
                .iter()
                .map(|c| idx.iter().map(|&i| c[i]).collect())
                .collect(),
            top_class_correct: self
                .top_class_correct
                .as_ref()
                .map(|c| idx.iter().map(|&i| c.get(i)).collect()),
            scratch: Vec::new(),
        }
    }
}
