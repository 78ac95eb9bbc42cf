//! `mia lira`: the reference-model attacks (LiRA, RMIA) side by side on a CSV of the target's and
//! the reference models' outputs, with the same engine as the page's "Reference attacks" view, so
//! both give the same figures on the same file.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use mia_engine::confidence::AucInterval;
use mia_engine::reference_attack::gaussian_check::GaussianCheck;
use mia_engine::reference_attack::lira::Side;
use mia_engine::reference_attack::reference_trend::{TrendPoint, TrendReading};
use mia_engine::reference_attack::scores_csv::write_scores_csv;
use mia_engine::reference_attack::{
    read_reference_path, run_reference_attack_on_two_threads, Center, OfflineTest,
    ReferenceInputError, ReferenceReport, ReferenceSettings, ReferenceSettingsError,
};
use mia_engine::{RiskLevel, RowProblem};
use serde::Serialize;

use super::{finite, opt, skipped_rows, tpr_map, write_json};
use crate::exit::{CliError, Status};

pub const ABOUT: &str =
    "Run the reference-model attacks LiRA (Carlini et al. 2022) and RMIA (Zarifzadeh et al. 2024)";

pub const LONG_ABOUT: &str = "\
LIRA: the reference-model attacks side by side on one CSV: the target-only baseline (target_phi),
LiRA online and offline, each with per-record and global spreads, and RMIA online and offline.
The CSV has `member`, the target's output (`phi`, `logit_*` + `label`, `confidence` or `prob_*` +
`label`) and for each reference model j = 0..M-1 `ref_in_j` (1 = trained on the record) and
`ref_phi_j` and/or `ref_conf_j`; optional `id` and `population` (RMIA's population, default the
non-members). Rows with a problem are skipped and listed, as in `mia audit`. Prints AUC, TPR at
0.1/1/10 % FPR and attacker advantage per variant, the reference counts and the diagnostics (the
Gaussian check and the reference-count trend).";

/// The options of `mia lira`.
#[derive(Debug, Args)]
pub struct LiraArgs {
    /// The target's and the reference models' outputs, one row per record
    #[arg(value_name = "FILE.csv")]
    file: PathBuf,
    /// RMIA's γ: x beats a population record z when r(x) > γ·r(z) [default: 1]
    #[arg(long, value_name = "G", value_parser = finite)]
    gamma: Option<f64>,
    /// Offline RMIA's a, 0..1: P(x) = ((1+a)/2)·P_OUT(x) + (1-a)/2 [default: 0.3]
    #[arg(long = "offline-a", value_name = "A", value_parser = finite)]
    offline_a: Option<f64>,
    /// LiRA's centre of each record's IN and OUT values
    #[arg(long, value_enum, default_value_t = CenterArg::Median)]
    center: CenterArg,
    /// Offline LiRA's test: one-sided z-score (the paper) or two-sided (tensorflow_privacy)
    #[arg(long = "offline-test", value_enum, default_value_t = TestArg::OneSided)]
    offline_test: TestArg,
    /// Also write every record's score under every variant to this CSV
    #[arg(long = "scores-out", value_name = "FILE.csv")]
    scores_out: Option<PathBuf>,
    /// Exit with status 2 if any row was skipped
    #[arg(long)]
    strict: bool,
    /// Print JSON
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CenterArg {
    Median,
    Mean,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TestArg {
    OneSided,
    TwoSided,
}

/// One variant in `mia lira --json`.
#[derive(Serialize)]
struct VariantJson {
    available: bool,
    /// Why it did not run.
    reason: Option<String>,
    label: &'static str,
    auc: Option<f64>,
    auc_interval: Option<AucInterval>,
    /// Keys "0.001", "0.01", "0.1".
    tpr_at_fpr: Option<BTreeMap<String, f64>>,
    attacker_advantage: Option<f64>,
    best_balanced_accuracy: Option<f64>,
    risk: Option<RiskLevel>,
}

#[derive(Serialize)]
struct Strongest {
    variant: &'static str,
    label: &'static str,
    auc: f64,
    tpr_at_1_percent_fpr: f64,
}

#[derive(Serialize)]
struct CountsJson {
    /// `n_in[k]` = records with k IN references.
    n_in: Vec<u64>,
    n_out: Vec<u64>,
    n_in_min: usize,
    n_in_max: usize,
    n_out_min: usize,
    n_out_max: usize,
    records_n_in_0: u64,
    records_n_in_1: u64,
    records_n_out_0: u64,
    records_n_out_1: u64,
    records_sd_in_zero_with_n_ge_2: u64,
    records_sd_out_zero_with_n_ge_2: u64,
}

#[derive(Serialize)]
struct Sides {
    #[serde(rename = "in")]
    in_side: Option<f64>,
    out: Option<f64>,
}

#[derive(Serialize)]
struct Diagnostics<'a> {
    gaussian: &'a [GaussianCheck],
    reference_trend: &'a [TrendPoint],
    /// How online LiRA moved from M/2 to M references: `rising`, `flat`, `single` (M < 2) or
    /// `none` (it did not run).
    reference_trend_reading: &'static str,
}

#[derive(Serialize)]
struct Rows<'a> {
    n_data_rows: u64,
    n_kept: u64,
    n_skipped: u64,
    problems: &'a [RowProblem],
}

#[derive(Serialize)]
struct Params {
    gamma: f64,
    offline_a: f64,
    center: &'static str,
    offline_test: &'static str,
}

/// `mia lira --json`.
#[derive(Serialize)]
struct LiraJson<'a> {
    file: String,
    n_records: usize,
    n_members: u64,
    n_nonmembers: u64,
    #[serde(rename = "M")]
    m: usize,
    phi_mode: &'static str,
    population_source: &'a str,
    n_population: usize,
    params: Params,
    variants: BTreeMap<&'static str, VariantJson>,
    strongest: Option<Strongest>,
    reference_counts: CountsJson,
    global_sigma: Sides,
    column_mean_fallbacks: Sides,
    diagnostics: Diagnostics<'a>,
    warnings: &'a [String],
    rows: Rows<'a>,
}

impl LiraArgs {
    pub fn run(self, out: &mut dyn Write) -> Result<Status, CliError> {
        let defaults = ReferenceSettings::default();
        let settings = ReferenceSettings {
            gamma: self.gamma.unwrap_or(defaults.gamma),
            offline_a: self.offline_a.unwrap_or(defaults.offline_a),
            center: match self.center {
                CenterArg::Median => Center::Median,
                CenterArg::Mean => Center::Mean,
            },
            offline_test: match self.offline_test {
                TestArg::OneSided => OfflineTest::OneSided,
                TestArg::TwoSided => OfflineTest::TwoSided,
            },
        }
        .check()
        .map_err(|e| CliError::Usage(format!("{}: {e}", option_of(&e))))?;
        let path = &self.file;
        let got = read_reference_path(path).map_err(|e| match e {
            ReferenceInputError::Csv(e) => CliError::input(path, e),
            e => CliError::refused(path, e),
        })?;
        let report = run_reference_attack_on_two_threads(&got.table, settings);
        if let Some(scores) = &self.scores_out {
            let mut f = std::fs::File::create(scores).map_err(|e| CliError::Write {
                path: scores.display().to_string(),
                source: e,
            })?;
            write_scores_csv(&report, &got.table, &mut f).map_err(|e| CliError::Write {
                path: scores.display().to_string(),
                source: e,
            })?;
        }
        let file = path.display().to_string();
        if self.json {
            write_json(out, &lira_json(file, &report, &got.report), true)?;
        } else {
            print_text(out, &file, &report)?;
        }
        let listed = if self.json {
            "they are listed under \"rows\" in the JSON"
        } else {
            "run with --json to list them"
        };
        Ok(skipped_rows(&got.report, listed, self.strict))
    }
}

/// The option a setting out of the engine's range came from.
fn option_of(e: &ReferenceSettingsError) -> &'static str {
    match e {
        ReferenceSettingsError::Gamma(_) => "--gamma",
        ReferenceSettingsError::OfflineA(_) => "--offline-a",
        _ => "the settings",
    }
}

fn lira_json<'a>(
    file: String,
    report: &'a ReferenceReport,
    rows: &'a mia_engine::IngestReport,
) -> LiraJson<'a> {
    let variants = report
        .variants
        .iter()
        .map(|r| {
            let m = r.metrics();
            (
                r.variant.name(),
                VariantJson {
                    available: m.is_some(),
                    reason: r.outcome.as_ref().err().map(|e| e.to_string()),
                    label: r.variant.label(),
                    auc: m.map(|m| m.auc),
                    auc_interval: m.and_then(|m| m.auc_interval),
                    tpr_at_fpr: m.map(tpr_map),
                    attacker_advantage: m.map(|m| m.attacker_advantage),
                    best_balanced_accuracy: m.map(|m| m.best_balanced_accuracy),
                    risk: m.map(|m| m.risk),
                },
            )
        })
        .collect();
    let c = &report.counts;
    let (n_in_min, n_in_max) = c.range(Side::In);
    let (n_out_min, n_out_max) = c.range(Side::Out);
    let [fin, fout] = &report.fits;
    LiraJson {
        file,
        n_records: report.n_records,
        n_members: report.n_members,
        n_nonmembers: report.n_nonmembers,
        m: report.m,
        phi_mode: report.mode.name(),
        population_source: &report.population_source,
        n_population: report.n_population,
        params: Params {
            gamma: report.settings.gamma,
            offline_a: report.settings.offline_a,
            center: report.settings.center.name(),
            offline_test: report.settings.offline_test.name(),
        },
        variants,
        strongest: report.strongest().map(|(v, m)| Strongest {
            variant: v.name(),
            label: v.label(),
            auc: m.auc,
            tpr_at_1_percent_fpr: m.tpr_at(0.01).unwrap_or(0.0),
        }),
        reference_counts: CountsJson {
            n_in: c.n_in.clone(),
            n_out: c.n_out.clone(),
            n_in_min,
            n_in_max,
            n_out_min,
            n_out_max,
            records_n_in_0: c.with(Side::In, 0),
            records_n_in_1: c.with(Side::In, 1),
            records_n_out_0: c.with(Side::Out, 0),
            records_n_out_1: c.with(Side::Out, 1),
            records_sd_in_zero_with_n_ge_2: c.zero_spread_in,
            records_sd_out_zero_with_n_ge_2: c.zero_spread_out,
        },
        global_sigma: Sides {
            in_side: fin.global_spread,
            out: fout.global_spread,
        },
        column_mean_fallbacks: Sides {
            in_side: fin.fallback_centre,
            out: fout.fallback_centre,
        },
        diagnostics: Diagnostics {
            gaussian: &report.gaussian,
            reference_trend: &report.trend,
            reference_trend_reading: TrendReading::of(&report.trend).key(),
        },
        warnings: &report.warnings,
        rows: Rows {
            n_data_rows: rows.n_data_rows,
            n_kept: rows.n_kept,
            n_skipped: rows.n_skipped,
            problems: &rows.problems,
        },
    }
}

fn print_text(out: &mut dyn Write, file: &str, report: &ReferenceReport) -> std::io::Result<()> {
    writeln!(
        out,
        "Reference-model attacks on {file}: {} records ({} members), M = {} reference models, φ from {}s",
        report.n_records,
        report.n_members,
        report.m,
        report.mode.name()
    )?;
    writeln!(
        out,
        "  {:<22} {:>9} {:>10} {:>10} {:>10} {:>10}",
        "variant", "AUC", "TPR@0.1%", "TPR@1%", "TPR@10%", "advantage"
    )?;
    for r in &report.variants {
        match r.metrics() {
            Some(m) => writeln!(
                out,
                "  {:<22} {:>9.4} {:>10.4} {:>10.4} {:>10.4} {:>10.4}",
                r.variant.name(),
                m.auc,
                m.tpr_at(0.001).unwrap_or(0.0),
                m.tpr_at(0.01).unwrap_or(0.0),
                m.tpr_at(0.1).unwrap_or(0.0),
                m.attacker_advantage
            )?,
            None => writeln!(out, "  {:<22} not available", r.variant.name())?,
        }
    }
    if let Some((v, m)) = report.strongest() {
        writeln!(
            out,
            "  strongest: {} (AUC {:.4}, TPR {} at 1 % FPR)",
            v.label(),
            m.auc,
            opt(m.tpr_at(0.01))
        )?;
    }
    match TrendReading::of(&report.trend) {
        TrendReading::Rising(a, b) => writeln!(
            out,
            "  reference-count trend: still rising (online LiRA's AUC {:.4} -> {:.4} from M/2 to M): more reference models would likely find more members",
            a.auc, b.auc
        )?,
        TrendReading::Flat(a, b) => writeln!(
            out,
            "  reference-count trend: flat (online LiRA's AUC {:.4} -> {:.4} from M/2 to M)",
            a.auc, b.auc
        )?,
        TrendReading::Single | TrendReading::NoFigures => {}
    }
    for w in &report.warnings {
        writeln!(out, "  warning: {w}")?;
    }
    Ok(())
}
