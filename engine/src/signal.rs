//! Membership signals: per-record scores oriented so that higher means "more likely a member".
//!
//! A model is more confident, and has lower loss, on the records it was trained on. Each signal
//! turns a record's outputs into one number an attacker can threshold (Yeom et al. 2018).

use serde::{Deserialize, Serialize};

use crate::AuditTable;

/// Clamp for logarithms of probabilities, as in Song & Mittal's reference code (`1e-30`).
pub const LOG_FLOOR: f64 = 1e-30;
/// Clamp used when deriving a loss from a confidence: `-ln(max(confidence, 1e-12))`.
pub const LOSS_FLOOR: f64 = 1e-12;

/// A membership signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Signal {
    /// Probability the model gives the true label.
    Confidence,
    /// Negative cross-entropy loss, `-loss`.
    NegLoss,
    /// Largest class probability (needs no label).
    MaxProbability,
    /// Negative Shannon entropy of the prediction, `Σ p ln p` (needs no label).
    NegEntropy,
    /// Negative modified entropy (Song & Mittal 2021, "Systematic Evaluation of Privacy Risks of
    /// Machine Learning Models"): `(1 − p_y) ln p_y + Σ_{i≠y} p_i ln(1 − p_i)`.
    NegModifiedEntropy,
    /// Logit-scaled confidence `ln(p_y / (1 − p_y))`, the statistic of LiRA (Carlini et al. 2022,
    /// "Membership Inference Attacks From First Principles"); from logits it is computed stably as
    /// `z_y − logsumexp_{i≠y} z_i`.
    LogitScaledConfidence,
}

impl Signal {
    /// Every signal, in display order.
    pub const ALL: [Signal; 6] = [
        Signal::Confidence,
        Signal::NegLoss,
        Signal::MaxProbability,
        Signal::NegEntropy,
        Signal::NegModifiedEntropy,
        Signal::LogitScaledConfidence,
    ];

    /// Machine name, used in URLs, the CLI and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Signal::Confidence => "confidence",
            Signal::NegLoss => "neg_loss",
            Signal::MaxProbability => "max_prob",
            Signal::NegEntropy => "neg_entropy",
            Signal::NegModifiedEntropy => "neg_modified_entropy",
            Signal::LogitScaledConfidence => "logit_confidence",
        }
    }

    /// Human name.
    pub fn title(self) -> &'static str {
        match self {
            Signal::Confidence => "Confidence on true label",
            Signal::NegLoss => "Negative loss",
            Signal::MaxProbability => "Max probability",
            Signal::NegEntropy => "Negative entropy",
            Signal::NegModifiedEntropy => "Negative modified entropy",
            Signal::LogitScaledConfidence => "Logit-scaled confidence (LiRA)",
        }
    }

    /// One sentence on what the signal is.
    pub fn description(self) -> &'static str {
        match self {
            Signal::Confidence => "The probability the model gives the correct label. Members tend to get more.",
            Signal::NegLoss => "Minus the cross-entropy loss (Yeom et al. 2018). Members tend to have lower loss.",
            Signal::MaxProbability => "The top predicted probability, whatever the label. An attacker needs no labels for it.",
            Signal::NegEntropy => "Minus the entropy of the prediction: peaked predictions look like members. Needs no labels.",
            Signal::NegModifiedEntropy => "Song & Mittal (2021): entropy that also rewards confidence on the right class and penalises it on wrong ones.",
            Signal::LogitScaledConfidence => "ln(p/(1-p)) of the true label (Carlini et al. 2022): spreads out confidences near 1, where members and non-members differ.",
        }
    }

    /// Parses a [`key`](Self::key).
    pub fn from_key(key: &str) -> Option<Signal> {
        Signal::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Whether the table has what this signal needs.
    pub fn is_available(self, t: &AuditTable) -> bool {
        let vector = t.probs.is_some() || t.logits.is_some();
        let labelled_vector = vector && t.label.is_some();
        match self {
            Signal::Confidence => t.confidence.is_some() || labelled_vector,
            Signal::NegLoss => t.loss.is_some() || t.confidence.is_some() || labelled_vector,
            Signal::MaxProbability | Signal::NegEntropy => vector,
            Signal::NegModifiedEntropy => labelled_vector,
            Signal::LogitScaledConfidence => t.confidence.is_some() || labelled_vector,
        }
    }

    /// The signals this table supports, in display order.
    pub fn available(t: &AuditTable) -> Vec<Signal> {
        Signal::ALL
            .into_iter()
            .filter(|s| s.is_available(t))
            .collect()
    }

    /// Computes the score of every record, or `None` if the table lacks what is needed.
    ///
    /// Sources, in order of preference: an explicit column (`confidence`, `loss`), then logits
    /// (exact log-softmax), then probabilities.
    pub fn scores(self, t: &AuditTable) -> Option<Vec<f64>> {
        if !self.is_available(t) {
            return None;
        }
        let n = t.len();
        let label = |i: usize| t.label.as_ref().map(|l| l[i] as usize);
        let per_record = |f: &dyn Fn(usize) -> f64| Some((0..n).map(f).collect());
        match self {
            Signal::Confidence => match &t.confidence {
                Some(c) => Some(c.clone()),
                None => per_record(&|i| probabilities(t, i)[label(i).unwrap_or(0)]),
            },
            Signal::NegLoss => {
                if let Some(l) = &t.loss {
                    Some(l.iter().map(|v| -v).collect())
                } else if let (Some(_), Some(_)) = (&t.logits, &t.label) {
                    per_record(&|i| {
                        log_softmax_at(t.logit_row(i).unwrap_or(&[]), label(i).unwrap_or(0))
                    })
                } else {
                    let conf = Signal::Confidence.scores(t)?;
                    Some(conf.iter().map(|&c| c.max(LOSS_FLOOR).ln()).collect())
                }
            }
            Signal::MaxProbability => {
                per_record(&|i| probabilities(t, i).into_iter().fold(0.0, f64::max))
            }
            Signal::NegEntropy => per_record(&|i| {
                probabilities(t, i)
                    .iter()
                    .filter(|&&p| p > 0.0)
                    .map(|&p| p * p.ln())
                    .sum()
            }),
            Signal::NegModifiedEntropy => {
                per_record(&|i| neg_modified_entropy(&probabilities(t, i), label(i).unwrap_or(0)))
            }
            Signal::LogitScaledConfidence => {
                if let (Some(_), Some(_)) = (&t.logits, &t.label) {
                    per_record(&|i| {
                        logit_margin(t.logit_row(i).unwrap_or(&[]), label(i).unwrap_or(0))
                    })
                } else if let (Some(_), Some(_)) = (&t.probs, &t.label) {
                    per_record(&|i| {
                        let p = t.prob_row(i).unwrap_or(&[]);
                        let y = label(i).unwrap_or(0);
                        let rest: f64 = p
                            .iter()
                            .enumerate()
                            .filter(|(k, _)| *k != y)
                            .map(|(_, v)| v)
                            .sum();
                        p[y].max(f64::MIN_POSITIVE).ln() - rest.max(f64::MIN_POSITIVE).ln()
                    })
                } else {
                    let conf = t.confidence.as_ref()?;
                    Some(
                        conf.iter()
                            .map(|&c| {
                                c.max(f64::MIN_POSITIVE).ln()
                                    - (1.0 - c).max(f64::MIN_POSITIVE).ln()
                            })
                            .collect(),
                    )
                }
            }
        }
    }
}

/// The probability vector of record `i`: the `prob_*` columns, else the softmax of the logits.
fn probabilities(t: &AuditTable, i: usize) -> Vec<f64> {
    match (t.prob_row(i), t.logit_row(i)) {
        (Some(p), _) => p.to_vec(),
        (None, Some(z)) => softmax(z),
        (None, None) => Vec::new(),
    }
}

/// Softmax with max-subtraction, so large logits do not overflow.
///
/// # Examples
/// ```
/// let p = mia_engine::signal::softmax(&[1000.0, 1000.0]);
/// assert_eq!(p, vec![0.5, 0.5]);
/// ```
pub fn softmax(z: &[f64]) -> Vec<f64> {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = z.iter().map(|v| (v - m).exp()).collect();
    let s: f64 = e.iter().sum();
    e.into_iter().map(|v| v / s).collect()
}

/// `ln Σ exp(z_i)` over the indices where `keep(i)`, computed stably.
fn logsumexp(z: &[f64], keep: impl Fn(usize) -> bool) -> f64 {
    let m = z
        .iter()
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(_, &v)| v)
        .fold(f64::NEG_INFINITY, f64::max);
    if m == f64::NEG_INFINITY {
        return m;
    }
    let s: f64 = z
        .iter()
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(_, &v)| (v - m).exp())
        .sum();
    m + s.ln()
}

/// `ln softmax(z)_y = z_y − logsumexp(z)`: minus the cross-entropy loss, without rounding `p` to 1.
pub fn log_softmax_at(z: &[f64], y: usize) -> f64 {
    z[y] - logsumexp(z, |_| true)
}

/// `ln(p_y / (1 − p_y)) = z_y − logsumexp_{i≠y} z_i`, exact even when `p_y` rounds to 1.
///
/// # Examples
/// ```
/// // Two classes: the margin is the logit difference.
/// assert_eq!(mia_engine::signal::logit_margin(&[3.0, 1.0], 0), 2.0);
/// ```
pub fn logit_margin(z: &[f64], y: usize) -> f64 {
    z[y] - logsumexp(z, |i| i != y)
}

/// `−Mentr(p, y)` of Song & Mittal (2021), with logarithms floored at [`LOG_FLOOR`].
pub fn neg_modified_entropy(p: &[f64], y: usize) -> f64 {
    let ln = |v: f64| v.max(LOG_FLOOR).ln();
    let mut s = (1.0 - p[y]) * ln(p[y]);
    for (i, &pi) in p.iter().enumerate() {
        if i != y {
            s += pi * ln(1.0 - pi);
        }
    }
    s
}
