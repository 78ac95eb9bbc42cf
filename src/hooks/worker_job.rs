//! A page's job in the worker: what it is doing, for the progress bar.

use crate::protocol::Stage;

/// A job the worker is running.
#[derive(Debug, Clone, PartialEq)]
pub struct Busy {
    pub source_name: String,
    pub stage: Stage,
    pub fraction: f64,
}
