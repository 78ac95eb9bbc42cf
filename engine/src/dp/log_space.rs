//! Arithmetic in log space for the RDP accountant: sums of tiny or huge terms without overflow,
//! with [`crate::models::portable_math`]'s functions, so that ε is the same bits in the browser
//! and natively.

use crate::models::portable_math::{erfc, exp, ln, ln_1p, ln_gamma, sin};

/// `ln(e^x + e^y)`.
pub fn log_add(x: f64, y: f64) -> f64 {
    let (a, b) = if x < y { (x, y) } else { (y, x) };
    if a == f64::NEG_INFINITY {
        return b;
    }
    ln_1p(exp(a - b)) + b
}

/// `ln |Γ(x)|`, also for negative non-integer `x` (scipy's `gammaln`), by reflection.
///
/// # Examples
/// ```
/// use mia_engine::dp::log_space::ln_abs_gamma;
/// // Γ(−0.5) = −2√π
/// assert!((ln_abs_gamma(-0.5) - (2.0 * std::f64::consts::PI.sqrt()).ln()).abs() < 1e-13);
/// ```
pub fn ln_abs_gamma(x: f64) -> f64 {
    if x >= 0.5 {
        return ln_gamma(x);
    }
    let s = sin(std::f64::consts::PI * x).abs();
    ln(std::f64::consts::PI) - ln(s) - ln_gamma(1.0 - x)
}

/// `ln |C(n, k)|` through the log-gamma function (n may be fractional, so `n − k` may be negative).
pub fn log_comb(n: f64, k: f64) -> f64 {
    ln_abs_gamma(n + 1.0) - ln_abs_gamma(k + 1.0) - ln_abs_gamma(n - k + 1.0)
}

/// `ln erfc(x)`, accurate in the far tail where `erfc` underflows (asymptotic series beyond
/// x = 25, as in dp_accounting's fallback).
///
/// # Examples
/// ```
/// use mia_engine::dp::log_space::log_erfc;
/// assert!((log_erfc(0.0) - 0.0).abs() < 1e-12);
/// // scipy: log(2) + log_ndtr(-30·√2) = -903.9741171106442
/// assert!((log_erfc(30.0) + 903.9741171106442).abs() < 1e-9);
/// ```
pub fn log_erfc(x: f64) -> f64 {
    if x < 25.0 {
        return ln(erfc(x));
    }
    let x2 = x * x;
    -ln(std::f64::consts::PI) / 2.0 - ln(x) - x2 - 0.5 / x2 + 0.625 / (x2 * x2)
        - 37.0 / 24.0 / (x2 * x2 * x2)
        + 353.0 / 64.0 / (x2 * x2 * x2 * x2)
}
