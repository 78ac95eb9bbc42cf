//! The seed design's three Prometheus alert rules (`prometheus-membership-inference.yaml`:
//! `RepeatedInputQueries`, `HighQueryDiversity`, `MembershipInferenceRiskHigh`) as a rules file,
//! with the detector's thresholds; each rule's `for` and `severity` keep the seed's values unless
//! edited ([`RuleSettings`]). They read the metrics of [`exposition`](mod@super::exposition).
//!
//! Where the seed's rules are changed, and why (each change keeps the rule's intent):
//! - Thresholds: the seed writes 10, 0.95, 200, `[1h]` and 0.7; here they are the detector's
//!   repeated-inputs threshold, diversity threshold, minimum total, window and block level, so
//!   the rules fire on what the table flags (issue 21: "with the thresholds chosen"). With the
//!   defaults the diversity rule reads `> 0.9` and `> 100` where the seed wrote 0.95 and 200.
//! - `RepeatedInputQueries` compares `max by (api_key) (inference_input_repeat_count)` with the
//!   threshold the seed's detector puts on the number of repeated inputs (`len(repeats) > 10`),
//!   while its summary read the value as one input's count ("queried the same input {{ $value }}
//!   times"). The series is the key's `repeated_inputs` (one per key: input hashes as labels would
//!   make a series per input), so the summary now says "queried N inputs more than 3 times each".
//!   `max by (api_key)` is kept: it merges the series of several exporters. The name is kept too,
//!   though Prometheus reserves `_count` for histograms and summaries: the exposition makes it the
//!   `_count` of a summary (see [`exposition`](mod@super::exposition)).
//! - `HighQueryDiversity`'s summary showed `{{ $value }}` as the number of queries, but the value
//!   of `a and b` is `a`'s, the ratio: the summary shows it as a percentage.
//! - `increase(inference_requests_total[window])` is kept (the counter's increase over the
//!   window is the window's total); Prometheus extrapolates it to the range's edges, so near the
//!   minimum it can differ from the exact count by a fraction of a scrape's worth.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use super::error::RuleSettingsError;
use super::settings::CheckedSettings;

/// One alert's `for` (how long its condition must hold before it fires) and severity label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertSettings {
    pub for_seconds: u64,
    pub severity: String,
}

/// The rules file's settings beyond the detector's thresholds. Defaults are the seed's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSettings {
    /// The group's evaluation interval (the seed: `interval: 1m`).
    pub interval_seconds: u64,
    /// `RepeatedInputQueries` (the seed: `for: 10m`, `severity: warning`).
    pub repeated_input: AlertSettings,
    /// `HighQueryDiversity` (the seed: `for: 30m`, `severity: warning`).
    pub high_diversity: AlertSettings,
    /// `MembershipInferenceRiskHigh` (the seed: `for: 5m`, `severity: critical`).
    pub risk_high: AlertSettings,
}

impl Default for RuleSettings {
    fn default() -> Self {
        let alert = |for_seconds, severity: &str| AlertSettings {
            for_seconds,
            severity: severity.to_string(),
        };
        RuleSettings {
            interval_seconds: 60,
            repeated_input: alert(600, "warning"),
            high_diversity: alert(1800, "warning"),
            risk_high: alert(300, "critical"),
        }
    }
}

/// The alerts' names, in the order of the file (and of [`RuleSettings::alerts`]).
pub const ALERT_NAMES: [&str; 3] = [
    "RepeatedInputQueries",
    "HighQueryDiversity",
    "MembershipInferenceRiskHigh",
];

impl RuleSettings {
    /// The three alerts' settings, in the order of [`ALERT_NAMES`].
    pub fn alerts(&self) -> [&AlertSettings; 3] {
        [&self.repeated_input, &self.high_diversity, &self.risk_high]
    }

    /// The three alerts' settings, mutable, in the order of [`ALERT_NAMES`].
    pub fn alerts_mut(&mut self) -> [&mut AlertSettings; 3] {
        [
            &mut self.repeated_input,
            &mut self.high_diversity,
            &mut self.risk_high,
        ]
    }

    /// Sets each alert's `for` from a list in the order of [`ALERT_NAMES`], such as `10m,30m,5m`.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::monitor::RuleSettings;
    /// let mut r = RuleSettings::default();
    /// r.set_for_list("1m, 2m,90s").unwrap();
    /// assert_eq!(r.high_diversity.for_seconds, 120);
    /// assert!(r.set_for_list("1m,2m").is_err());
    /// ```
    pub fn set_for_list(&mut self, list: &str) -> Result<(), RuleSettingsError> {
        let values = three(list, "durations")?;
        let mut seconds = [0; 3];
        for (s, v) in seconds.iter_mut().zip(values) {
            *s = parse_duration(v).map_err(RuleSettingsError::Parse)?;
        }
        for (alert, s) in self.alerts_mut().into_iter().zip(seconds) {
            alert.for_seconds = s;
        }
        Ok(())
    }

    /// Sets the group's evaluation interval from a duration such as `1m` or `15s`.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::monitor::RuleSettings;
    /// let mut r = RuleSettings::default();
    /// r.set_interval("15s").unwrap();
    /// assert_eq!(r.interval_seconds, 15);
    /// assert!(r.set_interval("0s").is_err());
    /// ```
    pub fn set_interval(&mut self, text: &str) -> Result<(), RuleSettingsError> {
        self.interval_seconds = parse_duration(text).map_err(RuleSettingsError::Parse)?;
        self.check()
    }

    /// Sets each alert's severity from a list in the order of [`ALERT_NAMES`], such as
    /// `warning,warning,critical`.
    pub fn set_severity_list(&mut self, list: &str) -> Result<(), RuleSettingsError> {
        let values = three(list, "severities")?;
        for (alert, v) in self.alerts_mut().into_iter().zip(values) {
            alert.severity = v.to_string();
        }
        self.check()
    }

    /// `Ok` when Prometheus would accept the settings.
    pub fn check(&self) -> Result<(), RuleSettingsError> {
        if self.interval_seconds == 0 {
            return Err(RuleSettingsError::Interval);
        }
        for (rule, alert) in ALERT_NAMES.into_iter().zip(self.alerts()) {
            let s = &alert.severity;
            if s.trim().is_empty() || s.chars().any(char::is_control) {
                return Err(RuleSettingsError::Severity {
                    rule: rule.to_string(),
                    severity: s.clone(),
                });
            }
        }
        Ok(())
    }
}

/// The three items of a comma-separated list, trimmed.
fn three<'a>(list: &'a str, what: &str) -> Result<[&'a str; 3], RuleSettingsError> {
    let items: Vec<&str> = list.split(',').map(str::trim).collect();
    <[&str; 3]>::try_from(items).map_err(|items| {
        RuleSettingsError::Parse(format!(
            "{} {what} in `{list}`: give three, for {}, in that order.",
            items.len(),
            ALERT_NAMES.join(", ")
        ))
    })
}

/// A Prometheus duration for whole seconds, in the largest unit that divides it (`10m`, `90s`).
///
/// # Examples
/// ```
/// use mia_engine::monitor::rules::prom_duration;
/// assert_eq!(prom_duration(600), "10m");
/// assert_eq!(prom_duration(3600), "1h");
/// assert_eq!(prom_duration(90), "90s");
/// assert_eq!(prom_duration(0), "0s");
/// ```
pub fn prom_duration(seconds: u64) -> String {
    match seconds {
        0 => "0s".to_string(),
        s if s.is_multiple_of(3600) => format!("{}h", s / 3600),
        s if s.is_multiple_of(60) => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// The window as a range duration: whole seconds as [`prom_duration`], otherwise milliseconds
/// (rounded, at least 1 ms; Prometheus durations have no fractions).
pub fn window_duration(window_seconds: f64) -> String {
    let ms = (window_seconds * 1000.0).round().max(1.0) as u64;
    if ms.is_multiple_of(1000) {
        prom_duration(ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

/// Reads a duration such as `10m`, `1h30m`, `90s` or `0s` (units s, m, h, d) as whole seconds.
///
/// # Examples
/// ```
/// use mia_engine::monitor::rules::parse_duration;
/// assert_eq!(parse_duration("1h30m"), Ok(5400));
/// assert!(parse_duration("10").is_err());
/// ```
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let bad = || {
        format!("`{text}` is not a duration: give a number and a unit, such as 10m, 90s or 1h30m.")
    };
    let (mut total, mut digits) = (0u64, None::<u64>);
    for c in text.trim().chars() {
        if let Some(d) = c.to_digit(10) {
            let n = digits
                .unwrap_or(0)
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(d)));
            digits = Some(n.ok_or_else(bad)?);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(bad()),
        };
        let n = digits.take().ok_or_else(bad)?;
        total = n
            .checked_mul(unit)
            .and_then(|n| total.checked_add(n))
            .ok_or_else(bad)?;
    }
    if digits.is_some() || text.trim().is_empty() {
        return Err(bad());
    }
    Ok(total)
}

/// A YAML double-quoted scalar.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The rules file: the seed's group with the detector's thresholds and the rules' settings.
///
/// # Examples
/// ```
/// use mia_engine::monitor::{alert_rules_yaml, CheckedSettings, RuleSettings};
/// let yaml = alert_rules_yaml(&CheckedSettings::default(), &RuleSettings::default());
/// assert!(yaml.contains("expr: membership_inference_risk_score > 0.7\n"));
/// assert!(yaml.contains("increase(inference_requests_total[1h]) > 100\n"));
/// ```
pub fn alert_rules_yaml(detector: &CheckedSettings, rules: &RuleSettings) -> String {
    let s = detector.get();
    let window = window_duration(s.window_seconds);
    let mut y = String::new();
    let _ = write!(
        y,
        "\
# Membership-inference alert rules (the seed design's), written by mia monitor.
# Detector thresholds: window {window}, an input is repeated when queried more than {rep} times,
# repeated inputs > {reps}, diversity > {div} with more than {min} queries, block risk > {block}.
# Load with rule_files in prometheus.yml; check with: promtool check rules FILE
groups:
  - name: membership-inference
    interval: {interval}
    rules:
      # Track repeated queries for the same input
      - alert: RepeatedInputQueries
        expr: >
          max by (api_key) (
            inference_input_repeat_count
          ) > {reps}
        for: {for0}
        labels:
          severity: {sev0}
        annotations:
          summary: \"API key {{{{ $labels.api_key }}}} queried {{{{ $value }}}} inputs more than {rep} times each\"
          description: >
            Repeated querying of identical inputs is a signature of membership inference
            attacks (statistical averaging to reduce noise). Investigate this API key.

      # Alert on high query diversity (systematic probing)
      - alert: HighQueryDiversity
        expr: >
          inference_unique_inputs_ratio > {div}
          and
          increase(inference_requests_total[{window}]) > {min}
        for: {for1}
        labels:
          severity: {sev1}
        annotations:
          summary: \"API key {{{{ $labels.api_key }}}} has {{{{ $value | humanizePercentage }}}} unique inputs across more than {min} queries in {window}\"
          description: >
            High input diversity combined with high volume suggests systematic dataset
            probing rather than normal application usage.

      # Alert on membership inference risk score
      - alert: MembershipInferenceRiskHigh
        expr: membership_inference_risk_score > {block}
        for: {for2}
        labels:
          severity: {sev2}
        annotations:
          summary: \"High membership inference risk for {{{{ $labels.api_key }}}}\"
",
        rep = s.repeat_threshold,
        reps = s.repeated_inputs_threshold,
        div = s.diversity_threshold,
        min = s.min_total,
        block = s.block_risk,
        interval = prom_duration(rules.interval_seconds),
        for0 = prom_duration(rules.repeated_input.for_seconds),
        for1 = prom_duration(rules.high_diversity.for_seconds),
        for2 = prom_duration(rules.risk_high.for_seconds),
        sev0 = quoted(&rules.repeated_input.severity),
        sev1 = quoted(&rules.high_diversity.severity),
        sev2 = quoted(&rules.risk_high.severity),
    );
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_round_trip() {
        for s in [0, 1, 59, 60, 90, 600, 1800, 3600, 5400, 86_400] {
            assert_eq!(parse_duration(&prom_duration(s)), Ok(s));
        }
        assert_eq!(window_duration(0.25), "250ms");
        assert_eq!(window_duration(1e-9), "1ms");
        assert_eq!(window_duration(5400.0), "90m");
        for bad in ["", "m", "5", "5x", "1.5h", "99999999999999999999s"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn severities_are_checked() {
        let mut r = RuleSettings::default();
        assert_eq!(r.check(), Ok(()));
        r.risk_high.severity = "page\nme".into();
        assert!(r
            .check()
            .unwrap_err()
            .to_string()
            .starts_with("MembershipInferenceRiskHigh: "));
        r.risk_high.severity = "page".into();
        r.interval_seconds = 0;
        assert_eq!(r.check(), Err(RuleSettingsError::Interval));
    }
}
