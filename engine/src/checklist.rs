//! The privacy risk checklist: the facts of a deployment (what data, how much, how it was trained,
//! what the API returns, whose data) turned into a risk level, recommendations and the regulations
//! in play. The rules are those of the pre-deployment membership-inference checklist the issue
//! tracker fixes (data sensitivity, overfitting, dataset size, log-probability exposure, GDPR scope,
//! privacy-preserving training, large-model memorization); the measured attack is added beside them
//! as evidence ([`evidence`]), following the risk bands of [`crate::RiskLevel::from_auc`].

pub mod assessment;
pub mod error;
pub mod evidence;
pub mod facts;
pub mod prefill;
pub mod regulation;
pub mod review_report;
pub mod rules;

pub use assessment::{assess, ChecklistAssessment};
pub use error::FactError;
pub use evidence::{attack_evidence, reference_evidence, stronger, AttackEvidence};
pub use facts::{
    DataSensitivity, DeploymentFacts, Fact, FactOrigin, FactValue, ModelSize, TrainingApproach,
};
pub use regulation::{regulations, RegulationRow};
pub use rules::{findings, FindingId, RiskFinding};
