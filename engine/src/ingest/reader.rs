//! Reading an uploaded CSV into an [`AuditTable`], row by row, so a caller (the web worker) can
//! report progress and stop between steps.
//!
//! Rows with a problem in a column the audit uses are skipped, counted and listed with their row
//! number, column and the reason; nothing is dropped silently.

use std::io::Read;

use crate::ingest::csv::format::{sniff_delimiter, strip_bom};
use crate::ingest::csv::records::RecordReader;
use crate::ingest::report::{IngestReport, Ingested};
use crate::ingest::rows::{CellProblem, TableBuilder};
use crate::table::folded_signals::FoldedSignals;
use crate::{detect_columns, AuditTable, ColumnMapping, IngestError};

/// The largest input accepted (1 GiB): wasm32 has a 4 GiB address space, and the parsed columns
/// need room beside the bytes.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;
/// How many skipped-row problems are kept verbatim (all are counted).
pub const MAX_LISTED_PROBLEMS: usize = 100;
/// A probability row whose sum is further than this from 1 is reported.
pub const PROB_SUM_TOLERANCE: f64 = 1e-3;

/// Rows read before the columns are sized for the rest of the input.
const RESERVE_AFTER_ROWS: u64 = 1000;

/// Refuses inputs over [`MAX_INPUT_BYTES`], before anything is read into memory.
///
/// # Examples
/// ```
/// use mia_engine::ingest::{check_input_size, MAX_INPUT_BYTES};
/// assert!(check_input_size(MAX_INPUT_BYTES).is_ok());
/// let e = check_input_size(3 << 30).unwrap_err();
/// assert!(e.to_string().starts_with("The file is 3221.2 MB; this page can hold at most 1074 MB."));
/// ```
pub fn check_input_size(bytes: u64) -> Result<(), IngestError> {
    if bytes > MAX_INPUT_BYTES {
        return Err(IngestError::TooLarge {
            bytes,
            limit: MAX_INPUT_BYTES,
        });
    }
    Ok(())
}

/// Reads a whole CSV at once. See [`IngestProgress`] for the stepwise form.
///
/// `mapping` overrides the column roles detected from the header.
///
/// # Examples
/// ```
/// let csv = b"id,member,confidence\na,1,0.9\nb,0,0.4\nc,yes,0.8\n";
/// let got = mia_engine::ingest(csv, None).unwrap();
/// assert_eq!(got.table.member, vec![true, false, true]);
/// assert_eq!(got.table.confidence, Some(vec![0.9, 0.4, 0.8]));
/// ```
pub fn ingest(bytes: &[u8], mapping: Option<ColumnMapping>) -> Result<Ingested, IngestError> {
    let mut progress = IngestProgress::start(bytes, mapping)?;
    while !progress.step(usize::MAX)? {}
    progress.finish()
}

/// A CSV being read: [`start`](Self::start), then [`step`](Self::step) until it returns `true`,
/// then [`finish`](Self::finish).
pub struct IngestProgress<R: Read> {
    pub(crate) records: RecordReader<R>,
    total_bytes: u64,
    offset: u64,
    /// Where the first data row starts.
    header_end: u64,
    pub(crate) rows: TableBuilder,
    pub(crate) report: IngestReport,
}

impl<'a> IngestProgress<&'a [u8]> {
    /// Reads the header and decides the column roles.
    pub fn start(bytes: &'a [u8], mapping: Option<ColumnMapping>) -> Result<Self, IngestError> {
        Self::start_with(bytes, mapping, true)
    }

    /// As [`start`](Self::start); with `require_member = false` a file without a member column
    /// is accepted (every record is then flagged non-member and [`finish`](Self::finish) does not
    /// ask for both classes): the target of a shadow-model attack whose membership is unknown.
    pub fn start_with(
        bytes: &'a [u8],
        mapping: Option<ColumnMapping>,
        require_member: bool,
    ) -> Result<Self, IngestError> {
        Self::from_start(CsvStart::bytes(bytes)?, mapping, require_member)
    }
}

impl<R: Read> IngestProgress<std::io::Chain<std::io::Cursor<Vec<u8>>, R>> {
    /// Starts reading a stream: `head` is the input's first bytes (at least its header line, so
    /// the delimiter can be sniffed) and `rest` the bytes after them; `total_bytes` is the whole
    /// input's size, for progress. Only the parsed columns are kept, never the text.
    pub fn start_stream(
        head: Vec<u8>,
        rest: R,
        total_bytes: u64,
        mapping: Option<ColumnMapping>,
        require_member: bool,
    ) -> Result<Self, IngestError> {
        Self::from_start(
            CsvStart::stream(head, rest, total_bytes)?,
            mapping,
            require_member,
        )
    }
}

/// A CSV whose header has been read: the rows come next. Shared by every reader of uploaded
/// tables (the audit's and the reference attack's).
pub struct CsvStart<R: Read> {
    pub records: RecordReader<R>,
    pub headers: Vec<String>,
    pub delimiter: u8,
    pub had_bom: bool,
    /// The body's size (after any byte-order mark), for progress.
    pub total_bytes: u64,
}

impl<'a> CsvStart<&'a [u8]> {
    /// Reads the header of a CSV held in memory.
    pub fn bytes(bytes: &'a [u8]) -> Result<Self, IngestError> {
        check_input_size(bytes.len() as u64)?;
        let (body, had_bom) = strip_bom(bytes);
        if body.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(IngestError::Empty);
        }
        CsvStart::from_reader(body, body, body.len() as u64, had_bom)
    }
}

impl<R: Read> CsvStart<std::io::Chain<std::io::Cursor<Vec<u8>>, R>> {
    /// Reads the header of a stream: `head` is the input's first bytes and `rest` the bytes
    /// after them; `total_bytes` is the whole input's size.
    pub fn stream(mut head: Vec<u8>, mut rest: R, total_bytes: u64) -> Result<Self, IngestError> {
        // The delimiter is sniffed from the whole header line (the first one not empty): read on
        // until it has ended; and a file that is only whitespace so far may be empty, which
        // only its end can tell.
        while head.iter().all(u8::is_ascii_whitespace)
            || !has_line_end_outside_quotes(crate::ingest::csv::format::skip_blank_lines(&head))
        {
            let mut more = vec![0u8; 64 << 10];
            let n = rest.read(&mut more).map_err(|e| IngestError::Malformed {
                row: 1,
                message: format!("the file could not be read: {e}"),
            })?;
            if n == 0 {
                break;
            }
            head.extend_from_slice(&more[..n]);
        }
        let had_bom = head.starts_with(crate::ingest::csv::format::UTF8_BOM);
        if had_bom {
            head.drain(..crate::ingest::csv::format::UTF8_BOM.len());
        }
        let body_bytes = total_bytes.saturating_sub(if had_bom { 3 } else { 0 });
        if head.iter().all(|b| b.is_ascii_whitespace()) && body_bytes <= head.len() as u64 {
            return Err(IngestError::Empty);
        }
        let sniff = head.clone();
        let input = std::io::Cursor::new(head).chain(rest);
        CsvStart::from_reader(&sniff, input, body_bytes, had_bom)
    }
}

/// True once `bytes` hold a line end outside double quotes (a complete header line).
fn has_line_end_outside_quotes(bytes: &[u8]) -> bool {
    let mut in_quotes = false;
    for &b in bytes {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => return true,
            _ => {}
        }
    }
    false
}

impl<R: Read> CsvStart<R> {
    /// Reads the header of `input` (the body after any BOM), sniffing the delimiter from
    /// `sniff` (its first bytes).
    fn from_reader(
        sniff: &[u8],
        input: R,
        total_bytes: u64,
        had_bom: bool,
    ) -> Result<Self, IngestError> {
        let delimiter = sniff_delimiter(sniff);
        let mut records = RecordReader::new(input, delimiter);
        records.next_record().map_err(|e| IngestError::Malformed {
            row: 1,
            message: format!("the file could not be read: {e}"),
        })?;
        let mut headers = Vec::with_capacity(records.len());
        for column in 0..records.len() {
            let s = std::str::from_utf8(records.field(column))
                .map_err(|_| IngestError::HeaderNotUtf8 { column })?;
            headers.push(s.trim().to_string());
        }
        Ok(CsvStart {
            records,
            headers,
            delimiter,
            had_bom,
            total_bytes,
        })
    }
}

impl<R: Read> IngestProgress<R> {
    /// Starts on a CSV whose header has been read, deciding the column roles.
    fn from_start(
        start: CsvStart<R>,
        mapping: Option<ColumnMapping>,
        require_member: bool,
    ) -> Result<Self, IngestError> {
        let CsvStart {
            records,
            headers,
            delimiter,
            had_bom,
            total_bytes,
        } = start;
        let mapping = match mapping {
            Some(m) => {
                m.validate(&headers)?;
                m
            }
            None => {
                let m = detect_columns(&headers);
                m.validate(&headers)?;
                m
            }
        };
        if mapping.member.is_none() && require_member {
            return Err(IngestError::MissingMemberColumn {
                columns: headers,
                delimiter,
            });
        }
        if mapping.confidence.is_none()
            && mapping.loss.is_none()
            && mapping.probs.is_empty()
            && mapping.logits.is_empty()
        {
            return Err(IngestError::NoSignalColumn { columns: headers });
        }
        Ok(Self::reading(
            records,
            total_bytes,
            delimiter,
            had_bom,
            headers,
            mapping,
        ))
    }

    /// A read whose header is behind `records`: the rows come next.
    pub(crate) fn reading(
        records: RecordReader<R>,
        total_bytes: u64,
        delimiter: u8,
        had_bom: bool,
        headers: Vec<String>,
        mapping: ColumnMapping,
    ) -> Self {
        let n_classes = mapping.n_classes();
        let table = AuditTable {
            n_classes,
            source_rows: Default::default(),
            ids: mapping.id.map(|_| Default::default()),
            shadow: mapping.shadow.map(|_| Vec::new()),
            member: Default::default(),
            label: mapping.label.map(|_| Vec::new()),
            confidence: mapping.confidence.map(|_| Vec::new()),
            loss: mapping.loss.map(|_| Vec::new()),
            probs: (!mapping.probs.is_empty()).then(Vec::new),
            logits: (!mapping.logits.is_empty()).then(Vec::new),
            folded: None,
            headers,
            mapping,
        };
        Self {
            offset: records.position(),
            header_end: records.position(),
            records,
            total_bytes,
            rows: TableBuilder::new(table, delimiter),
            report: IngestReport {
                delimiter,
                had_bom,
                ..IngestReport::default()
            },
        }
    }

    /// Fraction of the input read so far, in `[0, 1]`.
    pub fn fraction_done(&self) -> f64 {
        if self.total_bytes == 0 {
            1.0
        } else {
            self.offset as f64 / self.total_bytes as f64
        }
    }

    /// The file's header, as read: for a message about a read that failed after it started
    /// (no valid rows, one class), so the page can offer a column mapping without reading the
    /// header again.
    pub fn headers(&self) -> &[String] {
        &self.rows.table.headers
    }

    /// Data rows read so far.
    pub fn rows_read(&self) -> u64 {
        self.report.n_data_rows
    }

    /// Reads up to `max_rows` more rows. Returns `true` when the input is exhausted.
    pub fn step(&mut self, max_rows: usize) -> Result<bool, IngestError> {
        for _ in 0..max_rows {
            let more = self
                .records
                .next_record()
                .map_err(|e| IngestError::Malformed {
                    row: self.report.n_data_rows + 2,
                    message: format!("the file could not be read: {e}"),
                })?;
            self.offset = self.records.position();
            if !more {
                return Ok(true);
            }
            self.report.n_data_rows += 1;
            if self.report.n_data_rows == RESERVE_AFTER_ROWS {
                self.reserve_for_the_rest();
            }
            let row = self.report.n_data_rows + 1;
            if let Err(p) = self.rows.push_record(&self.records, row) {
                self.skip(row, p);
            }
        }
        Ok(false)
    }

    /// Folds the per-class columns into the signals computed from them as rows are read
    /// ([`FoldedSignals`]): all an audit needs of them, in a fraction of the memory. Call before
    /// the first [`step`](Self::step); the table then has no `probs` or `logits`.
    pub fn fold_class_outputs(mut self) -> Self {
        let t = &mut self.rows.table;
        if t.is_empty() && t.folded.is_none() {
            t.folded = FoldedSignals::for_table(t);
            if t.folded.is_some() {
                t.probs = None;
                t.logits = None;
            }
        }
        self
    }

    /// Sizes the columns for the rows still to come, estimated from the bytes per row so far,
    /// so that they are not grown (and copied) by doubling: at a million rows that copying, and
    /// the fresh memory it touches, cost more than the parsing.
    fn reserve_for_the_rest(&mut self) {
        let rows = self.report.n_data_rows;
        let bytes_per_row = (self.offset.saturating_sub(self.header_end)) as f64 / rows as f64;
        if bytes_per_row <= 0.0 {
            return;
        }
        let left = self.total_bytes.saturating_sub(self.offset) as f64 / bytes_per_row;
        // A little over the estimate: a second growth would double the memory held.
        let additional = (left * 1.02) as usize + 64;
        let t = &mut self.rows.table;
        let kept = t.len().max(1);
        t.member.reserve(additional);
        if let Some(c) = t.ids.as_mut() {
            let per_id = c.text_len().div_ceil(kept);
            c.reserve(additional, additional * per_id);
        }
        for c in [t.label.as_mut()].into_iter().flatten() {
            c.reserve(additional);
        }
        for c in [t.confidence.as_mut(), t.loss.as_mut()]
            .into_iter()
            .flatten()
        {
            c.reserve(additional);
        }
        let k = t.n_classes;
        for c in [t.probs.as_mut(), t.logits.as_mut()].into_iter().flatten() {
            c.reserve(additional * k);
        }
        if let Some(f) = t.folded.as_mut() {
            f.reserve(additional);
        }
    }

    fn skip(&mut self, row: u64, p: CellProblem) {
        let column = (p.column != usize::MAX).then(|| self.rows.table.headers[p.column].clone());
        self.report.skip(row, column, p.message);
    }

    /// Ends the read: checks that an audit is possible and summarises what was skipped.
    pub fn finish(mut self) -> Result<Ingested, IngestError> {
        let n_rows = self.report.n_data_rows;
        if n_rows == 0 {
            return Err(IngestError::HeaderOnly {
                columns: self.rows.table.headers,
            });
        }
        if self.rows.table.is_empty() {
            return Err(IngestError::NoValidRows {
                n_rows,
                first_problems: self.report.problems.into_iter().take(5).collect(),
            });
        }
        let (n_members, n_nonmembers) =
            (self.rows.table.n_members(), self.rows.table.n_nonmembers());
        if (n_members == 0 || n_nonmembers == 0) && self.rows.table.mapping.member.is_some() {
            return Err(IngestError::OneClass {
                n_members,
                n_nonmembers,
            });
        }
        self.report.n_kept = self.rows.table.len() as u64;
        if self.rows.used_decimal_comma {
            self.report.warnings.push(
                "Some numbers use a decimal comma (e.g. 0,93); they were read as decimal points."
                    .to_string(),
            );
        }
        if let Some((row, sum)) = self.rows.first_prob_sum_off {
            self.report.warnings.push(format!(
                "{} rows have probabilities that do not sum to 1 (within {PROB_SUM_TOLERANCE}); the first is row {row} (sum {sum:.6}). \
                 Entropy-based signals treat them as given; export softmax outputs, or use `logit_*` columns.",
                self.rows.n_prob_sum_off
            ));
        }
        Ok(Ingested {
            table: self.rows.table,
            report: self.report,
        })
    }
}

impl IngestProgress<crate::ingest::byte_stream::ByteStream> {
    /// [`step`](Self::step) on the page's input, compiled in this crate at full optimisation
    /// (see [`byte_stream`](crate::ingest::byte_stream)).
    #[inline(never)]
    pub fn step_stream(&mut self, max_rows: usize) -> Result<bool, IngestError> {
        self.step(max_rows)
    }
}
