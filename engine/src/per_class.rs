//! Per-class AUC: the threshold attack restricted to the records of one true class.
//!
//! Leakage is rarely uniform: rare or hard classes are memorised more, so a global AUC can hide a
//! class whose members are easy to identify.

use serde::{Deserialize, Serialize};

use crate::{auc, roc_curve};

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
    let n_classes = labels.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut out = Vec::new();
    for c in 0..n_classes as u32 {
        let (mut m, mut s) = (Vec::new(), Vec::new());
        for ((&mi, &si), &li) in is_member.iter().zip(scores).zip(labels) {
            if li == c {
                m.push(mi);
                s.push(si);
            }
        }
        if m.is_empty() {
            continue;
        }
        let n_members = m.iter().filter(|&&x| x).count() as u64;
        out.push(ClassAuc {
            label: c,
            n_members,
            n_nonmembers: m.len() as u64 - n_members,
            auc: roc_curve(&m, &s).ok().map(|r| auc(&r)),
        });
    }
    out
}
