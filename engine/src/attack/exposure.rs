//! The most exposed records: those an attacker would flag first.

use serde::{Deserialize, Serialize};

use crate::attack::ranking::rank_descending;
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

/// The `k` records with the highest scores, highest first (ties in record order).
pub fn most_exposed(table: &AuditTable, scores: &[f64], k: usize) -> Vec<ExposedRecord> {
    most_exposed_ranked(table, scores, &rank_descending(scores), k)
}

/// [`most_exposed`] with the records already ranked by [`rank_descending`].
pub fn most_exposed_ranked(
    table: &AuditTable,
    scores: &[f64],
    order: &[u32],
    k: usize,
) -> Vec<ExposedRecord> {
    let k = k.min(order.len());
    if k == 0 {
        return Vec::new();
    }
    let n_non = (table.n_nonmembers()).max(1) as f64;
    // Non-members scoring at least as high as each of the top k: walk the ranking to the end of
    // the run of equal scores that holds the k-th record.
    let mut at_least = vec![0u64; k];
    let (mut fp, mut run_start) = (0u64, 0usize);
    for (p, &i) in order.iter().enumerate() {
        if !table.member.get(i as usize) {
            fp += 1;
        }
        let run_ends = order
            .get(p + 1)
            .is_none_or(|&j| scores[j as usize] != scores[i as usize]);
        if run_ends {
            for slot in at_least.iter_mut().take(k.min(p + 1)).skip(run_start) {
                *slot = fp;
            }
            run_start = p + 1;
            if run_start >= k {
                break;
            }
        }
    }
    order[..k]
        .iter()
        .zip(at_least)
        .map(|(&i, above)| {
            let i = i as usize;
            ExposedRecord {
                name: table.record_name(i),
                row: table.source_rows.get(i),
                member: table.member.get(i),
                label: table.label.as_ref().map(|l| l[i]),
                score: scores[i],
                fpr_at_score: above as f64 / n_non,
            }
        })
        .collect()
}
