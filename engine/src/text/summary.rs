//! What the review report and the checklist say of a text audit: its headline figures, for
//! each audit mode (the prompt builder is not an audit and has none).

use serde::{Deserialize, Serialize};

use super::attack::LogprobAudit;
use super::canary::CanaryAudit;
use super::pairs::VerbatimAudit;
use super::report::TextReport;

/// One log-prob signal's headline figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignalFigures {
    /// `neg_loss`, `zlib_ratio`, `min_k`, `ref_ratio`.
    pub signal: String,
    pub auc: f64,
    pub tpr_at_fpr_0_01: Option<f64>,
}

/// The headline figures of one text audit, by mode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum TextAuditFigures {
    /// The seed's verbatim test.
    Pairs {
        texts: usize,
        pairs: usize,
        memorized: usize,
        critical: usize,
        /// Pairs sharing a span of at least `extracted_span` characters.
        extracted: usize,
        extracted_span: usize,
        /// With `member`: mean word overlap, training − held-out, and the seed's level.
        memorization_rate: Option<f64>,
        privacy_risk: Option<String>,
    },
    /// The membership attacks from token log-probs.
    Logprobs {
        n_members: usize,
        n_non_members: usize,
        signals: Vec<SignalFigures>,
        /// The signal with the highest TPR at 1 % FPR (then AUC).
        strongest: Option<String>,
    },
    /// Canary exposure.
    Canaries {
        canaries: usize,
        mean_exposure: f64,
        highest_exposure: f64,
        highest_exposure_canary: String,
        highest_extrapolated_exposure: Option<f64>,
    },
}

/// A text audit for the review report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextAuditSummary {
    /// The audited file.
    pub file: String,
    pub figures: TextAuditFigures,
}

impl TextAuditSummary {
    pub fn of_pairs(file: &str, a: &VerbatimAudit) -> TextAuditSummary {
        let risk = a.memorization_risk.as_ref();
        TextAuditSummary {
            file: file.to_string(),
            figures: TextAuditFigures::Pairs {
                texts: a.texts.len(),
                pairs: a.pairs.len(),
                memorized: a.memorized_count,
                critical: a.critical_count,
                extracted: a.extracted_count,
                extracted_span: a.extracted_span,
                memorization_rate: risk.map(|r| r.memorization_rate),
                privacy_risk: risk.map(|r| r.privacy_risk.clone()),
            },
        }
    }

    pub fn of_logprobs(file: &str, a: &LogprobAudit) -> TextAuditSummary {
        let signals: Vec<SignalFigures> = a
            .signals
            .iter()
            .map(|s| SignalFigures {
                signal: s.signal.key().to_string(),
                auc: s.metrics.auc,
                tpr_at_fpr_0_01: s
                    .metrics
                    .tpr_at_fpr
                    .iter()
                    .find(|t| t.target_fpr == 0.01)
                    .map(|t| t.tpr),
            })
            .collect();
        let strongest = a.strongest().map(|s| s.signal.key().to_string());
        TextAuditSummary {
            file: file.to_string(),
            figures: TextAuditFigures::Logprobs {
                n_members: a.n_members,
                n_non_members: a.n_non_members,
                signals,
                strongest,
            },
        }
    }

    pub fn of_canaries(file: &str, a: &CanaryAudit) -> TextAuditSummary {
        TextAuditSummary {
            file: file.to_string(),
            figures: TextAuditFigures::Canaries {
                canaries: a.canaries.len(),
                mean_exposure: a.mean_exposure,
                highest_exposure: a.highest_exposure,
                highest_exposure_canary: a.highest_exposure_canary.clone(),
                highest_extrapolated_exposure: a.highest_extrapolated_exposure,
            },
        }
    }

    /// The summary of `report` (of `file`); none for the prompt builder.
    pub fn of_report(file: &str, report: &TextReport) -> Option<TextAuditSummary> {
        match report {
            TextReport::Prompts(_) => None,
            TextReport::Pairs(a) => Some(Self::of_pairs(file, a)),
            TextReport::Logprobs(a) => Some(Self::of_logprobs(file, a)),
            TextReport::Canaries(a) => Some(Self::of_canaries(file, a)),
        }
    }

    /// One sentence of the figures, for the report and the checklist.
    pub fn sentence(&self) -> String {
        let n = crate::output::number_format::count;
        let sig = crate::output::number_format::sig;
        match &self.figures {
            TextAuditFigures::Pairs {
                texts,
                memorized,
                critical,
                extracted,
                extracted_span,
                memorization_rate,
                privacy_risk,
                ..
            } => {
                let mut s = format!(
                    "{} of {} texts memorised (the seed's verbatim test), {} critical; {} pairs share a span of at least {} characters.",
                    n(*memorized as u64),
                    n(*texts as u64),
                    n(*critical as u64),
                    n(*extracted as u64),
                    extracted_span
                );
                if let (Some(r), Some(level)) = (memorization_rate, privacy_risk) {
                    s.push_str(&format!(
                        " Memorisation rate (mean word overlap, training − held-out): {} ({level}).",
                        sig(*r, 4)
                    ));
                }
                s
            }
            TextAuditFigures::Logprobs {
                n_members,
                n_non_members,
                signals,
                strongest,
            } => {
                let best = strongest
                    .as_ref()
                    .and_then(|k| signals.iter().find(|s| &s.signal == k));
                match best {
                    Some(b) => format!(
                        "Membership attack from token log-probs on {} member and {} non-member texts: the strongest signal, {}, has AUC {} and TPR {} at 1% FPR.",
                        n(*n_members as u64),
                        n(*n_non_members as u64),
                        b.signal,
                        sig(b.auc, 4),
                        b.tpr_at_fpr_0_01.map_or("n/a".to_string(), |t| sig(t, 4))
                    ),
                    None => "No log-prob signal could run.".to_string(),
                }
            }
            TextAuditFigures::Canaries {
                canaries,
                mean_exposure,
                highest_exposure,
                highest_exposure_canary,
                highest_extrapolated_exposure,
            } => format!(
                "{} canaries: mean exposure {} bits, highest {} bits ({highest_exposure_canary}){}.",
                n(*canaries as u64),
                sig(*mean_exposure, 4),
                sig(*highest_exposure, 4),
                highest_extrapolated_exposure.map_or(String::new(), |e| format!(
                    ", {} bits extrapolated",
                    sig(e, 4)
                ))
            ),
        }
    }
}
