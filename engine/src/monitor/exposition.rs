//! The metrics the seed's alert rules read, per API key, in Prometheus' text exposition format
//! (version 0.0.4): what `mia monitor --metrics-out` writes after a replay and what a scrape of
//! `mia monitor --follow` returns. `promtool check metrics` accepts it.
//!
//! The rules ([`alert_rules_yaml`](super::alert_rules_yaml)) read four series, each labelled
//! `api_key` (the label their `max by (api_key)` and `{{ $labels.api_key }}` name):
//! - `inference_input_repeat_count`: the key's `repeated_inputs`, the distinct inputs queried
//!   more than the repeat threshold; `RepeatedInputQueries` compares it with the repeated-inputs
//!   threshold, as the seed's `check_repeated_queries` does (`len(repeats) > 10`). One series per
//!   key, not per input: input hashes as labels would make a series per input.
//!   Prometheus reserves the `_count` suffix for histograms and summaries, so a gauge of that name
//!   fails `promtool check metrics` (a defect of the seed's rules). To keep the name the rule
//!   reads, the family is a summary, `inference_input_repeat`, whose observations are the query
//!   counts of the key's repeated inputs: `_count` is how many there are (the figure above) and
//!   `_sum` their queries. In the window they fall as queries leave it, which a summary's counts
//!   normally do not: the rule takes their `max`, never `rate` or `increase`, so that is harmless;
//! - `inference_unique_inputs_ratio` (gauge): `diversity` = unique / total in the window;
//! - `inference_requests_total` (counter): every query the key sent. `HighQueryDiversity` takes
//!   its `increase` over the window, which is the window's `total`; `increase` needs a counter;
//! - `membership_inference_risk_score` (gauge): `risk`.

use std::fmt::Write;

use super::assessment::Assessment;
use super::settings::{CheckedSettings, RepeatScope};

/// One API key's figures, as exported.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeyMetrics<'a> {
    pub api_key: &'a str,
    /// Every query the key sent.
    pub requests_total: u64,
    /// The key's figures after its latest query.
    pub assessment: Assessment,
}

/// A label value with `\`, `"` and line ends escaped, as the text format asks.
///
/// # Examples
/// ```
/// use mia_engine::monitor::exposition::escape_label_value;
/// assert_eq!(escape_label_value("a\"b\\c\nd"), r#"a\"b\\c\nd"#);
/// ```
pub fn escape_label_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// A metric family: its name, type, help, and each sample's name suffix and value.
type Family = (
    &'static str,
    &'static str,
    String,
    Vec<(&'static str, fn(&KeyMetrics) -> String)>,
);

/// The metrics of every key in the text exposition format, with `# HELP` and `# TYPE` lines,
/// one family after another.
///
/// # Examples
/// ```
/// use mia_engine::monitor::counts::RepeatFigures;
/// use mia_engine::monitor::exposition::{exposition, KeyMetrics};
/// use mia_engine::monitor::{Assessment, CheckedSettings};
/// let s = CheckedSettings::default();
/// let a = Assessment::from_counts(120, 120, RepeatFigures::default(), &s);
/// let text = exposition(&[KeyMetrics { api_key: "k\"1", requests_total: 130, assessment: a }], &s);
/// assert!(text.contains("# TYPE inference_requests_total counter\n"));
/// assert!(text.contains("inference_requests_total{api_key=\"k\\\"1\"} 130\n"));
/// assert!(text.contains("inference_input_repeat_count{api_key=\"k\\\"1\"} 0\n"));
/// assert!(text.contains("membership_inference_risk_score{api_key=\"k\\\"1\"} 0.5\n"));
/// ```
pub fn exposition(keys: &[KeyMetrics<'_>], settings: &CheckedSettings) -> String {
    let s = settings.get();
    let window = format!("in the last {} s", s.window_seconds);
    let families: [Family; 4] = [
        (
            "inference_input_repeat",
            "summary",
            format!(
                "Query counts of the inputs the API key queried more than {} times {}: _count is \
                 how many inputs, _sum their queries.",
                s.repeat_threshold,
                match s.repeat_scope {
                    RepeatScope::Window => &window,
                    RepeatScope::AllTime => "over all its queries",
                }
            ),
            vec![
                ("_sum", |k| k.assessment.repeated_queries.to_string()),
                ("_count", |k| k.assessment.repeated_inputs.to_string()),
            ],
        ),
        (
            "inference_unique_inputs_ratio",
            "gauge",
            format!("Distinct inputs over queries of the API key {window}."),
            vec![("", |k| format!("{}", k.assessment.diversity))],
        ),
        (
            "inference_requests_total",
            "counter",
            "Queries the API key sent.".to_string(),
            vec![("", |k| k.requests_total.to_string())],
        ),
        (
            "membership_inference_risk_score",
            "gauge",
            "Membership-inference risk of the API key: 0.5 for repeated inputs plus 0.5 for \
             diverse high-volume querying."
                .to_string(),
            vec![("", |k| format!("{}", k.assessment.risk))],
        ),
    ];
    let mut out = String::new();
    for (name, kind, help, samples) in families {
        let help = help.replace('\\', "\\\\").replace('\n', "\\n");
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} {kind}");
        for k in keys {
            let key = escape_label_value(k.api_key);
            for (suffix, value) in &samples {
                let _ = writeln!(out, "{name}{suffix}{{api_key=\"{key}\"}} {}", value(k));
            }
        }
    }
    out
}
