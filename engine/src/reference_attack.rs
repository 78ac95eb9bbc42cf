//! Reference-model membership-inference attacks: LiRA (Carlini et al. 2022, "Membership
//! Inference Attacks From First Principles") and RMIA (Zarifzadeh et al. 2024, "Low-Cost
//! High-Power Membership Inference Attacks"), side by side with the target-only baseline, from a
//! table of the target's and M reference models' outputs on every record.
//!
//! The rules are those of `conformance/lira/README.md`, followed exactly: φ by logsumexp, median
//! centres, per-record and pooled global spreads with their fallbacks, RMIA with the self-pair
//! excluded. Every score is oriented "higher = more likely a member".

pub mod columns;
pub mod error;
pub mod gaussian_check;
pub mod lira;
pub mod phi;
pub mod portable_exp;
pub mod read;
pub mod reference_counts;
pub mod reference_trend;
pub mod report;
pub mod rmia;
pub mod scores_csv;
pub mod settings;
pub mod table;
pub mod training;
pub mod variant;

pub use columns::{PhiMode, ReferenceColumns};
pub use error::{ReferenceInputError, ReferenceSettingsError};
#[cfg(not(target_arch = "wasm32"))]
pub use read::read_reference_path;
pub use read::{
    read_reference_csv, ReferenceIngested, ReferencePart, ReferencePlan, ReferenceRead,
};
#[cfg(not(target_arch = "wasm32"))]
pub use report::run_reference_attack_on_two_threads;
pub use report::{
    run_reference_attack, AttackTask, ExposedReference, ReferenceAttackRun, ReferenceReport,
    TaskResult,
};
pub use settings::{Center, OfflineTest, ReferenceSettings};
pub use table::ReferenceTable;
pub use variant::{Unavailable, Variant, VariantResult};
