//! The attacks compared side by side, named as in `conformance/lira/README.md`, and what each
//! one gave: its per-record scores and figures, or why it could not run.

use serde::{Deserialize, Serialize};

use crate::attack::metrics::AttackMetrics;

/// One attack of the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Variant {
    /// The target-only threshold attack on φ_t (no reference models).
    TargetPhi,
    LiraOnline,
    LiraOnlineGlobal,
    LiraOffline,
    LiraOfflineGlobal,
    RmiaOnline,
    RmiaOffline,
}

impl Variant {
    /// Every variant, in the order they are reported.
    pub const ALL: [Variant; 7] = [
        Variant::TargetPhi,
        Variant::LiraOnline,
        Variant::LiraOnlineGlobal,
        Variant::LiraOffline,
        Variant::LiraOfflineGlobal,
        Variant::RmiaOnline,
        Variant::RmiaOffline,
    ];

    /// The specification's name (`lira_online_global`, …), used in JSON, CSV columns and test ids.
    pub fn name(self) -> &'static str {
        match self {
            Variant::TargetPhi => "target_phi",
            Variant::LiraOnline => "lira_online",
            Variant::LiraOnlineGlobal => "lira_online_global",
            Variant::LiraOffline => "lira_offline",
            Variant::LiraOfflineGlobal => "lira_offline_global",
            Variant::RmiaOnline => "rmia_online",
            Variant::RmiaOffline => "rmia_offline",
        }
    }

    /// The variant named `name`.
    pub fn parse(name: &str) -> Option<Variant> {
        Variant::ALL.into_iter().find(|v| v.name() == name)
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Variant::TargetPhi => "Target only (threshold on φ)",
            Variant::LiraOnline => "LiRA online",
            Variant::LiraOnlineGlobal => "LiRA online, global spread",
            Variant::LiraOffline => "LiRA offline",
            Variant::LiraOfflineGlobal => "LiRA offline, global spread",
            Variant::RmiaOnline => "RMIA online",
            Variant::RmiaOffline => "RMIA offline",
        }
    }

    /// What the variant assumes, in one sentence.
    pub fn assumes(self) -> &'static str {
        match self {
            Variant::TargetPhi => "Only the target's output: members get higher confidence.",
            Variant::LiraOnline => "φ is Gaussian per record on each side; each record's spread is estimated from its own IN and OUT references.",
            Variant::LiraOnlineGlobal => "φ is Gaussian per record; one spread per side for all records (stable with few references).",
            Variant::LiraOffline => "Only OUT references needed: members sit above the record's OUT distribution.",
            Variant::LiraOfflineGlobal => "As offline LiRA, with one OUT spread for all records.",
            Variant::RmiaOnline => "No Gaussian: ranks p_t / mean reference probability against a population.",
            Variant::RmiaOffline => "As online RMIA with OUT references only, corrected by a (the spec's default 0.3).",
        }
    }

    /// Needs reference models that trained on the record (online attacks).
    pub fn is_online(self) -> bool {
        matches!(
            self,
            Variant::LiraOnline | Variant::LiraOnlineGlobal | Variant::RmiaOnline
        )
    }
}

/// Why a variant has no result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum Unavailable {
    #[error("no record has a reference model that trained on it (every ref_in_j is 0), so there is no IN distribution")]
    NoInReferences,
    #[error("no record has a reference model that did not train on it (every ref_in_j is 1), so there is no OUT distribution")]
    NoOutReferences,
    #[error("RMIA's population has {size} record(s); it needs at least 2 (the `population` column, or the non-members)")]
    PopulationTooSmall { size: usize },
    #[error("the scores could not be ranked: {reason}")]
    NoFigures { reason: String },
}

/// What one variant gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantResult {
    pub variant: Variant,
    pub outcome: Result<VariantScores, Unavailable>,
}

/// A variant's per-record scores (higher = member) and its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantScores {
    pub scores: Vec<f64>,
    pub metrics: AttackMetrics,
}

impl VariantResult {
    /// The figures, if the variant ran.
    pub fn metrics(&self) -> Option<&AttackMetrics> {
        self.outcome.as_ref().ok().map(|s| &s.metrics)
    }

    /// The scores, if the variant ran.
    pub fn scores(&self) -> Option<&[f64]> {
        self.outcome.as_ref().ok().map(|s| s.scores.as_slice())
    }
}
