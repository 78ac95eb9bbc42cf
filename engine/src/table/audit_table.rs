//! The validated columns of an audit: one entry per record, nothing else.

use serde::{Deserialize, Serialize};

use crate::table::folded_signals::FoldedSignals;
use crate::table::member_flags::MemberFlags;
use crate::table::row_numbers::RowNumbers;
use crate::table::signal::ClassOutputs;
use crate::table::text_column::TextColumn;
use crate::ColumnMapping;

/// Per-record model outputs and membership ground truth, as loaded from a CSV.
///
/// Every vector has one entry per kept record (`probs` and `logits` are row-major, `n × n_classes`).
/// All floats are finite; `confidence` and `probs` lie in `[0, 1]`; `loss` is `>= 0`; labels are
/// `< n_classes` when per-class columns exist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditTable {
    pub headers: Vec<String>,
    pub mapping: ColumnMapping,
    pub n_classes: usize,
    /// Spreadsheet row number of each record (the header is row 1), for messages and tables.
    pub source_rows: RowNumbers,
    pub ids: Option<TextColumn>,
    pub member: MemberFlags,
    pub label: Option<Vec<u32>>,
    pub confidence: Option<Vec<f64>>,
    pub loss: Option<Vec<f64>>,
    pub probs: Option<Vec<f64>>,
    pub logits: Option<Vec<f64>>,
    /// The shadow model of each row, when the file has a `shadow` column.
    #[serde(default)]
    pub shadow: Option<Vec<String>>,
    /// The per-class columns folded into their signals while reading (then `probs` and `logits`
    /// are `None`): what an audit needs of them in a fraction of the memory.
    #[serde(default)]
    pub folded: Option<FoldedSignals>,
}

impl AuditTable {
    /// Number of records.
    pub fn len(&self) -> usize {
        self.member.len()
    }

    /// True when there are no records.
    pub fn is_empty(&self) -> bool {
        self.member.is_empty()
    }

    /// Number of members (records in the target's training set).
    pub fn n_members(&self) -> u64 {
        self.member.n_members()
    }

    /// Number of non-members.
    pub fn n_nonmembers(&self) -> u64 {
        self.len() as u64 - self.n_members()
    }

    /// The probability vector of record `i`, when probability columns are present.
    pub fn prob_row(&self, i: usize) -> Option<&[f64]> {
        let k = self.n_classes;
        self.probs.as_ref().map(|p| &p[i * k..(i + 1) * k])
    }

    /// The logit vector of record `i`, when logit columns are present.
    pub fn logit_row(&self, i: usize) -> Option<&[f64]> {
        let k = self.n_classes;
        self.logits.as_ref().map(|p| &p[i * k..(i + 1) * k])
    }

    /// Whether the file has `prob_*` columns (kept, or folded into their signals).
    pub fn has_probs(&self) -> bool {
        self.probs.is_some() || self.folded.as_ref().is_some_and(|f| f.had_probs)
    }

    /// Whether the file has `logit_*` columns (kept, or folded into their signals).
    pub fn has_logits(&self) -> bool {
        self.logits.is_some() || self.folded.as_ref().is_some_and(|f| f.had_logits)
    }

    /// Record `i`'s kept per-class outputs and its label.
    pub fn class_outputs(&self, i: usize) -> ClassOutputs<'_> {
        ClassOutputs {
            probs: self.prob_row(i),
            logits: self.logit_row(i),
            label: self.label.as_ref().map_or(0, |l| l[i] as usize),
        }
    }

    /// The table restricted to rows `idx`, in that order.
    pub fn select_rows(&self, idx: &[usize]) -> AuditTable {
        let pick = |v: &Vec<f64>, k: usize| -> Vec<f64> {
            idx.iter()
                .flat_map(|&i| v[i * k..(i + 1) * k].iter().copied())
                .collect()
        };
        let k = self.n_classes;
        AuditTable {
            headers: self.headers.clone(),
            mapping: self.mapping.clone(),
            n_classes: k,
            source_rows: idx.iter().map(|&i| self.source_rows.get(i)).collect(),
            ids: self
                .ids
                .as_ref()
                .map(|v| idx.iter().map(|&i| v.get(i)).collect()),
            member: idx.iter().map(|&i| self.member.get(i)).collect(),
            label: self
                .label
                .as_ref()
                .map(|v| idx.iter().map(|&i| v[i]).collect()),
            confidence: self.confidence.as_ref().map(|v| pick(v, 1)),
            loss: self.loss.as_ref().map(|v| pick(v, 1)),
            probs: self.probs.as_ref().map(|v| pick(v, k)),
            logits: self.logits.as_ref().map(|v| pick(v, k)),
            shadow: self
                .shadow
                .as_ref()
                .map(|v| idx.iter().map(|&i| v[i].clone()).collect()),
            folded: self.folded.as_ref().map(|f| f.select_rows(idx)),
        }
    }

    /// A display name for record `i`: its id when there is an id column, else its row number.
    pub fn record_name(&self, i: usize) -> String {
        match &self.ids {
            Some(ids) => ids.get(i).to_string(),
            None => format!("row {}", self.source_rows.get(i)),
        }
    }
}
