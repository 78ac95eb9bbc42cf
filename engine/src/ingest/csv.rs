//! The CSV layer: the file's physical format, its records, and exact decimal numbers.

pub mod decimal;
pub mod format;
pub mod records;
