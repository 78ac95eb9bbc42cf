//! A query log followed as it arrives (`mia monitor --follow`): each line is one query, pushed
//! through the seed design's detector ([`Detector`]) at once and answered with the key's action
//! and risk after it, as an API gateway asks before it serves the query. A line that cannot be
//! read is counted and its reason kept; the lines after it go on ([`LogLine::Skipped`]).
//!
//! The header line (the stream's first line that is not blank, or the columns given) names the
//! columns as in a log file ([`read_query_log`](super::read_query_log)): `api_key`,
//! `input_hash` or `input` (hashed with SHA-256), `timestamp`; the delimiter is sniffed from it.
//! Lines are numbered from 1 as they arrive, the header and blank lines included, so an error's
//! row is the line's number in the stream.
//!
//! Unlike a replay, the stream is not sorted: a query stamped before its key's latest is taken
//! at that latest time ([`KeyWindow::push`](super::KeyWindow::push)). The metrics
//! ([`LiveMonitor::metrics`]) are each key's figures after its latest query, except that a key
//! idle for a whole window of the stream's clock reads 0 ([`Detector::expire_idle`]): a gauge
//! shows the key as it is now, so an alert ends once the probing has stopped for a window.

use serde::Serialize;

use super::assessment::{Action, Assessment};
use super::detector::Detector;
use super::error::MonitorError;
use super::exposition::exposition;
use super::input_ids::hex;
use super::log::InputColumn;
use super::log_line::LineFields;
use super::log_rows::{hash_text, key_text, raw_row, Columns, RowInput};
use super::settings::CheckedSettings;
use crate::ingest::csv::format::{sniff_delimiter, strip_bom};

/// Queries between two sweeps of idle keys ([`Detector::expire_idle`]), so memory stays bounded
/// by the windows' queries however many keys come and go.
const EXPIRE_EVERY: u64 = 1 << 16;

/// The answer to one query: what `mia monitor --follow` prints, one JSON object per line.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Decision<'a> {
    /// The line's number in the stream.
    pub row: u64,
    pub api_key: &'a str,
    pub action: Action,
    pub risk: f64,
}

/// What one line of the stream was.
#[derive(Debug)]
pub enum LogLine<'a> {
    /// A blank line, skipped and not counted.
    Blank,
    /// A query, and the key's decision after it.
    Query(Decision<'a>, Assessment),
    /// A line that could not be read (counted in [`LiveMonitor::skipped`]); the stream goes on.
    Skipped(MonitorError),
}

/// A followed query log: its columns, the detector, and what was read so far.
#[derive(Debug, Clone)]
pub struct LiveMonitor {
    columns: Columns,
    delimiter: u8,
    fields: LineFields,
    detector: Detector,
    hex: String,
    key: String,
    queries: u64,
    skipped: u64,
    first_skipped: Option<MonitorError>,
}

impl LiveMonitor {
    /// Starts from the header line (its columns named as in a log file; a byte-order mark and a
    /// line end are allowed).
    ///
    /// # Examples
    /// ```
    /// use mia_engine::monitor::follow::{LiveMonitor, LogLine};
    /// use mia_engine::monitor::{Action, CheckedSettings};
    /// let mut live = LiveMonitor::new(CheckedSettings::default(), b"api_key,input_hash,timestamp\n").unwrap();
    /// let LogLine::Query(d, _) = live.line(2, b"k1,h1,1709294400") else { panic!() };
    /// assert_eq!((d.api_key, d.action, d.risk), ("k1", Action::Allow, 0.0));
    /// let LogLine::Skipped(e) = live.line(3, b"k1,h1,soon") else { panic!() };
    /// assert!(e.to_string().starts_with("row 3, column `timestamp`"));
    /// assert_eq!((live.queries(), live.skipped()), (1, 1));
    /// assert!(LiveMonitor::new(CheckedSettings::default(), b"key,hash,time").is_err());
    /// ```
    pub fn new(settings: CheckedSettings, header: &[u8]) -> Result<Self, MonitorError> {
        let (header, _) = strip_bom(header);
        let header = header.strip_suffix(b"\n").unwrap_or(header);
        let delimiter = sniff_delimiter(header);
        let mut fields = LineFields::default();
        fields
            .split(header, delimiter)
            .map_err(|reason| malformed(1, reason))?;
        let columns = Columns::find(&fields.texts())?;
        Ok(LiveMonitor {
            columns,
            delimiter,
            fields,
            detector: Detector::new(settings),
            hex: String::new(),
            key: String::new(),
            queries: 0,
            skipped: 0,
            first_skipped: None,
        })
    }

    /// Reads line `row` of the stream (without its line end) and, if it is a query, pushes it
    /// through the detector.
    pub fn line(&mut self, row: u64, line: &[u8]) -> LogLine<'_> {
        if line.iter().all(u8::is_ascii_whitespace) {
            return LogLine::Blank;
        }
        match self.query(row, line) {
            Ok(a) => {
                self.queries += 1;
                if self.queries.is_multiple_of(EXPIRE_EVERY) {
                    self.detector.expire_idle();
                }
                LogLine::Query(
                    Decision {
                        row,
                        api_key: &self.key,
                        action: a.action,
                        risk: a.risk,
                    },
                    a,
                )
            }
            Err(e) => {
                self.count_skipped(&e);
                LogLine::Skipped(e)
            }
        }
    }

    /// Counts line `row` as skipped for `reason`: a line the caller could not hand over (such
    /// as one too long to keep). Returns the error said.
    pub fn skip(&mut self, row: u64, reason: &str) -> MonitorError {
        let e = malformed(row, reason);
        self.count_skipped(&e);
        e
    }

    fn count_skipped(&mut self, e: &MonitorError) {
        self.skipped += 1;
        if self.first_skipped.is_none() {
            self.first_skipped = Some(e.clone());
        }
    }

    /// Reads and pushes one line; its key is left in `self.key`.
    fn query(&mut self, row: u64, line: &[u8]) -> Result<Assessment, MonitorError> {
        self.fields
            .split(line, self.delimiter)
            .map_err(|reason| malformed(row, reason))?;
        let (found, needed) = (self.fields.len(), self.columns.needed());
        if found < needed {
            return Err(malformed(
                row,
                &format!("has {found} fields where the header's columns need {needed}"),
            ));
        }
        let fields = &self.fields;
        let r = raw_row(row, &self.columns, |i| fields.field(i))?;
        let input = match r.input {
            RowInput::Hash(h) => hash_text(row, h)?,
            RowInput::Digest(d) => {
                self.hex = hex(&d);
                &self.hex
            }
        };
        let key = key_text(row, r.api_key)?;
        self.key.clear();
        self.key.push_str(key);
        Ok(self.detector.push(key, input, r.time))
    }

    /// The metrics in Prometheus' text format: each key's (after its latest query; 0 for a key
    /// idle for a whole window) and the stream's own, `mia_monitor_queries_total` and
    /// `mia_monitor_skipped_lines_total`.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::monitor::follow::LiveMonitor;
    /// use mia_engine::monitor::CheckedSettings;
    /// let mut live = LiveMonitor::new(CheckedSettings::default(), b"api_key,input,timestamp").unwrap();
    /// live.line(2, b"k1,hello,1709294400");
    /// live.line(3, b"k1");
    /// let text = live.metrics();
    /// assert!(text.contains("inference_requests_total{api_key=\"k1\"} 1\n"));
    /// assert!(text.contains("mia_monitor_skipped_lines_total 1\n"));
    /// ```
    pub fn metrics(&mut self) -> String {
        self.detector.expire_idle();
        let mut text = exposition(&self.detector.metrics(), self.detector.settings());
        for (name, help, value) in [
            (
                "mia_monitor_queries_total",
                "Queries read from the stream.",
                self.queries,
            ),
            (
                "mia_monitor_skipped_lines_total",
                "Lines of the stream that could not be read as a query and were skipped.",
                self.skipped,
            ),
        ] {
            text.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n"
            ));
        }
        text
    }

    /// Queries read.
    pub fn queries(&self) -> u64 {
        self.queries
    }

    /// Lines skipped.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Why the first skipped line was skipped.
    pub fn first_skipped(&self) -> Option<&MonitorError> {
        self.first_skipped.as_ref()
    }

    /// Which column holds the inputs.
    pub fn input_column(&self) -> InputColumn {
        self.columns.input_column
    }

    /// The detector.
    pub fn detector(&self) -> &Detector {
        &self.detector
    }
}

/// A line that is not one query's fields.
fn malformed(row: u64, reason: &str) -> MonitorError {
    MonitorError::Line {
        row,
        reason: reason.to_string(),
    }
}
