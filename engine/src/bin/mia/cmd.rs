//! The commands, one file each with its arguments, help text and `run()`, and what they share:
//! reading the input file, the note on skipped rows, `--strict`, and the checks of numbers given
//! on the command line.

pub mod audit;
pub mod dp_epsilon;
pub mod dp_sigma;
pub mod lira;
pub mod metrics_server;
pub mod monitor;
pub mod monitor_follow;
pub mod restrict;
pub mod review;
pub mod shadow;
pub mod text;
pub mod train;
pub mod unlearn_verify;

use std::io::{self, Write};
use std::path::Path;

use std::collections::BTreeMap;

use mia_engine::attack::metrics::AttackMetrics;
use mia_engine::ingest::split::read_path;
use mia_engine::IngestReport;
use serde::Serialize;

use crate::exit::{stderr_line, CliError, Status};

/// The whole file at `path`, or an error naming the path and the system's reason.
pub fn read_input(path: &Path) -> Result<Vec<u8>, CliError> {
    read_path(path).map_err(|e| CliError::input(path, e))
}

/// Says on standard error, in one line, how many rows were skipped and where they are listed
/// (`listed`), whatever the output mode; with `strict`, any skipped row makes the exit status 2.
pub fn skipped_rows(report: &IngestReport, listed: &str, strict: bool) -> Status {
    if report.n_skipped == 0 {
        return Status::Ok;
    }
    let first = report
        .problems
        .first()
        .map(|p| format!(" (first: {})", p.to_string().trim_end_matches('.')))
        .unwrap_or_default();
    stderr_line(&format!(
        "note: {} of {} data rows skipped{first}; {listed}",
        report.n_skipped, report.n_data_rows
    ));
    if strict {
        stderr_line("error: --strict: rows were skipped, so the exit status is 2");
        return Status::SkippedRows;
    }
    Status::Ok
}

/// Writes `value` as JSON and a line end: indented (`pretty`) or on one line.
pub fn write_json(out: &mut dyn Write, value: &impl Serialize, pretty: bool) -> io::Result<()> {
    if pretty {
        serde_json::to_writer_pretty(&mut *out, value)?;
    } else {
        serde_json::to_writer(&mut *out, value)?;
    }
    writeln!(out)
}

/// TPR at each target FPR, keyed "0.001", "0.01", "0.1" as every command's JSON has them.
pub fn tpr_map(m: &AttackMetrics) -> BTreeMap<String, f64> {
    m.tpr_at_fpr
        .iter()
        .map(|t| (format!("{}", t.target_fpr), t.tpr))
        .collect()
}

/// A figure with 6 decimals, or `n/a`.
pub fn opt(v: Option<f64>) -> String {
    v.map_or("n/a".to_string(), |v| format!("{v:.6}"))
}

/// A finite number (a value parser).
pub fn finite(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or(format!("`{s}` is not a number"))
}

/// A whole number, not negative (a value parser).
pub fn whole<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.parse::<T>()
        .map_err(|_| format!("`{s}` is not a whole number"))
}
