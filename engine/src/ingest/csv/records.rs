//! Splitting a CSV byte stream into records, fast on the common case.
//!
//! Most audit exports are plain: no quotes, `\n` or `\r\n` line ends. Such a line is split at the
//! delimiter in place, without copying a byte. A line holding a double quote or a lone `\r` goes
//! to the `csv-core` state machine (RFC 4180 quoting, `\r`, `\n` and `\r\n` line ends, blank
//! lines skipped), so every input gives exactly the records the `csv` crate gives with
//! `flexible(true)`; a differential test holds the two together.

use std::io::{self, Read};

use csv_core::ReadRecordResult;

/// Bytes read from the input at a time (the buffer grows when one record is longer).
const CHUNK: usize = 1 << 20;

/// What [`RecordReader::scan_line`] found.
enum Scan {
    /// A plain line: its text is `text_end` bytes long and the next line begins `next` bytes in.
    Line { text_end: usize, next: usize },
    /// The line holds a quote or a lone `\r`: `csv-core` reads it.
    Special,
    /// The buffer ends inside the line.
    NeedMore,
    /// No input is left.
    End,
}

const PLAIN: u8 = 0;
const DELIMITER: u8 = 1;
const LINE_END: u8 = 2;
const SPECIAL: u8 = 3;

/// Finds the bytes that end a run of plain bytes (the delimiter, `\n`, `\r`, `"`) eight at a
/// time: the classic "has a zero byte" word trick (Mycroft), on the word XORed with each byte.
#[derive(Clone, Copy)]
struct StopBytes {
    /// Each stop byte repeated in all eight lanes.
    lanes: [u64; 4],
}

impl StopBytes {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;

    fn new(delimiter: u8) -> Self {
        StopBytes {
            lanes: [delimiter, b'\n', b'\r', b'"'].map(|b| b as u64 * Self::ONES),
        }
    }

    /// Index (0..8) of the first stop byte of the little-endian `word`, if any. The trick can
    /// flag a lane above a true match, never below one, so the lowest flag is exact.
    #[inline]
    fn first_in(&self, word: u64) -> Option<usize> {
        let mut flags = 0;
        for lane in self.lanes {
            let x = word ^ lane;
            flags |= x.wrapping_sub(Self::ONES) & !x & Self::HIGHS;
        }
        (flags != 0).then(|| flags.trailing_zeros() as usize / 8)
    }
}

fn byte_classes(delimiter: u8) -> [u8; 256] {
    let mut class = [PLAIN; 256];
    class[b'"' as usize] = SPECIAL;
    class[b'\r' as usize] = SPECIAL;
    class[b'\n' as usize] = LINE_END;
    class[delimiter as usize] = DELIMITER;
    class
}

/// Reads the records of a CSV one after another. See [`next_record`](Self::next_record).
pub struct RecordReader<R: Read> {
    input: R,
    buf: Vec<u8>,
    /// The unread bytes are `buf[start..end]`.
    start: usize,
    end: usize,
    /// Stream offset of `buf[0]`.
    base: u64,
    eof: bool,
    core: csv_core::Reader,
    /// The role of each byte value in a plain line.
    class: [u8; 256],
    stops: StopBytes,
    /// The current record: its fields lie in `buf` from `line_start` (plain line) or in
    /// `unquoted` (after `csv-core`); field `i` is `fields[i].0..fields[i].1` from there.
    in_buf: bool,
    line_start: usize,
    fields: Vec<(usize, usize)>,
    unquoted: Vec<u8>,
    ends: Vec<usize>,
    /// Whether the last line read (a record or a blank line) ended with a line end outside
    /// quotes, rather than with the input.
    line_ended: bool,
}

impl<R: Read> RecordReader<R> {
    /// A reader of `input` whose fields are separated by `delimiter`.
    pub fn new(input: R, delimiter: u8) -> Self {
        RecordReader {
            input,
            buf: vec![0; CHUNK],
            start: 0,
            end: 0,
            base: 0,
            eof: false,
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            class: byte_classes(delimiter),
            stops: StopBytes::new(delimiter),
            in_buf: true,
            line_start: 0,
            fields: Vec::new(),
            unquoted: vec![0; 1024],
            ends: vec![0; 64],
            line_ended: true,
        }
    }

    /// Bytes of the input consumed so far (up to the end of the current record).
    pub fn position(&self) -> u64 {
        self.base + self.start as u64
    }

    /// Number of fields of the current record.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// True when the current record has no fields (before the first record).
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Field `i` of the current record (empty past the last field).
    pub fn field(&self, i: usize) -> &[u8] {
        let Some(&(a, b)) = self.fields.get(i) else {
            return &[];
        };
        if self.in_buf {
            &self.buf[self.line_start + a..self.line_start + b]
        } else {
            &self.unquoted[a..b]
        }
    }

    /// Whether the last line read ended with a line end outside quotes (not with the input).
    /// When it did, the input was cut at a record boundary: the records read are those of any
    /// longer input that begins with the same bytes, and that input's next record starts here.
    /// A file can then be read in parts (see [`crate::ingest::split`]).
    ///
    /// # Examples
    /// ```
    /// use mia_engine::ingest::csv::records::RecordReader;
    /// let mut r = RecordReader::new(&b"a,b\n1,2\n"[..], b',');
    /// while r.next_record().unwrap() {}
    /// assert!(r.ended_on_line_end());
    /// let mut r = RecordReader::new(&b"a,b\n\"1\n"[..], b','); // cut inside a quoted field
    /// while r.next_record().unwrap() {}
    /// assert!(!r.ended_on_line_end());
    /// ```
    pub fn ended_on_line_end(&self) -> bool {
        self.line_ended
    }

    /// Moves to the next record; `false` when the input is exhausted. Blank lines are skipped.
    pub fn next_record(&mut self) -> io::Result<bool> {
        loop {
            match self.scan_line() {
                Scan::Line { text_end, next } => {
                    self.line_ended = next > text_end;
                    let start = self.start;
                    self.in_buf = true;
                    self.line_start = start;
                    self.start = start + next;
                    // A line with one empty field is a blank line, which CSV readers skip.
                    if self.fields.len() == 1 && text_end == 0 {
                        continue;
                    }
                    return Ok(true);
                }
                Scan::End => return Ok(false),
                Scan::NeedMore => self.refill()?,
                Scan::Special => return self.quoted_record(),
            }
        }
    }

    /// One pass over the line at `start`: field ends at delimiters, up to the line end; stops at
    /// the first quote or lone carriage return (left to `csv-core`).
    fn scan_line(&mut self) -> Scan {
        self.fields.clear();
        let bytes = &self.buf[self.start..self.end];
        if bytes.is_empty() && self.eof {
            return Scan::End;
        }
        let (mut from, mut i) = (0, 0);
        loop {
            // Plain bytes eight at a time, then one at a time near the end of the buffer.
            while let Some(word) = bytes.get(i..i + 8) {
                let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
                if let Some(k) = self.stops.first_in(word) {
                    i += k;
                    break;
                }
                i += 8;
            }
            while i < bytes.len() && self.class[bytes[i] as usize] == PLAIN {
                i += 1;
            }
            let Some(&b) = bytes.get(i) else {
                if !self.eof {
                    return Scan::NeedMore;
                }
                self.fields.push((from, i));
                return Scan::Line {
                    text_end: i,
                    next: i,
                };
            };
            match self.class[b as usize] {
                DELIMITER => {
                    self.fields.push((from, i));
                    i += 1;
                    from = i;
                }
                LINE_END => {
                    self.fields.push((from, i));
                    return Scan::Line {
                        text_end: i,
                        next: i + 1,
                    };
                }
                // `\r\n`, the other common line end.
                _ if b == b'\r' => match bytes.get(i + 1) {
                    Some(b'\n') => {
                        self.fields.push((from, i));
                        return Scan::Line {
                            text_end: i,
                            next: i + 2,
                        };
                    }
                    None if !self.eof => return Scan::NeedMore,
                    _ => return Scan::Special,
                },
                _ => return Scan::Special,
            }
        }
    }

    /// Reads one record with `csv-core`, from `start`, pulling in more input as needed.
    fn quoted_record(&mut self) -> io::Result<bool> {
        'restart: loop {
            self.core.reset();
            let (mut pos, mut out, mut n_ends) = (self.start, 0, 0);
            loop {
                // `csv-core` ends a record on a line end, or on empty input at the end.
                let input_left = pos < self.end;
                let (result, nin, nout, nend) = self.core.read_record(
                    &self.buf[pos..self.end],
                    &mut self.unquoted[out..],
                    &mut self.ends[n_ends..],
                );
                pos += nin;
                out += nout;
                n_ends += nend;
                match result {
                    ReadRecordResult::InputEmpty if self.eof => {}
                    ReadRecordResult::InputEmpty => {
                        self.refill()?;
                        continue 'restart;
                    }
                    ReadRecordResult::OutputFull => {
                        let n = self.unquoted.len();
                        self.unquoted.resize(2 * n, 0);
                    }
                    ReadRecordResult::OutputEndsFull => {
                        let n = self.ends.len();
                        self.ends.resize(2 * n, 0);
                    }
                    ReadRecordResult::Record => {
                        self.line_ended = input_left;
                        self.start = pos;
                        self.fields.clear();
                        let mut from = 0;
                        for &e in &self.ends[..n_ends] {
                            self.fields.push((from, e));
                            from = e;
                        }
                        self.in_buf = false;
                        return Ok(true);
                    }
                    ReadRecordResult::End => {
                        self.start = pos;
                        self.fields.clear();
                        return Ok(false);
                    }
                }
            }
        }
    }

    /// Moves the unread bytes to the front of the buffer and reads more after them (at least one
    /// byte, or sets `eof`).
    fn refill(&mut self) -> io::Result<()> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.base += self.start as u64;
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            let n = self.buf.len();
            self.buf.resize(2 * n, 0);
        }
        loop {
            match self.input.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}
