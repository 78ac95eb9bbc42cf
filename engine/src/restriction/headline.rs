//! What the restriction view puts first: the strongest attack before and after (the largest AUC
//! and TPR at 1% FPR over every signal, since the attacker picks the signal that works best), and
//! the warnings a setting earns (utility lost, or nothing left to gain against the label-only
//! attacker of Yeom et al. 2018, which no restriction can stop).

use serde::{Deserialize, Serialize};

use super::evaluation::{AttackFigures, RestrictionReport};

/// Below this top-1 agreement (more than 1 answer in 100 changed) the view warns.
pub const MIN_TOP1_AGREEMENT: f64 = 0.99;

/// A drop in accuracy larger than this (one point) earns a warning.
pub const MAX_ACCURACY_DROP: f64 = 0.01;

/// The false-positive rate of the headline TPR.
pub const HEADLINE_FPR: f64 = 0.01;

/// The strongest attack on the unrestricted and on the restricted outputs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StrongestAttack {
    pub auc_before: f64,
    pub auc_after: f64,
    pub tpr_at_1pct_before: f64,
    pub tpr_at_1pct_after: f64,
}

/// Something a setting costs, or no longer buys.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum RestrictionWarning {
    /// Rounding or capping created ties that flip the top class of this share of records.
    PredictionsChanged { share: f64 },
    /// Accuracy against the labels drops by more than [`MAX_ACCURACY_DROP`].
    AccuracyDrop { before: f64, after: f64 },
    /// The restriction lowered the attack to where the label-only attacker is as strong:
    /// restricting further buys nothing.
    LabelOnlyAsStrong {
        label_only_auc: f64,
        attack_auc: f64,
    },
}

/// The largest AUC over the signals; 0.5 (chance) when there is none.
///
/// # Examples
/// ```
/// use mia_engine::restriction::headline::strongest_auc;
/// assert_eq!(strongest_auc(&[]), 0.5);
/// ```
pub fn strongest_auc(figures: &[AttackFigures]) -> f64 {
    figures.iter().map(|f| f.auc).fold(0.5, f64::max)
}

/// The largest TPR at [`HEADLINE_FPR`] over the signals; 0 when there is none.
pub fn strongest_tpr_at_1pct(figures: &[AttackFigures]) -> f64 {
    figures
        .iter()
        .flat_map(|f| f.tpr_at_fpr.iter().filter(|t| t.target_fpr == HEADLINE_FPR))
        .map(|t| t.tpr)
        .fold(0.0, f64::max)
}

impl RestrictionReport {
    /// The strongest attack before and after the restriction.
    pub fn strongest(&self) -> StrongestAttack {
        StrongestAttack {
            auc_before: strongest_auc(&self.before),
            auc_after: strongest_auc(&self.after),
            tpr_at_1pct_before: strongest_tpr_at_1pct(&self.before),
            tpr_at_1pct_after: strongest_tpr_at_1pct(&self.after),
        }
    }

    /// The warnings this setting earns, in the order the view shows them.
    pub fn warnings(&self) -> Vec<RestrictionWarning> {
        let u = &self.utility;
        let mut out = Vec::new();
        if u.top1_agreement < MIN_TOP1_AGREEMENT {
            out.push(RestrictionWarning::PredictionsChanged {
                share: 1.0 - u.top1_agreement,
            });
        }
        if let (Some(after), Some(before)) = (u.accuracy, self.accuracy_before) {
            if after < before - MAX_ACCURACY_DROP {
                out.push(RestrictionWarning::AccuracyDrop { before, after });
            }
        }
        let s = self.strongest();
        if let Some(l) = self.label_only_auc {
            if s.auc_after < s.auc_before && l >= s.auc_after {
                out.push(RestrictionWarning::LabelOnlyAsStrong {
                    label_only_auc: l,
                    attack_auc: s.auc_after,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::confidence::clopper_pearson::RateInterval;
    use crate::restriction::{RestrictionSetting, Utility};
    use crate::{Signal, TprAtFpr, FPR_TARGETS};

    fn figures(signal: Signal, auc: f64, tpr: [f64; 3]) -> AttackFigures {
        AttackFigures {
            signal,
            auc,
            tpr_at_fpr: FPR_TARGETS
                .iter()
                .zip(tpr)
                .map(|(&target_fpr, tpr)| TprAtFpr {
                    target_fpr,
                    tpr,
                    measurable: true,
                    interval: RateInterval::unknown(),
                })
                .collect(),
            advantage: 0.0,
        }
    }

    /// Before: confidence AUC 0.8, loss 0.7; after: 0.6 and `after_auc` (the strongest).
    fn report(
        agreement: f64,
        accuracy: (f64, f64),
        label_only: f64,
        after_auc: f64,
    ) -> RestrictionReport {
        RestrictionReport {
            setting: RestrictionSetting::default(),
            before: vec![
                figures(Signal::Confidence, 0.8, [0.01, 0.20, 0.5]),
                figures(Signal::NegLoss, 0.7, [0.05, 0.10, 0.4]),
            ],
            after: vec![
                figures(Signal::Confidence, 0.6, [0.0, 0.02, 0.2]),
                figures(Signal::NegLoss, after_auc, [0.0, 0.03, 0.1]),
            ],
            utility: Utility {
                top1_agreement: agreement,
                accuracy: Some(accuracy.1),
                ece: None,
                n_lost_distinct: 0,
            },
            ece_before: None,
            accuracy_before: Some(accuracy.0),
            label_only_auc: Some(label_only),
        }
    }

    #[test]
    fn the_strongest_signal_is_taken_before_and_after() {
        let s = report(1.0, (0.9, 0.9), 0.5, 0.65).strongest();
        assert_eq!(
            s,
            StrongestAttack {
                auc_before: 0.8,
                auc_after: 0.65,
                tpr_at_1pct_before: 0.20,
                tpr_at_1pct_after: 0.03,
            }
        );
        // No signal: chance, and no TPR.
        assert_eq!((strongest_auc(&[]), strongest_tpr_at_1pct(&[])), (0.5, 0.0));
        // Below chance counts as chance: an attacker would flip the score.
        let weak = [figures(Signal::Confidence, 0.3, [0.0; 3])];
        assert_eq!(strongest_auc(&weak), 0.5);
    }

    #[test]
    fn each_warning_has_its_threshold() {
        use RestrictionWarning as W;
        // (agreement, accuracy before/after, label-only AUC, strongest AUC after) → warnings
        let cases = [
            ((0.99, (0.9, 0.89), 0.5, 0.65), vec![]),
            (
                (0.98, (0.9, 0.9), 0.5, 0.65),
                vec![W::PredictionsChanged { share: 1.0 - 0.98 }],
            ),
            (
                (1.0, (0.9, 0.88), 0.5, 0.65),
                vec![W::AccuracyDrop {
                    before: 0.9,
                    after: 0.88,
                }],
            ),
            (
                (1.0, (0.9, 0.9), 0.65, 0.65),
                vec![W::LabelOnlyAsStrong {
                    label_only_auc: 0.65,
                    attack_auc: 0.65,
                }],
            ),
            ((1.0, (0.9, 0.9), 0.64, 0.65), vec![]),
            // Not lowered by the restriction: nothing was bought, so nothing to warn about.
            ((1.0, (0.9, 0.9), 0.9, 0.8), vec![]),
        ];
        for ((agreement, accuracy, label_only, after), expected) in cases {
            let r = report(agreement, accuracy, label_only, after);
            assert_eq!(
                r.warnings(),
                expected,
                "{agreement} {accuracy:?} {label_only} {after}"
            );
        }
    }
}
