//! The membership attack on a log-prob file: each signal of [`super::logprobs`] through the
//! audit's threshold attack (Yeom et al. 2018; [`AttackMetrics`]: AUC with DeLong's interval, TPR
//! at 0.1, 1 and 10 % FPR, the ROC), and the texts each signal singles out most.

use serde::{Deserialize, Serialize};

use super::logprobs::{LogprobSignals, LogprobText};
use crate::attack::metrics::AttackMetrics;

/// A log-prob signal, higher meaning member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextSignal {
    NegLoss,
    ZlibRatio,
    MinK,
    RefRatio,
}

impl TextSignal {
    pub const ALL: [TextSignal; 4] = [
        TextSignal::NegLoss,
        TextSignal::ZlibRatio,
        TextSignal::MinK,
        TextSignal::RefRatio,
    ];

    /// The name in the JSON, the page's test ids and the link.
    pub fn key(self) -> &'static str {
        match self {
            TextSignal::NegLoss => "neg_loss",
            TextSignal::ZlibRatio => "zlib_ratio",
            TextSignal::MinK => "min_k",
            TextSignal::RefRatio => "ref_ratio",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            TextSignal::NegLoss => "−loss (mean token log-prob)",
            TextSignal::ZlibRatio => "zlib ratio (Carlini et al. 2021)",
            TextSignal::MinK => "Min-K% Prob (Shi et al. 2023)",
            TextSignal::RefRatio => "Reference-model ratio",
        }
    }

    /// The signal's score of a text (`None`: the reference ratio without a reference model).
    pub fn score_of(self, s: &LogprobSignals) -> Option<f64> {
        match self {
            TextSignal::NegLoss => Some(s.neg_loss),
            TextSignal::ZlibRatio => Some(s.zlib_ratio),
            TextSignal::MinK => Some(s.min_k),
            TextSignal::RefRatio => s.ref_ratio,
        }
    }
}

/// A text a signal singles out: its score and the share of non-members scoring at least as high
/// (the false-positive rate an attacker accepts to flag it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExposedText {
    pub id: String,
    pub row: u64,
    pub member: bool,
    pub score: f64,
    pub fpr_at_score: f64,
}

/// One signal's attack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextSignalReport {
    pub signal: TextSignal,
    pub metrics: AttackMetrics,
    /// The highest-scoring texts, most exposed first.
    pub most_exposed: Vec<ExposedText>,
}

/// The attack on every signal the file allows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogprobAudit {
    pub n_members: usize,
    pub n_non_members: usize,
    /// Min-K%'s k.
    pub k: f64,
    /// Each text's signals, in the file's order.
    pub texts: Vec<(String, bool, LogprobSignals)>,
    pub signals: Vec<TextSignalReport>,
    /// Signals that could not run, with why (the reference ratio without a reference model).
    pub unavailable: Vec<(TextSignal, String)>,
}

impl LogprobAudit {
    /// The strongest signal: the highest TPR at 1 % FPR, then the highest AUC (the first of
    /// equals), as the review report names it.
    pub fn strongest(&self) -> Option<&TextSignalReport> {
        let key = |s: &TextSignalReport| {
            let tpr = s
                .metrics
                .tpr_at_fpr
                .iter()
                .find(|t| t.target_fpr == 0.01)
                .map_or(0.0, |t| t.tpr);
            (tpr, s.metrics.auc)
        };
        self.signals.iter().reduce(|best, s| {
            if key(s).partial_cmp(&key(best)) == Some(std::cmp::Ordering::Greater) {
                s
            } else {
                best
            }
        })
    }
}

/// How many exposed texts each signal lists.
pub const EXPOSED: usize = 10;

/// The attack of every signal on `texts` with Min-K%'s `k`.
pub fn audit_logprobs(texts: &[LogprobText], k: f64) -> Result<LogprobAudit, String> {
    if !(k > 0.0 && k <= 1.0) {
        return Err(format!(
            "k = {k}: Min-K% takes a share of the tokens above 0 and at most 1 (0.2 is 20 %)."
        ));
    }
    let n_members = texts.iter().filter(|t| t.member).count();
    let n_non_members = texts.len() - n_members;
    if n_members == 0 || n_non_members == 0 {
        return Err(format!(
            "{n_members} members and {n_non_members} non-members: the attack needs texts of both (member 1 and 0)."
        ));
    }
    let signals_of: Vec<LogprobSignals> = texts
        .iter()
        .map(|t| LogprobSignals::of(&t.text, &t.logprobs, k, t.ref_loss))
        .collect();
    let member: Vec<bool> = texts.iter().map(|t| t.member).collect();
    let mut signals = Vec::new();
    let mut unavailable = Vec::new();
    for s in TextSignal::ALL {
        let scores: Option<Vec<f64>> = signals_of.iter().map(|x| s.score_of(x)).collect();
        let Some(scores) = scores else {
            let missing = texts
                .iter()
                .zip(&signals_of)
                .find(|(_, x)| s.score_of(x).is_none());
            unavailable.push((
                s,
                match missing {
                    Some((t, _)) => format!("no reference model for `{}` (row {}): add ref_token_logprobs or ref_loss for every text.", t.id, t.row),
                    None => "no scores".to_string(),
                },
            ));
            continue;
        };
        let metrics = AttackMetrics::of_scores(&scores, member.as_slice())
            .map_err(|e| format!("{}: {e}", s.key()))?;
        signals.push(TextSignalReport {
            signal: s,
            most_exposed: exposed(texts, &scores, EXPOSED),
            metrics,
        });
    }
    Ok(LogprobAudit {
        n_members,
        n_non_members,
        k,
        texts: texts
            .iter()
            .zip(&signals_of)
            .map(|(t, s)| (t.id.clone(), t.member, *s))
            .collect(),
        signals,
        unavailable,
    })
}

/// The `n` highest-scoring texts (ties in file order), with the share of non-members scoring at
/// least as high.
fn exposed(texts: &[LogprobText], scores: &[f64], n: usize) -> Vec<ExposedText> {
    let mut non: Vec<f64> = texts
        .iter()
        .zip(scores)
        .filter(|(t, _)| !t.member)
        .map(|(_, &s)| s)
        .collect();
    non.sort_by(f64::total_cmp);
    let n_non = non.len().max(1) as f64;
    let mut order: Vec<usize> = (0..texts.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    order
        .into_iter()
        .take(n)
        .map(|i| {
            let below = non.partition_point(|&x| x < scores[i]);
            ExposedText {
                id: texts[i].id.clone(),
                row: texts[i].row,
                member: texts[i].member,
                score: scores[i],
                fpr_at_score: (non.len() - below) as f64 / n_non,
            }
        })
        .collect()
}
