//! One folder per view: its page component, its reducer state and the panels only it shows.
//! A page reaches the workers only through [`crate::hooks`] and [`crate::protocol`].

pub mod audit;
pub mod checklist;
pub mod dp;
pub mod lira;
pub mod monitor;
pub mod restrict;
pub mod shadow;
pub mod simulator;
pub mod text;
pub mod train;
pub mod unlearn;
