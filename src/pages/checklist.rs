//! The risk checklist and the review report.

pub mod form;
pub mod page;
pub mod regulation_table;
pub mod state;
pub mod verdict;
