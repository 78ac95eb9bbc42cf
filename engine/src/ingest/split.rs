//! Reading one CSV in two parts at once (one per core) and joining them into the table a single
//! read gives.
//!
//! The first reader reads the header and the rows up to a line start near the middle of the file;
//! a second reader, given the first one's [`PartPlan`] (header, column roles, delimiter), reads
//! the rows from there to the end, numbering them from 0 ([`IngestProgress::start_part`],
//! [`IngestProgress::finish_part`]). The first reader then appends the second part
//! ([`IngestProgress::append_part`]): row numbers are moved down by the rows before the cut, and
//! the lists of skipped rows and the warnings come out as a single read would give them.
//!
//! A cut is only right where a record ends, and a line start may be inside a quoted field. The
//! first reader therefore checks, once it has reached the cut, that its last line ended with a
//! line end outside quotes ([`IngestProgress::ended_on_line_end`]); when it did not, the caller
//! throws the second part away and reads the file in one go. The same approach as parallel CSV
//! readers such as DuckDB's and Arrow's: split on line ends, then verify the record boundary.
//!
//! The sizes that decide how a file is read ([`HEAD_BYTES`], [`SPLIT_MIN_BYTES`],
//! [`SPLIT_MIN_LINE_BYTES`], [`CUT_WINDOW`]) live here, once, for the CLI and the page's workers;
//! [`read_path_in_parts`] is the whole two-part read of a file on disk (the CLI's), and
//! [`read_path`] reads a file whole, both with I/O failures as [`IngestError::Unreadable`].

use std::io::Read;

use serde::{Deserialize, Serialize};

use crate::ingest::csv::records::RecordReader;
use crate::ingest::IngestProgress;
use crate::{AuditTable, ColumnMapping, IngestError, IngestReport};

/// Bytes read first from a streamed file, to sniff the delimiter from its header line (and to
/// list the header when the file is refused).
pub const HEAD_BYTES: u64 = 64 << 10;

/// Files smaller than this are read in one part: below it a second reader's start and the
/// hand-over cost more than they save.
pub const SPLIT_MIN_BYTES: u64 = 16 << 20;

/// Lines shorter than this on average are read by one web worker: the hand-over between workers
/// copies what is kept of each row, while the parsing it saves grows with the row's length. (The
/// CLI's threads share memory and hand nothing over, so it splits files of any line length.)
pub const SPLIT_MIN_LINE_BYTES: usize = 64;

/// Bytes looked at from the middle of a file for a line end to cut at.
pub const CUT_WINDOW: u64 = 1 << 20;

/// What a reader of a later part of a file needs to know from its first part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartPlan {
    pub headers: Vec<String>,
    pub mapping: ColumnMapping,
    pub delimiter: u8,
    pub had_bom: bool,
    /// Whether the per-class columns are folded into their signals while reading.
    pub fold_class_outputs: bool,
}

/// The rows of a later part of a file, numbered as if the part began right after the header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IngestedPart {
    pub plan: PartPlan,
    pub table: AuditTable,
    /// `n_data_rows`, `n_skipped`, `problems` and `skipped_by_column` of this part alone.
    pub report: IngestReport,
    pub used_decimal_comma: bool,
    pub n_prob_sum_off: u64,
    pub first_prob_sum_off: Option<(u64, f64)>,
}

/// The table's float columns other than the folded ones, in the order they are handed over.
fn plain_float_columns(t: &mut AuditTable) -> Vec<&mut Vec<f64>> {
    [&mut t.confidence, &mut t.loss, &mut t.probs, &mut t.logits]
        .into_iter()
        .flatten()
        .collect()
}

/// Where a second reader starts, given the bytes `window` read from offset `window_start` of a
/// file of `size` bytes: just after the first line end in the window. `None` when the window
/// has none, or it is the file's last byte.
///
/// # Examples
/// ```
/// use mia_engine::ingest::split::line_start_after;
/// assert_eq!(line_start_after(b"3,0.4\n4,0.1\n", 100, 200), Some(106));
/// assert_eq!(line_start_after(b"0.4\n", 196, 200), None); // the end of the file
/// assert_eq!(line_start_after(b"0.4", 100, 200), None);
/// ```
pub fn line_start_after(window: &[u8], window_start: u64, size: u64) -> Option<u64> {
    let i = window.iter().position(|&b| b == b'\n')?;
    let cut = window_start + i as u64 + 1;
    (cut < size).then_some(cut)
}

impl IngestedPart {
    /// Takes the part's columns of numbers out (most of its bytes), so that they can be handed
    /// over as they lie in memory rather than serialized one value at a time;
    /// [`put_float_columns`](Self::put_float_columns) puts them back.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::IngestProgress;
    /// let csv = b"member,confidence,loss\n1,0.9,0.1\n0,0.4,0.9\n";
    /// let plan = IngestProgress::start(&csv[..23], None).unwrap().part_plan();
    /// let mut second = IngestProgress::start_part(plan, &csv[23..], 22);
    /// while !second.step(10).unwrap() {}
    /// let whole = second.finish_part();
    /// let mut part = whole.clone();
    /// let columns = part.take_float_columns();
    /// assert_eq!(columns, vec![vec![0.9, 0.4], vec![0.1, 0.9]]);
    /// assert!(part.put_float_columns(columns));
    /// assert_eq!(part, whole);
    /// ```
    pub fn take_float_columns(&mut self) -> Vec<Vec<f64>> {
        let mut columns: Vec<Vec<f64>> = plain_float_columns(&mut self.table)
            .into_iter()
            .map(std::mem::take)
            .collect();
        if let Some(f) = self.table.folded.as_mut() {
            columns.extend(f.take_scores());
        }
        columns
    }

    /// Puts back what [`take_float_columns`](Self::take_float_columns) took; `false` when the
    /// columns do not fit this part (nothing is then put back).
    pub fn put_float_columns(&mut self, columns: Vec<Vec<f64>>) -> bool {
        let n_folded = self.table.folded.as_ref().map_or(0, |f| f.n_signals());
        let mut slots = plain_float_columns(&mut self.table);
        if columns.len() != slots.len() + n_folded {
            return false;
        }
        let mut columns = columns.into_iter();
        for slot in slots.iter_mut() {
            **slot = columns.next().unwrap_or_default();
        }
        if let Some(f) = self.table.folded.as_mut() {
            f.put_scores(columns.collect());
        }
        true
    }
}

impl<R: Read> IngestProgress<R> {
    /// What a second reader needs to read a later part of this file.
    pub fn part_plan(&self) -> PartPlan {
        let t = &self.rows.table;
        PartPlan {
            headers: t.headers.clone(),
            mapping: t.mapping.clone(),
            delimiter: self.report.delimiter,
            had_bom: self.report.had_bom,
            fold_class_outputs: t.folded.is_some(),
        }
    }

    /// Starts reading a later part of a file: `input` begins at a record's first byte, and holds
    /// `part_bytes` bytes (for progress). [`step`](Self::step) reads it, then
    /// [`finish_part`](Self::finish_part).
    pub fn start_part(plan: PartPlan, input: R, part_bytes: u64) -> Self {
        let records = RecordReader::new(input, plan.delimiter);
        let read = Self::reading(
            records,
            part_bytes,
            plan.delimiter,
            plan.had_bom,
            plan.headers,
            plan.mapping,
        );
        if plan.fold_class_outputs {
            read.fold_class_outputs()
        } else {
            read
        }
    }

    /// Whether the input read so far ended with a line end outside quotes: when the input was
    /// cut there, that cut is a record boundary and a part read from it joins this one.
    pub fn ended_on_line_end(&self) -> bool {
        self.records.ended_on_line_end()
    }

    /// The rows of a part started with [`start_part`](Self::start_part), for
    /// [`append_part`](Self::append_part).
    pub fn finish_part(self) -> IngestedPart {
        IngestedPart {
            plan: self.part_plan(),
            table: self.rows.table,
            report: self.report,
            used_decimal_comma: self.rows.used_decimal_comma,
            n_prob_sum_off: self.rows.n_prob_sum_off,
            first_prob_sum_off: self.rows.first_prob_sum_off,
        }
    }

    /// Appends the part that starts where this read's input ended (which must have ended at a
    /// record boundary: see [`ended_on_line_end`](Self::ended_on_line_end)); then
    /// [`finish`](Self::finish) as after a single read.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::IngestProgress;
    /// let csv = b"id,member,confidence\na,1,0.9\nb,0,x\nc,0,0.4\nd,1,0.8\n";
    /// let cut = 35; // the line `c,0,0.4` starts here
    /// let mut first = IngestProgress::start(&csv[..cut], None).unwrap();
    /// while !first.step(100).unwrap() {}
    /// assert!(first.ended_on_line_end());
    /// let rest = &csv[cut..];
    /// let mut second = IngestProgress::start_part(first.part_plan(), rest, rest.len() as u64);
    /// while !second.step(100).unwrap() {}
    /// first.append_part(second.finish_part()).unwrap();
    /// assert_eq!(first.finish().unwrap(), mia_engine::ingest(csv, None).unwrap());
    /// ```
    pub fn append_part(&mut self, part: IngestedPart) -> Result<(), IngestError> {
        let rows_before = self.report.n_data_rows;
        let mismatch = || IngestError::Malformed {
            row: rows_before + 2,
            message:
                "the second part of the file was read with another header; read the file again."
                    .to_string(),
        };
        if part.plan != self.part_plan() {
            return Err(mismatch());
        }
        let (t, more) = (&mut self.rows.table, part.table);
        if more.probs.is_some() != t.probs.is_some() || more.logits.is_some() != t.logits.is_some()
        {
            return Err(mismatch());
        }
        if let (Some(f), Some(g)) = (t.folded.as_mut(), more.folded.as_ref()) {
            if !f.append(g) {
                return Err(mismatch());
            }
        }
        if let (Some(c), Some(more)) = (t.ids.as_mut(), more.ids.as_ref()) {
            // Cannot fail: the input is at most MAX_INPUT_BYTES (1 GiB) of text.
            if !c.append(more) {
                return Err(mismatch());
            }
        }
        t.source_rows.append_shifted(&more.source_rows, rows_before);
        t.member.append(&more.member);
        if let (Some(c), Some(m)) = (t.label.as_mut(), more.label) {
            c.extend_from_slice(&m);
        }
        for (c, m) in [
            (t.confidence.as_mut(), more.confidence),
            (t.loss.as_mut(), more.loss),
            (t.probs.as_mut(), more.probs),
            (t.logits.as_mut(), more.logits),
        ] {
            if let (Some(c), Some(m)) = (c, m) {
                c.extend_from_slice(&m);
            }
        }
        if let (Some(c), Some(m)) = (t.shadow.as_mut(), more.shadow) {
            c.extend(m);
        }

        self.report.append_part(part.report, rows_before);
        let b = &mut self.rows;
        b.used_decimal_comma |= part.used_decimal_comma;
        b.n_prob_sum_off += part.n_prob_sum_off;
        if b.first_prob_sum_off.is_none() {
            b.first_prob_sum_off = part
                .first_prob_sum_off
                .map(|(row, sum)| (row + rows_before, sum));
        }
        Ok(())
    }
}

/// An I/O failure on the file being read, with what to do about it.
///
/// # Examples
/// ```
/// use mia_engine::ingest::split::unreadable;
/// let e = unreadable(&std::io::Error::from(std::io::ErrorKind::NotFound));
/// assert!(e.to_string().starts_with("cannot read the file: entity not found"));
/// ```
pub fn unreadable(e: &std::io::Error) -> IngestError {
    use std::io::ErrorKind;
    let hint = match e.kind() {
        ErrorKind::NotFound => "; check the path",
        ErrorKind::IsADirectory => "; give the path of a CSV file, not of a directory",
        ErrorKind::PermissionDenied => "; check the file's permissions",
        _ => "",
    };
    IngestError::Unreadable {
        message: format!("{e}{hint}"),
    }
}

/// Opens `path` for reading: the file and its size, or why it cannot be read (a directory is
/// refused here, where opening it would succeed and only the first read fail).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn open_file(path: &std::path::Path) -> Result<(std::fs::File, u64), IngestError> {
    let file = std::fs::File::open(path).map_err(|e| unreadable(&e))?;
    let meta = file.metadata().map_err(|e| unreadable(&e))?;
    if meta.is_dir() {
        return Err(unreadable(&std::io::Error::from(
            std::io::ErrorKind::IsADirectory,
        )));
    }
    Ok((file, meta.len()))
}

/// Reads the whole file at `path` (refusing one over [`crate::ingest::MAX_INPUT_BYTES`]), for
/// the readers that need its bytes: the restriction, the review's fingerprint, a shadow dataset.
#[cfg(not(target_arch = "wasm32"))]
pub fn read_path(path: &std::path::Path) -> Result<Vec<u8>, IngestError> {
    let (mut file, size) = open_file(path)?;
    crate::ingest::check_input_size(size)?;
    let mut bytes = Vec::with_capacity(size as usize);
    file.read_to_end(&mut bytes).map_err(|e| unreadable(&e))?;
    Ok(bytes)
}

/// Reads the CSV at `path` for an audit as a stream (never whole): only the parsed columns are
/// held, and the per-class columns only as the signals folded from them. A file of
/// [`SPLIT_MIN_BYTES`] or more is read in two parts on two threads, cut at the first line start
/// in the [`CUT_WINDOW`] from its middle; when that cut is not a record boundary (or the first
/// part cannot read the header) the file is read again in one go. The result equals [`ingest`](
/// crate::ingest::ingest) with the class outputs folded.
#[cfg(not(target_arch = "wasm32"))]
pub fn read_path_in_parts(path: &std::path::Path) -> Result<crate::Ingested, IngestError> {
    use std::io::{Seek, SeekFrom};
    let (mut file, size) = open_file(path)?;
    crate::ingest::check_input_size(size)?;
    if size == 0 {
        return Err(IngestError::Empty);
    }
    let cut = if size >= SPLIT_MIN_BYTES {
        line_start_after(&read_at(&mut file, size / 2, CUT_WINDOW)?, size / 2, size)
    } else {
        None
    };
    let Some(cut) = cut else {
        return read_in_one_go(file, size);
    };
    let head = read_at(&mut file, 0, HEAD_BYTES)?;
    let first_bytes = cut - head.len() as u64;
    // A header the first part cannot read (say, megabytes of blank lines before it) is for the
    // single read to explain.
    let Ok(first) = IngestProgress::start_stream(head, file.take(first_bytes), size, None, true)
    else {
        return read_in_one_go(open_file(path)?.0, size);
    };
    let mut first = first.fold_class_outputs();
    let mut rest = open_file(path)?.0;
    rest.seek(SeekFrom::Start(cut))
        .map_err(|e| unreadable(&e))?;
    let plan = first.part_plan();
    let (read_first, second) = on_two_threads(
        || {
            while !first.step(usize::MAX)? {}
            Ok::<_, IngestError>(())
        },
        move || {
            let mut part = IngestProgress::start_part(plan, rest, size - cut);
            while !part.step(usize::MAX)? {}
            Ok::<_, IngestError>(part.finish_part())
        },
    );
    read_first?;
    match second {
        Ok(part) if first.ended_on_line_end() => {
            first.append_part(part)?;
            first.finish()
        }
        // The cut was inside a quoted field (or the second part could not be read): one read.
        _ => read_in_one_go(open_file(path)?.0, size),
    }
}

/// Runs `here` on this thread and `there` on another at once, and returns both results (a panic
/// on the other thread goes on here): the two halves of a two-part read.
#[cfg(not(target_arch = "wasm32"))]
pub fn on_two_threads<A, B: Send>(
    here: impl FnOnce() -> A,
    there: impl FnOnce() -> B + Send,
) -> (A, B) {
    std::thread::scope(|scope| {
        let other = scope.spawn(there);
        let mine = here();
        let theirs = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (mine, theirs)
    })
}

/// `len` bytes of `file` from `start` (fewer at its end); the file is left just after them.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn read_at(
    file: &mut std::fs::File,
    start: u64,
    len: u64,
) -> Result<Vec<u8>, IngestError> {
    use std::io::{Seek, SeekFrom};
    let mut bytes = Vec::with_capacity(len as usize);
    file.seek(SeekFrom::Start(start))
        .and_then(|_| file.by_ref().take(len).read_to_end(&mut bytes))
        .map_err(|e| unreadable(&e))?;
    Ok(bytes)
}

/// [`read_path_in_parts`] on one thread.
#[cfg(not(target_arch = "wasm32"))]
fn read_in_one_go(mut file: std::fs::File, size: u64) -> Result<crate::Ingested, IngestError> {
    let head = read_at(&mut file, 0, HEAD_BYTES)?;
    let mut reading =
        IngestProgress::start_stream(head, file, size, None, true)?.fold_class_outputs();
    while !reading.step(usize::MAX)? {}
    reading.finish()
}
