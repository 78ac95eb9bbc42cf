//! The audit view: a CSV of model outputs in, the threshold attack on every signal out.

pub mod exposed_table;
pub mod glossary;
pub mod input_panel;
pub mod load_messages;
pub mod mapping_panel;
pub mod model_facts;
pub mod page;
pub mod per_class_table;
pub mod signal_table;
pub mod state;
pub mod view;
