//! Closed forms for two normal score distributions with equal spread (unclipped).
//!
//! If member scores are `N(μ + g, σ²)` and non-member scores `N(μ, σ²)`, the threshold attack at
//! false-positive rate `α` has `TPR = Φ(d − Φ⁻¹(1 − α))` with `d = g/σ`, and
//! `AUC = P(member > non-member) = Φ(g / (σ√2))` (the binormal ROC model; see e.g. Pepe 2003,
//! "The Statistical Evaluation of Medical Tests", §4.4).

use statrs::distribution::{ContinuousCDF, Normal};

fn std_normal() -> Option<Normal> {
    Normal::new(0.0, 1.0).ok()
}

/// `Φ(gap / (std·√2))`.
///
/// # Examples
/// ```
/// use mia_engine::simulator::analytic_auc;
/// assert_eq!(analytic_auc(0.0, 0.15), Some(0.5));
/// // Φ(1) = 0.841344746068543 (statrs's erf is good to about 1e-11).
/// assert!((analytic_auc(0.15 * 2f64.sqrt(), 0.15).unwrap() - 0.841344746068543).abs() < 1e-10);
/// ```
pub fn analytic_auc(gap: f64, std: f64) -> Option<f64> {
    (std > 0.0).then(|| std_normal().map(|n| n.cdf(gap / (std * std::f64::consts::SQRT_2))))?
}

/// TPR at false-positive rate `fpr`: `Φ(gap/std − Φ⁻¹(1 − fpr))`.
pub fn analytic_tpr_at_fpr(gap: f64, std: f64, fpr: f64) -> Option<f64> {
    if std <= 0.0 || !(0.0..=1.0).contains(&fpr) {
        return None;
    }
    let n = std_normal()?;
    if fpr == 0.0 {
        return Some(0.0);
    }
    if fpr == 1.0 {
        return Some(1.0);
    }
    Some(n.cdf(gap / std - n.inverse_cdf(1.0 - fpr)))
}

/// The analytic ROC curve at FPRs spread evenly on a log scale from 1e-5 to 1 plus a linear grid,
/// sorted by FPR, starting at (0, 0).
pub fn analytic_roc(gap: f64, std: f64) -> Option<(Vec<f64>, Vec<f64>)> {
    let mut fprs: Vec<f64> = (0..=100)
        .map(|i| 10f64.powf(-5.0 + 5.0 * i as f64 / 100.0))
        .collect();
    fprs.extend((1..100).map(|i| i as f64 / 100.0));
    fprs.push(0.0);
    fprs.sort_by(f64::total_cmp);
    fprs.dedup();
    let tprs = fprs
        .iter()
        .map(|&f| analytic_tpr_at_fpr(gap, std, f))
        .collect::<Option<Vec<f64>>>()?;
    Some((fprs, tprs))
}
