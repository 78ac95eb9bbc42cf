//! A claimed (ε, δ)-DP guarantee, the one a reviewer is asked to believe. Every ROC chart of the
//! page draws the bound it puts on any attack ([`super::dp_tpr_bound`], Kairouz et al. 2015) and
//! says whether the measured curve crosses it, so the claim is checked once, here.

use serde::{Deserialize, Serialize};

use super::error::DpClaimError;

/// A claimed (ε, δ)-DP guarantee: ε positive and finite, δ in `[0, 1)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DpClaim {
    pub epsilon: f64,
    pub delta: f64,
}

impl DpClaim {
    /// A claim from its two numbers (Dwork & Roth 2014, Def. 2.4: ε ≥ 0 and δ a probability;
    /// ε = 0 and δ = 1 promise nothing a chart could test, so they are refused).
    ///
    /// # Examples
    /// ```
    /// use mia_engine::dp::{DpClaim, DpClaimError};
    /// assert!(DpClaim::new(1.0, 1e-5).is_ok());
    /// assert_eq!(DpClaim::new(0.0, 1e-5), Err(DpClaimError::Epsilon(0.0)));
    /// assert_eq!(
    ///     DpClaim::new(1.0, 1.0).unwrap_err().to_string(),
    ///     "Claimed δ: use a number from 0 to below 1, e.g. 1e-5."
    /// );
    /// ```
    pub fn new(epsilon: f64, delta: f64) -> Result<DpClaim, DpClaimError> {
        if !(epsilon > 0.0 && epsilon.is_finite()) {
            return Err(DpClaimError::Epsilon(epsilon));
        }
        if !(0.0..1.0).contains(&delta) {
            return Err(DpClaimError::Delta(delta));
        }
        Ok(DpClaim { epsilon, delta })
    }
}
