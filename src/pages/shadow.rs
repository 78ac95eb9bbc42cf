//! The shadow-model attack (Shokri et al. 2017), trained here or from given outputs.

pub mod page;
pub mod results;
pub mod state;
