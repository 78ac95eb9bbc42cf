//! Differential privacy tools: the RDP accountant for DP-SGD, the bound DP puts on any attack's
//! ROC curve, and an empirical lower bound on epsilon from a measured attack.

pub mod claim;
pub mod epsilon_guide;
pub mod error;
pub mod log_space;
pub mod rdp_accountant;
pub mod roc_bound;
pub mod sigma_search;

/// The empirical ε lower bound is an audit of the attack (it lives in [`crate::attack`]); the DP
/// tools show it beside the claim it tests.
pub use crate::attack::empirical_epsilon::{
    epsilon_lower_bound, split_half_audit, EpsilonAudit, EpsilonLowerBound, ThresholdCounts,
};
pub use claim::DpClaim;
pub use epsilon_guide::EpsilonBand;
pub use error::{DpClaimError, DpError};
pub use rdp_accountant::{dp_sgd_epsilon, DpSgdEpsilon, DpSgdSchedule, DEFAULT_RDP_ORDERS};
pub use roc_bound::{dp_tpr_bound, point_epsilon, roc_contradiction, RocContradiction};
pub use sigma_search::noise_multiplier_for_epsilon;
