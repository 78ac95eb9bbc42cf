//! The training lab: a small classifier trained here, deterministically from a seed, with the
//! defences whose effect on membership inference it measures: L2 weight decay, dropout, label
//! smoothing, gradient-norm clipping, early stopping and DP-SGD.

pub mod datasets;
pub mod dp_sgd;
pub mod network;
pub mod optimizer;
pub mod outputs;
pub mod profile;
pub mod run;
pub mod settings;
