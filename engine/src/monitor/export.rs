//! What a replay exports, written once for `mia monitor` and the page's downloads: the JSON
//! report (the CLI's `--json` is this with the file's name), the table as CSV, and each key's
//! metrics for the Prometheus exposition.

use serde::Serialize;

use super::assessment::Assessment;
use super::exposition::KeyMetrics;
use super::log::InputColumn;
use super::report::{ActionCounts, KeyReport, MonitorReport, RepeatedInput};
use super::settings::DetectorSettings;
use super::timeline::TimelinePoint;
use super::timestamp::format_utc;

/// One key in the JSON report: its figures beside its other fields.
#[derive(Debug, Serialize)]
pub struct KeyJson<'a> {
    pub api_key: &'a str,
    pub queries: u64,
    pub first_seen: f64,
    pub last_seen: f64,
    #[serde(flatten)]
    pub figures: &'a Assessment,
    pub peak_risk: f64,
    pub first_flagged_at: Option<f64>,
    pub first_blocked_at: Option<f64>,
    pub decisions: ActionCounts,
    pub top_inputs: &'a [RepeatedInput],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeline: Option<&'a [TimelinePoint]>,
}

/// The JSON report of a replay.
#[derive(Debug, Serialize)]
pub struct ReportJson<'a> {
    pub settings: &'a DetectorSettings,
    pub n_queries: u64,
    pub n_keys: usize,
    pub out_of_order: u64,
    pub first_time: f64,
    pub last_time: f64,
    pub input_column: InputColumn,
    pub final_actions: ActionCounts,
    pub ever_flagged: u64,
    pub keys: Vec<KeyJson<'a>>,
}

impl<'a> ReportJson<'a> {
    /// The report's JSON form, with each key's timeline or without.
    pub fn of(r: &'a MonitorReport, timeline: bool) -> Self {
        ReportJson {
            settings: &r.settings,
            n_queries: r.n_queries,
            n_keys: r.keys.len(),
            out_of_order: r.out_of_order,
            first_time: r.first_time,
            last_time: r.last_time,
            input_column: r.input_column,
            final_actions: r.final_actions,
            ever_flagged: r.ever_flagged,
            keys: r
                .keys
                .iter()
                .map(|k| KeyJson {
                    api_key: &k.api_key,
                    queries: k.queries,
                    first_seen: k.first_seen,
                    last_seen: k.last_seen,
                    figures: &k.figures,
                    peak_risk: k.peak_risk,
                    first_flagged_at: k.first_flagged_at,
                    first_blocked_at: k.first_blocked_at,
                    decisions: k.decisions,
                    top_inputs: &k.top_inputs,
                    timeline: timeline.then_some(k.timeline.as_slice()),
                })
                .collect(),
        }
    }
}

/// The whole report as indented JSON, timelines included: `mia monitor --json --timeline`
/// without its `file` field.
pub fn report_json(report: &MonitorReport) -> String {
    serde_json::to_string_pretty(&ReportJson::of(report, true)).unwrap_or_default() + "\n"
}

/// The per-key table as CSV, one row per key in the report's order (by API key); times as Unix
/// seconds and as UTC.
///
/// # Examples
/// ```
/// use mia_engine::monitor::{analyse, export::keys_csv, read_query_log, CheckedSettings};
/// let log = read_query_log(b"api_key,input_hash,timestamp\n\"k,1\",h,0\n").unwrap();
/// let csv = keys_csv(&analyse(&log, &CheckedSettings::default()));
/// assert!(csv.starts_with("api_key,queries,total,unique,repeated_inputs,"));
/// assert!(csv.lines().nth(1).unwrap().starts_with("\"k,1\",1,1,1,0,0,0,1,false,false,0,allow,"));
/// ```
pub fn keys_csv(report: &MonitorReport) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record([
        "api_key",
        "queries",
        "total",
        "unique",
        "repeated_inputs",
        "max_repeats",
        "repeated_queries",
        "diversity",
        "suspicious_repeat",
        "suspicious_diversity",
        "risk",
        "action",
        "peak_risk",
        "first_flagged_at",
        "first_flagged_at_utc",
        "first_blocked_at",
        "first_seen",
        "last_seen",
    ]);
    let time = |t: Option<f64>| t.map_or(String::new(), |t| format!("{t}"));
    for k in &report.keys {
        let f = &k.figures;
        let _ = w.write_record([
            k.api_key.as_str(),
            &k.queries.to_string(),
            &f.total.to_string(),
            &f.unique.to_string(),
            &f.repeated_inputs.to_string(),
            &f.max_repeats.to_string(),
            &f.repeated_queries.to_string(),
            &format!("{}", f.diversity),
            &f.suspicious_repeat.to_string(),
            &f.suspicious_diversity.to_string(),
            &format!("{}", f.risk),
            f.action.key(),
            &format!("{}", k.peak_risk),
            &time(k.first_flagged_at),
            &k.first_flagged_at.map_or(String::new(), format_utc),
            &time(k.first_blocked_at),
            &format!("{}", k.first_seen),
            &format!("{}", k.last_seen),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Each key's metrics at the end of the replay (its figures after its last query, and every
/// query it sent as the request counter), for [`exposition`](super::exposition()).
pub fn key_metrics(report: &MonitorReport) -> Vec<KeyMetrics<'_>> {
    report.keys.iter().map(metrics_of).collect()
}

fn metrics_of(k: &KeyReport) -> KeyMetrics<'_> {
    KeyMetrics {
        api_key: &k.api_key,
        requests_total: k.queries,
        assessment: k.figures,
    }
}
