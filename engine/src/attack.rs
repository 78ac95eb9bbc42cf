//! Stage 3 of the audit pipeline: the threshold attack (Yeom et al. 2018) on every membership
//! signal: ranking, ROC and AUC, TPR at low FPR, thresholds, histograms, per-class AUC, the most
//! exposed records and the risk level, collected in one [`report::AuditReport`].

pub mod empirical_epsilon;
pub mod error;
pub mod exposure;
pub mod histogram;
pub mod metrics;
pub mod per_class;
pub mod ranking;
pub mod report;
pub mod risk;
pub mod roc;
pub mod summary;
pub mod threshold;

pub use error::MetricError;
