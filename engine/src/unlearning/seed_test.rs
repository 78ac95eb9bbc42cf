//! The seed design's verification (`verify_unlearning_with_mi_test`), exactly: the mean
//! confidence on the forget set before and after unlearning, each minus the held-out mean taken
//! under the model before; verified when the gap after is below 0.05 in absolute value.

use serde::{Deserialize, Serialize};

/// |gap after| below this verifies (the seed's "Gap < 5%").
pub const VERIFIED_GAP: f64 = 0.05;

/// The seed's figures, with its keys, and the after-model's held-out mean beside them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedVerification {
    pub before_forget_confidence: f64,
    pub after_forget_confidence: f64,
    /// Under the model before unlearning, as the seed takes it.
    pub held_out_confidence: f64,
    /// Under the model after unlearning (not in the seed's formulas; shown beside them).
    pub held_out_confidence_after: f64,
    pub membership_gap_before: f64,
    pub membership_gap_after: f64,
    pub gap_reduction: f64,
    pub unlearning_verified: bool,
    pub recommendation: String,
}

impl SeedVerification {
    /// The seed's test from the mean confidences: on the forget set before and after, and on the
    /// held-out records before and after.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::unlearning::seed_test::SeedVerification;
    /// let v = SeedVerification::of_means(0.9, 0.52, 0.5, 0.49);
    /// assert!(v.unlearning_verified);
    /// assert!((v.gap_reduction - 0.95).abs() < 1e-12);
    /// ```
    pub fn of_means(
        before_forget: f64,
        after_forget: f64,
        held_out: f64,
        held_out_after: f64,
    ) -> SeedVerification {
        let before_gap = before_forget - held_out;
        let after_gap = after_forget - held_out;
        let gap_reduction = 1.0 - after_gap.abs() / before_gap.abs().max(1e-8);
        let verified = after_gap.abs() < VERIFIED_GAP;
        SeedVerification {
            before_forget_confidence: before_forget,
            after_forget_confidence: after_forget,
            held_out_confidence: held_out,
            held_out_confidence_after: held_out_after,
            membership_gap_before: before_gap,
            membership_gap_after: after_gap,
            gap_reduction,
            unlearning_verified: verified,
            recommendation: if verified {
                "Unlearning complete - forget set indistinguishable from non-members".to_string()
            } else {
                format!("Unlearning incomplete - gap={after_gap:.3}. Run more steps or retrain.")
            },
        }
    }
}
