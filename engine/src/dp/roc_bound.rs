//! The ceiling differential privacy puts on any membership attack: under (ε, δ)-DP, every
//! attack's TPR at false-positive rate FPR is at most
//! `min(e^ε·FPR + δ, 1 − e^{−ε}·(1 − δ − FPR))` (Kairouz, Oh & Viswanath 2015, "The composition
//! theorem for differential privacy"; used for auditing by Jagielski et al. 2020 and Nasr et al.
//! 2021). A measured ROC point above it contradicts the claimed ε.

use serde::{Deserialize, Serialize};

/// The largest TPR an (ε, δ)-DP mechanism allows at `fpr`.
///
/// # Examples
/// ```
/// use mia_engine::dp::dp_tpr_bound;
/// assert!((dp_tpr_bound(0.5, 0.0, 0.0) - 0.5).abs() < 1e-15); // ε = 0: no attack beats chance
/// assert!((dp_tpr_bound(0.01, 1.0, 1e-5) - (1f64.exp() * 0.01 + 1e-5)).abs() < 1e-15);
/// ```
pub fn dp_tpr_bound(fpr: f64, epsilon: f64, delta: f64) -> f64 {
    let a = epsilon.exp() * fpr + delta;
    let b = 1.0 - (-epsilon).exp() * (1.0 - delta - fpr);
    a.min(b).clamp(0.0, 1.0)
}

/// The smallest ε at which the point (FPR, TPR) is allowed at `delta`:
/// `max(0, ln((TPR − δ)/FPR), ln((1 − δ − FPR)/(1 − TPR)))`; a term with a non-positive numerator
/// is ignored, a zero denominator gives infinity.
///
/// # Examples
/// ```
/// use mia_engine::dp::point_epsilon;
/// assert_eq!(point_epsilon(0.5, 0.5, 1e-5), 0.0);
/// assert!((point_epsilon(0.1, 0.9, 0.0) - 9f64.ln()).abs() < 1e-12);
/// assert_eq!(point_epsilon(0.0, 0.1, 1e-5), f64::INFINITY);
/// ```
pub fn point_epsilon(fpr: f64, tpr: f64, delta: f64) -> f64 {
    let term = |num: f64, den: f64| {
        if num <= 0.0 {
            0.0
        } else if den <= 0.0 {
            f64::INFINITY
        } else {
            (num / den).ln()
        }
    };
    term(tpr - delta, fpr)
        .max(term(1.0 - delta - fpr, 1.0 - tpr))
        .max(0.0)
}

/// Where a measured ROC curve rises furthest above the DP bound.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RocContradiction {
    pub fpr: f64,
    pub tpr: f64,
    /// The bound's TPR at that FPR.
    pub bound_tpr: f64,
    /// The smallest ε that point allows (a point estimate: see the empirical lower bound for a
    /// statistically valid figure).
    pub point_epsilon: f64,
}

/// The ROC point (`fpr[i]`, `tpr[i]`) furthest above the (ε, δ) bound, or `None` when the curve
/// stays under it. Points at FPR = 0 or TPR = 1 are skipped: there a finite sample cannot resolve
/// the rate (no false positive among `n` non-members only says FPR < ~1/n), and every such point
/// would "contradict" any ε.
///
/// # Examples
/// ```
/// use mia_engine::dp::roc_contradiction;
/// let (fpr, tpr) = ([0.0, 0.0, 0.01, 0.5, 1.0], [0.0, 0.2, 0.30, 0.9, 1.0]);
/// let c = roc_contradiction(&fpr, &tpr, 1.0, 1e-5).unwrap();
/// assert_eq!(c.fpr, 0.01);
/// assert!(roc_contradiction(&fpr, &tpr, 4.0, 1e-5).is_none());
/// ```
pub fn roc_contradiction(
    fpr: &[f64],
    tpr: &[f64],
    epsilon: f64,
    delta: f64,
) -> Option<RocContradiction> {
    let mut best: Option<RocContradiction> = None;
    let mut best_excess = 0.0;
    for (&f, &t) in fpr.iter().zip(tpr) {
        if f <= 0.0 || t >= 1.0 {
            continue;
        }
        let bound = dp_tpr_bound(f, epsilon, delta);
        // A hair of slack so a point exactly on the bound does not count as above it.
        let excess = t - bound;
        if excess > 1e-12 && excess > best_excess {
            best_excess = excess;
            best = Some(RocContradiction {
                fpr: f,
                tpr: t,
                bound_tpr: bound,
                point_epsilon: point_epsilon(f, t, delta),
            });
        }
    }
    best
}
