//! Reading a large query log held in memory on every core (native only; the page's worker reads
//! its upload in slices, one row after another): the rows after the header are cut into parts at
//! line ends, each part is read as a log of its own on its own thread, and the parts are joined
//! in file order, so the log is the one read row by row: keys and inputs numbered in the order
//! of their first row, the queries in file order before the stable sort by time, the same count
//! of rows out of order.
//!
//! A line end cuts the rows only outside quotes, so a log with a double quote after its header
//! is read row by row, as is one under [`MIN_PART_BYTES`] a part. A part that meets a bad row
//! gives up, and the log is then read row by row, so the error names the same row.

use std::num::NonZeroUsize;

use super::input_ids::InputKey;
use super::log::{key_bytes, new_key, LogRead, QueryLogRead};
use super::log_rows::Columns;
use crate::ingest::csv::format::strip_bom;
use crate::ingest::csv::records::RecordReader;
use crate::ingest::reader::CsvStart;

/// The least bytes a part is worth a thread for.
pub(super) const MIN_PART_BYTES: usize = 4 << 20;

/// The threads to read with: the cores, at most 8.
pub(super) fn cores() -> usize {
    std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(8)
}

/// The rows of the log `bytes` whose header `start` read, in up to `parts` parts of at least
/// [`MIN_PART_BYTES`]; `None` when it is not cut (fewer than two parts, quotes) or a part meets
/// a bad row: the caller then reads it row by row.
pub(super) fn read_in_parts(
    bytes: &[u8],
    start: &CsvStart<&[u8]>,
    parts: usize,
) -> Option<LogRead> {
    let rest = after_header(bytes, start)?;
    let parts = parts.min(rest.len() / MIN_PART_BYTES);
    read_parts(start, &cut_at_lines(rest, parts)?)
}

/// The bytes of `bytes` after the header that `start` read.
fn after_header<'a>(bytes: &'a [u8], start: &CsvStart<&[u8]>) -> Option<&'a [u8]> {
    strip_bom(bytes)
        .0
        .get(usize::try_from(start.records.position()).ok()?..)
}

/// `rest` cut into `parts` pieces of about equal size, each but the last ending with a line
/// end; `None` for fewer than two, or when `rest` holds a quote (a line end may then be inside
/// a field).
fn cut_at_lines(rest: &[u8], parts: usize) -> Option<Vec<&[u8]>> {
    if parts < 2 || rest.contains(&b'"') {
        return None;
    }
    let mut pieces = Vec::with_capacity(parts);
    let mut from = 0;
    for p in 1..parts {
        let aim = (rest.len() * p / parts).max(from);
        let Some(end) = rest[aim..].iter().position(|&b| b == b'\n') else {
            break;
        };
        pieces.push(&rest[from..aim + end + 1]);
        from = aim + end + 1;
    }
    pieces.push(&rest[from..]);
    (pieces.len() >= 2).then_some(pieces)
}

/// Reads each piece on its own thread and joins them.
fn read_parts(start: &CsvStart<&[u8]>, pieces: &[&[u8]]) -> Option<LogRead> {
    let columns = Columns::find(&start.headers).ok()?;
    let delimiter = start.delimiter;
    let read = |piece: &[u8]| -> Option<LogRead> {
        let records = RecordReader::new(piece, delimiter);
        let mut read = QueryLogRead::of_records(records, piece.len() as u64, columns);
        while !read.step(usize::MAX).ok()? {}
        Some(read.into_rows())
    };
    let parts = on_threads(pieces.len(), |i| read(pieces[i]));
    let n = parts.len();
    let mut parts = parts.into_iter();
    let mut log = parts.next()??;
    for (i, part) in parts.enumerate() {
        join(&mut log, part?, i + 2 == n)?;
    }
    Some(log)
}

/// Appends `part` (the rows after `log`'s) to `log`: its keys and inputs renumbered in `log`'s
/// numbering (new ones after `log`'s, in the order of their first row in `part`). The inputs of
/// the `last` part are looked up on every core and not indexed (none is looked up again).
fn join(log: &mut LogRead, part: LogRead, last: bool) -> Option<()> {
    let key_id: Vec<u32> = key_bytes(part.key_ids)
        .into_iter()
        .map(|name| match log.key_ids.get(&name) {
            Some(&id) => Some(id),
            // Checked as UTF-8 when `part` numbered it.
            None => new_key(&mut log.key_ids, std::str::from_utf8(&name).ok()?, 0).ok(),
        })
        .collect::<Option<_>>()?;
    let names = part.input_ids.into_names();
    let key_of = |i: usize| InputKey::of(names.get(i as u32).as_bytes(), 0).ok();
    let input_id: Vec<u32> = if last {
        let ids = &log.input_ids;
        let found = in_parallel(names.len(), |range| {
            let keys = range.map(key_of).collect::<Option<Vec<_>>>()?;
            // A batch's slots touched first, to overlap their cache misses.
            let mut found = Vec::with_capacity(keys.len());
            for batch in keys.chunks(32) {
                let touched = batch.iter().fold(0, |t, k| t ^ ids.touch(k));
                std::hint::black_box(touched);
                found.extend(batch.iter().map(|k| ids.find(k)));
            }
            Some(found)
        })?;
        found
            .into_iter()
            .enumerate()
            .map(|(i, id)| match id {
                Some(id) => Some(id),
                None => log.input_ids.push_unindexed(names.get(i as u32), 0).ok(),
            })
            .collect::<Option<_>>()?
    } else {
        (0..names.len())
            .map(|i| log.input_ids.id(&key_of(i)?, 0).ok())
            .collect::<Option<_>>()?
    };
    if let (Some(last), Some(first)) = (log.queries.last(), part.queries.first()) {
        log.out_of_order += u64::from(first.time < last.time);
    }
    log.out_of_order += part.out_of_order;
    log.queries.reserve(part.queries.len());
    log.queries.extend(part.queries.into_iter().map(|mut q| {
        q.key = key_id[q.key as usize];
        q.input = input_id[q.input as usize];
        q
    }));
    Some(())
}

/// `f` over `0..n` cut into one range per core, run on their own threads: the results joined in
/// order, `None` if any is.
fn in_parallel<T: Send>(
    n: usize,
    f: impl Fn(std::ops::Range<usize>) -> Option<Vec<T>> + Sync,
) -> Option<Vec<T>> {
    let parts = cores().clamp(1, n.max(1));
    let pieces = on_threads(parts, |p| f(n * p / parts..n * (p + 1) / parts));
    let mut all = Vec::with_capacity(n);
    for piece in pieces {
        all.extend(piece?);
    }
    Some(all)
}

/// `f(0)` on this thread and `f(1)` … `f(n − 1)` each on its own, at once: the results in
/// order, `None` where `f` gave none or its thread panicked (the caller then does without).
fn on_threads<T: Send>(n: usize, f: impl Fn(usize) -> Option<T> + Sync) -> Vec<Option<T>> {
    let f = &f;
    std::thread::scope(|s| {
        let threads: Vec<_> = (1..n).map(|i| s.spawn(move || f(i))).collect();
        std::iter::once(f(0))
            .chain(threads.into_iter().map(|t| t.join().ok().flatten()))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::QueryLog;
    use crate::test_draw::Draw;

    /// The log read row by row.
    fn row_by_row(csv: &[u8]) -> QueryLog {
        let mut read = QueryLogRead::start(CsvStart::bytes(csv).unwrap()).unwrap();
        while !read.step(usize::MAX).unwrap() {}
        read.finish().unwrap()
    }

    /// The log cut into `parts` pieces whatever their size.
    fn in_pieces(csv: &[u8], parts: usize) -> Option<QueryLog> {
        let start = CsvStart::bytes(csv).unwrap();
        let pieces = cut_at_lines(after_header(csv, &start)?, parts)?;
        read_parts(&start, &pieces).map(|read| read.finish().unwrap())
    }

    #[test]
    fn parts_give_the_log_read_row_by_row() {
        // Keys and inputs first met in a later part or met again there, inputs as hex and as
        // other text, times out of order within and across the cuts, blank lines, CRLF, a
        // semicolon-delimited file, and an `input` column (hashed).
        let mut draw = Draw(7);
        let mut next = |n: u64| draw.below(n as usize) as u64;
        for case in 0..24 {
            let (sep, eol) = match case % 3 {
                0 => (",", "\n"),
                1 => (",", "\r\n"),
                _ => (";", "\n"),
            };
            let column = if case % 4 == 3 { "input" } else { "input_hash" };
            let mut csv = format!("timestamp{sep}api_key{sep}{column}{sep}note{eol}");
            for row in 0..400 + next(400) {
                let input = match next(3) {
                    0 => format!("{:064x}", next(50)),
                    1 => format!("h{}", next(60)),
                    _ => format!("a-longer-input-name-than-thirty-two-bytes-{}", next(20)),
                };
                let time = if next(5) == 0 {
                    format!("2024-03-01T00:{:02}:{:02}Z", next(60), next(60))
                } else {
                    format!("{}", 1_709_251_200 + row / 2 - next(30))
                };
                csv.push_str(&format!(
                    "{time}{sep}key-{}{sep}{input}{sep}x{eol}",
                    next(9 + case)
                ));
                if next(50) == 0 {
                    csv.push_str(eol);
                }
            }
            let want = row_by_row(csv.as_bytes());
            for parts in [2, 3, 7] {
                let got = in_pieces(csv.as_bytes(), parts).expect("cut");
                assert_eq!(got, want, "case {case}, {parts} parts");
            }
        }
    }

    #[test]
    fn quotes_small_logs_and_bad_rows_are_left_to_the_row_by_row_read() {
        let csv = b"api_key,input_hash,timestamp\nk1,h1,1\nk2,\"h,2\",2\nk1,h1,3\n";
        assert!(in_pieces(csv, 2).is_none(), "a quote");
        let small = b"api_key,input_hash,timestamp\nk1,h1,1\nk2,h2,2\n";
        let start = CsvStart::bytes(small).unwrap();
        assert!(
            read_in_parts(small, &start, 8).is_none(),
            "under the least part"
        );
        let bad = b"api_key,input_hash,timestamp\nk1,h1,1\nk2,h2,2\nk3,h3,soon\nk4,h4,4\n";
        assert!(in_pieces(bad, 2).is_none(), "a bad row");
        let err = crate::monitor::read_query_log(bad).unwrap_err().to_string();
        assert!(err.starts_with("row 4, column `timestamp`"), "{err}");
        assert!(in_pieces(b"api_key,input_hash,timestamp\nk1,h1,1", 2).is_none());
    }
}
