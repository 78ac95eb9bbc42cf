//! The Text view's query: where the text comes from (`source=sample&sample=…`, or `source=file`
//! / `source=paste`), the audit's settings (`prefixes`, `span`, `k`), the pairs table's sort and
//! the ROC's axes.

use mia_engine::text::pair_metrics::PairMetric;
use mia_engine::text::settings::{parse_prefix_lengths, TextSettings};

use super::{Query, ViewQuery};
use crate::samples::{DEFAULT_TEXT_SAMPLE, TEXT_SAMPLES};

/// The view's controls.
#[derive(Debug, Clone, PartialEq)]
pub struct TextQuery {
    /// A bundled sample (`None`: a picked file or pasted text).
    pub sample: Option<String>,
    pub settings: TextSettings,
    /// The pairs table's order (descending).
    pub sort: PairMetric,
    pub log_roc: bool,
}

impl Default for TextQuery {
    fn default() -> Self {
        TextQuery {
            sample: Some(DEFAULT_TEXT_SAMPLE.into()),
            settings: TextSettings::default(),
            sort: PairMetric::Ngram5Overlap,
            log_roc: true,
        }
    }
}

impl ViewQuery for TextQuery {
    fn parse(q: &Query, ignored: &mut Vec<String>) -> Self {
        let mut t = TextQuery::default();
        match q.get("source") {
            Some("file" | "paste") => t.sample = None,
            Some("sample") | None => {}
            Some(other) => ignored.push(format!("source={other} (use sample, file or paste)")),
        }
        if let (Some(s), Some(_)) = (q.get("sample"), &t.sample) {
            if TEXT_SAMPLES.iter().any(|x| x.id == s) {
                t.sample = Some(s.to_string());
            } else {
                ignored.push(format!("sample={s} (no such bundled sample)"));
            }
        }
        let mut candidate = t.settings.clone();
        if let Some(p) = q.get("prefixes") {
            match parse_prefix_lengths(p) {
                Ok(v) => candidate.prefix_lengths = v,
                Err(e) => ignored.push(format!("prefixes={p} ({e})")),
            }
        }
        if let Some(s) = q.get("span") {
            match s.parse::<usize>() {
                Ok(v) => candidate.extracted_span = v,
                Err(_) => ignored.push(format!("span={s} (a whole number of characters)")),
            }
        }
        if let Some(k) = q.get("k") {
            match k.parse::<f64>() {
                Ok(v) => candidate.k = v,
                Err(_) => ignored.push(format!("k={k} (a share such as 0.2)")),
            }
        }
        match candidate.check() {
            Ok(()) => t.settings = candidate,
            Err(e) => ignored.push(format!("the text settings ({e})")),
        }
        if let Some(s) = q.get("sort") {
            match PairMetric::from_key(s) {
                Some(m) => t.sort = m,
                None => ignored.push(format!(
                    "sort={s} (use {})",
                    PairMetric::ALL.map(|m| m.key()).join(", ")
                )),
            }
        }
        t.log_roc = q.get("roc") != Some("linear");
        t
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut p = match &self.sample {
            Some(s) => vec![("source", "sample".to_string()), ("sample", s.clone())],
            None => vec![("source", "file".to_string())],
        };
        let lengths: Vec<String> = self
            .settings
            .prefix_lengths
            .iter()
            .map(|l| l.to_string())
            .collect();
        p.push(("prefixes", lengths.join(",")));
        p.push(("span", self.settings.extracted_span.to_string()));
        p.push(("k", format!("{}", self.settings.k)));
        p.push(("sort", self.sort.key().to_string()));
        p.push(("roc", if self.log_roc { "log" } else { "linear" }.into()));
        p
    }
}
