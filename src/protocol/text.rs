//! The Text view's messages: a texts, pairs, log-prob or canary file (a bundled sample, a picked
//! file, or pasted text) and the audit its columns ask for, with what the page draws.

use mia_engine::attack::histogram::ScoreHistogram;
use mia_engine::text::attack::{LogprobAudit, TextSignal};
use mia_engine::text::canary::CanaryAudit;
use mia_engine::text::excerpt::Excerpt;
use mia_engine::text::pair_metrics::MetricDistribution;
use mia_engine::text::pairs::VerbatimAudit;
use mia_engine::text::prompts::PromptBook;
use mia_engine::text::settings::TextSettings;
use serde::{Deserialize, Serialize};

use super::upload::Upload;

/// Where the text comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TextSource {
    /// A bundled sample, by id (compiled into the worker).
    Sample {
        id: String,
    },
    Upload(Upload),
    /// Pasted into the page: a CSV with a header, or plain paragraphs.
    Pasted {
        text: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextRequest {
    pub source: TextSource,
    pub settings: TextSettings,
}

/// A pair's reference and model output around their longest common substring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairExcerpts {
    pub reference: Excerpt,
    pub output: Excerpt,
}

/// What the audit gave, with what the page draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TextResult {
    Prompts(PromptBook),
    Pairs {
        audit: VerbatimAudit,
        /// One per pair, in the audit's order.
        excerpts: Vec<PairExcerpts>,
        distributions: Vec<MetricDistribution>,
    },
    Logprobs {
        /// Every ROC thinned for drawing; the figures come from the full curves.
        audit: LogprobAudit,
        histograms: Vec<(TextSignal, ScoreHistogram)>,
    },
    Canaries(CanaryAudit),
}

/// A finished text audit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextOutcome {
    /// The input's name, for the page.
    pub source_name: String,
    /// The worker's time to score the input (reading excluded), in milliseconds.
    pub scoring_ms: f64,
    /// Workers that scored it: 2 when a large pairs file's last half went to the part worker.
    pub workers: u32,
    pub result: TextResult,
}

#[cfg(test)]
mod tests {
    use super::*;
    use mia_engine::text::pair_metrics::distributions;
    use mia_engine::text::report::{audit_text, TextReport};

    /// Every mode's outcome crosses the worker boundary (bincode, which cannot carry serde's
    /// flattened or untagged shapes) and comes back equal.
    #[test]
    fn every_mode_s_outcome_survives_the_codec() {
        for (name, bytes) in [
            (
                "text_pairs",
                &include_bytes!("../../www/samples/text_pairs.csv")[..],
            ),
            (
                "text_logprobs",
                include_bytes!("../../www/samples/text_logprobs.csv"),
            ),
            (
                "text_canaries",
                include_bytes!("../../www/samples/text_canaries.csv"),
            ),
            (
                "text_texts",
                include_bytes!("../../www/samples/text_texts.csv"),
            ),
        ] {
            let result = match audit_text(name, bytes, &TextSettings::default()).unwrap() {
                TextReport::Prompts(b) => TextResult::Prompts(b),
                TextReport::Pairs(audit) => TextResult::Pairs {
                    excerpts: Vec::new(),
                    distributions: distributions(&audit, 20),
                    audit,
                },
                TextReport::Logprobs(audit) => TextResult::Logprobs {
                    audit,
                    histograms: Vec::new(),
                },
                TextReport::Canaries(audit) => TextResult::Canaries(audit),
            };
            let outcome = TextOutcome {
                source_name: name.to_string(),
                scoring_ms: 1.0,
                workers: 1,
                result,
            };
            let bytes = bincode::serialize(&outcome).unwrap();
            let back: TextOutcome = bincode::deserialize(&bytes).unwrap();
            assert_eq!(back, outcome, "{name}");
        }
    }
}
