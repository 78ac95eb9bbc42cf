//! Why a CSV could not be read into an audit table. Every message says what is wrong, where,
//! and what to do about it, because it is shown to the user as is.

use std::fmt;

/// Why a CSV could not be turned into an audit table at all.
///
/// Problems confined to single rows are not errors: those rows are skipped and listed in
/// [`crate::IngestReport`]. These variants are the cases where no trustworthy audit is possible.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum IngestError {
    /// The file has no bytes (or only a byte-order mark and whitespace).
    Empty,
    /// A header line and no data rows.
    HeaderOnly { columns: Vec<String> },
    /// The header line is not valid UTF-8.
    HeaderNotUtf8 { column: usize },
    /// No column could serve as the member flag.
    MissingMemberColumn { columns: Vec<String>, delimiter: u8 },
    /// No column from which a membership signal can be computed.
    NoSignalColumn { columns: Vec<String> },
    /// A user-supplied mapping names a column the file does not have, or is inconsistent.
    BadMapping {
        message: String,
        /// The file's header, so the page can offer a column mapping.
        columns: Vec<String>,
    },
    /// Every data row had a problem.
    NoValidRows {
        n_rows: u64,
        first_problems: Vec<crate::RowProblem>,
    },
    /// After validation only members or only non-members remain.
    OneClass { n_members: u64, n_nonmembers: u64 },
    /// The CSV structure itself is broken (reported by the CSV reader).
    Malformed { row: u64, message: String },
    /// The file is larger than this build can hold in memory.
    TooLarge { bytes: u64, limit: u64 },
    /// The file could not be opened or read (missing, a directory, no permission): the
    /// operating system's reason. Whoever names the file (the CLI: its path) puts the name first.
    Unreadable { message: String },
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(
                f,
                "The file is empty. Export your model's per-record outputs as CSV with a header row \
                 (at least a `member` column and a `confidence`, `loss`, `prob_*` or `logit_*` column)."
            ),
            Self::HeaderOnly { columns } => write!(
                f,
                "The file has a header ({} columns: {}) but no data rows. Add one row per record.",
                columns.len(),
                preview_columns(columns)
            ),
            Self::HeaderNotUtf8 { column } => write!(
                f,
                "Row 1 (the header), column {}: the bytes are not valid UTF-8. Save the file as UTF-8 \
                 (in Excel: \"CSV UTF-8\") and load it again.",
                column + 1
            ),
            Self::MissingMemberColumn { columns, delimiter } => {
                write!(
                    f,
                    "No member column found among the {} columns ({}). Add a column named `member` \
                     holding 1 for records in the training set and 0 for the others (true/false, \
                     yes/no, in/out and train/test also work), or pick the column in the mapping panel.",
                    columns.len(),
                    preview_columns(columns)
                )?;
                if columns.len() == 1 {
                    write!(
                        f,
                        " Only one column was seen with the delimiter {}: is the file delimited by \
                         something other than comma, semicolon or tab?",
                        crate::ingest::csv::format::delimiter_name(*delimiter)
                    )?;
                }
                Ok(())
            }
            Self::NoSignalColumn { columns } => write!(
                f,
                "No column to compute a membership signal from among: {}. Add `confidence` (probability \
                 of the true label), `loss`, or per-class `prob_0..prob_K` / `logit_0..logit_K` columns \
                 (with a `label` column), or map them in the mapping panel.",
                preview_columns(columns)
            ),
            Self::BadMapping { message, .. } => write!(f, "Column mapping: {message}"),
            Self::NoValidRows { n_rows, first_problems } => {
                write!(f, "None of the {n_rows} data rows could be used.")?;
                if let Some(p) = first_problems.first() {
                    write!(f, " First problem: {p}")?;
                }
                Ok(())
            }
            Self::OneClass { n_members, n_nonmembers } => write!(
                f,
                "Only one class is present ({n_members} members, {n_nonmembers} non-members). A \
                 membership audit compares members with non-members: include records of both (check \
                 the `member` column's values)."
            ),
            Self::Malformed { row, message } => write!(
                f,
                "Row {row}: the CSV structure is broken ({message}). Check for an unclosed quote near \
                 that row."
            ),
            Self::TooLarge { bytes, limit } => write!(
                f,
                "The file is {:.1} MB; this page can hold at most {:.0} MB. Keep only the columns the \
                 audit needs (member, label, confidence, loss) or sample the rows.",
                *bytes as f64 / 1e6,
                *limit as f64 / 1e6
            ),
            Self::Unreadable { message } => write!(f, "cannot read the file: {message}"),
        }
    }
}

impl std::error::Error for IngestError {}

fn preview_columns(columns: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut s = columns
        .iter()
        .take(SHOWN)
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if columns.len() > SHOWN {
        s.push_str(&format!(" and {} more", columns.len() - SHOWN));
    }
    s
}
