//! DeLong's confidence interval for the AUC (DeLong, DeLong & Clarke-Pearson 1988, "Comparing the
//! areas under two or more correlated receiver operating characteristic curves"), computed with
//! placement values as in Sun & Xu 2014 ("Fast implementation of DeLong's algorithm").

use serde::{Deserialize, Serialize};

use super::Z_975;
use crate::RocCurve;

/// The AUC with its DeLong standard error and 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AucInterval {
    pub auc: f64,
    pub std_error: f64,
    /// `auc − 1.96·se`, clipped to `[0, 1]`.
    pub lower: f64,
    /// `auc + 1.96·se`, clipped to `[0, 1]`.
    pub upper: f64,
}

/// DeLong's 95 % interval for the AUC from a full (not thinned) ROC curve, or `None` without both
/// members and non-members. The placement values come from the curve's counts, so no extra sort
/// is needed: a member tied with `d` non-members at its score, above `b` of them, has
/// `V10 = (b + d/2)/n`; a non-member below `a` members and tied with `d` has `V01 = (a + d/2)/m`.
///
/// # Formula
/// `AUC = mean(V10)`, `Var(AUC) = var(V10)/m + var(V01)/n` (sample variances), interval
/// `AUC ± 1.96·√Var` clipped to `[0, 1]`.
///
/// # Examples
/// ```
/// use mia_engine::confidence::delong_auc_interval;
/// let roc = mia_engine::roc_curve(&[true, true, false, false], &[0.9, 0.4, 0.5, 0.1]).unwrap();
/// let i = delong_auc_interval(&roc).unwrap();
/// assert_eq!(i.auc, 0.75);
/// assert!(i.lower < 0.75 && i.upper <= 1.0);
/// ```
pub fn delong_auc_interval(roc: &RocCurve) -> Option<AucInterval> {
    let (m, n) = (roc.n_members, roc.n_nonmembers);
    if m == 0 || n == 0 {
        return None;
    }
    let (mf, nf) = (m as f64, n as f64);
    // Per distinct score (descending): (count, value) of members' V10 and non-members' V01.
    let mut v10: Vec<(f64, f64)> = Vec::with_capacity(roc.len());
    let mut v01: Vec<(f64, f64)> = Vec::with_capacity(roc.len());
    for i in 1..roc.len() {
        let dm = (roc.tps[i] - roc.tps[i - 1]) as f64;
        let dn = (roc.fps[i] - roc.fps[i - 1]) as f64;
        if dm > 0.0 {
            v10.push((dm, ((n - roc.fps[i]) as f64 + 0.5 * dn) / nf));
        }
        if dn > 0.0 {
            v01.push((dn, (roc.tps[i - 1] as f64 + 0.5 * dm) / mf));
        }
    }
    let weighted = |v: &[(f64, f64)], total: f64| {
        let mean = v.iter().map(|(w, x)| w * x).sum::<f64>() / total;
        let var = if total > 1.0 {
            v.iter()
                .map(|(w, x)| w * (x - mean) * (x - mean))
                .sum::<f64>()
                / (total - 1.0)
        } else {
            0.0
        };
        (mean, var)
    };
    let (auc, var10) = weighted(&v10, mf);
    let (_, var01) = weighted(&v01, nf);
    let se = (var10 / mf + var01 / nf).max(0.0).sqrt();
    Some(AucInterval {
        auc,
        std_error: se,
        lower: (auc - Z_975 * se).clamp(0.0, 1.0),
        upper: (auc + Z_975 * se).clamp(0.0, 1.0),
    })
}
