//! The monitor view's query: where the log comes from (`source=sample&sample=…` or
//! `source=file`), the detector's thresholds (`window`, `repeat`, `repeated`, `diversity`,
//! `min_total`, `block`, `monitor`, `scope`) and the key whose timeline is open (`key`).

use mia_engine::monitor::{DetectorSettings, RepeatScope};

use super::{Query, ViewQuery};
use crate::samples::{DEFAULT_MONITOR_SAMPLE, MONITOR_SAMPLES};

/// The view's controls.
#[derive(Debug, Clone, PartialEq)]
pub struct MonitorQuery {
    /// A bundled sample (`None`: a picked file).
    pub sample: Option<String>,
    pub settings: DetectorSettings,
    /// The key whose timeline and inputs are shown.
    pub key: Option<String>,
}

impl Default for MonitorQuery {
    fn default() -> Self {
        MonitorQuery {
            sample: Some(DEFAULT_MONITOR_SAMPLE.into()),
            settings: DetectorSettings::default(),
            key: None,
        }
    }
}

/// Reads `q[name]` into `set` when it parses, else names it in `ignored`.
fn number<T: std::str::FromStr>(
    q: &Query,
    name: &str,
    what: &str,
    ignored: &mut Vec<String>,
    set: impl FnOnce(T),
) {
    if let Some(v) = q.get(name) {
        match v.parse::<T>() {
            Ok(x) => set(x),
            Err(_) => ignored.push(format!("{name}={v} ({what})")),
        }
    }
}

impl ViewQuery for MonitorQuery {
    fn parse(q: &Query, ignored: &mut Vec<String>) -> Self {
        let mut m = MonitorQuery::default();
        match q.get("source") {
            Some("file") => m.sample = None,
            Some("sample") | None => {}
            Some(other) => ignored.push(format!("source={other} (use sample or file)")),
        }
        if let (Some(s), Some(_)) = (q.get("sample"), &m.sample) {
            if MONITOR_SAMPLES.iter().any(|x| x.id == s) {
                m.sample = Some(s.to_string());
            } else {
                ignored.push(format!("sample={s} (no such bundled sample)"));
            }
        }
        let mut c = m.settings;
        number(q, "window", "seconds", ignored, |v| c.window_seconds = v);
        number(q, "repeat", "a whole number", ignored, |v| {
            c.repeat_threshold = v
        });
        number(q, "repeated", "a whole number", ignored, |v| {
            c.repeated_inputs_threshold = v
        });
        number(q, "diversity", "a share from 0 to 1", ignored, |v| {
            c.diversity_threshold = v
        });
        number(q, "min_total", "a whole number", ignored, |v| {
            c.min_total = v
        });
        number(q, "block", "a risk from 0 to 1", ignored, |v| {
            c.block_risk = v
        });
        number(q, "monitor", "a risk from 0 to 1", ignored, |v| {
            c.monitor_risk = v
        });
        match q.get("scope") {
            Some("window") | None => {}
            Some("all_time") => c.repeat_scope = RepeatScope::AllTime,
            Some(other) => ignored.push(format!("scope={other} (use window or all_time)")),
        }
        match c.check() {
            Ok(_) => m.settings = c,
            Err(e) => ignored.push(format!("the detector's settings ({e})")),
        }
        m.key = q.get("key").map(str::to_string);
        m
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let s = &self.settings;
        let mut p = match &self.sample {
            Some(id) => vec![("source", "sample".to_string()), ("sample", id.clone())],
            None => vec![("source", "file".to_string())],
        };
        p.push(("window", format!("{}", s.window_seconds)));
        p.push(("repeat", s.repeat_threshold.to_string()));
        p.push(("repeated", s.repeated_inputs_threshold.to_string()));
        p.push(("diversity", format!("{}", s.diversity_threshold)));
        p.push(("min_total", s.min_total.to_string()));
        p.push(("block", format!("{}", s.block_risk)));
        p.push(("monitor", format!("{}", s.monitor_risk)));
        p.push(("scope", s.repeat_scope.key().to_string()));
        if let Some(k) = &self.key {
            p.push(("key", k.clone()));
        }
        p
    }
}
