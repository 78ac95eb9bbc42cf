//! The physical format of an uploaded CSV: byte-order mark, delimiter, line endings.
//!
//! Spreadsheets in many locales write `;` (because `,` is their decimal mark), and database exports
//! often use tabs, so the delimiter is sniffed rather than assumed.

/// Delimiters we sniff for, in order of preference on a tie.
pub const CANDIDATE_DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// The UTF-8 byte-order mark that Excel writes at the start of "CSV UTF-8" files.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Returns the bytes without a leading UTF-8 byte-order mark, and whether one was there.
///
/// # Examples
/// ```
/// let (rest, had) = mia_engine::ingest::csv::format::strip_bom(b"\xEF\xBB\xBFid,member");
/// assert!(had);
/// assert_eq!(rest, b"id,member");
/// ```
pub fn strip_bom(bytes: &[u8]) -> (&[u8], bool) {
    match bytes.strip_prefix(UTF8_BOM) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    }
}

/// Picks the delimiter of a CSV from its header line: the candidate (`,` `;` tab) that occurs
/// most often outside double quotes. Ties go to the earlier candidate; with none present the
/// answer is `,` (a one-column file).
///
/// # Examples
/// ```
/// use mia_engine::ingest::csv::format::sniff_delimiter;
/// assert_eq!(sniff_delimiter(b"id;member;confidence\n1;1;0,9\n"), b';');
/// assert_eq!(sniff_delimiter(b"\"a,b\"\tmember\tloss\n"), b'\t');
/// assert_eq!(sniff_delimiter(b"member\n1\n"), b',');
/// assert_eq!(sniff_delimiter(b"\r\n\nid;member\n"), b';'); // empty lines before the header
/// ```
pub fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let bytes = skip_blank_lines(bytes);
    let mut counts = [0usize; CANDIDATE_DELIMITERS.len()];
    let mut in_quotes = false;
    for &b in bytes {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => break,
            _ if !in_quotes => {
                if let Some(i) = CANDIDATE_DELIMITERS.iter().position(|&d| d == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..counts.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    CANDIDATE_DELIMITERS[best]
}

/// `bytes` from the first line that is not empty (CSV readers skip empty lines, so the header
/// is the first line with something on it).
pub fn skip_blank_lines(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|&b| b != b'\n' && b != b'\r')
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// A human name for a delimiter byte, for messages.
pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b',' => "comma",
        b';' => "semicolon",
        b'\t' => "tab",
        _ => "other",
    }
}
