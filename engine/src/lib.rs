//! `mia-engine`: the maths of a membership-inference audit, with no knowledge of any UI.
//!
//! The audit pipeline has one folder per stage: bytes of a CSV → [`ingest`] (delimiter sniffing,
//! column detection, validation) → [`table`] ([`AuditTable`]) → [`attack`] (per-[`Signal`] scores,
//! higher = more likely a member, and the threshold attack of Yeom et al. 2018: [`roc_curve`],
//! [`auc`], [`tpr_at_fpr`], … collected in an [`AuditReport`]) → [`output`] (JSON, review report).
//!
//! Each further feature has its own folder with its typed error: [`dp`], [`simulator`],
//! [`models`], [`shadow`], [`reference_attack`] (LiRA, RMIA), [`restriction`], [`checklist`],
//! [`confidence`], [`monitor`].
//!
//! Every function that reproduces a published metric is tested against reference values produced
//! by scikit-learn (see `tests/conformance.rs`).

pub mod attack;
pub mod checklist;
pub mod confidence;
pub mod dp;
pub mod ingest;
pub mod models;
pub mod monitor;
pub mod output;
pub mod reference_attack;
pub mod restriction;
pub mod shadow;
pub mod simulator;
pub mod table;
pub mod text;
pub mod training;
pub mod unlearning;

#[cfg(test)]
mod test_draw;

pub use attack::error::MetricError;
pub use attack::report::{audit, AuditReport, SignalReport};
pub use attack::risk::RiskLevel;
pub use attack::roc::{auc, roc_curve, RocCurve};
pub use attack::threshold::{tpr_at_fpr, TprAtFpr, FPR_TARGETS};
pub use ingest::columns::{detect_columns, ColumnMapping};
pub use ingest::error::IngestError;
pub use ingest::{ingest, IngestProgress, IngestReport, Ingested, RowProblem};
pub use table::audit_table::AuditTable;
pub use table::signal::Signal;
