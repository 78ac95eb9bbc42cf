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

use super::lira::{Side, SideFit};
use super::settings::STD_EPS;
use super::table::ReferenceTable;
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
    /// Checks both sides of `fits` (fitted with every reference of `table`) in one pass over the
    /// n × M values: per side, the residuals φ_j(i) − c_s(i) of the side's references,
    /// standardised by the side's global spread, in record order. One check per side that has
    /// values.
    pub fn of_fits(table: &ReferenceTable, fits: &[SideFit; 2]) -> Vec<GaussianCheck> {
        let [fin, fout] = fits;
        let mut acc = [fin, fout].map(|f| {
            let count: usize = f.n.iter().map(|&k| k as usize).sum();
            Residuals::new(count)
        });
        let g = [fin, fout].map(|f| f.global_spread.unwrap_or(f64::NAN) + STD_EPS);
        let m = table.m;
        let (mut zin, mut zout) = (vec![0.0; m], vec![0.0; m]);
        for i in 0..table.len() {
            let phi = table.row(&table.ref_phi, i);
            let flags = table.row(&table.ref_in, i);
            let (c_in, c_out) = (fin.centre[i], fout.centre[i]);
            // Both residuals written, the flag's kept: no branch on a coin toss per reference.
            let (mut k_in, mut k_out) = (0, 0);
            for (&v, &f) in phi.iter().zip(flags) {
                zin[k_in] = (v - c_in) / g[0];
                zout[k_out] = (v - c_out) / g[1];
                k_in += usize::from(f);
                k_out += usize::from(!f);
            }
            acc[0].push_all(&zin[..k_in]);
            acc[1].push_all(&zout[..k_out]);
        }
        let [a_in, a_out] = acc;
        [a_in.finish(Side::In), a_out.finish(Side::Out)]
            .into_iter()
            .flatten()
            .collect()
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

/// One side's standardised residuals as they are read: a strided sample for the Q-Q plot, the
/// power sums and the count beyond ±3.
struct Residuals {
    stride: usize,
    /// Residuals to skip before the next sample.
    until_sample: usize,
    sample: Vec<f64>,
    // Raw power sums (per record, then added up): the residuals are standardised, so their mean
    // is near 0 and the central moments follow from these without cancellation.
    sums: [f64; 4],
    beyond_3: u64,
    count: usize,
}

impl Residuals {
    /// For `n` residuals.
    fn new(n: usize) -> Residuals {
        let stride = n.div_ceil(QQ_SAMPLE).max(1);
        Residuals {
            stride,
            until_sample: 0,
            sample: Vec::with_capacity(n.div_ceil(stride)),
            sums: [0.0; 4],
            beyond_3: 0,
            count: 0,
        }
    }

    /// Adds the residuals `z` (one record's, in order).
    #[inline]
    fn push_all(&mut self, z: &[f64]) {
        // Every stride-th residual from the first, counted across calls.
        let mut k = self.until_sample;
        while k < z.len() {
            self.sample.push(z[k]);
            k += self.stride;
        }
        self.until_sample = k - z.len();
        self.count += z.len();
        let mut sums = [0.0f64; 4];
        let mut beyond = 0u64;
        for &v in z {
            let v2 = v * v;
            sums[0] += v;
            sums[1] += v2;
            sums[2] += v2 * v;
            sums[3] += v2 * v2;
            beyond += u64::from(v.abs() > 3.0);
        }
        for (total, s) in self.sums.iter_mut().zip(sums) {
            *total += s;
        }
        self.beyond_3 += beyond;
    }

    /// The check; `None` without any residual.
    fn finish(mut self, side: Side) -> Option<GaussianCheck> {
        if self.count == 0 {
            return None;
        }
        self.sample.sort_unstable_by(f64::total_cmp);
        let normal = Normal::standard();
        let qq = levels(self.sample.len())
            .into_iter()
            .filter_map(|p| {
                Some(QqPoint {
                    level: p,
                    normal: normal.inverse_cdf(p),
                    observed: percentile_sorted(&self.sample, 100.0 * p)?,
                })
            })
            .collect();
        let c = self.count as f64;
        let [m1, r2, r3, r4] = self.sums.map(|s| s / c);
        let m2 = r2 - m1 * m1;
        let m4 = r4 - 4.0 * m1 * r3 + 6.0 * m1 * m1 * r2 - 3.0 * m1.powi(4);
        let excess_kurtosis = if m2 > 0.0 { m4 / (m2 * m2) - 3.0 } else { 0.0 };
        let expected = NORMAL_BEYOND_3 * c;
        let tail_ratio = self.beyond_3 as f64 / expected;
        Some(GaussianCheck {
            side,
            n_residuals: self.count as u64,
            qq,
            beyond_3: self.beyond_3,
            expected_beyond_3: expected,
            tail_ratio,
            excess_kurtosis,
            heavy_tails: self.beyond_3 >= HEAVY_TAIL_MIN_COUNT && tail_ratio >= HEAVY_TAIL_RATIO,
        })
    }
}
