//! The differential-privacy tools: the DP-SGD accountant, the ε guide and the claim audit.

pub mod epsilon_audit_panel;
pub mod epsilon_guide_table;
pub mod page;
