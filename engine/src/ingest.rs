//! Stage 1 of the audit pipeline: the bytes of an uploaded CSV into an audit table.
//!
//! [`csv`] splits records and reads numbers, [`columns`] says which column plays which role,
//! [`reader`] reads the file row by row (whole or streamed; [`byte_stream`] is the page's input)
//! with every problem listed by row and column, each row validated into the table's columns by [`rows`], [`split`] reads one file in two parts at once (the one two-part read, used by the CLI
//! and by the page's workers) and joins them, and [`fingerprint`] names the input in a report.

pub mod byte_stream;
pub mod columns;
pub mod csv;
pub mod error;
pub mod fingerprint;
pub mod membership_label;
pub mod reader;
pub mod report;
pub mod rows;
pub mod split;

pub use error::IngestError;
pub use reader::*;
pub use report::{IngestReport, Ingested, RowProblem};
