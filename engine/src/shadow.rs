//! The shadow-model attack (Shokri, Stronati, Song & Shmatikov 2017, "Membership Inference
//! Attacks Against Machine Learning Models"): learn what membership looks like from models whose
//! training sets the attacker knows, then apply that knowledge to the target.

pub mod attack_features;
pub mod attack_model;
pub mod classifier;
pub mod config;
pub mod error;
pub mod experiment;
pub mod from_outputs;
pub mod report;
pub mod tabular_dataset;

pub use attack_features::{attack_features, ATTACK_FEATURE_NAMES};
pub use attack_model::{AttackModel, AttackOptions};
pub use classifier::{Classifier, ModelKind};
pub use config::ShadowConfig;
pub use error::{DatasetError, ShadowConfigError, ShadowError};
pub use experiment::{ShadowExperiment, ShadowStage};
pub use report::{RecordVerdict, ShadowReport};
pub use tabular_dataset::TabularDataset;
