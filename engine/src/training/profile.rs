//! The privacy-utility profile: the same model trained at several privacy budgets with DP-SGD
//! (ε ∈ {0.5, 1, 2, 4, 8} and ∞, no DP) and with each non-DP defence alone, each run measured by
//! held-out accuracy and the threshold attack; the knee is the budget beyond which accuracy barely
//! improves while the attack does (what the seed design's "privacy-utility profiling before
//! deployment" asks).

use serde::{Deserialize, Serialize};

use super::run::{TrainError, TrainingRun};
use super::settings::{DpSettings, EarlyStop, NoiseChoice, TrainSettings};
use crate::shadow::TabularDataset;

/// The budgets trained with DP-SGD.
pub const PROFILE_EPSILONS: [f64; 5] = [0.5, 1.0, 2.0, 4.0, 8.0];

/// Accuracy gains below this from one budget to the next are "barely"…
pub const KNEE_ACCURACY_GAIN: f64 = 0.01;
/// … while attack AUC gains at or above this are the attack improving.
pub const KNEE_AUC_GAIN: f64 = 0.005;

/// What one run of the profile changes from the base settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ProfileVariant {
    /// DP-SGD with σ for this ε over the run.
    Dp { epsilon: f64 },
    /// The base settings, no DP (ε = ∞).
    NoDp,
    /// L2 weight decay 0.01 (the seed design's `l2_lambda`).
    L2,
    /// Dropout 0.3 (the seed design's `dropout_rate`).
    Dropout,
    /// Label smoothing 0.1.
    LabelSmoothing,
    /// Gradient-norm clipping at 1 (the seed design's `max_norm`).
    Clipping,
    /// Privacy-aware early stopping at the seed design's target gap 0.1.
    EarlyStopping,
}

impl ProfileVariant {
    /// Every run of the profile, in order: the budgets from the strictest, then no DP, then each
    /// defence alone.
    pub fn all() -> Vec<ProfileVariant> {
        let mut v: Vec<ProfileVariant> = PROFILE_EPSILONS
            .iter()
            .map(|&epsilon| ProfileVariant::Dp { epsilon })
            .collect();
        v.extend([
            ProfileVariant::NoDp,
            ProfileVariant::L2,
            ProfileVariant::Dropout,
            ProfileVariant::LabelSmoothing,
            ProfileVariant::Clipping,
            ProfileVariant::EarlyStopping,
        ]);
        v
    }

    /// A short label.
    pub fn label(&self) -> String {
        match self {
            ProfileVariant::Dp { epsilon } => format!("DP-SGD, ε = {epsilon}"),
            ProfileVariant::NoDp => "no defence (ε = ∞)".to_string(),
            ProfileVariant::L2 => "L2 0.01".to_string(),
            ProfileVariant::Dropout => "dropout 0.3".to_string(),
            ProfileVariant::LabelSmoothing => "label smoothing 0.1".to_string(),
            ProfileVariant::Clipping => "clipping at 1".to_string(),
            ProfileVariant::EarlyStopping => "privacy-aware early stopping (gap 0.1)".to_string(),
        }
    }

    /// `base` with this variant's change, every other defence off.
    pub fn settings(&self, base: &TrainSettings) -> TrainSettings {
        let mut s = TrainSettings {
            l2: 0.0,
            dropout: 0.0,
            label_smoothing: 0.0,
            clip: 0.0,
            early_stop: EarlyStop::None,
            dp: None,
            ..base.clone()
        };
        match *self {
            ProfileVariant::Dp { epsilon } => {
                let dp = base.dp.unwrap_or_default();
                s.dp = Some(DpSettings {
                    noise: NoiseChoice::TargetEpsilon(epsilon),
                    ..dp
                });
            }
            ProfileVariant::NoDp => {}
            ProfileVariant::L2 => s.l2 = 0.01,
            ProfileVariant::Dropout => s.dropout = 0.3,
            ProfileVariant::LabelSmoothing => s.label_smoothing = 0.1,
            ProfileVariant::Clipping => s.clip = 1.0,
            ProfileVariant::EarlyStopping => {
                s.early_stop = EarlyStop::Gap;
                s.target_gap = 0.1;
            }
        }
        s
    }
}

/// One finished run of the profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileRow {
    pub variant: ProfileVariant,
    pub label: String,
    pub epochs: usize,
    pub train_accuracy: f64,
    pub held_out_accuracy: f64,
    pub attack_auc: f64,
    pub attack_tpr_at_1_percent: f64,
    /// ε spent (DP runs).
    pub epsilon: Option<f64>,
}

/// The profile, run one epoch per step so that it can be stopped between epochs; the rows of
/// the runs that finished stay.
pub struct PrivacyProfile {
    data: TabularDataset,
    base: TrainSettings,
    variants: Vec<ProfileVariant>,
    current: Option<TrainingRun>,
    rows: Vec<ProfileRow>,
}

impl PrivacyProfile {
    /// The profile of `base` on `data` over `variants` ([`ProfileVariant::all`] for the whole).
    pub fn new(
        data: TabularDataset,
        base: TrainSettings,
        variants: Vec<ProfileVariant>,
    ) -> PrivacyProfile {
        PrivacyProfile {
            data,
            base,
            variants,
            current: None,
            rows: Vec::new(),
        }
    }

    /// The finished runs.
    pub fn rows(&self) -> &[ProfileRow] {
        &self.rows
    }

    /// The run in progress.
    pub fn current(&self) -> Option<&TrainingRun> {
        self.current.as_ref()
    }

    /// The variant of the run in progress.
    pub fn current_variant(&self) -> Option<ProfileVariant> {
        self.current.as_ref()?;
        self.variants.get(self.rows.len()).copied()
    }

    /// Fraction of the profile's epochs done.
    pub fn fraction_done(&self) -> f64 {
        let total = self.variants.len().max(1) as f64;
        let within = self
            .current
            .as_ref()
            .map_or(0.0, TrainingRun::fraction_done);
        ((self.rows.len() as f64 + within) / total).min(1.0)
    }

    /// Trains one epoch of the current run (starting the next when needed); `true` once every
    /// run has finished.
    pub fn step(&mut self) -> Result<bool, TrainError> {
        if self.current.is_none() {
            let Some(&variant) = self.variants.get(self.rows.len()) else {
                return Ok(true);
            };
            self.current = Some(TrainingRun::new(&self.data, variant.settings(&self.base))?);
        }
        let Some(run) = self.current.as_mut() else {
            return Ok(true);
        };
        if run.step() {
            let variant = self.variants[self.rows.len()];
            let last = run.history().last().cloned();
            self.rows.push(ProfileRow {
                variant,
                label: variant.label(),
                epochs: run.history().len(),
                train_accuracy: last.as_ref().map_or(f64::NAN, |r| r.train_accuracy),
                held_out_accuracy: last.as_ref().map_or(f64::NAN, |r| r.held_out_accuracy),
                attack_auc: last.as_ref().map_or(f64::NAN, |r| r.attack_auc),
                attack_tpr_at_1_percent: last
                    .as_ref()
                    .map_or(f64::NAN, |r| r.attack_tpr_at_1_percent),
                epsilon: last.as_ref().and_then(|r| r.epsilon),
            });
            self.current = None;
        }
        Ok(self.rows.len() == self.variants.len())
    }
}

/// The profile's rows as CSV: one line per run, full precision, ε empty for runs without DP.
pub fn profile_csv(rows: &[ProfileRow]) -> String {
    let mut out = String::from(
        "run,epsilon_budget,epochs,train_accuracy,held_out_accuracy,attack_auc,attack_tpr_at_1_percent,epsilon_spent\n",
    );
    for r in rows {
        let budget = match r.variant {
            ProfileVariant::Dp { epsilon } => epsilon.to_string(),
            ProfileVariant::NoDp => "inf".to_string(),
            _ => String::new(),
        };
        let spent = r.epsilon.map_or_else(String::new, |e| e.to_string());
        // Labels hold commas (", ε = 1"): quoted.
        out.push_str(&format!(
            "\"{}\",{budget},{},{},{},{},{},{spent}\n",
            r.label.replace('"', "\"\""),
            r.epochs,
            r.train_accuracy,
            r.held_out_accuracy,
            r.attack_auc,
            r.attack_tpr_at_1_percent
        ));
    }
    out
}

/// The knee of the budgets in `rows`: the smallest ε whose next larger budget (∞ last) gains less
/// than [`KNEE_ACCURACY_GAIN`] in held-out accuracy while the attack's AUC gains at least
/// [`KNEE_AUC_GAIN`]; `None` when no budget qualifies or fewer than two budgets ran.
pub fn knee(rows: &[ProfileRow]) -> Option<f64> {
    let mut budgets: Vec<(f64, &ProfileRow)> = rows
        .iter()
        .filter_map(|r| match r.variant {
            ProfileVariant::Dp { epsilon } => Some((epsilon, r)),
            ProfileVariant::NoDp => Some((f64::INFINITY, r)),
            _ => None,
        })
        .collect();
    budgets.sort_by(|a, b| a.0.total_cmp(&b.0));
    budgets.windows(2).find_map(|w| {
        let ((e, a), (_, b)) = (w[0], w[1]);
        (b.held_out_accuracy - a.held_out_accuracy < KNEE_ACCURACY_GAIN
            && b.attack_auc - a.attack_auc >= KNEE_AUC_GAIN)
            .then_some(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(variant: ProfileVariant, acc: f64, auc: f64) -> ProfileRow {
        ProfileRow {
            variant,
            label: variant.label(),
            epochs: 1,
            train_accuracy: acc,
            held_out_accuracy: acc,
            attack_auc: auc,
            attack_tpr_at_1_percent: 0.0,
            epsilon: None,
        }
    }

    #[test]
    fn the_profile_csv_has_a_line_per_run_with_full_precision() {
        let rows = vec![
            row(ProfileVariant::Dp { epsilon: 1.0 }, 0.7, 0.55),
            row(ProfileVariant::NoDp, 0.8, 0.7123456789),
            row(ProfileVariant::L2, 0.8, 0.6),
        ];
        let csv = profile_csv(&rows);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[1], "\"DP-SGD, ε = 1\",1,1,0.7,0.7,0.55,0,");
        assert_eq!(
            lines[2],
            "\"no defence (ε = ∞)\",inf,1,0.8,0.8,0.7123456789,0,"
        );
        assert_eq!(lines[3], "\"L2 0.01\",,1,0.8,0.8,0.6,0,");
    }

    #[test]
    fn the_knee_is_where_accuracy_stops_paying_for_the_attack() {
        let dp = |e| ProfileVariant::Dp { epsilon: e };
        let rows = vec![
            row(dp(0.5), 0.60, 0.51),
            row(dp(1.0), 0.70, 0.52),
            row(dp(2.0), 0.78, 0.53),
            row(dp(4.0), 0.785, 0.56),
            row(dp(8.0), 0.79, 0.60),
            row(ProfileVariant::NoDp, 0.80, 0.70),
            row(ProfileVariant::L2, 0.80, 0.55),
        ];
        assert_eq!(knee(&rows), Some(2.0));
        // Order does not matter; defences do not count.
        let mut shuffled = rows.clone();
        shuffled.reverse();
        assert_eq!(knee(&shuffled), Some(2.0));
        // Accuracy that keeps paying: no knee.
        let steady: Vec<ProfileRow> = (0..5)
            .map(|k| {
                row(
                    dp(PROFILE_EPSILONS[k]),
                    0.5 + 0.05 * k as f64,
                    0.5 + 0.01 * k as f64,
                )
            })
            .collect();
        assert_eq!(knee(&steady), None);
        assert_eq!(knee(&rows[..1]), None);
    }

    #[test]
    fn every_variant_changes_one_thing() {
        let base = TrainSettings {
            l2: 0.5,
            dropout: 0.2,
            ..TrainSettings::default()
        };
        for v in ProfileVariant::all() {
            let s = v.settings(&base);
            let changed = [
                s.l2 != 0.0,
                s.dropout != 0.0,
                s.label_smoothing != 0.0,
                s.clip != 0.0,
                s.early_stop != EarlyStop::None,
                s.dp.is_some(),
            ];
            let n = changed.iter().filter(|&&c| c).count();
            assert_eq!(n, usize::from(v != ProfileVariant::NoDp), "{v:?}");
            assert_eq!((s.epochs, s.lr, s.seed), (base.epochs, base.lr, base.seed));
        }
        assert_eq!(ProfileVariant::all().len(), 11);
    }
}
