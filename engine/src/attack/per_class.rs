//! Per-class AUC: the threshold attack restricted to the records of one true class.
//!
//! Leakage is rarely uniform: rare or hard classes are memorised more, so a global AUC can hide a
//! class whose members are easy to identify.

use serde::{Deserialize, Serialize};

use crate::attack::ranking::RankedRecords;
use crate::attack::roc::AucAccumulator;

/// The attack on the records of one class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassAuc {
    pub label: u32,
    pub n_members: u64,
    pub n_nonmembers: u64,
    /// `None` when the class has only members or only non-members.
    pub auc: Option<f64>,
}

/// AUC per true class, for classes `0..=max(label)` that have any record.
pub fn per_class_auc(is_member: &[bool], scores: &[f64], labels: &[u32]) -> Vec<ClassAuc> {
    let ranked = RankedRecords::rank(scores, is_member);
    per_class_auc_ranked(&ranked, &ranked.lay_out(labels))
}

/// [`per_class_auc`] of records laid out in rank order (`labels` in that order too): one pass
/// feeds each record to its class's running AUC.
pub fn per_class_auc_ranked(r: &RankedRecords, labels: &[u32]) -> Vec<ClassAuc> {
    let n_classes = labels.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut by_class = vec![AucAccumulator::default(); n_classes];
    for ((&s, &m), &c) in r.scores.iter().zip(&r.members).zip(labels) {
        by_class[c as usize].push(s, m);
    }
    by_class
        .into_iter()
        .enumerate()
        .filter(|(_, acc)| acc.counts() != (0, 0))
        .map(|(c, acc)| {
            let (n_members, n_nonmembers) = acc.counts();
            ClassAuc {
                label: c as u32,
                n_members,
                n_nonmembers,
                auc: acc.auc(),
            }
        })
        .collect()
}
