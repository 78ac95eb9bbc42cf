//! Does LiRA's Gaussian assumption hold? Per side, the within-record residuals φ_j(i) − c_s(i) of
//! every record, standardised by the pooled global spread, are compared with N(0, 1): a Q-Q plot,
//! the share beyond ±3 against the normal's 0.27 %, and the excess kurtosis. Heavier tails than
//! the model's mean its likelihood ratios overstate certainty in the tails, so LiRA's low-FPR
//! figures are optimistic (Carlini et al. 2022 fit Gaussians to logit-scaled confidences because
//! those are close to normal; this checks the file at hand).
//!
//! The global spread is used rather than each record's own: a record's own spread is estimated
//! from the same few values, so its standardised residuals are bounded by √(n − 1) and could never
//! show a heavy tail.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use super::lira::Side;
use crate::attack::summary::percentile_sorted;

/// Q-Q points are read from at most this many residuals (evenly strided); the tail share and
/// kurtosis use all of them.
pub const QQ_SAMPLE: usize = 200_000;
/// Residuals beyond ±3 that N(0, 1) expects: 2·(1 − Φ(3)).
pub const NORMAL_BEYOND_3: f64 = 0.002_699_796_063_260_207;
/// Tails are called heavy when at least this many times the normal's share lie beyond ±3…
pub const HEAVY_TAIL_RATIO: f64 = 2.0;
/// … and at least this many residuals do (fewer cannot tell).
pub const HEAVY_TAIL_MIN_COUNT: u64 = 10;

/// One point of a Q-Q plot.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct QqPoint {
    /// The probability level.
    pub level: f64,
    /// N(0, 1)'s quantile at that level.
    pub normal: f64,
    /// The residuals' quantile at that level.
    pub observed: f64,
}

/// The check of one side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GaussianCheck {
    pub side: Side,
    pub n_residuals: u64,
    pub qq: Vec<QqPoint>,
    /// Residuals with |z| > 3.
    pub beyond_3: u64,
    /// How many N(0, 1) would put there.
    pub expected_beyond_3: f64,
    /// `beyond_3 / expected_beyond_3`: 1 for a normal, more for heavier tails.
    pub tail_ratio: f64,
    /// Kurtosis − 3: 0 for a normal.
    pub excess_kurtosis: f64,
    pub heavy_tails: bool,
}

/// The probability levels of the Q-Q plot: 1 % to 99 % in steps of 2 %, plus tail levels the
/// sample can resolve.
fn levels(n: usize) -> Vec<f64> {
    let mut v: Vec<f64> = (0..50).map(|k| 0.01 + 0.02 * k as f64).collect();
    for t in [1e-4, 3e-4, 1e-3, 3e-3, 5e-3] {
        if t * n as f64 >= 1.0 {
            v.push(t);
            v.push(1.0 - t);
        }
    }
    v.push(0.5);
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

impl GaussianCheck {
    /// Checks the `n` standardised residuals `z` of `side`, read once; `None` without any.
    pub fn of(side: Side, n: usize, z: impl Iterator<Item = f64>) -> Option<GaussianCheck> {
        if n == 0 {
            return None;
        }
        let stride = n.div_ceil(QQ_SAMPLE).max(1);
        let mut sample = Vec::with_capacity(n.div_ceil(stride));
        // Raw power sums: the residuals are standardised, so their mean is near 0 and the
        // central moments follow from these without cancellation.
        let (mut s1, mut s2, mut s3, mut s4) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
        let mut beyond_3 = 0u64;
        let mut count = 0usize;
        for v in z {
            if count.is_multiple_of(stride) {
                sample.push(v);
            }
            count += 1;
            let v2 = v * v;
            s1 += v;
            s2 += v2;
            s3 += v2 * v;
            s4 += v2 * v2;
            beyond_3 += u64::from(v.abs() > 3.0);
        }
        if count == 0 {
            return None;
        }
        sample.sort_unstable_by(f64::total_cmp);
        let normal = Normal::standard();
        let qq = levels(sample.len())
            .into_iter()
            .filter_map(|p| {
                Some(QqPoint {
                    level: p,
                    normal: normal.inverse_cdf(p),
                    observed: percentile_sorted(&sample, 100.0 * p)?,
                })
            })
            .collect();
        let c = count as f64;
        let (m1, r2, r3, r4) = (s1 / c, s2 / c, s3 / c, s4 / c);
        let m2 = r2 - m1 * m1;
        let m4 = r4 - 4.0 * m1 * r3 + 6.0 * m1 * m1 * r2 - 3.0 * m1.powi(4);
        let excess_kurtosis = if m2 > 0.0 { m4 / (m2 * m2) - 3.0 } else { 0.0 };
        let expected = NORMAL_BEYOND_3 * c;
        let tail_ratio = beyond_3 as f64 / expected;
        Some(GaussianCheck {
            side,
            n_residuals: count as u64,
            qq,
            beyond_3,
            expected_beyond_3: expected,
            tail_ratio,
            excess_kurtosis,
            heavy_tails: beyond_3 >= HEAVY_TAIL_MIN_COUNT && tail_ratio >= HEAVY_TAIL_RATIO,
        })
    }

    /// The warning to show when the tails are heavy.
    pub fn warning(&self) -> Option<String> {
        self.heavy_tails.then(|| {
            format!(
                "The {side} references' φ have heavier tails than a Gaussian: {} of {} standardised residuals lie beyond ±3, {:.1}× the normal's {:.1} (excess kurtosis {:.2}). LiRA's likelihood ratios are then overconfident in the tails, so its TPR at low FPR is optimistic; compare with RMIA, which assumes no distribution.",
                self.beyond_3,
                self.n_residuals,
                self.tail_ratio,
                self.expected_beyond_3,
                self.excess_kurtosis,
                side = self.side.name().to_uppercase(),
            )
        })
    }
}
