//! The reference-model attacks (LiRA, Carlini et al. 2022; RMIA, Zarifzadeh et al. 2024) side
//! by side, from an uploaded reference-attack CSV, a bundled case, or references trained here.

pub mod diagnostics;
pub mod page;
pub mod results;
pub mod roc_chart;
pub mod state;
