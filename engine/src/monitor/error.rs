//! What can stop the query-log monitor: settings outside the detector's domain (refused once by
//! [`DetectorSettings::check`](super::DetectorSettings::check) or
//! [`RuleSettings::check`](super::RuleSettings::check), for the CLI and the page alike), or a log
//! the detector cannot replay. Every message names the row and column it is about and says what
//! to do; the caller (the CLI) puts the file's name in front.

use serde::{Deserialize, Serialize};

use crate::IngestError;

/// A detector setting outside its domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    /// The sliding window must be a positive, finite number of seconds.
    #[error("window = {value} s: give a positive number of seconds (3600 is one hour).")]
    Window { value: String },
    /// A share (diversity, risk level) must lie in `[0, 1]`.
    #[error("{name} = {value}: give a number from 0 to 1.")]
    Share { name: String, value: String },
    /// The monitor level must not be above the block level.
    #[error(
        "monitor risk {monitor} is above block risk {block}: give a monitor level at most the block level."
    )]
    RiskOrder { monitor: String, block: String },
}

/// An alert-rule setting Prometheus would refuse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum RuleSettingsError {
    /// The rule group's evaluation interval must be at least one second.
    #[error("the rule group's interval must be at least 1 second.")]
    Interval,
    /// A severity must be a non-empty label value without control characters.
    #[error("{rule}: severity `{severity}`: give a word such as warning or critical.")]
    Severity { rule: String, severity: String },
    /// A rule's `for` or severity list could not be read.
    #[error("{0}")]
    Parse(String),
}

/// Why a query log cannot be replayed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum MonitorError {
    /// The settings were refused.
    #[error("{0}")]
    Settings(#[from] SettingsError),
    /// The file has nothing in it.
    #[error(
        "the log is empty: give a CSV with a header (api_key, input_hash or input, timestamp) and \
         one row per query."
    )]
    Empty,
    /// The file is too large or unreadable, or its CSV structure is broken.
    #[error("{0}")]
    Csv(#[from] IngestError),
    /// A column the detector needs is not in the header.
    #[error(
        "row 1 (the header): no `{column}` column among {found}. A query log needs the columns \
         api_key, input_hash (or input, which is then hashed with SHA-256) and timestamp."
    )]
    MissingColumn { column: String, found: String },
    /// A row without an API key.
    #[error(
        "row {row}, column `api_key`: the key is empty. Give every query the API key that sent it."
    )]
    EmptyKey { row: u64 },
    /// A row with an empty `input_hash`.
    #[error(
        "row {row}, column `input_hash`: the hash is empty. Give every query the hash of its input \
         (or an `input` column, which is hashed with SHA-256)."
    )]
    EmptyInputHash { row: u64 },
    /// A cell that is not UTF-8 text.
    #[error("row {row}, column `{column}`: the bytes are not UTF-8; save the log as UTF-8.")]
    NotUtf8 { row: u64, column: String },
    /// A timestamp that is neither Unix seconds nor ISO 8601 with a zone.
    #[error(
        "row {row}, column `timestamp`: `{value}` {reason}. Give Unix seconds (1709294400 or \
         1709294400.25) or ISO 8601 with a zone (2024-03-01T12:00:00Z, 2024-03-01T13:00:00+01:00)."
    )]
    Timestamp {
        row: u64,
        value: String,
        reason: String,
    },
    /// A line of a followed stream that is not one query's fields.
    #[error(
        "row {row}: the line {reason}; each line is one query, its fields in the header's order."
    )]
    Line { row: u64, reason: String },
    /// A header and no queries.
    #[error("the log has a header and no queries: add one row per query.")]
    NoQueries,
    /// More distinct keys or inputs than the detector numbers (2³² − 1).
    #[error("row {row}: more than 4294967295 distinct {what}; split the log.")]
    TooMany { row: u64, what: String },
}
