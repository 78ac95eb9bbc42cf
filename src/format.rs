//! Number formatting for the page: the engine's, so the page and the review report agree.

pub use mia_engine::output::number_format::{
    count, duration, fpr_label, percent, probability, sig,
};
