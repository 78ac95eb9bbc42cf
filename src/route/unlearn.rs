//! The unlearning view's query: where the outputs come from (`source=sample&sample=…`, or
//! `source=file`) and the ROC's axes.

use crate::samples::{DEFAULT_UNLEARN_SAMPLE, UNLEARN_SAMPLES};

/// The view's controls.
#[derive(Debug, Clone, PartialEq)]
pub struct UnlearnQuery {
    /// A bundled sample (`None`: the files the user picks).
    pub sample: Option<String>,
    pub log_roc: bool,
}

impl Default for UnlearnQuery {
    fn default() -> Self {
        UnlearnQuery {
            sample: Some(DEFAULT_UNLEARN_SAMPLE.into()),
            log_roc: true,
        }
    }
}

impl super::ViewQuery for UnlearnQuery {
    fn parse(q: &super::Query, ignored: &mut Vec<String>) -> Self {
        let mut u = UnlearnQuery::default();
        match q.get("source") {
            Some("file") => u.sample = None,
            Some("sample") | None => {}
            Some(other) => ignored.push(format!("source={other} (use sample or file)")),
        }
        if let (Some(s), Some(_)) = (q.get("sample"), &u.sample) {
            if UNLEARN_SAMPLES.iter().any(|x| x.id == s) {
                u.sample = Some(s.to_string());
            } else {
                ignored.push(format!("sample={s} (no such bundled sample)"));
            }
        }
        u.log_roc = q.get("roc") != Some("linear");
        u
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut p = match &self.sample {
            Some(s) => vec![("source", "sample".to_string()), ("sample", s.clone())],
            None => vec![("source", "file".to_string())],
        };
        p.push(("roc", if self.log_roc { "log" } else { "linear" }.into()));
        p
    }
}
