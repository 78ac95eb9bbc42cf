//! The most exposed records: those an attacker would flag first.

use serde::{Deserialize, Serialize};

use crate::AuditTable;

/// One record as the attacker sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExposedRecord {
    /// The record's id, or "row N" without an id column.
    pub name: String,
    /// Spreadsheet row number in the uploaded file.
    pub row: u64,
    pub member: bool,
    pub label: Option<u32>,
    pub score: f64,
    /// Fraction of non-members scoring at least as high: the false-positive rate an attacker
    /// accepts to flag this record. Near 0 for a member means it is singled out.
    pub fpr_at_score: f64,
}

/// The `k` records with the highest scores, highest first.
pub fn most_exposed(table: &AuditTable, scores: &[f64], k: usize) -> Vec<ExposedRecord> {
    let mut nonmember_scores: Vec<f64> = scores
        .iter()
        .zip(&table.member)
        .filter(|(_, &m)| !m)
        .map(|(&s, _)| s)
        .collect();
    nonmember_scores.sort_unstable_by(f64::total_cmp);
    let n_non = nonmember_scores.len().max(1) as f64;
    let mut order: Vec<usize> = (0..scores.len()).collect();
    let k = k.min(order.len());
    if k == 0 {
        return Vec::new();
    }
    let by_score_desc = |a: &usize, b: &usize| scores[*b].total_cmp(&scores[*a]).then(a.cmp(b));
    order.select_nth_unstable_by(k - 1, by_score_desc);
    order.truncate(k);
    order.sort_unstable_by(by_score_desc);
    order
        .into_iter()
        .map(|i| {
            let s = scores[i];
            let at_least = nonmember_scores.len() - nonmember_scores.partition_point(|&v| v < s);
            ExposedRecord {
                name: table.record_name(i),
                row: table.source_rows[i],
                member: table.member[i],
                label: table.label.as_ref().map(|l| l[i]),
                score: s,
                fpr_at_score: at_least as f64 / n_non,
            }
        })
        .collect()
}
