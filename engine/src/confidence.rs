//! How sure the headline numbers are: exact binomial (Clopper-Pearson) intervals for rates, and
//! DeLong's interval for the AUC.

pub mod beta_quantile;
pub mod clopper_pearson;
pub mod delong;

pub use clopper_pearson::{clopper_pearson_interval, clopper_pearson_upper, RateInterval};
pub use delong::{delong_auc_interval, AucInterval};

/// The two-sided 97.5 % quantile of the standard normal distribution, `Φ⁻¹(0.975)`.
pub const Z_975: f64 = 1.959_963_984_540_054;
