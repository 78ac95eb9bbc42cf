//! The confidence-restriction defence: post-process a model's outputs (temperature, a cap on the
//! top probability, rounding) before an API returns them, and measure what that buys against the
//! threshold attack and what it costs in utility (Shokri et al. 2017 §VI; Jia et al. 2019 discuss
//! why such output perturbation helps only against confidence-based attackers).

pub mod error;
pub mod evaluation;
pub mod frontier;
pub mod headline;
pub mod pipeline;
pub mod setting;
pub mod utility;

pub use error::{RestrictionError, RestrictionSettingError};
pub use evaluation::{evaluate, restricted_csv, RestrictionReport};
pub use headline::{RestrictionWarning, StrongestAttack};
pub use pipeline::{restrict, restricted_table};
pub use setting::{RestrictionSetting, MAX_PRECISION};
pub use utility::{expected_calibration_error, top1_agreement, Utility};
