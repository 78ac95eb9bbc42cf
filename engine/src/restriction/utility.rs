//! What a restriction costs: agreement with the unrestricted answer, accuracy, calibration.

use serde::{Deserialize, Serialize};

use super::pipeline::argmax;

/// Utility of restricted outputs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Utility {
    /// Share of records whose top-1 class is unchanged (ties to the lowest index).
    pub top1_agreement: f64,
    /// Top-1 accuracy against the true labels, when known.
    pub accuracy: Option<f64>,
    /// Expected calibration error with 15 equal-width bins, when labels are known.
    pub ece: Option<f64>,
    /// Records whose confidence was unique before and is shared with another record after
    /// (information rounding removed).
    pub n_lost_distinct: usize,
}

/// Share of rows whose argmax is the same in `before` and `after` (row-major, `k` classes).
pub fn top1_agreement(before: &[f64], after: &[f64], k: usize) -> f64 {
    let n = before.len() / k.max(1);
    if n == 0 {
        return 1.0;
    }
    let same = (0..n)
        .filter(|&i| argmax(&before[i * k..(i + 1) * k]) == argmax(&after[i * k..(i + 1) * k]))
        .count();
    same as f64 / n as f64
}

/// Expected calibration error (Naeini et al. 2015; Guo et al. 2017): records binned by top
/// probability into `bins` equal-width bins of (0, 1]; `Σ |B|/n · |accuracy(B) − confidence(B)|`.
///
/// # Examples
/// ```
/// // Two records, both predicted with 0.9 confidence, one right: |0.5 − 0.9| = 0.4.
/// let p = [0.9, 0.1, 0.9, 0.1];
/// let ece = mia_engine::restriction::expected_calibration_error(&p, 2, &[0, 1], 15);
/// assert!((ece - 0.4).abs() < 1e-12);
/// ```
pub fn expected_calibration_error(probs: &[f64], k: usize, labels: &[u32], bins: usize) -> f64 {
    let n = labels.len();
    if n == 0 || k == 0 || bins == 0 {
        return 0.0;
    }
    let (mut count, mut correct, mut conf) =
        (vec![0usize; bins], vec![0usize; bins], vec![0.0f64; bins]);
    for (i, &y) in labels.iter().enumerate() {
        let row = &probs[i * k..(i + 1) * k];
        let top = argmax(row);
        let c = row[top];
        // Bin b holds (b/bins, (b+1)/bins]; confidence 0 goes to the first bin.
        let b = ((c * bins as f64).ceil() as usize).clamp(1, bins) - 1;
        count[b] += 1;
        correct[b] += (top == y as usize) as usize;
        conf[b] += c;
    }
    (0..bins)
        .filter(|&b| count[b] > 0)
        .map(|b| {
            let m = count[b] as f64;
            (m / n as f64) * (correct[b] as f64 / m - conf[b] / m).abs()
        })
        .sum()
}

/// Records whose value in `before` is unique but whose value in `after` is shared. Values are
/// compared at 12 decimals, so that a last-bit difference between two `exp` implementations
/// (numpy's and the platform's) does not decide what counts as distinct.
pub fn lost_distinct(before: &[f64], after: &[f64]) -> usize {
    let key = |v: &[f64]| -> Vec<f64> { v.iter().map(|x| (x * 1e12).round_ties_even()).collect() };
    let (before, after) = (key(before), key(after));
    let counts = |v: &[f64]| {
        let mut s: Vec<f64> = v.to_vec();
        s.sort_by(f64::total_cmp);
        move |x: f64| {
            s.partition_point(|&y| y < x)
                .abs_diff(s.partition_point(|&y| y <= x))
        }
    };
    let (cb, ca) = (counts(&before), counts(&after));
    before
        .iter()
        .zip(&after)
        .filter(|(&b, &a)| cb(b) == 1 && ca(a) > 1)
        .count()
}
