//! `mia monitor`: replays an API's query log through the seed design's membership-inference
//! detector (the engine's `monitor` module, the page's Monitor view): per API key the window's
//! figures, the action, when it was first flagged and the inputs it repeated most; optionally
//! the seed's Prometheus alert rules and the metrics they read.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use mia_engine::monitor::export::{key_metrics, ReportJson};
use mia_engine::monitor::timestamp::format_utc;
use mia_engine::monitor::{
    alert_rules_yaml, analyse, exposition, read_query_log, DetectorSettings, KeyReport,
    MonitorReport, RepeatScope, RuleSettings,
};
use serde::Serialize;

use super::monitor_follow::{follow, FollowOptions, INPUT_BUFFER};
use super::{read_input, whole, write_json};
use crate::exit::{CliError, Status};

pub const ABOUT: &str =
    "Replay an API query log: which keys probe for membership inference, and since when";

pub const LONG_ABOUT: &str = "\
MONITOR: replays LOG.csv (columns api_key, input_hash or input, timestamp) in time order through
the seed design's membership-inference detector. Per API key, over a sliding window: total
queries, unique inputs, repeated inputs (queried more than --repeat-threshold times) and the most
repeats of one input; suspicious repeat = repeated inputs > --repeated-inputs; diversity = unique /
total; suspicious diversity = diversity > --diversity and total > --min-total; risk = 0.5 per
suspicion; block above --block-risk, monitor above --monitor-risk. The figures are the key's after
its last query; \"first flagged\" is the first query after which it was monitor or block.
Timestamps: Unix seconds or ISO 8601 with a zone; rows may be out of order (sorted, stably).
An `input` column is hashed with SHA-256. Nothing is sent anywhere.

FOLLOW: with --follow the log comes on standard input as its lines arrive (the first line the
header, or --columns), and one JSON decision per query is printed at once; lines that cannot be
read are counted, named on standard error and skipped, and the stream goes on. --metrics-addr
serves the metrics for Prometheus to scrape while the stream is open (only the HTTP server this
command starts listens; nothing is sent).";

/// The options of `mia monitor`.
#[derive(Debug, Args)]
pub struct MonitorArgs {
    /// The query log: api_key, input_hash (or input) and timestamp columns
    #[arg(value_name = "LOG.csv", required_unless_present = "follow")]
    file: Option<PathBuf>,
    /// Read the log from standard input as its lines arrive and print one JSON decision per
    /// query ({"row", "api_key", "action", "risk"}); lines that cannot be read are counted,
    /// said on standard error and skipped
    #[arg(long, conflicts_with_all = ["file", "json", "metrics_out"])]
    follow: bool,
    /// With --follow: serve the metrics for Prometheus at HOST:PORT[/PATH] (path /metrics;
    /// port 0 picks a free one, said on standard error)
    #[arg(long = "metrics-addr", value_name = "ADDR", conflicts_with = "file")]
    metrics_addr: Option<String>,
    /// With --follow, when the stream has no header line: its columns, such as
    /// api_key,input_hash,timestamp
    #[arg(long, value_name = "NAMES", conflicts_with = "file")]
    columns: Option<String>,
    /// The sliding window, in seconds
    #[arg(long, value_name = "S", default_value_t = DetectorSettings::default().window_seconds,
          value_parser = window, allow_negative_numbers = true)]
    window: f64,
    /// An input is repeated when queried more than N times
    #[arg(long = "repeat-threshold", value_name = "N",
          default_value_t = DetectorSettings::default().repeat_threshold, value_parser = whole::<u32>, allow_negative_numbers = true)]
    repeat_threshold: u32,
    /// Suspicious repeat when more than N inputs are repeated
    #[arg(long = "repeated-inputs", value_name = "N",
          default_value_t = DetectorSettings::default().repeated_inputs_threshold,
          value_parser = whole::<u32>, allow_negative_numbers = true)]
    repeated_inputs: u32,
    /// Suspicious diversity when unique / total is above RATIO (and total above --min-total)
    #[arg(long, value_name = "RATIO", default_value_t = DetectorSettings::default().diversity_threshold,
          value_parser = diversity, allow_negative_numbers = true)]
    diversity: f64,
    /// Suspicious diversity needs more than N queries in the window
    #[arg(long = "min-total", value_name = "N", default_value_t = DetectorSettings::default().min_total,
          value_parser = whole::<u64>, allow_negative_numbers = true)]
    min_total: u64,
    /// Block when the risk is above R
    #[arg(long = "block-risk", value_name = "R", default_value_t = DetectorSettings::default().block_risk,
          value_parser = block_risk, allow_negative_numbers = true)]
    block_risk: f64,
    /// Monitor when the risk is above R (and not above --block-risk)
    #[arg(long = "monitor-risk", value_name = "R",
          default_value_t = DetectorSettings::default().monitor_risk, value_parser = monitor_risk,
          allow_negative_numbers = true)]
    monitor_risk: f64,
    /// Count repeats over every query a key ever sent (the seed's unpruned counter), not the window
    #[arg(long = "all-time-repeats")]
    all_time_repeats: bool,
    /// Write the seed's Prometheus alert rules, with these thresholds, to this file
    #[arg(long = "rules-out", value_name = "FILE.yml")]
    rules_out: Option<PathBuf>,
    /// The rules' `for`, in the order RepeatedInputQueries, HighQueryDiversity,
    /// MembershipInferenceRiskHigh
    #[arg(
        long = "rule-for",
        value_name = "D1,D2,D3",
        default_value = "10m,30m,5m"
    )]
    rule_for: String,
    /// The rules' severity labels, in the same order
    #[arg(
        long = "rule-severity",
        value_name = "S1,S2,S3",
        default_value = "warning,warning,critical"
    )]
    rule_severity: String,
    /// The rules group's evaluation interval
    #[arg(long = "rule-interval", value_name = "D", default_value = "1m")]
    rule_interval: String,
    /// Write each key's metrics at the end of the log (Prometheus text format) to this file
    #[arg(long = "metrics-out", value_name = "FILE.prom")]
    metrics_out: Option<PathBuf>,
    /// Print JSON
    #[arg(long)]
    json: bool,
    /// With --json: each key's risk and query rate over time (at most 500 points per key)
    #[arg(long, requires = "json")]
    timeline: bool,
}

/// `s` as a number (the settings' own check comes after, in [`checked`]).
fn number(s: &str) -> Result<f64, String> {
    s.parse().map_err(|_| format!("`{s}` is not a number"))
}

/// One option's value through the engine's [`DetectorSettings::check`], the check the page's
/// link goes through too; its message follows clap's `invalid value '…' for '--…':`.
fn checked(s: &str, set: fn(&mut DetectorSettings, f64)) -> Result<f64, String> {
    let value = number(s)?;
    let mut settings = DetectorSettings {
        monitor_risk: 0.0,
        block_risk: 1.0,
        ..DetectorSettings::default()
    };
    set(&mut settings, value);
    settings.check().map(|_| value).map_err(|e| e.to_string())
}

fn window(s: &str) -> Result<f64, String> {
    checked(s, |d, v| d.window_seconds = v)
}

fn diversity(s: &str) -> Result<f64, String> {
    checked(s, |d, v| d.diversity_threshold = v)
}

fn block_risk(s: &str) -> Result<f64, String> {
    checked(s, |d, v| d.block_risk = v)
}

fn monitor_risk(s: &str) -> Result<f64, String> {
    checked(s, |d, v| d.monitor_risk = v)
}

/// `mia monitor --json`: the engine's JSON report with the file's name.
#[derive(Serialize)]
struct MonitorJson<'a> {
    file: String,
    #[serde(flatten)]
    report: ReportJson<'a>,
}

impl MonitorArgs {
    pub fn run(self, out: &mut dyn Write) -> Result<Status, CliError> {
        let settings = DetectorSettings {
            window_seconds: self.window,
            repeat_threshold: self.repeat_threshold,
            repeated_inputs_threshold: self.repeated_inputs,
            diversity_threshold: self.diversity,
            min_total: self.min_total,
            block_risk: self.block_risk,
            monitor_risk: self.monitor_risk,
            repeat_scope: if self.all_time_repeats {
                RepeatScope::AllTime
            } else {
                RepeatScope::Window
            },
        }
        .check()
        .map_err(|e| CliError::Usage(format!("the settings: {e}")))?;
        let mut rules = RuleSettings::default();
        rules
            .set_for_list(&self.rule_for)
            .map_err(|e| CliError::Usage(format!("--rule-for: {e}")))?;
        rules
            .set_severity_list(&self.rule_severity)
            .map_err(|e| CliError::Usage(format!("--rule-severity: {e}")))?;
        rules
            .set_interval(&self.rule_interval)
            .map_err(|e| CliError::Usage(format!("--rule-interval: {e}")))?;
        if let Some(path) = &self.rules_out {
            write_file(path, &alert_rules_yaml(&settings, &rules))?;
        }
        let Some(file) = &self.file else {
            let options = FollowOptions {
                columns: self.columns.clone(),
                metrics_addr: self.metrics_addr.clone(),
            };
            let mut input = std::io::BufReader::with_capacity(INPUT_BUFFER, std::io::stdin());
            return follow(settings, &options, &mut input, out);
        };
        let bytes = read_input(file)?;
        let log = read_query_log(&bytes).map_err(|e| CliError::refused(file, e))?;
        drop(bytes);
        let report = analyse(&log, &settings);
        if let Some(path) = &self.metrics_out {
            write_file(path, &exposition(&key_metrics(&report), &settings))?;
        }
        if self.json {
            let json = MonitorJson {
                file: file.display().to_string(),
                report: ReportJson::of(&report, self.timeline),
            };
            write_json(out, &json, true)?;
        } else {
            self.text(file, &report, out)?;
        }
        Ok(Status::Ok)
    }

    fn text(&self, file: &Path, r: &MonitorReport, out: &mut dyn Write) -> std::io::Result<()> {
        let s = &r.settings;
        writeln!(
            out,
            "Query log {}: {} queries from {} API keys, {} to {}.",
            file.display(),
            r.n_queries,
            r.keys.len(),
            format_utc(r.first_time),
            format_utc(r.last_time)
        )?;
        if r.out_of_order > 0 {
            writeln!(
                out,
                "{} rows were out of order; replayed in time order.",
                r.out_of_order
            )?;
        }
        writeln!(
            out,
            "Window {} s; repeated = queried more than {} times {}; block above risk {}, monitor above {}.",
            s.window_seconds,
            s.repeat_threshold,
            match s.repeat_scope {
                RepeatScope::Window => "in the window",
                RepeatScope::AllTime => "ever (all-time, the seed's unpruned counter)",
            },
            s.block_risk,
            s.monitor_risk
        )?;
        let a = r.final_actions;
        writeln!(
            out,
            "At the end: {} block, {} monitor, {} allow; {} keys flagged at some point.\n",
            a.block, a.monitor, a.allow, r.ever_flagged
        )?;
        let mut keys: Vec<&KeyReport> = r.keys.iter().collect();
        keys.sort_by(|a, b| {
            (b.figures.risk, b.peak_risk)
                .partial_cmp(&(a.figures.risk, a.peak_risk))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.api_key.cmp(&b.api_key))
        });
        let width = keys
            .iter()
            .map(|k| shown_key(&k.api_key).chars().count())
            .max()
            .unwrap_or(0)
            .max(7);
        writeln!(
            out,
            "{:<width$}  {:>8}  {:>7}  {:>7}  {:>8}  {:>7}  {:>9}  {:>4}  {:<7}  first flagged at",
            "api_key",
            "queries",
            "total",
            "unique",
            "repeated",
            "max rep",
            "diversity",
            "risk",
            "action"
        )?;
        for k in &keys {
            let f = &k.figures;
            writeln!(
                out,
                "{:<width$}  {:>8}  {:>7}  {:>7}  {:>8}  {:>7}  {:>9.3}  {:>4.1}  {:<7}  {}",
                shown_key(&k.api_key),
                k.queries,
                f.total,
                f.unique,
                f.repeated_inputs,
                f.max_repeats,
                f.diversity,
                f.risk,
                f.action.key(),
                k.first_flagged_at.map_or("-".to_string(), format_utc)
            )?;
        }
        let flagged: Vec<&&KeyReport> = keys
            .iter()
            .filter(|k| k.first_flagged_at.is_some() && !k.top_inputs.is_empty())
            .collect();
        if !flagged.is_empty() {
            writeln!(
                out,
                "\nMost repeated inputs of the flagged keys (count, input hash):"
            )?;
        }
        for k in flagged {
            let top: Vec<String> = k
                .top_inputs
                .iter()
                .take(3)
                .map(|t| format!("{} x {}", t.count, shown_key(&t.input_hash)))
                .collect();
            writeln!(out, "  {}: {}", shown_key(&k.api_key), top.join(", "))?;
        }
        for (what, path) in [
            ("Alert rules", &self.rules_out),
            ("Metrics", &self.metrics_out),
        ] {
            if let Some(p) = path {
                writeln!(out, "\n{what} written to {}.", p.display())?;
            }
        }
        Ok(())
    }
}

/// A key or hash for the table: control characters shown as `?`, at most 40 characters.
fn shown_key(key: &str) -> String {
    let clean: String = key
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    match clean.char_indices().nth(39) {
        Some((at, _)) => format!("{}…", &clean[..at]),
        None => clean,
    }
}

fn write_file(path: &Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text).map_err(|source| CliError::Write {
        path: path.display().to_string(),
        source,
    })
}
