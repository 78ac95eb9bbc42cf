//! The training lab view (`?view=train&…`): a model trained here, epoch by epoch, with its live
//! curves, the attack on it, the defences, the privacy-utility profile, unlearning compared
//! three ways, and the hand-over to the audit.

pub mod controls;
pub mod curves;
pub mod model_view;
pub mod page;
pub mod profile_panel;
pub mod unlearn_panel;
pub mod unlearn_results;
