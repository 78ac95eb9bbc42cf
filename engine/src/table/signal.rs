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
        let vector = t.has_probs() || t.has_logits();
        let labelled_vector = vector && t.label.is_some();
        match self {
            Signal::Confidence => t.confidence.is_some() || labelled_vector,
            Signal::NegLoss => t.loss.is_some() || t.confidence.is_some() || labelled_vector,
            Signal::MaxProbability | Signal::NegEntropy => vector,
            Signal::NegModifiedEntropy => labelled_vector,
            Signal::LogitScaledConfidence => t.confidence.is_some() || labelled_vector,
        }
    }

    /// Whether this signal's scores come from the per-class columns (`prob_*`, `logit_*`) of a
    /// table that has it, rather than from the `confidence` or `loss` column: those are the
    /// signals [`FoldedSignals`](crate::table::folded_signals::FoldedSignals) computes while reading.
    pub fn reads_class_outputs(self, t: &AuditTable) -> bool {
        let labelled = t.label.is_some();
        self.is_available(t)
            && match self {
                Signal::Confidence => t.confidence.is_none(),
                Signal::NegLoss => t.loss.is_none() && t.has_logits() && labelled,
                Signal::MaxProbability | Signal::NegEntropy | Signal::NegModifiedEntropy => true,
                Signal::LogitScaledConfidence => labelled && (t.has_logits() || t.has_probs()),
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
        if let Some(folded) = t.folded.as_ref().and_then(|f| f.scores(self)) {
            return Some(folded.to_vec());
        }
        if self.reads_class_outputs(t) {
            let mut scratch = Vec::new();
            return Some(
                (0..t.len())
                    .map(|i| t.class_outputs(i).score(self, &mut scratch))
                    .collect(),
            );
        }
        match self {
            Signal::Confidence => t.confidence.clone(),
            Signal::NegLoss => match &t.loss {
                Some(l) => Some(l.iter().map(|v| -v).collect()),
                None => {
                    let conf = Signal::Confidence.scores(t)?;
                    Some(conf.iter().map(|&c| floor_at(c, LOSS_FLOOR).ln()).collect())
                }
            },
            Signal::LogitScaledConfidence => {
                let conf = t.confidence.as_ref()?;
                Some(
                    conf.iter()
                        .map(|&c| {
                            floor_at(c, f64::MIN_POSITIVE).ln()
                                - floor_at(1.0 - c, f64::MIN_POSITIVE).ln()
                        })
                        .collect(),
                )
            }
            // Always read from the per-class columns (above).
            Signal::MaxProbability | Signal::NegEntropy | Signal::NegModifiedEntropy => None,
        }
    }
}

/// `max(v, floor)` for a positive `floor` and a value that is not NaN, without the call to `fmax`
/// that `f64::max` compiles to in WebAssembly.
#[inline]
pub fn floor_at(v: f64, floor: f64) -> f64 {
    if v < floor {
        floor
    } else {
        v
    }
}

/// The largest of `v` and `m` (neither NaN): `f64::max` without the `fmax` call.
#[inline]
fn larger(m: f64, v: f64) -> f64 {
    if v > m {
        v
    } else {
        m
    }
}

/// One record's per-class outputs, from which the vector-based signals are computed.
#[derive(Debug, Clone, Copy)]
pub struct ClassOutputs<'a> {
    /// The `prob_*` values, when the table has them.
    pub probs: Option<&'a [f64]>,
    /// The `logit_*` values, when the table has them.
    pub logits: Option<&'a [f64]>,
    /// The true label (0 when the table has none: only label-free signals are then asked for).
    pub label: usize,
}

impl ClassOutputs<'_> {
    /// The probability vector: the `prob_*` values, else the softmax of the logits (into `scratch`).
    fn probabilities<'s>(&'s self, scratch: &'s mut Vec<f64>) -> &'s [f64] {
        match (self.probs, self.logits) {
            (Some(p), _) => p,
            (None, Some(z)) => {
                softmax_into(z, scratch);
                scratch
            }
            (None, None) => &[],
        }
    }

    /// The record's score for `s`, computed from its per-class outputs as
    /// [`Signal::scores`] does when [`Signal::reads_class_outputs`]; `scratch` is reused memory.
    pub fn score(&self, s: Signal, scratch: &mut Vec<f64>) -> f64 {
        let y = self.label;
        match s {
            Signal::Confidence => self.probabilities(scratch)[y],
            Signal::NegLoss => log_softmax_at(self.logits.unwrap_or(&[]), y),
            Signal::MaxProbability | Signal::NegEntropy | Signal::NegModifiedEntropy => {
                let mut one = [0.0];
                self.scores_into(&[s], &mut one, scratch);
                one[0]
            }
            Signal::LogitScaledConfidence => match (self.logits, self.probs) {
                (Some(z), _) => logit_margin(z, y),
                (None, Some(p)) => {
                    let rest: f64 = p
                        .iter()
                        .enumerate()
                        .filter(|(k, _)| *k != y)
                        .map(|(_, v)| v)
                        .sum();
                    floor_at(p[y], f64::MIN_POSITIVE).ln() - floor_at(rest, f64::MIN_POSITIVE).ln()
                }
                (None, None) => f64::NAN,
            },
        }
    }

    /// The record's scores for `signals`, into `out` (one each), as [`score`](Self::score) gives
    /// them; the three signals that read every probability are computed here, in one pass: the
    /// largest probability, `Σ p ln p` over the positive ones, and Song & Mittal's `−Mentr`,
    /// `(1 − p_y) ln p_y + Σ_{i≠y} p_i ln(1 − p_i)` with logarithms floored at [`LOG_FLOOR`].
    pub fn scores_into(&self, signals: &[Signal], out: &mut [f64], scratch: &mut Vec<f64>) {
        let reads_all = |s: &Signal| {
            matches!(
                s,
                Signal::MaxProbability | Signal::NegEntropy | Signal::NegModifiedEntropy
            )
        };
        let (mut max, mut entropy, mut modified) = (0.0, -0.0, 0.0);
        if signals.iter().any(reads_all) {
            let p = self.probabilities(scratch);
            let y = self.label;
            // Sums start at -0.0, as `Iterator::sum` for floats does.
            let ln = |v: f64| floor_at(v, LOG_FLOOR).ln();
            if let Some(&py) = p.get(y) {
                modified = (1.0 - py) * ln(py);
            }
            for (i, &pi) in p.iter().enumerate() {
                max = larger(max, pi);
                if pi > 0.0 {
                    entropy += pi * pi.ln();
                }
                if i != y {
                    modified += pi * ln(1.0 - pi);
                }
            }
        }
        for (s, v) in signals.iter().zip(out) {
            *v = match s {
                Signal::MaxProbability => max,
                Signal::NegEntropy => entropy,
                Signal::NegModifiedEntropy => modified,
                other => self.score(*other, scratch),
            };
        }
    }

    /// Whether the top class (numpy's `argmax`: the first of equal maxima) of the probabilities,
    /// else of the logits, is the label.
    pub fn top_class_is_label(&self) -> bool {
        let row = self.probs.or(self.logits).unwrap_or(&[]);
        let mut best = 0;
        for (i, &x) in row.iter().enumerate() {
            if x > row[best] {
                best = i;
            }
        }
        best == self.label
    }
}

/// Softmax with max-subtraction, so large logits do not overflow.
///
/// # Examples
/// ```
/// let p = mia_engine::table::signal::softmax(&[1000.0, 1000.0]);
/// assert_eq!(p, vec![0.5, 0.5]);
/// ```
pub fn softmax(z: &[f64]) -> Vec<f64> {
    let mut p = Vec::with_capacity(z.len());
    softmax_into(z, &mut p);
    p
}

/// [`softmax`] into `out` (cleared first).
fn softmax_into(z: &[f64], out: &mut Vec<f64>) {
    let m = z.iter().fold(f64::NEG_INFINITY, |m, &v| larger(m, v));
    out.clear();
    out.extend(z.iter().map(|v| (v - m).exp()));
    let s: f64 = out.iter().sum();
    for v in out.iter_mut() {
        *v /= s;
    }
}

/// `ln Σ exp(z_i)` over the indices where `keep(i)`, computed stably.
fn logsumexp(z: &[f64], keep: impl Fn(usize) -> bool) -> f64 {
    let m = z
        .iter()
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(_, &v)| v)
        .fold(f64::NEG_INFINITY, larger);
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
/// assert_eq!(mia_engine::table::signal::logit_margin(&[3.0, 1.0], 0), 2.0);
/// ```
pub fn logit_margin(z: &[f64], y: usize) -> f64 {
    z[y] - logsumexp(z, |i| i != y)
}
