//! The page's components, one per file. Only [`crate::app`] owns state; these receive data and
//! callbacks.

pub mod audit_page;
pub mod audit_view;
pub mod chart_canvas;
pub mod checklist_form;
pub mod checklist_page;
pub mod checklist_verdict;
pub mod dp_page;
pub mod epsilon_audit_panel;
pub mod epsilon_guide_table;
pub mod exposed_table;
pub mod form_events;
pub mod glossary;
pub mod headline_metrics;
pub mod histogram_chart;
pub mod input_panel;
pub mod load_messages;
pub mod mapping_panel;
pub mod model_facts;
pub mod per_class_table;
pub mod progress_bar;
pub mod regulation_table;
pub mod restriction_page;
pub mod risk_panel;
pub mod roc_chart;
pub mod shadow_page;
pub mod signal_table;
pub mod simulator_controls;
pub mod simulator_page;
pub mod sweep_chart;
pub mod text_field;
