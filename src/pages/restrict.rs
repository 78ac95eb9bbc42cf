//! Confidence restriction: post-process outputs and measure the attack and the utility cost.

pub mod page;
pub mod results;
