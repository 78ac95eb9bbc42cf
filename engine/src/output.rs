//! Stage 4 of the audit pipeline: what leaves the engine for people and programs: the report as
//! JSON and number formatting. (The review report, which adds the checklist, is
//! [`crate::checklist::review_report`].)

pub mod number_format;
pub mod report_json;
