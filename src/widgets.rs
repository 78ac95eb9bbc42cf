//! Pieces that more than one page shows: metric cards, progress, text fields, charts' canvases.
//! They receive data and callbacks; the pages own the state.

pub mod chart_canvas;
pub mod download;
pub mod dp_claim;
pub mod form_events;
pub mod headline_metrics;
pub mod histogram_chart;
pub mod progress_bar;
pub mod risk_panel;
pub mod roc_chart;
pub mod row_pager;
pub mod sample_list;
pub mod text_field;
