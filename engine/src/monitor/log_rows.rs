//! The rows of a query log, one at a time, checked: the columns found in the header, each row's
//! time read, its key and input hash (or the SHA-256 of its input) handed out as bytes. UTF-8 is
//! checked by the caller, once per distinct key or input ([`QueryLogRead`](super::QueryLogRead))
//! or once per row ([`QueryLogRead::next_query`](super::QueryLogRead::next_query)).

use std::io::Read;

use sha2::{Digest, Sha256};

use super::error::MonitorError;
use super::log::InputColumn;
use super::timestamp::parse_timestamp_bytes;
use crate::ingest::csv::records::RecordReader;
use crate::IngestError;

/// The columns' positions.
#[derive(Debug, Clone, Copy)]
pub(super) struct Columns {
    api_key: usize,
    input: usize,
    pub(super) input_column: InputColumn,
    timestamp: usize,
}

impl Columns {
    /// The columns of `headers` (names matched in any case), or the one that is missing.
    pub(super) fn find(headers: &[String]) -> Result<Columns, MonitorError> {
        let find = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
        let missing = |column: &str| MonitorError::MissingColumn {
            column: column.to_string(),
            found: match headers.iter().filter(|h| !h.is_empty()).count() {
                0 => "no named columns".to_string(),
                _ => headers
                    .iter()
                    .map(|h| format!("`{h}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            },
        };
        let api_key = find("api_key").ok_or_else(|| missing("api_key"))?;
        let (input, input_column) = match (find("input_hash"), find("input")) {
            (Some(i), _) => (i, InputColumn::InputHash),
            (None, Some(i)) => (i, InputColumn::Input),
            (None, None) => return Err(missing("input_hash")),
        };
        let timestamp = find("timestamp").ok_or_else(|| missing("timestamp"))?;
        Ok(Columns {
            api_key,
            input,
            input_column,
            timestamp,
        })
    }

    /// Fields a row needs: one past the last of the columns read.
    pub(super) fn needed(&self) -> usize {
        self.api_key.max(self.input).max(self.timestamp) + 1
    }
}

/// A row's input: its hash as written, or the SHA-256 of its `input` cell.
#[derive(Debug, Clone, Copy)]
pub(super) enum RowInput<'a> {
    /// The `input_hash` cell (not empty).
    Hash(&'a [u8]),
    Digest([u8; 32]),
}

/// One row, its text not yet checked as UTF-8.
#[derive(Debug, Clone, Copy)]
pub(super) struct RawRow<'a> {
    pub row: u64,
    pub api_key: &'a [u8],
    pub input: RowInput<'a>,
    pub time: f64,
}

/// The rows of a log, one at a time, not kept.
pub(super) struct LogRows<R: Read> {
    pub records: RecordReader<R>,
    pub total_bytes: u64,
    pub columns: Columns,
    /// The last row read.
    pub row: u64,
}

impl<R: Read> LogRows<R> {
    pub fn new(records: RecordReader<R>, total_bytes: u64, columns: Columns) -> Self {
        LogRows {
            records,
            total_bytes,
            columns,
            row: 1,
        }
    }

    /// The next row, `None` at the end of the input; an error names the row, and the next call
    /// goes on after it.
    #[inline]
    pub fn next_row(&mut self) -> Result<Option<RawRow<'_>>, MonitorError> {
        let more = self.records.next_record().map_err(|e| {
            MonitorError::Csv(IngestError::Malformed {
                row: self.row + 1,
                message: format!("the log could not be read: {e}"),
            })
        })?;
        if !more {
            return Ok(None);
        }
        self.row += 1;
        let records = &self.records;
        raw_row(self.row, &self.columns, |i| records.field(i)).map(Some)
    }

    /// Fraction of the input read so far, in `[0, 1]`.
    pub fn fraction_done(&self) -> f64 {
        if self.total_bytes == 0 {
            return 1.0;
        }
        (self.records.position() as f64 / self.total_bytes as f64).min(1.0)
    }
}

/// One row from its fields (`field(i)` is the row's `i`-th cell, empty past the last), checked:
/// its time read, its input hash taken (or its input's SHA-256); an error names the row and column.
#[inline]
pub(super) fn raw_row<'a>(
    row: u64,
    c: &Columns,
    field: impl Fn(usize) -> &'a [u8],
) -> Result<RawRow<'a>, MonitorError> {
    let stamp = field(c.timestamp);
    let time = parse_timestamp_bytes(stamp).map_err(|reason| MonitorError::Timestamp {
        row,
        value: String::from_utf8_lossy(stamp).chars().take(80).collect(),
        reason: reason.to_string(),
    })?;
    let cell = field(c.input);
    let input = match c.input_column {
        InputColumn::InputHash if cell.is_empty() => {
            return Err(MonitorError::EmptyInputHash { row });
        }
        InputColumn::InputHash => RowInput::Hash(cell),
        InputColumn::Input => RowInput::Digest(Sha256::digest(cell).into()),
    };
    Ok(RawRow {
        row,
        api_key: field(c.api_key),
        input,
        time,
    })
}

/// The key of a row as text, or why not: not UTF-8, or nothing but spaces.
pub(super) fn key_text(row: u64, key: &[u8]) -> Result<&str, MonitorError> {
    let text = std::str::from_utf8(key).map_err(|_| MonitorError::NotUtf8 {
        row,
        column: "api_key".to_string(),
    })?;
    if text.trim().is_empty() {
        return Err(MonitorError::EmptyKey { row });
    }
    Ok(text)
}

/// The input hash of a row as text, or the error of a hash that is not UTF-8.
pub(super) fn hash_text(row: u64, hash: &[u8]) -> Result<&str, MonitorError> {
    std::str::from_utf8(hash).map_err(|_| MonitorError::NotUtf8 {
        row,
        column: "input_hash".to_string(),
    })
}
