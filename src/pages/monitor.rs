//! The query-log monitor: replay an API's query log through the seed design's detector, per API
//! key, and leave with the Prometheus rules and the metrics they read.

pub mod key_detail;
pub mod key_table;
pub mod page;
