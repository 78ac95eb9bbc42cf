//! The confidence simulator: the generalization gap and the attack it allows, live.

pub mod controls;
pub mod page;
pub mod state;
pub mod sweep_chart;
