//! `mia audit`: the threshold attack on a CSV of per-record model outputs, every signal's
//! figures as text or JSON, and the `--fail-on` gate for CI pipelines.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use mia_engine::attack::report::{audit_signals, model_summary, ModelSummary};
use mia_engine::ingest::split::{on_two_threads, read_path_in_parts};
use mia_engine::output::report_json::report_json;
use mia_engine::{
    AuditReport, AuditTable, IngestReport, MetricError, RiskLevel, Signal, SignalReport,
};

use super::{opt, skipped_rows, write_json};
use crate::exit::{stderr_line, CliError, Status};

pub const ABOUT: &str = "Audit a CSV of per-record model outputs with the threshold attack";

pub const LONG_ABOUT: &str = "\
Audit a CSV of per-record model outputs with the threshold attack (Yeom et al. 2018): every
membership signal the columns allow, its AUC, TPR at 0.1 %, 1 % and 10 % FPR, attacker advantage,
balanced accuracy and risk level, and the recommendations for the worst one. Rows with a bad value
are skipped and listed (text) or reported under `ingest.problems` (JSON); a one-line note on
standard error counts them in both modes.";

/// The options of `mia audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The CSV of per-record model outputs (a `member` column and confidence, loss, prob_* or
    /// logit_* columns)
    #[arg(value_name = "FILE.csv")]
    file: PathBuf,
    /// Report only this signal (repeatable): confidence, neg_loss, max_prob, neg_entropy,
    /// neg_modified_entropy, logit_confidence
    #[arg(long = "signal", value_name = "NAME", value_parser = signal)]
    signals: Vec<Signal>,
    /// Print JSON with the keys of the conformance cases' expected.json (plus per-class AUC,
    /// recommendations and the ingest report)
    #[arg(long)]
    json: bool,
    /// Exit with status 3 when the risk level of any reported signal is at or above LEVEL (low,
    /// medium, high, critical): a gate for CI pipelines
    #[arg(long, value_name = "LEVEL", value_parser = risk_level)]
    fail_on: Option<RiskLevel>,
    /// Exit with status 2 (after printing the output) when any row was skipped
    #[arg(long)]
    strict: bool,
}

fn signal(s: &str) -> Result<Signal, String> {
    Signal::from_key(s).ok_or_else(|| {
        let keys: Vec<&str> = Signal::ALL.iter().map(|s| s.key()).collect();
        format!("unknown signal; use one of {}", keys.join(", "))
    })
}

fn risk_level(s: &str) -> Result<RiskLevel, String> {
    RiskLevel::from_key(s).ok_or("unknown risk level; use low, medium, high or critical".into())
}

impl AuditArgs {
    pub fn run(self, out: &mut dyn Write) -> Result<Status, CliError> {
        let path = &self.file;
        let ingested = read_path_in_parts(path).map_err(|e| CliError::input(path, e))?;
        let report =
            audit_on_two_threads(&ingested.table).map_err(|e| CliError::refused(path, e))?;
        if let Some(s) = self.signals.iter().find(|s| report.signal(**s).is_none()) {
            return Err(CliError::Usage(format!(
                "signal `{}` needs columns this file does not have",
                s.key()
            )));
        }
        let shown: Vec<&SignalReport> = report
            .signals
            .iter()
            .filter(|r| self.signals.is_empty() || self.signals.contains(&r.signal))
            .collect();
        let listed = if self.json {
            let v = report_json(&report, &ingested.report, &self.signals);
            write_json(out, &v, true)?;
            "see `ingest.problems` in the JSON"
        } else {
            let file = path.display().to_string();
            print_text(out, &file, &ingested.report, &report.summary, &shown)?;
            "listed in the output"
        };
        if skipped_rows(&ingested.report, listed, self.strict) == Status::SkippedRows {
            return Ok(Status::SkippedRows);
        }
        let worst = shown.iter().map(|r| r.risk).max();
        match (self.fail_on, worst) {
            (Some(gate), Some(w)) if w >= gate => {
                stderr_line(&format!("risk level {w} is at or above --fail-on {gate}"));
                Ok(Status::Gated)
            }
            _ => Ok(Status::Ok),
        }
    }
}

/// The report as text: summary, skipped rows, one line per signal, the worst risk's advice.
fn print_text(
    out: &mut dyn Write,
    file: &str,
    ing: &IngestReport,
    s: &ModelSummary,
    shown: &[&SignalReport],
) -> std::io::Result<()> {
    writeln!(out, "Membership-inference audit of {file}")?;
    writeln!(
        out,
        "  {} records ({} members, {} non-members), {} classes{}",
        s.n_rows,
        s.n_members,
        s.n_nonmembers,
        s.n_classes,
        if s.has_logits { ", logits present" } else { "" }
    )?;
    if ing.n_skipped > 0 {
        writeln!(
            out,
            "  {} of {} data rows skipped:",
            ing.n_skipped, ing.n_data_rows
        )?;
        for p in ing.problems.iter().take(10) {
            writeln!(out, "    {p}")?;
        }
    }
    for w in &ing.warnings {
        writeln!(out, "  warning: {w}")?;
    }
    writeln!(
        out,
        "  mean confidence: members {}, non-members {}",
        opt(s.mean_confidence_members),
        opt(s.mean_confidence_nonmembers)
    )?;
    writeln!(
        out,
        "  generalization gap (mean loss non-members - members): {}",
        opt(s.generalization_gap)
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "  {:<22} {:>8} {:>10} {:>10} {:>10} {:>10} {:>10}  risk",
        "signal", "AUC", "TPR@0.1%", "TPR@1%", "TPR@10%", "advantage", "bal.acc"
    )?;
    for r in shown {
        let tpr: Vec<String> = r
            .tpr_at_fpr
            .iter()
            .map(|t| {
                if t.measurable {
                    format!("{:.4}", t.tpr)
                } else {
                    "n/m".to_string()
                }
            })
            .collect();
        let tpr_at = |i: usize| tpr.get(i).map_or("", String::as_str);
        writeln!(
            out,
            "  {:<22} {:>8.4} {:>10} {:>10} {:>10} {:>10.4} {:>10.4}  {}",
            r.signal.key(),
            r.auc,
            tpr_at(0),
            tpr_at(1),
            tpr_at(2),
            r.attacker_advantage,
            r.best_balanced_accuracy,
            r.risk
        )?;
    }
    if shown
        .iter()
        .any(|r| r.tpr_at_fpr.iter().any(|t| !t.measurable))
    {
        writeln!(
            out,
            "  n/m = not measurable: fewer than 1/FPR non-members, so that FPR cannot be resolved."
        )?;
    }
    if let Some(worst) = shown.iter().max_by_key(|r| r.risk) {
        writeln!(out)?;
        writeln!(
            out,
            "Risk: {} ({}). {}",
            worst.risk,
            worst.signal.key(),
            worst.risk.meaning()
        )?;
        for rec in worst.risk.recommendations() {
            writeln!(out, "  - {rec}")?;
        }
    }
    Ok(())
}

/// The audit with the signals split over two threads (each its own rankings; the ε audit's split
/// is seeded, so the reports equal a one-thread [`mia_engine::audit`]'s).
fn audit_on_two_threads(table: &AuditTable) -> Result<AuditReport, MetricError> {
    let signals = Signal::available(table);
    let (first, second) = signals.split_at(signals.len().div_ceil(2));
    let ((a, summary), b) = on_two_threads(
        || (audit_signals(table, first), model_summary(table)),
        || audit_signals(table, second),
    );
    let mut reports = a?;
    reports.extend(b?);
    Ok(AuditReport {
        summary,
        signals: reports,
    })
}
