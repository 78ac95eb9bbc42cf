//! Reading the text audit's CSV files (pairs, log-probs): UTF-8 with or without a byte-order mark,
//! a header, one record per row. Rows are numbered as a spreadsheet shows them (the header is row
//! 1, each record one row, whatever new lines its quoted fields hold); a parse error names its row.

/// An open CSV file and its header.
pub struct CsvFile<'a> {
    reader: csv::Reader<&'a [u8]>,
    pub header: Vec<String>,
}

/// A parse error as (row, what went wrong).
pub type CsvProblem = (u64, String);

fn problem(e: &csv::Error) -> CsvProblem {
    let row = e.position().map_or(1, |p| p.record() + 1);
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "the text is not UTF-8; save the file as UTF-8.".to_string(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "{len} fields where the header has {expected_len}; quote fields that hold commas or new lines."
        ),
        _ => e.to_string(),
    };
    (row, message)
}

impl<'a> CsvFile<'a> {
    /// Opens `bytes` and reads its header (trimmed).
    pub fn open(bytes: &'a [u8]) -> Result<CsvFile<'a>, CsvProblem> {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
        let header = reader
            .headers()
            .map_err(|e| problem(&e))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        Ok(CsvFile { reader, header })
    }

    /// The index of column `name` (any case).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }

    /// The header's columns, quoted, for a message.
    pub fn header_list(&self) -> String {
        self.header
            .iter()
            .map(|h| format!("`{h}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The records with their rows.
    pub fn records(
        &mut self,
    ) -> impl Iterator<Item = Result<(u64, csv::StringRecord), CsvProblem>> + use<'_, 'a> {
        self.reader
            .records()
            .enumerate()
            .map(|(i, r)| r.map(|r| (i as u64 + 2, r)).map_err(|e| problem(&e)))
    }
}
