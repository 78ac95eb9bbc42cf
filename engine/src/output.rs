//! Stage 4 of the audit pipeline: what leaves the engine for people and programs: the report as
//! JSON, the review report (JSON and self-contained HTML), and number formatting.

pub mod number_format;
pub mod report_json;
pub mod review_report;
