//! Per-class AUC: the threshold attack restricted to the records of one true class.
//!
//! Leakage is rarely uniform: rare or hard classes are memorised more, so a global AUC can hide a
//! class whose members are easy to identify.

use serde::{Deserialize, Serialize};

use crate::ranking::rank_descending;
use crate::roc::auc_from_descending;

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
    per_class_auc_ranked(is_member, scores, labels, &rank_descending(scores))
}

/// [`per_class_auc`] with the records already ranked by [`rank_descending`]: one pass splits the
/// ranking by class, already in order.
pub fn per_class_auc_ranked(
    is_member: &[bool],
    scores: &[f64],
    labels: &[u32],
    order: &[u32],
) -> Vec<ClassAuc> {
    let n_classes = labels.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut by_class: Vec<Vec<u32>> = vec![Vec::new(); n_classes];
    for &i in order {
        by_class[labels[i as usize] as usize].push(i);
    }
    by_class
        .into_iter()
        .enumerate()
        .filter(|(_, idx)| !idx.is_empty())
        .map(|(c, idx)| {
            let n_members = idx.iter().filter(|&&i| is_member[i as usize]).count() as u64;
            let auc = auc_from_descending(
                idx.iter()
                    .map(|&i| (scores[i as usize], is_member[i as usize])),
            );
            ClassAuc {
                label: c as u32,
                n_members,
                n_nonmembers: idx.len() as u64 - n_members,
                auc,
            }
        })
        .collect()
}
