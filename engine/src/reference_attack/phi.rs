//! The logit-scaled confidence φ that LiRA models as Gaussian (Carlini et al. 2022, "Membership
//! Inference Attacks From First Principles", §4.2), and the probabilities RMIA compares.

use super::portable_exp::exp;

/// Added to both sides of φ from a probability so that p = 0 and p = 1 stay finite
/// (φ(1) = ln(1 + 1e−45) − ln(1e−45) ≈ 103.6163).
pub const PHI_EPS: f64 = 1e-45;

/// φ(p) = ln(p + 1e−45) − ln((1 − p) + 1e−45), the spec's rule for probabilities.
///
/// # Examples
/// ```
/// use mia_engine::reference_attack::phi::phi_from_probability;
/// assert_eq!(phi_from_probability(0.5), 0.0);
/// assert!((phi_from_probability(1.0) - 103.61632918473205).abs() < 1e-12);
/// ```
pub fn phi_from_probability(p: f64) -> f64 {
    (p + PHI_EPS).ln() - ((1.0 - p) + PHI_EPS).ln()
}

/// φ from logits `z` and the true class `y`: z_y − (m + ln Σ_{k≠y} exp(z_k − m)), m = max_{k≠y} z_k,
/// exact where the softmax saturates. With one class only, +∞ (nothing competes with it).
///
/// # Examples
/// ```
/// use mia_engine::reference_attack::phi::phi_from_logits;
/// // Two classes: φ = z_y − z_other.
/// assert_eq!(phi_from_logits(&[3.0, 1.0], 0), 2.0);
/// ```
pub fn phi_from_logits(z: &[f64], y: usize) -> f64 {
    let m = z
        .iter()
        .enumerate()
        .filter(|&(k, _)| k != y)
        .map(|(_, &v)| v)
        .fold(f64::NEG_INFINITY, f64::max);
    if m == f64::NEG_INFINITY {
        return f64::INFINITY;
    }
    let s: f64 = z
        .iter()
        .enumerate()
        .filter(|&(k, _)| k != y)
        .map(|(_, &v)| (v - m).exp())
        .sum();
    z[y] - (m + s.ln())
}

/// The softmax probability of class `y` from logits `z` (max-subtracted).
pub fn softmax_of(z: &[f64], y: usize) -> f64 {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let s: f64 = z.iter().map(|&v| (v - m).exp()).sum();
    (z[y] - m).exp() / s
}

/// The logistic function σ(φ) = 1 / (1 + e^−φ), computed without overflow on both signs, with
/// the engine's own [`exp`] (the same bits in the CLI and in the page).
///
/// # Examples
/// ```
/// use mia_engine::reference_attack::phi::sigmoid;
/// assert_eq!(sigmoid(0.0), 0.5);
/// assert_eq!(sigmoid(-800.0), 0.0);
/// assert_eq!(sigmoid(800.0), 1.0);
/// ```
pub fn sigmoid(phi: f64) -> f64 {
    if phi >= 0.0 {
        1.0 / (1.0 + exp(-phi))
    } else {
        let e = exp(phi);
        e / (1.0 + e)
    }
}
