//! Reading a query log: a CSV with the columns `api_key`, `input_hash` (or `input`, whose SHA-256
//! is then taken as its hash, in hex) and `timestamp` (Unix seconds or ISO 8601 with a zone;
//! [`parse_timestamp`](super::parse_timestamp)). Other columns are ignored; header names are matched in any case. With
//! both `input_hash` and `input`, `input_hash` is used.
//!
//! The audit's streaming reader does the CSV ([`CsvStart`]: byte-order mark, delimiter sniffing,
//! quoted fields; [`RecordReader`](crate::ingest::csv::records::RecordReader)), so a log is read from any `io::Read`: a file in memory, the
//! page's worker reading an upload in slices, or standard input as lines arrive.
//! [`QueryLogRead::step`] reads a bounded number of rows, so a caller can report progress and stop
//! between steps; [`QueryLogRead::next_query`] hands out one row at a time without keeping it (for
//! a stream).
//!
//! Each distinct key and input is checked (UTF-8, a key not blank) and stored once; a row
//! refers to them by number, so a log of a million rows holds 16 bytes per row beside its
//! distinct keys and inputs.
//!
//! Rows are numbered as records, the header being row 1 (blank lines are skipped and not
//! counted). The first bad row stops the read with an error naming its row and column; a stream
//! reader may go on with the next row after it. The queries are kept in time order, sorted
//! stably (rows with equal times keep their order in the file), so a log whose rows are out of
//! order replays as the seed would have seen them arrive.

use std::cmp::Ordering;
use std::io::Read;

use super::error::MonitorError;
use super::fast_hash::FxHashMap;
use super::input_ids::{hex, next_id, InputIds, InputKey, Names};
use super::log_rows::{hash_text, key_text, Columns, LogRows, RowInput};
use crate::ingest::csv::records::RecordReader;
use crate::ingest::reader::CsvStart;
use crate::IngestError;

/// Which column holds the query's input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputColumn {
    /// `input_hash`, used as it is.
    InputHash,
    /// `input`, hashed with SHA-256 (64 lower-case hex digits).
    Input,
}

/// One query of a log: ids into [`QueryLog::keys`] and [`QueryLog::inputs`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Query {
    /// Unix seconds.
    pub time: f64,
    pub key: u32,
    pub input: u32,
}

/// A query log read whole, its keys and input hashes numbered, its queries in time order.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryLog {
    /// API keys by id, in the order of their first row.
    pub keys: Vec<String>,
    /// Input hashes by id, in the order of their first row.
    pub inputs: Names,
    /// The queries sorted by time, stably.
    pub queries: Vec<Query>,
    /// Rows whose time is before the previous row's.
    pub out_of_order: u64,
    pub input_column: InputColumn,
}

/// One row of a log, borrowed from the reader until its next row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogQuery<'a> {
    pub row: u64,
    pub api_key: &'a str,
    /// The `input_hash` cell, or the SHA-256 of the `input` cell in hex.
    pub input_hash: &'a str,
    pub time: f64,
}

/// The CSV reader's errors, with an empty file said in a query log's words.
fn csv_error(e: IngestError) -> MonitorError {
    match e {
        IngestError::Empty => MonitorError::Empty,
        e => MonitorError::Csv(e),
    }
}

/// A query log being read: [`start`](Self::start), then [`step`](Self::step) until it returns
/// `true`, then [`finish`](Self::finish); or [`next_query`](Self::next_query) row by row.
pub struct QueryLogRead<R: Read> {
    rows: LogRows<R>,
    key_ids: FxHashMap<Box<[u8]>, u32>,
    input_ids: InputIds,
    queries: Vec<Query>,
    out_of_order: u64,
    /// Rows read and not yet numbered: (time, key id, input key, row).
    batch: Vec<(f64, u32, InputKey, u64)>,
    /// The current row's digest in hex ([`next_query`](Self::next_query) of an `input` column).
    hex: String,
}

/// Rows whose inputs are looked up together.
const BATCH: usize = 32;

/// Rows read before the queries are sized for the rest of the input.
const RESERVE_AFTER_ROWS: usize = 1000;

/// Reads a whole query log held in memory.
///
/// # Examples
/// ```
/// let csv = b"api_key,input_hash,timestamp\nk1,h1,20\nk2,h2,2024-03-01T12:00:00Z\nk1,h1,10\n";
/// let log = mia_engine::monitor::read_query_log(csv).unwrap();
/// assert_eq!(log.keys, ["k1", "k2"]);
/// assert_eq!(log.queries.iter().map(|q| q.time).collect::<Vec<_>>(), [10.0, 20.0, 1709294400.0]);
/// assert_eq!(log.out_of_order, 1);
/// let bad = mia_engine::monitor::read_query_log(b"api_key,input_hash,timestamp\nk1,h1,soon\n");
/// assert!(bad.unwrap_err().to_string().starts_with("row 2, column `timestamp`: `soon` is neither"));
/// ```
///
/// Natively, a large log without quotes is read in parts on every core
/// ([`log_parts`](super::log_parts)): the same log.
pub fn read_query_log(bytes: &[u8]) -> Result<QueryLog, MonitorError> {
    let start = CsvStart::bytes(bytes).map_err(csv_error)?;
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(read) = super::log_parts::read_in_parts(bytes, &start, super::log_parts::cores()) {
        return read.finish();
    }
    let mut read = QueryLogRead::start(start)?;
    while !read.step(usize::MAX)? {}
    read.finish()
}

impl<R: Read> QueryLogRead<std::io::Chain<std::io::Cursor<Vec<u8>>, R>> {
    /// Starts reading a stream (standard input, an upload read in slices): `head` is its first
    /// bytes (the header line at least, or all there is), `rest` the bytes after them and
    /// `total_bytes` the whole size (for progress).
    pub fn start_stream(head: Vec<u8>, rest: R, total_bytes: u64) -> Result<Self, MonitorError> {
        QueryLogRead::start(CsvStart::stream(head, rest, total_bytes).map_err(csv_error)?)
    }
}

impl<R: Read> QueryLogRead<R> {
    /// Finds the columns in the header that `start` read.
    pub fn start(start: CsvStart<R>) -> Result<Self, MonitorError> {
        let columns = Columns::find(&start.headers)?;
        Ok(QueryLogRead::of_records(
            start.records,
            start.total_bytes,
            columns,
        ))
    }

    /// Reads the rows of `records` (`total_bytes` long), whose header named `columns`.
    pub(super) fn of_records(records: RecordReader<R>, total_bytes: u64, columns: Columns) -> Self {
        QueryLogRead {
            rows: LogRows::new(records, total_bytes, columns),
            key_ids: FxHashMap::default(),
            input_ids: InputIds::default(),
            queries: Vec::new(),
            out_of_order: 0,
            batch: Vec::with_capacity(BATCH),
            hex: String::new(),
        }
    }

    /// Which column holds the inputs.
    pub fn input_column(&self) -> InputColumn {
        self.rows.columns.input_column
    }

    /// The next row, `None` at the end of the input, without keeping it (for a stream). After
    /// an error about a row, the next call goes on with the row after it.
    pub fn next_query(&mut self) -> Result<Option<LogQuery<'_>>, MonitorError> {
        let Some(r) = self.rows.next_row()? else {
            return Ok(None);
        };
        let input_hash = match r.input {
            RowInput::Hash(h) => hash_text(r.row, h)?,
            RowInput::Digest(d) => {
                self.hex = hex(&d);
                &self.hex
            }
        };
        Ok(Some(LogQuery {
            row: r.row,
            api_key: key_text(r.row, r.api_key)?,
            input_hash,
            time: r.time,
        }))
    }

    /// Reads up to `max_rows` rows; `true` once the input is exhausted.
    pub fn step(&mut self, max_rows: usize) -> Result<bool, MonitorError> {
        for _ in 0..max_rows {
            let read = self.read_row();
            if !matches!(read, Ok(true)) || self.batch.len() == BATCH {
                self.number_batch()?;
            }
            if !read? {
                return Ok(true);
            }
        }
        self.number_batch()?;
        Ok(false)
    }

    /// Reads one row into the batch; `false` at the end of the input.
    #[inline]
    fn read_row(&mut self) -> Result<bool, MonitorError> {
        let Some(r) = self.rows.next_row()? else {
            return Ok(false);
        };
        let key = match self.key_ids.get(r.api_key) {
            Some(&id) => id,
            None => new_key(&mut self.key_ids, key_text(r.row, r.api_key)?, r.row)?,
        };
        let input = match r.input {
            RowInput::Hash(h) => InputKey::of(h, r.row)?,
            RowInput::Digest(d) => InputKey::of_digest(&d),
        };
        self.batch.push((r.time, key, input, r.row));
        Ok(true)
    }

    /// Numbers the batch's inputs and appends its queries.
    fn number_batch(&mut self) -> Result<(), MonitorError> {
        let touched = self
            .batch
            .iter()
            .fold(0u64, |t, (_, _, input, _)| t ^ self.input_ids.touch(input));
        std::hint::black_box(touched);
        for (time, key, input, row) in self.batch.drain(..) {
            let input = self.input_ids.id(&input, row)?;
            if self.queries.last().is_some_and(|last| time < last.time) {
                self.out_of_order += 1;
            }
            if self.queries.len() == RESERVE_AFTER_ROWS {
                let done = self.rows.fraction_done().max(1e-9);
                let expected = (RESERVE_AFTER_ROWS as f64 / done * 1.05) as usize;
                self.queries
                    .reserve(expected.saturating_sub(RESERVE_AFTER_ROWS));
            }
            self.queries.push(Query { time, key, input });
        }
        Ok(())
    }

    /// Fraction of the input read so far, in `[0, 1]`.
    pub fn fraction_done(&self) -> f64 {
        self.rows.fraction_done()
    }

    /// Queries read so far.
    pub fn n_queries(&self) -> usize {
        self.queries.len()
    }

    /// The log, its queries sorted by time (stably).
    pub fn finish(self) -> Result<QueryLog, MonitorError> {
        self.into_rows().finish()
    }

    /// The rows read, in the order read.
    pub(super) fn into_rows(self) -> LogRead {
        LogRead {
            key_ids: self.key_ids,
            input_ids: self.input_ids,
            queries: self.queries,
            out_of_order: self.out_of_order,
            input_column: self.rows.columns.input_column,
        }
    }
}

/// A log's rows read, keys and inputs numbered, the queries in the order read.
pub(super) struct LogRead {
    pub key_ids: FxHashMap<Box<[u8]>, u32>,
    pub input_ids: InputIds,
    pub queries: Vec<Query>,
    /// Rows whose time is before the previous row's.
    pub out_of_order: u64,
    pub input_column: InputColumn,
}

impl LogRead {
    /// The log, its queries sorted by time (stably).
    pub(super) fn finish(mut self) -> Result<QueryLog, MonitorError> {
        if self.queries.is_empty() {
            return Err(MonitorError::NoQueries);
        }
        if self.out_of_order > 0 {
            sort_by_time(&mut self.queries);
        }
        Ok(QueryLog {
            keys: key_names(self.key_ids),
            inputs: self.input_ids.into_names(),
            queries: self.queries,
            out_of_order: self.out_of_order,
            input_column: self.input_column,
        })
    }
}

/// Sorts queries by time, stably, with -0 equal to 0 (as Python's sort compares them). Logs
/// merged from several servers are out of order only locally: each late query is moved back to
/// its place (after the queries of equal time), which costs the distance it moves; past a budget
/// of 8 moves per query the rest is left to the standard library's merge sort.
fn sort_by_time(queries: &mut [Query]) {
    let budget = queries.len().saturating_mul(8);
    let mut moved = 0usize;
    for i in 1..queries.len() {
        let q = queries[i];
        let mut j = i;
        while j > 0 && q.time < queries[j - 1].time {
            j -= 1;
        }
        moved += i - j;
        if moved > budget {
            queries.sort_by(|a, b| a.time.partial_cmp(&b.time).unwrap_or(Ordering::Equal));
            return;
        }
        queries.copy_within(j..i, j + 1);
        queries[j] = q;
    }
}

/// Numbers a new API key (checked as text); an error past 2³² − 1 keys.
pub(super) fn new_key(
    ids: &mut FxHashMap<Box<[u8]>, u32>,
    name: &str,
    row: u64,
) -> Result<u32, MonitorError> {
    let id = next_id(ids.len(), row, "API keys")?;
    ids.insert(name.as_bytes().into(), id);
    Ok(id)
}

/// The API keys by id (each was checked as UTF-8 when numbered).
fn key_names(ids: FxHashMap<Box<[u8]>, u32>) -> Vec<String> {
    key_bytes(ids)
        .into_iter()
        .map(|name| String::from_utf8(name.into_vec()).unwrap_or_default())
        .collect()
}

/// The API keys by id, as bytes.
pub(super) fn key_bytes(ids: FxHashMap<Box<[u8]>, u32>) -> Vec<Box<[u8]>> {
    let mut names = vec![Box::default(); ids.len()];
    for (name, id) in ids {
        names[id as usize] = name;
    }
    names
}

impl QueryLogRead<crate::ingest::byte_stream::ByteStream> {
    /// [`step`](Self::step) on the page's input, compiled in this crate at full optimisation
    /// (see [`byte_stream`](crate::ingest::byte_stream)).
    #[inline(never)]
    pub fn step_stream(&mut self, max_rows: usize) -> Result<bool, MonitorError> {
        self.step(max_rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_draw::Draw;

    #[test]
    fn sorting_by_time_is_stable_near_sorted_or_not() {
        let mut draw = Draw(3);
        let mut next = |n: u64| draw.below(n as usize) as u64;
        for case in 0..40 {
            let n = 1 + next(3000) as usize;
            let mut queries: Vec<Query> = (0..n)
                .map(|i| Query {
                    time: (i / 3) as f64,
                    key: 0,
                    input: i as u32,
                })
                .collect();
            match case % 3 {
                0 => queries.reverse(),
                1 => {
                    for _ in 0..n / 10 {
                        let i = next(n as u64) as usize;
                        let j = (i + 1 + next(40) as usize).min(n - 1);
                        queries.swap(i, j);
                    }
                }
                _ => queries.iter_mut().for_each(|q| q.time = next(50) as f64),
            }
            queries[0].time = -0.0;
            let mut want = queries.clone();
            want.sort_by(|a, b| a.time.partial_cmp(&b.time).unwrap_or(Ordering::Equal));
            sort_by_time(&mut queries);
            assert_eq!(queries, want, "case {case}");
        }
    }
}
