//! The restriction pipeline, in this order: softmax(logits / T) → cap → round.

pub use super::setting::RestrictionSetting;
use crate::attack::summary::numpy_sum;
use crate::AuditTable;

/// Index of the largest value; ties go to the lowest index.
pub fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

/// `exp(z − max z) / Σ exp(z − max z)`, summed as numpy sums, so ties match the reference.
fn softmax(z: &[f64]) -> Vec<f64> {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = z.iter().map(|v| (v - m).exp()).collect();
    let s = numpy_sum(&e);
    e.into_iter().map(|v| v / s).collect()
}

fn renormalise(p: &mut [f64]) {
    let s = numpy_sum(p);
    if s > 0.0 && s.is_finite() {
        p.iter_mut().for_each(|v| *v /= s);
    } else {
        // Every probability was rounded to 0: nothing is left to tell classes apart, so the
        // defined output is uniform.
        let u = 1.0 / p.len().max(1) as f64;
        p.iter_mut().for_each(|v| *v = u);
    }
}

/// Restricts one record's output. `z` are logits (or log-probabilities when only probabilities
/// are known: then the temperature acts on them).
///
/// # Formula
/// `p = softmax(z / T)` (max-subtracted) → `p = min(p, cap); p /= Σp` → `p = round(p, d); p /= Σp`,
/// where rounding is half-to-even on `p·10^d` (numpy's `round`). If rounding leaves every entry 0
/// the result is uniform (defined, no division by zero).
///
/// # Examples
/// ```
/// use mia_engine::restriction::{restrict, RestrictionSetting};
/// let s = RestrictionSetting { max_confidence: Some(0.5), ..Default::default() };
/// let p = restrict(&[2.0, 0.0], &s);
/// assert!((p[0] - 0.5 / (0.5 + 0.11920292202211755)).abs() < 1e-12);
/// // 100 classes rounded to 1 decimal: every 0.01 rounds to 0 → uniform.
/// let flat = restrict(&[0.0; 100], &RestrictionSetting { precision: Some(1), ..Default::default() });
/// assert_eq!(flat[0], 0.01);
/// ```
pub fn restrict(z: &[f64], s: &RestrictionSetting) -> Vec<f64> {
    let t = if s.temperature > 0.0 {
        s.temperature
    } else {
        1.0
    };
    let scaled: Vec<f64> = z.iter().map(|v| v / t).collect();
    let mut p = softmax(&scaled);
    if s.label_only {
        let k = argmax(&p);
        return (0..p.len()).map(|i| (i == k) as u8 as f64).collect();
    }
    if let Some(cap) = s.max_confidence {
        p.iter_mut().for_each(|v| *v = v.min(cap));
        renormalise(&mut p);
    }
    if let Some(d) = s.precision {
        let f = 10f64.powi(d as i32);
        p.iter_mut()
            .for_each(|v| *v = (*v * f).round_ties_even() / f);
        renormalise(&mut p);
    }
    p
}

/// The log-scores the pipeline starts from for record `i`: its logits, else ln of its
/// probabilities. `None` when the table has neither.
pub fn log_scores(t: &AuditTable, i: usize) -> Option<Vec<f64>> {
    if let Some(z) = t.logit_row(i) {
        return Some(z.to_vec());
    }
    t.prob_row(i).map(|p| p.iter().map(|v| v.ln()).collect())
}

/// The table as the restricted API would return it: probabilities only (the restricted ones),
/// with member flags, labels and ids kept. `None` without logit or probability columns.
pub fn restricted_table(t: &AuditTable, s: &RestrictionSetting) -> Option<AuditTable> {
    let k = t.n_classes;
    if k == 0 || (t.logits.is_none() && t.probs.is_none()) {
        return None;
    }
    let mut probs = Vec::with_capacity(t.len() * k);
    for i in 0..t.len() {
        probs.extend(restrict(&log_scores(t, i)?, s));
    }
    let mut out = t.clone();
    out.probs = Some(probs);
    out.logits = None;
    out.confidence = None;
    out.loss = None;
    Some(out)
}
