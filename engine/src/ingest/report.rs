//! What a read gives: the table, and what happened on the way (format found, rows kept and
//! skipped with each problem by row and column, warnings).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::AuditTable;

/// One problem in one row, in spreadsheet numbering (the header is row 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowProblem {
    pub row: u64,
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(f, "row {}, column `{}`: {}", self.row, c, self.message),
            None => write!(f, "row {}: {}", self.row, self.message),
        }
    }
}

/// What happened while reading: format found, rows kept and skipped, and warnings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IngestReport {
    pub delimiter: u8,
    pub had_bom: bool,
    pub n_data_rows: u64,
    pub n_kept: u64,
    pub n_skipped: u64,
    /// The first [`MAX_LISTED_PROBLEMS`](crate::ingest::reader::MAX_LISTED_PROBLEMS) problems that made a row be skipped.
    pub problems: Vec<RowProblem>,
    /// How many rows were skipped because of each column (`None` = the row's shape).
    pub skipped_by_column: Vec<(Option<String>, u64)>,
    /// Things that did not stop a row from being used but that the user should know.
    pub warnings: Vec<String>,
}

impl IngestReport {
    /// Counts a skipped row under its column (`None` = the row's shape) and lists its problem if
    /// fewer than [`MAX_LISTED_PROBLEMS`](crate::ingest::reader::MAX_LISTED_PROBLEMS) are listed.
    pub fn skip(&mut self, row: u64, column: Option<String>, message: String) {
        self.n_skipped += 1;
        match self
            .skipped_by_column
            .iter_mut()
            .find(|(c, _)| *c == column)
        {
            Some((_, n)) => *n += 1,
            None => self.skipped_by_column.push((column.clone(), 1)),
        }
        if self.problems.len() < crate::ingest::reader::MAX_LISTED_PROBLEMS {
            self.problems.push(RowProblem {
                row,
                column,
                message,
            });
        }
    }
}

impl IngestReport {
    /// Adds the report of a later part of the file, whose rows were numbered from the part's
    /// start: its row numbers are moved down by `rows_before`, the rows read before the cut.
    pub fn append_part(&mut self, p: IngestReport, rows_before: u64) {
        self.n_data_rows += p.n_data_rows;
        self.n_skipped += p.n_skipped;
        for mut problem in p.problems {
            if self.problems.len() >= crate::ingest::reader::MAX_LISTED_PROBLEMS {
                break;
            }
            problem.row += rows_before;
            self.problems.push(problem);
        }
        for (column, n) in p.skipped_by_column {
            match self
                .skipped_by_column
                .iter_mut()
                .find(|(c, _)| *c == column)
            {
                Some((_, m)) => *m += n,
                None => self.skipped_by_column.push((column, n)),
            }
        }
    }
}

/// A CSV successfully turned into an audit table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ingested {
    pub table: AuditTable,
    pub report: IngestReport,
}
