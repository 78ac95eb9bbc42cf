//! `mia-engine`: the maths of a membership-inference audit, with no knowledge of any UI.
//!
//! The pipeline is: bytes of a CSV → [`ingest`] (delimiter sniffing, column detection, validation)
//! → [`AuditTable`] → per-[`Signal`] scores (higher = more likely a member) → the threshold attack
//! of Yeom et al. 2018 ([`roc_curve`], [`auc`], [`tpr_at_fpr`], …) collected in an [`AuditReport`].
//!
//! Every function that reproduces a published metric is tested against reference values produced
//! by scikit-learn (see `tests/conformance.rs`).

pub mod audit_report;
pub mod audit_table;
pub mod checklist;
pub mod column_mapping;
pub mod confidence;
pub mod csv_format;
pub mod csv_records;
pub mod decimal;
pub mod dp;
pub mod error;
pub mod exposure;
pub mod fingerprint;
pub mod folded_signals;
pub mod histogram;
pub mod ingest;
pub mod ingest_parts;
pub mod member_flags;
pub mod membership_label;
pub mod models;
pub mod number_format;
pub mod per_class;
pub mod ranking;
pub mod report_json;
pub mod restriction;
pub mod review_report;
pub mod risk;
pub mod roc;
pub mod row_numbers;
pub mod shadow;
pub mod signal;
pub mod simulator;
pub mod summary;
pub mod text_column;
pub mod threshold_attack;

pub use audit_report::{audit, AuditReport, SignalReport};
pub use audit_table::AuditTable;
pub use column_mapping::{detect_columns, ColumnMapping};
pub use error::{IngestError, MetricError};
pub use ingest::{ingest, IngestProgress, IngestReport, Ingested, RowProblem};
pub use risk::RiskLevel;
pub use roc::{auc, roc_curve, RocCurve};
pub use signal::Signal;
pub use threshold_attack::{tpr_at_fpr, TprAtFpr, FPR_TARGETS};
