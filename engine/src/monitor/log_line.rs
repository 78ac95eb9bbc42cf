//! One line of a streamed query log split into its fields, on its own: `mia monitor --follow`
//! reads a log line by line as it arrives, and a line that cannot be read must not take the
//! lines after it along. (A CSV reader over the whole stream would let one stray quote swallow
//! every line up to the next quote.) So a record is one line here: a field may be quoted
//! (RFC 4180: `"a,b"`, `""` for a quote) but may not hold a line end.

/// The fields of the last line split, kept between lines so no line allocates.
#[derive(Debug, Clone, Default)]
pub struct LineFields {
    /// The fields' bytes, unquoted, one after another.
    bytes: Vec<u8>,
    /// Where each field ends in `bytes`.
    ends: Vec<usize>,
}

impl LineFields {
    /// Splits `line` (without its line end; a trailing `\r` is dropped) at `delimiter`. An
    /// error says what is wrong with the line; the fields are then those before the fault.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::monitor::log_line::LineFields;
    /// let mut f = LineFields::default();
    /// f.split(b"k1,\"a,\"\"b\"\"\",12\r", b',').unwrap();
    /// assert_eq!((f.len(), f.field(1), f.field(2), f.field(3)), (3, &b"a,\"b\""[..], &b"12"[..], &b""[..]));
    /// assert!(f.split(b"k1,\"open,12", b',').is_err());
    /// ```
    pub fn split(&mut self, line: &[u8], delimiter: u8) -> Result<(), &'static str> {
        self.bytes.clear();
        self.ends.clear();
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut i = 0;
        loop {
            if line.get(i) == Some(&b'"') {
                i += 1;
                loop {
                    match line.get(i) {
                        None => {
                            return Err(
                                "has a quoted field that is not closed (a `\"` without its pair)",
                            )
                        }
                        Some(b'"') if line.get(i + 1) == Some(&b'"') => {
                            self.bytes.push(b'"');
                            i += 2;
                        }
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(&b) => {
                            self.bytes.push(b);
                            i += 1;
                        }
                    }
                }
                match line.get(i) {
                    None => {}
                    Some(&b) if b == delimiter => {}
                    Some(_) => {
                        self.ends.push(self.bytes.len());
                        return Err("has text after a quoted field's closing quote");
                    }
                }
            } else {
                let rest = &line[i..];
                let n = memchr::memchr(delimiter, rest).unwrap_or(rest.len());
                self.bytes.extend_from_slice(&rest[..n]);
                i += n;
            }
            self.ends.push(self.bytes.len());
            if i >= line.len() {
                return Ok(());
            }
            i += 1; // the delimiter
            if i == line.len() {
                self.ends.push(self.bytes.len());
                return Ok(());
            }
        }
    }

    /// Fields in the line.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True before any line is split.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Field `i`, or empty past the last.
    pub fn field(&self, i: usize) -> &[u8] {
        match self.ends.get(i) {
            Some(&end) => {
                let start = if i == 0 { 0 } else { self.ends[i - 1] };
                &self.bytes[start..end]
            }
            None => &[],
        }
    }

    /// The fields as text (invalid UTF-8 replaced), for a header.
    pub fn texts(&self) -> Vec<String> {
        (0..self.len())
            .map(|i| String::from_utf8_lossy(self.field(i)).trim().to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str, d: u8) -> Result<Vec<String>, &'static str> {
        let mut f = LineFields::default();
        f.split(line.as_bytes(), d)?;
        Ok((0..f.len())
            .map(|i| String::from_utf8(f.field(i).to_vec()).unwrap())
            .collect())
    }

    #[test]
    fn fields_plain_quoted_empty_and_trailing() {
        assert_eq!(split("a,b,c", b',').unwrap(), ["a", "b", "c"]);
        assert_eq!(split("a,,c", b',').unwrap(), ["a", "", "c"]);
        assert_eq!(split("a,b,", b',').unwrap(), ["a", "b", ""]);
        assert_eq!(split(",", b',').unwrap(), ["", ""]);
        assert_eq!(split("", b',').unwrap(), [""]);
        assert_eq!(split("\"\"", b',').unwrap(), [""]);
        assert_eq!(split("\"x;y\";2\r", b';').unwrap(), ["x;y", "2"]);
        assert_eq!(split("k\t\"a\"\"\"\t3", b'\t').unwrap(), ["k", "a\"", "3"]);
        assert_eq!(split("é,ü", b',').unwrap(), ["é", "ü"]);
    }

    #[test]
    fn broken_quotes_are_refused() {
        assert!(split("a,\"b", b',').is_err());
        assert!(split("a,\"b\"c,d", b',').is_err());
        assert!(split("\"", b',').is_err());
    }

    #[test]
    fn a_field_past_the_last_is_empty() {
        let mut f = LineFields::default();
        f.split(b"a,b", b',').unwrap();
        assert_eq!(f.field(5), b"");
        assert_eq!(f.texts(), ["a", "b"]);
    }
}
