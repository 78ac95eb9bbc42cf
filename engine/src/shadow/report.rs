//! What the shadow-model attack found.

use serde::{Deserialize, Serialize};

use crate::SignalReport;

/// The attack's verdict on one target record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordVerdict {
    pub name: String,
    /// The true membership, when the target's member flags are known.
    pub member: Option<bool>,
    pub label: Option<u32>,
    pub membership_probability: f64,
    /// `membership_probability >= 0.5`.
    pub predicted_member: bool,
    /// `|membership_probability − 0.5| > 0.3`.
    pub high_confidence: bool,
}

impl RecordVerdict {
    pub fn new(name: String, member: Option<bool>, label: Option<u32>, p: f64) -> RecordVerdict {
        RecordVerdict {
            name,
            member,
            label,
            membership_probability: p,
            predicted_member: p >= 0.5,
            high_confidence: (p - 0.5).abs() > 0.3,
        }
    }
}

/// The attack: how it was trained, how well it learned, and what it says about the target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShadowReport {
    pub n_shadows: usize,
    pub model: String,
    /// Shadow records the attack was trained on (in + out).
    pub n_shadow_records: usize,
    /// Out-of-fold accuracy of the attack classifier on shadow records (0.5 = learned nothing).
    pub attack_oof_accuracy: f64,
    pub verdicts: Vec<RecordVerdict>,
    pub n_predicted_members: usize,
    pub n_high_confidence: usize,
    /// The shadow attack's report against the target's true membership (when known); its scores
    /// are the membership probabilities.
    pub shadow_attack: Option<SignalReport>,
    /// The threshold attack on the target's confidence, for comparison (when membership is known).
    pub threshold_attack: Option<SignalReport>,
    pub target_train_accuracy: Option<f64>,
    pub target_test_accuracy: Option<f64>,
}

impl ShadowReport {
    /// Counts the verdicts.
    pub fn count(&mut self) {
        self.n_predicted_members = self.verdicts.iter().filter(|v| v.predicted_member).count();
        self.n_high_confidence = self.verdicts.iter().filter(|v| v.high_confidence).count();
    }
}
