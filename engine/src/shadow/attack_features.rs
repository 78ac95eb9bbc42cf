//! What the attack model sees of a record: a few functions of the model's confidence.

/// Names of the base features, in order.
pub const ATTACK_FEATURE_NAMES: [&str; 5] = [
    "confidence",
    "1 − confidence",
    "prediction entropy",
    "confidence²",
    "|confidence − 0.5|",
];

/// The attack features of one record from its probability vector `p` and, when known, its true
/// label: confidence (probability of the true label, or the top probability without a label),
/// 1 − confidence, the prediction's entropy, confidence², |confidence − 0.5|; then, with `top_k`,
/// the `k` largest probabilities in decreasing order (Shokri et al. 2017 feed the sorted vector).
///
/// # Examples
/// ```
/// let f = mia_engine::shadow::attack_features(&[0.8, 0.2], Some(0), None);
/// assert_eq!(f.len(), 5);
/// assert!((f[0] - 0.8).abs() < 1e-12 && (f[4] - 0.3).abs() < 1e-12);
/// ```
pub fn attack_features(p: &[f64], label: Option<usize>, top_k: Option<usize>) -> Vec<f64> {
    let conf = match label {
        Some(y) if y < p.len() => p[y],
        _ => p.iter().copied().fold(0.0, f64::max),
    };
    let entropy: f64 = -p
        .iter()
        .filter(|&&v| v > 0.0)
        .map(|&v| v * v.ln())
        .sum::<f64>();
    let mut f = vec![conf, 1.0 - conf, entropy, conf * conf, (conf - 0.5).abs()];
    if let Some(k) = top_k {
        let mut sorted = p.to_vec();
        sorted.sort_by(|a, b| b.total_cmp(a));
        sorted.resize(k, 0.0);
        f.extend(sorted);
    }
    f
}
