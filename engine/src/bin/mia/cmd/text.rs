//! `mia text`: the text and LLM memorisation audit of one CSV, in the mode its columns ask for
//! (the engine's `text` module, the page's Text view): the prompt builder, the verbatim test with
//! the extraction metrics, the membership attacks from token log-probs, or canary exposure.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use mia_engine::text::attack::{ExposedText, LogprobAudit};
use mia_engine::text::canary::CanaryAudit;
use mia_engine::text::logprobs::LogprobSignals;
use mia_engine::text::pairs::VerbatimAudit;
use mia_engine::text::prompts::{prompts_csv, PromptBook};
use mia_engine::text::report::{audit_text, TextReport};
use mia_engine::text::settings::{parse_prefix_lengths, TextSettings};
use mia_engine::text::verbatim::TextRisk;
use serde::Serialize;

use super::{finite, read_input, tpr_map, whole, write_json};
use crate::exit::{CliError, Status};

pub const ABOUT: &str =
    "Audit a language model's memorisation: verbatim overlap, extraction metrics, log-prob attacks, canaries";

pub const LONG_ABOUT: &str = "\
TEXT: the text and LLM memorisation audit of FILE.csv, in the mode its columns ask for:
  id,text [,member]                    the prompt builder: each text's prefixes (50, 100, 200, 300
                                       characters) and true continuations (the next 300), as a
                                       prompts CSV for your own model (a model_output column to fill);
  id,reference,model_output [,member,prefix_length]
                                       the verbatim test of the seed design (Jaccard word overlap,
                                       5-gram overlap, memorised, risk) and the extraction metrics
                                       (exact match, longest common substring, edit similarity, word
                                       LCS); with member, the memorisation rate on every text;
  id,member,text,token_logprobs [,ref_token_logprobs|ref_loss]
                                       membership attacks: -loss, zlib ratio, Min-K% Prob, reference
                                       ratio, each with AUC, its CI and TPR at 0.1/1/10 % FPR;
  canary_id,log_perplexity,is_canary   the Secret Sharer's exposure of each canary.
Nothing is sent anywhere: the model is never called; you bring its outputs.";

/// The options of `mia text`.
#[derive(Debug, Args)]
pub struct TextArgs {
    /// Texts, pairs, token log-probs or canary candidates (the columns choose the audit)
    #[arg(value_name = "FILE.csv")]
    file: PathBuf,
    /// The prompt builder's prefix lengths, in characters
    #[arg(
        long = "prefix-lengths",
        value_name = "L1,L2,…",
        default_value = "50,100,200,300"
    )]
    prefix_lengths: String,
    /// A common substring of at least this many characters counts as extracted
    #[arg(long, value_name = "CHARS", default_value_t = 50, value_parser = whole::<usize>)]
    span: usize,
    /// Min-K% Prob's share of the tokens (0.2 is 20 %)
    #[arg(long, value_name = "K", default_value_t = 0.2, value_parser = finite)]
    k: f64,
    /// Prompt builder: write the prompts CSV here (without it, and without --json, it is printed)
    #[arg(long = "prompts-out", value_name = "PROMPTS.csv")]
    prompts_out: Option<PathBuf>,
    /// Pairs: exit with status 3 when a text's risk is at or above LEVEL
    #[arg(long = "fail-on", value_enum, value_name = "LEVEL")]
    fail_on: Option<FailOn>,
    /// Print JSON
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// memorised (word overlap > 0.75 or 5-gram overlap > 0.3)
    High,
    /// 5-gram overlap > 0.5
    Critical,
}

/// One log-prob signal in `mia text --json`.
#[derive(Serialize)]
struct SignalJson<'a> {
    auc: f64,
    auc_ci: Option<[f64; 2]>,
    /// Keys "0.001", "0.01", "0.1".
    tpr_at_fpr: BTreeMap<String, f64>,
    attacker_advantage: f64,
    most_exposed: &'a [ExposedText],
}

/// One text's log-prob signals in `mia text --json`.
#[derive(Serialize)]
struct TextSignalsJson<'a> {
    id: &'a str,
    member: bool,
    #[serde(flatten)]
    signals: &'a LogprobSignals,
}

/// The log-prob attack in `mia text --json`.
#[derive(Serialize)]
struct LogprobJson<'a> {
    n_members: usize,
    n_non_members: usize,
    k: f64,
    signals: BTreeMap<&'static str, SignalJson<'a>>,
    unavailable: BTreeMap<&'static str, &'a str>,
    texts: Vec<TextSignalsJson<'a>>,
}

/// `mia text --json`.
#[derive(Serialize)]
struct TextJson<'a> {
    file: String,
    mode: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    prompts: Option<&'a PromptBook>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pairs: Option<&'a VerbatimAudit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logprobs: Option<LogprobJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    canaries: Option<&'a CanaryAudit>,
}

fn logprob_json(a: &LogprobAudit) -> LogprobJson<'_> {
    LogprobJson {
        n_members: a.n_members,
        n_non_members: a.n_non_members,
        k: a.k,
        signals: a
            .signals
            .iter()
            .map(|s| {
                (
                    s.signal.key(),
                    SignalJson {
                        auc: s.metrics.auc,
                        auc_ci: s.metrics.auc_interval.map(|i| [i.lower, i.upper]),
                        tpr_at_fpr: tpr_map(&s.metrics),
                        attacker_advantage: s.metrics.attacker_advantage,
                        most_exposed: &s.most_exposed,
                    },
                )
            })
            .collect(),
        unavailable: a
            .unavailable
            .iter()
            .map(|(s, why)| (s.key(), why.as_str()))
            .collect(),
        texts: a
            .texts
            .iter()
            .map(|(id, member, signals)| TextSignalsJson {
                id,
                member: *member,
                signals,
            })
            .collect(),
    }
}

impl TextArgs {
    pub fn run(self, out: &mut dyn Write) -> Result<Status, CliError> {
        let settings = TextSettings {
            prefix_lengths: parse_prefix_lengths(&self.prefix_lengths)
                .map_err(|e| CliError::Usage(format!("--prefix-lengths: {e}")))?,
            extracted_span: self.span,
            k: self.k,
        };
        settings
            .check()
            .map_err(|e| CliError::Usage(format!("the settings: {e}")))?;
        let name = self.file.display().to_string();
        let bytes = read_input(&self.file)?;
        let report =
            audit_text(&name, &bytes, &settings).map_err(|e| CliError::Usage(e.to_string()))?;
        if let (TextReport::Prompts(book), Some(path)) = (&report, &self.prompts_out) {
            std::fs::write(path, prompts_csv(&book.prompts)).map_err(|source| CliError::Write {
                path: path.display().to_string(),
                source,
            })?;
        }
        if self.json {
            let json = TextJson {
                file: name,
                mode: report.mode().key(),
                prompts: match &report {
                    TextReport::Prompts(b) => Some(b),
                    _ => None,
                },
                pairs: match &report {
                    TextReport::Pairs(a) => Some(a),
                    _ => None,
                },
                logprobs: match &report {
                    TextReport::Logprobs(a) => Some(logprob_json(a)),
                    _ => None,
                },
                canaries: match &report {
                    TextReport::Canaries(a) => Some(a),
                    _ => None,
                },
            };
            write_json(out, &json, true)?;
        } else {
            self.text(&report, out)?;
        }
        Ok(self.gate(&report))
    }

    fn gate(&self, report: &TextReport) -> Status {
        let (Some(level), TextReport::Pairs(a)) = (self.fail_on, report) else {
            return Status::Ok;
        };
        let at_least = match level {
            FailOn::High => TextRisk::High,
            FailOn::Critical => TextRisk::Critical,
        };
        if a.texts.iter().any(|t| t.verdict.risk_level >= at_least) {
            Status::Gated
        } else {
            Status::Ok
        }
    }

    fn text(&self, report: &TextReport, out: &mut dyn Write) -> std::io::Result<()> {
        match report {
            TextReport::Prompts(book) => {
                if self.prompts_out.is_none() {
                    return write!(out, "{}", prompts_csv(&book.prompts));
                }
                writeln!(
                    out,
                    "{} prompts from {} texts at prefix lengths {:?}; written to {}.",
                    book.prompts.len(),
                    book.texts,
                    book.prefix_lengths,
                    self.prompts_out
                        .as_ref()
                        .map_or(String::new(), |p| p.display().to_string())
                )?;
                for (id, row, len) in &book.too_short {
                    writeln!(out, "  `{id}` (row {row}, {len} characters) is too short for any prefix length.")?;
                }
                Ok(())
            }
            TextReport::Pairs(a) => {
                writeln!(
                    out,
                    "{} pairs of {} texts: {} memorised, {} critical; {} pairs share a span of at least {} characters.",
                    a.pairs.len(),
                    a.texts.len(),
                    a.memorized_count,
                    a.critical_count,
                    a.extracted_count,
                    a.extracted_span
                )?;
                if let Some(r) = &a.memorization_risk {
                    writeln!(
                        out,
                        "memorisation rate (mean word overlap, training - held-out, on every text): {:.6} ({}); verbatim training texts: {}",
                        r.memorization_rate,
                        r.privacy_risk,
                        r.verbatim_memorization_count
                    )?;
                }
                writeln!(
                    out,
                    "{:<24} {:>10} {:>10} {:>8}  risk",
                    "id", "word", "5-gram", "LCS"
                )?;
                let mut order: Vec<&_> = a.texts.iter().collect();
                order.sort_by(|x, y| {
                    y.verdict
                        .max_ngram_overlap
                        .total_cmp(&x.verdict.max_ngram_overlap)
                });
                for t in order.iter().take(20) {
                    let lcs = t
                        .pairs
                        .iter()
                        .map(|&i| a.pairs[i].extraction.longest_common_substring)
                        .max()
                        .unwrap_or(0);
                    writeln!(
                        out,
                        "{:<24} {:>10.6} {:>10.6} {:>8}  {}",
                        t.id,
                        t.verdict.max_word_overlap,
                        t.verdict.max_ngram_overlap,
                        lcs,
                        t.verdict.risk_level.key()
                    )?;
                }
                if a.texts.len() > 20 {
                    writeln!(out, "… {} more texts in --json.", a.texts.len() - 20)?;
                }
                Ok(())
            }
            TextReport::Logprobs(a) => {
                writeln!(
                    out,
                    "{} member and {} non-member texts; Min-K% with k = {}.",
                    a.n_members, a.n_non_members, a.k
                )?;
                writeln!(
                    out,
                    "{:<12} {:>9} {:>19} {:>10} {:>10} {:>10}",
                    "signal", "AUC", "95% CI", "TPR@0.1%", "TPR@1%", "TPR@10%"
                )?;
                for s in &a.signals {
                    let m = &s.metrics;
                    let ci = m.auc_interval.map_or("n/a".to_string(), |i| {
                        format!("{:.4}-{:.4}", i.lower, i.upper)
                    });
                    let t = |i: usize| m.tpr_at_fpr.get(i).map_or(f64::NAN, |t| t.tpr);
                    writeln!(
                        out,
                        "{:<12} {:>9.6} {:>19} {:>10.6} {:>10.6} {:>10.6}",
                        s.signal.key(),
                        m.auc,
                        ci,
                        t(0),
                        t(1),
                        t(2)
                    )?;
                }
                for (s, why) in &a.unavailable {
                    writeln!(out, "{}: not available: {why}", s.key())?;
                }
                Ok(())
            }
            TextReport::Canaries(a) => {
                let bits = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.4}"));
                writeln!(
                    out,
                    "{} canaries: mean exposure {:.4} bits, highest {:.4} (`{}`); extrapolated: mean {}, highest {}.",
                    a.canaries.len(),
                    a.mean_exposure,
                    a.highest_exposure,
                    a.highest_exposure_canary,
                    bits(a.mean_extrapolated_exposure),
                    bits(a.highest_extrapolated_exposure)
                )?;
                writeln!(
                    out,
                    "{:<24} {:>11} {:>9} {:>10} {:>10} {:>13}",
                    "canary", "candidates", "rank", "exposure", "of max", "extrapolated"
                )?;
                for c in &a.canaries {
                    writeln!(
                        out,
                        "{:<24} {:>11} {:>9} {:>10.4} {:>10.4} {:>13}",
                        c.canary_id,
                        c.candidates,
                        c.rank,
                        c.exposure,
                        c.max_exposure,
                        bits(c.extrapolated_exposure)
                    )?;
                    if let Some(why) = &c.no_extrapolation {
                        writeln!(out, "  `{}`: no extrapolated exposure: {why}", c.canary_id)?;
                    }
                }
                Ok(())
            }
        }
    }
}
