//! The page's hooks: the plumbing that every page would otherwise write again.

pub mod use_window_width;
pub mod worker_job;

pub use use_window_width::use_window_width;
