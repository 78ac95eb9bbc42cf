//! `mia restrict`: a confidence restriction (temperature → cap → rounding, or the label only)
//! applied to a file's outputs, with each signal's attack before and after and the utility cost.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use mia_engine::ingest;
use mia_engine::restriction::evaluation::AttackFigures;
use mia_engine::restriction::{evaluate, restricted_csv, RestrictionReport, RestrictionSetting};
use serde::Serialize;

use super::{opt, read_input, skipped_rows, whole, write_json};
use crate::exit::{CliError, Status};

pub const ABOUT: &str = "Apply a confidence restriction and measure the attack before and after";

pub const LONG_ABOUT: &str = "\
RESTRICT: applies softmax(logits/T) -> cap -> round to the file's logit_* (or prob_*) columns and
prints each signal's threshold-attack figures before and after, and the utility cost (top-1
agreement, accuracy, 15-bin ECE, confidences made non-distinct); --out writes the restricted CSV.
Give at least one of --temperature, --cap, --precision and --label-only.";

/// The options of `mia restrict`.
#[derive(Debug, Args)]
pub struct RestrictArgs {
    /// The CSV of per-record model outputs, with logit_* or prob_* columns
    #[arg(value_name = "FILE.csv")]
    file: PathBuf,
    #[command(flatten)]
    setting: SettingArgs,
    /// Print JSON
    #[arg(long)]
    json: bool,
    /// Write the restricted outputs as CSV to this file
    #[arg(long, value_name = "RESTRICTED.csv")]
    out: Option<PathBuf>,
    /// Exit with status 2 (after printing the output) when any row was skipped
    #[arg(long)]
    strict: bool,
}

/// The restriction: at least one of these.
#[derive(Debug, Args)]
#[group(required = true, multiple = true)]
struct SettingArgs {
    /// Softmax temperature T > 0 applied to the logits [default: 1]
    #[arg(long, value_name = "T", value_parser = temperature, allow_negative_numbers = true)]
    temperature: Option<f64>,
    /// Cap every probability at C, in (0, 1], and renormalise
    #[arg(long, value_name = "C", value_parser = cap, allow_negative_numbers = true)]
    cap: Option<f64>,
    /// Round the probabilities to P decimals, 0 to 15 (half to even), and renormalise
    #[arg(long, value_name = "P", value_parser = precision)]
    precision: Option<u32>,
    /// Return the top-1 label only
    #[arg(long)]
    label_only: bool,
}

/// `s` as a number (the setting's own check comes after, in [`checked`]).
fn number(s: &str) -> Result<f64, String> {
    s.parse().map_err(|_| format!("`{s}` is not a number"))
}

/// One option's value through the engine's [`RestrictionSetting::check`], the check the page's
/// link goes through too; its message follows clap's `invalid value '…' for '--…':`.
fn checked<T>(value: T, set: impl FnOnce(&mut RestrictionSetting, T)) -> Result<(), String> {
    let mut setting = RestrictionSetting::default();
    set(&mut setting, value);
    setting.check().map(|_| ()).map_err(|e| e.to_string())
}

fn temperature(s: &str) -> Result<f64, String> {
    let t = number(s)?;
    checked(t, |r, t| r.temperature = t)?;
    Ok(t)
}

fn cap(s: &str) -> Result<f64, String> {
    let c = number(s)?;
    checked(c, |r, c| r.max_confidence = Some(c))?;
    Ok(c)
}

fn precision(s: &str) -> Result<u32, String> {
    let p = whole::<u32>(s)?;
    checked(p, |r, p| r.precision = Some(p))?;
    Ok(p)
}

/// `mia restrict --json` (keys in alphabetical order, as before).
#[derive(Serialize)]
struct RestrictJson {
    after: BTreeMap<&'static str, FiguresJson>,
    before: BTreeMap<&'static str, FiguresJson>,
    label_only_auc: Option<f64>,
    setting: SettingJson,
    utility: UtilityJson,
}

#[derive(Serialize)]
struct FiguresJson {
    attacker_advantage: f64,
    auc: f64,
    /// TPR by target FPR, the FPR written as Rust prints it (`0.001`).
    tpr_at_fpr: BTreeMap<String, f64>,
}

#[derive(Serialize)]
struct SettingJson {
    label_only: bool,
    max_confidence: Option<f64>,
    precision: Option<u32>,
    temperature: f64,
}

#[derive(Serialize)]
struct UtilityJson {
    accuracy_after: Option<f64>,
    accuracy_before: Option<f64>,
    ece_after: Option<f64>,
    ece_before: Option<f64>,
    n_lost_distinct_confidence: usize,
    top1_agreement: f64,
}

impl RestrictArgs {
    pub fn run(self, out: &mut dyn Write) -> Result<Status, CliError> {
        let defaults = RestrictionSetting::default();
        let s = &self.setting;
        let setting = RestrictionSetting {
            temperature: s.temperature.unwrap_or(defaults.temperature),
            max_confidence: s.cap,
            precision: s.precision,
            label_only: s.label_only,
        }
        .check()
        .map_err(|e| CliError::Usage(e.to_string()))?;
        let path = &self.file;
        let ingested = ingest(&read_input(path)?, None).map_err(|e| CliError::input(path, e))?;
        let table = &ingested.table;
        let report = evaluate(table, &setting).map_err(|e| CliError::refused(path, e))?;
        if let Some(csv_path) = &self.out {
            let csv = restricted_csv(table, &setting).unwrap_or_default();
            std::fs::write(csv_path, csv).map_err(|source| CliError::Write {
                path: csv_path.display().to_string(),
                source,
            })?;
        }
        if self.json {
            let v = restrict_json(&setting, &report);
            write_json(out, &v, true)?;
        } else {
            print_text(out, &path.display().to_string(), &setting, &report)?;
        }
        let listed = format!("`mia audit {}` lists them", path.display());
        Ok(skipped_rows(&ingested.report, &listed, self.strict))
    }
}

fn figures(v: &[AttackFigures]) -> BTreeMap<&'static str, FiguresJson> {
    v.iter()
        .map(|f| {
            let tpr_at_fpr = f
                .tpr_at_fpr
                .iter()
                .map(|t| (t.target_fpr.to_string(), t.tpr))
                .collect();
            let figures = FiguresJson {
                attacker_advantage: f.advantage,
                auc: f.auc,
                tpr_at_fpr,
            };
            (f.signal.key(), figures)
        })
        .collect()
}

fn restrict_json(setting: &RestrictionSetting, report: &RestrictionReport) -> RestrictJson {
    let u = &report.utility;
    RestrictJson {
        after: figures(&report.after),
        before: figures(&report.before),
        label_only_auc: report.label_only_auc,
        setting: SettingJson {
            label_only: setting.label_only,
            max_confidence: setting.max_confidence,
            precision: setting.precision,
            temperature: setting.temperature,
        },
        utility: UtilityJson {
            accuracy_after: u.accuracy,
            accuracy_before: report.accuracy_before,
            ece_after: u.ece,
            ece_before: report.ece_before,
            n_lost_distinct_confidence: u.n_lost_distinct,
            top1_agreement: u.top1_agreement,
        },
    }
}

fn print_text(
    out: &mut dyn Write,
    file: &str,
    setting: &RestrictionSetting,
    report: &RestrictionReport,
) -> std::io::Result<()> {
    writeln!(
        out,
        "Confidence restriction of {file}: T = {}, cap {}, precision {}{}",
        setting.temperature,
        setting
            .max_confidence
            .map_or("off".into(), |c| c.to_string()),
        setting.precision.map_or("off".into(), |p| p.to_string()),
        if setting.label_only {
            ", top-1 label only"
        } else {
            ""
        }
    )?;
    writeln!(
        out,
        "  {:<22} {:>10} {:>10} {:>12} {:>12}",
        "signal", "AUC before", "AUC after", "TPR@1% bef.", "TPR@1% aft."
    )?;
    let tpr_at_1 = |f: &AttackFigures| f.tpr_at_fpr.get(1).map_or(f64::NAN, |t| t.tpr);
    for (b, a) in report.before.iter().zip(&report.after) {
        writeln!(
            out,
            "  {:<22} {:>10.4} {:>10.4} {:>12.4} {:>12.4}",
            b.signal.key(),
            b.auc,
            a.auc,
            tpr_at_1(b),
            tpr_at_1(a)
        )?;
    }
    let u = &report.utility;
    writeln!(
        out,
        "  top-1 agreement {:.4}; accuracy {} -> {}; ECE {} -> {}; {} confidences no longer distinct",
        u.top1_agreement,
        opt(report.accuracy_before),
        opt(u.accuracy),
        opt(report.ece_before),
        opt(u.ece),
        u.n_lost_distinct
    )?;
    if let Some(l) = report.label_only_auc {
        writeln!(
            out,
            "  label-only attacker (member iff correctly classified): AUC {l:.4}, unchanged by any restriction"
        )?;
    }
    Ok(())
}
