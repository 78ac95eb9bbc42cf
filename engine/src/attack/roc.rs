//! The ROC curve of a threshold attack and the area under it.

use serde::{Deserialize, Serialize};

use crate::attack::ranking::RankedRecords;
use crate::MetricError;

/// A ROC curve with one point per distinct score plus the origin, exactly as scikit-learn's
/// `roc_curve(y, score, drop_intermediate=False)`.
///
/// Point `i` is the attack "predict member iff score >= thresholds[i]"; `thresholds[0]` is `+inf`
/// (nobody predicted member). `tps`/`fps` are the integer counts behind `tpr`/`fpr`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RocCurve {
    pub thresholds: Vec<f64>,
    pub tps: Vec<u64>,
    pub fps: Vec<u64>,
    pub tpr: Vec<f64>,
    pub fpr: Vec<f64>,
    pub n_members: u64,
    pub n_nonmembers: u64,
}

/// Builds the ROC curve of `scores` (higher = member) against `is_member`.
///
/// # Errors
/// Different lengths, a NaN score, or only one class present.
///
/// # Examples
/// ```
/// let roc = mia_engine::roc_curve(&[true, false, true, false], &[0.9, 0.8, 0.8, 0.1]).unwrap();
/// assert_eq!(roc.tpr, vec![0.0, 0.5, 1.0, 1.0]);
/// assert_eq!(roc.fpr, vec![0.0, 0.0, 0.5, 1.0]);
/// ```
pub fn roc_curve(is_member: &[bool], scores: &[f64]) -> Result<RocCurve, MetricError> {
    check_inputs(is_member, scores)?;
    roc_from_ranked(&RankedRecords::rank(scores, is_member))
}

/// Lengths agree and no score is NaN.
fn check_inputs(is_member: &[bool], scores: &[f64]) -> Result<(), MetricError> {
    if is_member.len() != scores.len() {
        return Err(MetricError::LengthMismatch {
            labels: is_member.len(),
            scores: scores.len(),
        });
    }
    if let Some(index) = scores.iter().position(|s| s.is_nan()) {
        return Err(MetricError::NanScore { index });
    }
    Ok(())
}

/// [`roc_curve`] of records already laid out in rank order (no NaN scores), in O(n).
pub fn roc_from_ranked(r: &RankedRecords) -> Result<RocCurve, MetricError> {
    roc_from_descending(r.scores.iter().copied().zip(r.members.iter().copied()))
}

/// The ROC curve of (score, member) pairs given from the highest score to the lowest.
pub fn roc_from_descending(
    pairs: impl Iterator<Item = (f64, bool)>,
) -> Result<RocCurve, MetricError> {
    let capacity = pairs.size_hint().0 + 1;
    fn with_first<T>(capacity: usize, v: T) -> Vec<T> {
        let mut out = Vec::with_capacity(capacity);
        out.push(v);
        out
    }
    let mut roc = RocCurve {
        thresholds: with_first(capacity, f64::INFINITY),
        tps: with_first(capacity, 0),
        fps: with_first(capacity, 0),
        tpr: Vec::new(),
        fpr: Vec::new(),
        n_members: 0,
        n_nonmembers: 0,
    };
    let (mut tp, mut fp) = (0u64, 0u64);
    let mut pending: Option<f64> = None;
    for (score, member) in pairs {
        // Close a point when the score changes: the previous run of equal scores is complete.
        if let Some(prev) = pending {
            if prev != score {
                roc.thresholds.push(prev);
                roc.tps.push(tp);
                roc.fps.push(fp);
            }
        }
        if member {
            tp += 1;
        } else {
            fp += 1;
        }
        pending = Some(score);
    }
    if let Some(prev) = pending {
        roc.thresholds.push(prev);
        roc.tps.push(tp);
        roc.fps.push(fp);
    }
    if tp == 0 || fp == 0 {
        return Err(MetricError::OneClass {
            n_members: tp,
            n_nonmembers: fp,
        });
    }
    roc.n_members = tp;
    roc.n_nonmembers = fp;
    roc.thresholds.shrink_to_fit();
    roc.tps.shrink_to_fit();
    roc.fps.shrink_to_fit();
    roc.tpr = roc.tps.iter().map(|&t| t as f64 / tp as f64).collect();
    roc.fpr = roc.fps.iter().map(|&f| f as f64 / fp as f64).collect();
    Ok(roc)
}

impl RocCurve {
    /// Takes the curve's columns out, to be handed to another worker as they lie in memory: the
    /// thresholds and the counts (as `f64`, exact below 2^53); the rates are recomputed from the
    /// counts by [`put_float_columns`](Self::put_float_columns), bit for bit.
    pub fn take_float_columns(&mut self) -> Vec<Vec<f64>> {
        self.tpr = Vec::new();
        self.fpr = Vec::new();
        vec![
            std::mem::take(&mut self.thresholds),
            std::mem::take(&mut self.tps)
                .into_iter()
                .map(|c| c as f64)
                .collect(),
            std::mem::take(&mut self.fps)
                .into_iter()
                .map(|c| c as f64)
                .collect(),
        ]
    }

    /// Puts back what [`take_float_columns`](Self::take_float_columns) took; `false` when the
    /// columns are not three of one length (nothing is then put back).
    pub fn put_float_columns(&mut self, columns: Vec<Vec<f64>>) -> bool {
        let [thresholds, tps, fps]: [Vec<f64>; 3] = match columns.try_into() {
            Ok(c) => c,
            Err(_) => return false,
        };
        if tps.len() != thresholds.len() || fps.len() != thresholds.len() {
            return false;
        }
        let (p, n) = (self.n_members as f64, self.n_nonmembers as f64);
        self.tps = tps.iter().map(|&c| c as u64).collect();
        self.fps = fps.iter().map(|&c| c as u64).collect();
        self.tpr = self.tps.iter().map(|&t| t as f64 / p).collect();
        self.fpr = self.fps.iter().map(|&f| f as f64 / n).collect();
        self.thresholds = thresholds;
        true
    }

    /// Number of points (distinct scores + 1).
    pub fn len(&self) -> usize {
        self.tpr.len()
    }

    /// Always false: a curve has at least the origin and one point.
    pub fn is_empty(&self) -> bool {
        self.tpr.is_empty()
    }

    /// True and false positive rates, and accuracy, of "predict member iff score >= threshold".
    pub fn at_threshold(&self, threshold: f64) -> (f64, f64, f64) {
        let i = self.point_at(threshold);
        let (tp, fp) = (self.tps[i], self.fps[i]);
        let tn = self.n_nonmembers - fp;
        let n = (self.n_members + self.n_nonmembers) as f64;
        (self.tpr[i], self.fpr[i], (tp + tn) as f64 / n)
    }

    /// A copy with about `max_points` of its points, for drawing and for the page's threshold
    /// control: evenly spaced by rank, plus points spread evenly in log FPR down to 1e-5 (so
    /// low-FPR detail survives on log axes), plus the origin, the end and the max-advantage point.
    /// Every kept point is exact: thresholds and counts are those of the full curve.
    pub fn thinned(&self, max_points: usize) -> RocCurve {
        let n = self.len();
        if n <= max_points.max(2) {
            return self.clone();
        }
        let half = max_points / 2;
        let mut keep: Vec<usize> = (0..half).map(|k| k * (n - 1) / (half - 1).max(1)).collect();
        for j in 0..half {
            let target = 10f64.powf(-5.0 * j as f64 / half as f64);
            let i = self.fpr.partition_point(|&f| f < target).min(n - 1);
            keep.push(i);
            keep.push(i.saturating_sub(1));
        }
        keep.push(n - 1);
        if let Some(best) = self.max_advantage_index() {
            keep.push(best);
        }
        keep.sort_unstable();
        keep.dedup();
        let pick = |v: &Vec<f64>| keep.iter().map(|&i| v[i]).collect();
        let pick_u = |v: &Vec<u64>| keep.iter().map(|&i| v[i]).collect();
        RocCurve {
            thresholds: pick(&self.thresholds),
            tps: pick_u(&self.tps),
            fps: pick_u(&self.fps),
            tpr: pick(&self.tpr),
            fpr: pick(&self.fpr),
            n_members: self.n_members,
            n_nonmembers: self.n_nonmembers,
        }
    }
}

/// Area under the ROC curve, equal to scikit-learn's `roc_auc_score` (ties count one half).
///
/// Computed from the integer counts (trapezoids of the step curve), so the only rounding is the
/// final division.
///
/// # Formula
/// `AUC = Σ_i (FP_i − FP_{i−1})(TP_i + TP_{i−1}) / (2 · P · N)`
///
/// # Examples
/// ```
/// let roc = mia_engine::roc_curve(&[true, false, true, false], &[0.9, 0.8, 0.8, 0.1]).unwrap();
/// assert_eq!(mia_engine::auc(&roc), 0.875);
/// ```
pub fn auc(roc: &RocCurve) -> f64 {
    let mut twice_area: u128 = 0;
    for i in 1..roc.tps.len() {
        let dfp = (roc.fps[i] - roc.fps[i - 1]) as u128;
        twice_area += dfp * (roc.tps[i] + roc.tps[i - 1]) as u128;
    }
    twice_area as f64 / (2.0 * roc.n_members as f64 * roc.n_nonmembers as f64)
}

impl RocCurve {
    /// The threshold of the point with the largest `TPR − FPR` (the first such point), i.e. the
    /// attacker's best single threshold; `None` only if that is the `+inf` origin.
    pub fn max_advantage_threshold(&self) -> Option<f64> {
        let best = self.max_advantage_index()?;
        self.thresholds[best]
            .is_finite()
            .then_some(self.thresholds[best])
    }

    /// Index of the first point with the largest `TPR − FPR`.
    fn max_advantage_index(&self) -> Option<usize> {
        let mut best = 0;
        for i in 1..self.len() {
            if self.tpr[i] - self.fpr[i] > self.tpr[best] - self.fpr[best] {
                best = i;
            }
        }
        (!self.is_empty()).then_some(best)
    }

    /// The point the attack "predict member iff score >= `threshold`" lands on: the one with the
    /// smallest kept threshold that is >= `threshold` (on a thinned curve the threshold snaps up
    /// to a kept point, whose rates are exact).
    pub fn point_at(&self, threshold: f64) -> usize {
        self.thresholds
            .partition_point(|&t| t >= threshold)
            .saturating_sub(1)
    }
}

/// The AUC of (score, member) pairs given from the highest score to the lowest, without building
/// the curve: the same trapezoids as [`auc`] over the runs of equal scores. `None` with only one
/// class.
///
/// # Examples
/// ```
/// let pairs = [(0.9, true), (0.8, true), (0.8, false), (0.1, false)];
/// let a = mia_engine::attack::roc::auc_from_descending(pairs.into_iter()).unwrap();
/// let roc = mia_engine::roc_curve(&[true, true, false, false], &[0.9, 0.8, 0.8, 0.1]).unwrap();
/// assert_eq!(a, mia_engine::auc(&roc));
/// ```
pub fn auc_from_descending(pairs: impl Iterator<Item = (f64, bool)>) -> Option<f64> {
    let mut acc = AucAccumulator::default();
    for (score, member) in pairs {
        acc.push(score, member);
    }
    acc.auc()
}

/// The running AUC of (score, member) pairs fed from the highest score to the lowest: the
/// trapezoids of [`auc`] closed at each change of score. One accumulator per class lets one pass
/// over a ranking give every class's AUC.
#[derive(Debug, Clone, Copy, Default)]
pub struct AucAccumulator {
    tp: u64,
    fp: u64,
    prev_tp: u64,
    prev_fp: u64,
    /// Twice the area so far, in units of one member × one non-member.
    area: u128,
    pending: Option<f64>,
}

impl AucAccumulator {
    /// Adds the next pair (its score must not exceed the previous one's).
    #[inline]
    pub fn push(&mut self, score: f64, member: bool) {
        if self.pending.is_some_and(|p| p != score) {
            self.area += ((self.fp - self.prev_fp) as u128) * ((self.tp + self.prev_tp) as u128);
            (self.prev_tp, self.prev_fp) = (self.tp, self.fp);
        }
        if member {
            self.tp += 1;
        } else {
            self.fp += 1;
        }
        self.pending = Some(score);
    }

    /// Members and non-members fed so far.
    pub fn counts(&self) -> (u64, u64) {
        (self.tp, self.fp)
    }

    /// The AUC of the pairs fed so far; `None` with only one class.
    pub fn auc(&self) -> Option<f64> {
        let area =
            self.area + ((self.fp - self.prev_fp) as u128) * ((self.tp + self.prev_tp) as u128);
        (self.tp > 0 && self.fp > 0).then(|| area as f64 / (2.0 * self.tp as f64 * self.fp as f64))
    }
}
