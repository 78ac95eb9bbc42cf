//! Exact binomial confidence bounds for a rate `k / n` (Clopper & Pearson 1934, "The use of
//! confidence or fiducial limits illustrated in the case of the binomial").

use serde::{Deserialize, Serialize};

use super::beta_quantile::beta_quantile;

/// A rate with its two-sided confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RateInterval {
    pub rate: f64,
    pub lower: f64,
    pub upper: f64,
    /// The confidence level, e.g. 0.95.
    pub confidence: f64,
}

impl RateInterval {
    /// An interval that says nothing: `[0, 1]` around NaN (for data saved before intervals).
    pub fn unknown() -> RateInterval {
        RateInterval {
            rate: f64::NAN,
            lower: 0.0,
            upper: 1.0,
            confidence: 0.95,
        }
    }
}

/// One-sided upper bound on a rate with `k` successes in `n` trials at `confidence`: the
/// `confidence`-quantile of Beta(k + 1, n − k), and 1 when `k = n` (or `n = 0`).
///
/// # Examples
/// ```
/// use mia_engine::confidence::clopper_pearson_upper;
/// // k = 0: 1 − 0.05^(1/n) ≈ 3/n (the "rule of three"); scipy: 0.002991249545095295.
/// assert!((clopper_pearson_upper(0, 1000, 0.95) - 0.002991249545095295).abs() < 1e-12);
/// assert_eq!(clopper_pearson_upper(10, 10, 0.95), 1.0);
/// ```
pub fn clopper_pearson_upper(k: u64, n: u64, confidence: f64) -> f64 {
    if k >= n {
        return 1.0;
    }
    beta_quantile(confidence, k as f64 + 1.0, (n - k) as f64)
}

/// One-sided lower bound: the `(1 − confidence)`-quantile of Beta(k, n − k + 1), 0 when `k = 0`.
pub fn clopper_pearson_lower(k: u64, n: u64, confidence: f64) -> f64 {
    if k == 0 || n == 0 {
        return 0.0;
    }
    beta_quantile(1.0 - confidence, k as f64, (n - k) as f64 + 1.0)
}

/// The two-sided interval at `confidence` (each tail `(1 − confidence) / 2`), the one
/// `statsmodels.proportion_confint(method="beta")` gives.
///
/// # Examples
/// ```
/// use mia_engine::confidence::clopper_pearson_interval;
/// let i = clopper_pearson_interval(0, 50, 0.95);
/// assert_eq!((i.rate, i.lower), (0.0, 0.0));
/// assert!(i.upper > 0.07 && i.upper < 0.072);
/// ```
pub fn clopper_pearson_interval(k: u64, n: u64, confidence: f64) -> RateInterval {
    let tail = 1.0 - (1.0 - confidence) / 2.0;
    RateInterval {
        rate: if n == 0 { 0.0 } else { k as f64 / n as f64 },
        lower: clopper_pearson_lower(k, n, tail),
        upper: clopper_pearson_upper(k, n, tail),
        confidence,
    }
}
