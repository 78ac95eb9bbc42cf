//! Figures of merit of the threshold attack (Yeom et al. 2018, "Privacy Risk in Machine Learning:
//! Analyzing the Connection to Overfitting"): predict "member" when the score passes a threshold.

use serde::{Deserialize, Serialize};

use crate::attack::ranking::RankedRecords;
use crate::attack::summary::percentile_sorted;
use crate::confidence::{clopper_pearson_interval, RateInterval};
use crate::RocCurve;

/// The FPR targets reported everywhere: 0.1 %, 1 %, 10 %.
pub const FPR_TARGETS: [f64; 3] = [0.001, 0.01, 0.1];

/// TPR at a fixed FPR, and whether the data can resolve that FPR at all.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TprAtFpr {
    pub target_fpr: f64,
    /// Largest TPR over ROC points with FPR <= target (no interpolation).
    pub tpr: f64,
    /// False when there are fewer than `1 / target` non-members: then even one false positive
    /// exceeds the target and the figure says nothing about the attack.
    pub measurable: bool,
    /// Two-sided 95 % Clopper-Pearson interval on the TPR at that ROC point (members caught out of
    /// all members).
    #[serde(default = "RateInterval::unknown")]
    pub interval: RateInterval,
}

/// TPR at FPR `target`: the largest TPR among ROC points with FPR <= `target`, as in Carlini et
/// al. 2022 ("Membership Inference Attacks From First Principles") and the conformance cases.
///
/// # Examples
/// ```
/// let roc = mia_engine::roc_curve(&[true, false, true, false], &[0.9, 0.8, 0.8, 0.1]).unwrap();
/// let t = mia_engine::tpr_at_fpr(&roc, 0.1);
/// assert_eq!(t.tpr, 0.5);
/// assert!(!t.measurable); // two non-members cannot resolve a 10 % FPR
/// ```
pub fn tpr_at_fpr(roc: &RocCurve, target: f64) -> TprAtFpr {
    // FPR and TPR are both non-decreasing along the curve.
    let end = roc.fpr.partition_point(|&f| f <= target);
    // TPR is non-decreasing along the curve: the last point within the target has the most.
    let tp = roc.tps[..end].last().copied().unwrap_or(0);
    let tpr = roc.tpr[..end].iter().copied().fold(0.0, f64::max);
    TprAtFpr {
        target_fpr: target,
        tpr,
        measurable: roc.n_nonmembers as f64 >= 1.0 / target,
        interval: clopper_pearson_interval(tp, roc.n_members, 0.95),
    }
}

/// Attacker advantage `max(TPR − FPR)` over thresholds (Yeom et al. 2018).
pub fn attacker_advantage(roc: &RocCurve) -> f64 {
    roc.tpr
        .iter()
        .zip(&roc.fpr)
        .map(|(t, f)| t - f)
        .fold(f64::NEG_INFINITY, f64::max)
}

/// Best balanced accuracy `max((TPR + 1 − FPR) / 2)` over thresholds.
pub fn best_balanced_accuracy(roc: &RocCurve) -> f64 {
    roc.tpr
        .iter()
        .zip(&roc.fpr)
        .map(|(t, f)| (t + 1.0 - f) / 2.0)
        .fold(f64::NEG_INFINITY, f64::max)
}

/// The outcome of one fixed threshold, "predict member iff score > threshold".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ThresholdOutcome {
    pub threshold: f64,
    pub accuracy: f64,
    pub tpr: f64,
    pub fpr: f64,
}

/// Accuracy, TPR and FPR of "predict member iff score > threshold".
pub fn outcome_above(is_member: &[bool], scores: &[f64], threshold: f64) -> ThresholdOutcome {
    let (mut tp, mut fp, mut p, mut n) = (0u64, 0u64, 0u64, 0u64);
    for (&m, &s) in is_member.iter().zip(scores) {
        let pred = s > threshold;
        if m {
            p += 1;
            tp += pred as u64;
        } else {
            n += 1;
            fp += pred as u64;
        }
    }
    let tn = n - fp;
    ThresholdOutcome {
        threshold,
        accuracy: (tp + tn) as f64 / (p + n).max(1) as f64,
        tpr: tp as f64 / p.max(1) as f64,
        fpr: fp as f64 / n.max(1) as f64,
    }
}

/// The percentiles of member scores tried as thresholds by [`best_percentile_threshold`].
pub const MEMBER_PERCENTILES: [f64; 3] = [25.0, 50.0, 75.0];

/// A threshold at a percentile of the member scores, with its outcome.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PercentileThreshold {
    pub percentile: f64,
    pub outcome: ThresholdOutcome,
}

/// The best accuracy over thresholds at the 25th, 50th and 75th percentile of member scores
/// (numpy's linear percentile), "predict member iff score > threshold". Ties keep the lower
/// percentile.
pub fn best_percentile_threshold(
    is_member: &[bool],
    scores: &[f64],
) -> Option<PercentileThreshold> {
    let ranked = RankedRecords::rank(scores, is_member);
    let roc = crate::attack::roc::roc_from_ranked(&ranked).ok()?;
    best_percentile_threshold_ranked(&ranked, &roc)
}

/// [`best_percentile_threshold`] of records laid out in rank order, with their full ROC curve
/// (each threshold's counts are read off the curve instead of counted again).
pub fn best_percentile_threshold_ranked(
    r: &RankedRecords,
    roc: &RocCurve,
) -> Option<PercentileThreshold> {
    let member_scores: Vec<f64> = r
        .scores
        .iter()
        .zip(&r.members)
        .rev()
        .filter(|(_, &m)| m)
        .map(|(&s, _)| s)
        .collect();
    let mut best: Option<PercentileThreshold> = None;
    for q in MEMBER_PERCENTILES {
        let t = percentile_sorted(&member_scores, q)?;
        let outcome = outcome_from_roc(roc, t);
        if best.is_none_or(|b| outcome.accuracy > b.outcome.accuracy) {
            best = Some(PercentileThreshold {
                percentile: q,
                outcome,
            });
        }
    }
    best
}

/// [`outcome_above`] read off a full (not thinned) ROC curve in O(log n): the records scoring
/// strictly above `threshold` are those counted at the last point whose threshold exceeds it.
///
/// # Examples
/// ```
/// use mia_engine::attack::threshold::{outcome_above, outcome_from_roc};
/// let (m, s) = ([true, false, true, false], [0.9, 0.8, 0.8, 0.1]);
/// let roc = mia_engine::roc_curve(&m, &s).unwrap();
/// for t in [-1.0, 0.1, 0.5, 0.8, 0.85, 0.9, 2.0] {
///     assert_eq!(outcome_from_roc(&roc, t), outcome_above(&m, &s, t));
/// }
/// ```
pub fn outcome_from_roc(roc: &RocCurve, threshold: f64) -> ThresholdOutcome {
    let i = roc
        .thresholds
        .partition_point(|&t| t > threshold)
        .saturating_sub(1);
    let (tp, fp) = (roc.tps[i], roc.fps[i]);
    let (p, n) = (roc.n_members, roc.n_nonmembers);
    ThresholdOutcome {
        threshold,
        accuracy: (tp + n - fp) as f64 / (p + n).max(1) as f64,
        tpr: tp as f64 / p.max(1) as f64,
        fpr: fp as f64 / n.max(1) as f64,
    }
}
