//! The differential-privacy claim under review, (ε, δ), shared by every ROC chart through a Yew
//! context: each draws the bound the claim puts on any attack and says whether its curve crosses it.
//! The claim and its check are the engine's ([`mia_engine::dp::DpClaim`]); only the context is
//! the page's.

pub use mia_engine::dp::DpClaim;

/// The context value: the claim, if the reviewer entered one.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DpClaimContext(pub Option<DpClaim>);
