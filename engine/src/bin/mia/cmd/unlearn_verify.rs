//! `mia unlearn-verify`: the verification of an unlearning from a model's outputs before and
//! after (the engine's `unlearning` module, the page's Unlearning view): the seed design's test,
//! the stronger membership-inference test and utility. A CI gate for deletion pipelines with
//! `--fail-unverified`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use mia_engine::attack::exposure::ExposedRecord;
use mia_engine::unlearning::mi_test::MiVerification;
use mia_engine::unlearning::report::Utility;
use mia_engine::unlearning::seed_test::SeedVerification;
use mia_engine::unlearning::{verify_unlearning, UnlearningInput, UnlearningReport};
use mia_engine::AuditReport;
use serde::Serialize;

use super::{read_input, skipped_rows, write_json};
use crate::exit::{CliError, Status};

pub const ABOUT: &str =
    "Verify an unlearning from a model's outputs before and after (exit 3 when not verified with --fail-unverified)";

pub const LONG_ABOUT: &str = "\
UNLEARN-VERIFY: did the model forget? FILE.csv has one row per record: `set` (forget, retain or
held_out), the model's outputs before unlearning in the audit schema (confidence, loss, prob_*,
logit_*, with label) and after unlearning, the same columns prefixed `after_`. Or give the
after-model's outputs as AFTER.csv (same columns, no prefix), joined on `id`. Reports the seed
design's test (mean confidence gap, forget set vs held-out, verified when |gap after| < 0.05), the
threshold attack with every signal, forget set vs held-out, before and after (verified when the
confidence signal's AUC 95% DeLong interval contains 0.5 and its TPR at 1% FPR is consistent with
1%; the other signals are reported beside it), accuracy on
retain and held-out before and after, and the forget records still exposed.";

/// The options of `mia unlearn-verify`.
#[derive(Debug, Args)]
pub struct UnlearnVerifyArgs {
    /// The outputs before (and, with `after_` columns, after) unlearning
    #[arg(value_name = "FILE.csv")]
    file: PathBuf,
    /// The outputs after unlearning, joined to FILE on `id`
    #[arg(value_name = "AFTER.csv")]
    after: Option<PathBuf>,
    /// Print JSON
    #[arg(long)]
    json: bool,
    /// Exit with status 3 when the unlearning is not verified
    #[arg(long)]
    fail_unverified: bool,
    /// Exit with status 2 (after printing the output) when any row was skipped
    #[arg(long)]
    strict: bool,
}

/// One signal's figures, forget set against held-out records.
#[derive(Serialize)]
struct SignalJson {
    auc: f64,
    auc_ci: Option<[f64; 2]>,
    /// Keys "0.001", "0.01", "0.1".
    tpr_at_fpr: BTreeMap<String, f64>,
    tpr_ci: BTreeMap<String, [f64; 2]>,
}

/// `mia unlearn-verify --json`.
#[derive(Serialize)]
struct VerifyJson<'a> {
    files: &'a [String],
    n_forget: usize,
    n_retain: usize,
    n_held_out: usize,
    /// The seed design's test, with its keys (and the after-model's held-out mean beside).
    seed_test: &'a Option<SeedVerification>,
    /// The threshold attack, forget set against held-out records, per signal.
    attack_before: BTreeMap<&'static str, SignalJson>,
    attack_after: BTreeMap<&'static str, SignalJson>,
    mi_test: &'a MiVerification,
    utility: &'a Utility,
    still_exposed: &'a [ExposedRecord],
    ignored_columns: &'a [String],
    verified: bool,
    failed: &'a [String],
}

fn signals(r: &AuditReport) -> BTreeMap<&'static str, SignalJson> {
    r.signals
        .iter()
        .map(|s| {
            let key = |t: f64| format!("{t}");
            (
                s.signal.key(),
                SignalJson {
                    auc: s.auc,
                    auc_ci: s.auc_interval.map(|i| [i.lower, i.upper]),
                    tpr_at_fpr: s
                        .tpr_at_fpr
                        .iter()
                        .map(|t| (key(t.target_fpr), t.tpr))
                        .collect(),
                    tpr_ci: s
                        .tpr_at_fpr
                        .iter()
                        .filter(|t| t.measurable)
                        .map(|t| (key(t.target_fpr), [t.interval.lower, t.interval.upper]))
                        .collect(),
                },
            )
        })
        .collect()
}

fn pct(v: Option<f64>) -> String {
    v.map_or("-".to_string(), |x| format!("{:.2} %", 100.0 * x))
}

impl UnlearnVerifyArgs {
    pub fn run(self, out: &mut dyn Write) -> Result<Status, CliError> {
        let name = |p: &PathBuf| p.display().to_string();
        let before = read_input(&self.file)?;
        let input = match &self.after {
            None => UnlearningInput::from_csv(&name(&self.file), &before),
            Some(a) => {
                let after = read_input(a)?;
                UnlearningInput::from_two_csvs(&name(&self.file), &before, &name(a), &after)
            }
        }
        .map_err(|e| CliError::Usage(e.to_string()))?;
        let report = verify_unlearning(&input).map_err(|e| CliError::refused(&self.file, e))?;
        if self.json {
            write_json(out, &self.json_of(&report), true)?;
        } else {
            self.text(&report, out)?;
        }
        let mut status = Status::Ok;
        for ingest in [&report.ingest_before, &report.ingest_after] {
            if skipped_rows(ingest, "in the JSON's ingest report", self.strict) != Status::Ok {
                status = Status::SkippedRows;
            }
        }
        if status == Status::Ok && self.fail_unverified && !report.verified {
            return Ok(Status::Gated);
        }
        Ok(status)
    }

    fn json_of<'a>(&self, r: &'a UnlearningReport) -> VerifyJson<'a> {
        VerifyJson {
            files: &r.files,
            n_forget: r.n_forget,
            n_retain: r.n_retain,
            n_held_out: r.n_held_out,
            seed_test: &r.seed,
            attack_before: signals(&r.before),
            attack_after: signals(&r.after),
            mi_test: &r.mi,
            utility: &r.utility,
            still_exposed: &r.still_exposed,
            ignored_columns: &r.ignored_columns,
            verified: r.verified,
            failed: &r.failed,
        }
    }

    fn text(&self, r: &UnlearningReport, out: &mut dyn Write) -> Result<(), CliError> {
        writeln!(
            out,
            "{}: {} forget, {} retain, {} held-out records",
            r.files.join(" + "),
            r.n_forget,
            r.n_retain,
            r.n_held_out
        )?;
        match &r.seed {
            Some(s) => {
                writeln!(
                    out,
                    "  seed test: mean confidence, forget {:.4} -> {:.4}, held-out {:.4} (after: {:.4})",
                    s.before_forget_confidence,
                    s.after_forget_confidence,
                    s.held_out_confidence,
                    s.held_out_confidence_after
                )?;
                writeln!(
                    out,
                    "    gap {:.4} -> {:.4}, reduction {:.4}: {}",
                    s.membership_gap_before,
                    s.membership_gap_after,
                    s.gap_reduction,
                    s.recommendation
                )?;
            }
            None => writeln!(out, "  seed test: no confidence in the outputs")?,
        }
        let auc = |a: &AuditReport| a.signals.iter().map(|s| s.auc).fold(f64::NAN, f64::max);
        writeln!(
            out,
            "  attack, forget vs held-out: {} AUC {:.4} after (tested); strongest AUC {:.4} before, {:.4} after ({})",
            r.mi.tested.key(),
            r.mi.auc_after,
            auc(&r.before),
            r.mi.strongest_auc_after,
            r.mi.strongest_after.key()
        )?;
        let u = &r.utility;
        writeln!(
            out,
            "  accuracy: retain {} -> {}, held-out {} -> {}",
            pct(u.retain_accuracy_before),
            pct(u.retain_accuracy_after),
            pct(u.held_out_accuracy_before),
            pct(u.held_out_accuracy_after)
        )?;
        writeln!(
            out,
            "  verdict: {}",
            if r.verified {
                "verified"
            } else {
                "NOT verified"
            }
        )?;
        for f in &r.failed {
            writeln!(out, "    - {f}")?;
        }
        Ok(())
    }
}
