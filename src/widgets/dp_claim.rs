//! The differential-privacy claim under review, (ε, δ), shared by every ROC chart through a Yew
//! context: each draws the bound the claim puts on any attack and says whether its curve crosses it.

/// A claimed (ε, δ)-DP guarantee.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DpClaim {
    pub epsilon: f64,
    pub delta: f64,
}

impl DpClaim {
    /// A claim from its two numbers: ε positive and finite, δ in `[0, 1)`.
    pub fn new(epsilon: f64, delta: f64) -> Result<DpClaim, String> {
        if !(epsilon > 0.0 && epsilon.is_finite()) {
            return Err("Claimed ε: use a positive number.".to_string());
        }
        if !(0.0..1.0).contains(&delta) {
            return Err("Claimed δ: use a number from 0 to below 1, e.g. 1e-5.".to_string());
        }
        Ok(DpClaim { epsilon, delta })
    }
}

/// The context value: the claim, if the reviewer entered one.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DpClaimContext(pub Option<DpClaim>);
