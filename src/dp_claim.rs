//! The differential-privacy claim under review, (ε, δ), shared by every ROC chart through a Yew
//! context: each draws the bound the claim puts on any attack and says whether its curve crosses it.

/// A claimed (ε, δ)-DP guarantee.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DpClaim {
    pub epsilon: f64,
    pub delta: f64,
}

/// The context value: the claim, if the reviewer entered one.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DpClaimContext(pub Option<DpClaim>);
