//! What an ε means in practice: the usual bands and the accuracy cost reported for DP-SGD at each
//! (the ranges quoted by the DP-SGD literature, e.g. Abadi et al. 2016; Ponomareva et al. 2023,
//! "How to DP-fy ML").

use serde::{Deserialize, Serialize};

/// A band of ε.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EpsilonBand {
    VeryStrong,
    Strong,
    Moderate,
    Weak,
}

impl EpsilonBand {
    /// < 1 very strong; 1–4 strong; 4–10 moderate; > 10 weak.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::dp::EpsilonBand;
    /// assert_eq!(EpsilonBand::of(0.99), EpsilonBand::VeryStrong);
    /// assert_eq!(EpsilonBand::of(1.0), EpsilonBand::Strong);
    /// assert_eq!(EpsilonBand::of(4.0), EpsilonBand::Moderate);
    /// assert_eq!(EpsilonBand::of(10.0), EpsilonBand::Moderate);
    /// assert_eq!(EpsilonBand::of(10.01), EpsilonBand::Weak);
    /// ```
    pub fn of(epsilon: f64) -> EpsilonBand {
        if epsilon < 1.0 {
            EpsilonBand::VeryStrong
        } else if epsilon < 4.0 {
            EpsilonBand::Strong
        } else if epsilon <= 10.0 {
            EpsilonBand::Moderate
        } else {
            EpsilonBand::Weak
        }
    }

    pub const ALL: [EpsilonBand; 4] = [
        EpsilonBand::VeryStrong,
        EpsilonBand::Strong,
        EpsilonBand::Moderate,
        EpsilonBand::Weak,
    ];

    pub fn key(self) -> &'static str {
        match self {
            EpsilonBand::VeryStrong => "very_strong",
            EpsilonBand::Strong => "strong",
            EpsilonBand::Moderate => "moderate",
            EpsilonBand::Weak => "weak",
        }
    }

    /// The band's range of ε.
    pub fn range(self) -> &'static str {
        match self {
            EpsilonBand::VeryStrong => "ε < 1",
            EpsilonBand::Strong => "1 ≤ ε < 4",
            EpsilonBand::Moderate => "4 ≤ ε ≤ 10",
            EpsilonBand::Weak => "ε > 10",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            EpsilonBand::VeryStrong => "Very strong",
            EpsilonBand::Strong => "Strong",
            EpsilonBand::Moderate => "Moderate",
            EpsilonBand::Weak => "Weak",
        }
    }

    /// Typical accuracy drop of DP-SGD at this privacy.
    pub fn accuracy_cost(self) -> &'static str {
        match self {
            EpsilonBand::VeryStrong => "5–15 % accuracy drop",
            EpsilonBand::Strong => "3–10 % accuracy drop",
            EpsilonBand::Moderate => "1–5 % accuracy drop",
            EpsilonBand::Weak => "< 1 % accuracy drop",
        }
    }

    /// Where the band is used.
    pub fn use_case(self) -> &'static str {
        match self {
            EpsilonBand::VeryStrong => "medical, financial and biometric data",
            EpsilonBand::Strong => "personal data in general; the target for sensitive deployments",
            EpsilonBand::Moderate => {
                "common in published DP deployments; a meaningful but weaker guarantee"
            }
            EpsilonBand::Weak => "little formal protection: treat membership as exposed",
        }
    }
}
