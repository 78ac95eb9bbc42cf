//! Training-lab runs: deterministic from the seed; the privacy-aware early stop acts at the first
//! epoch after 5 whose recorded gap exceeds the target, before the patience rule (the seed
//! design's order); DP-SGD's ε is the accountant's for the run's q, σ, steps and δ; bad data and
//! settings are refused with their reason.

use mia_engine::dp::{dp_sgd_epsilon, DpSgdSchedule};
use mia_engine::shadow::TabularDataset;
use mia_engine::training::run::{StopReason, TrainError, TrainingRun, GAP_STOP_AFTER};
use mia_engine::training::settings::{
    DpSettings, EarlyStop, NoiseChoice, TrainSettings, TrainSettingsError,
};

fn digits() -> TabularDataset {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/datasets/digits.csv");
    TabularDataset::from_csv(&std::fs::read(path).unwrap()).unwrap()
}

fn noisy_digits() -> TabularDataset {
    digits().with_pixel_noise(8.0, 12345)
}

fn run_to_end(data: &TabularDataset, settings: TrainSettings) -> TrainingRun {
    let mut run = TrainingRun::new(data, settings).unwrap();
    while !run.step() {}
    run
}

fn small(epochs: usize) -> TrainSettings {
    TrainSettings {
        hidden: vec![32],
        epochs,
        batch: 64,
        lr: 0.01,
        ..TrainSettings::default()
    }
}

#[test]
fn a_run_is_the_same_from_the_same_seed() {
    let data = noisy_digits();
    let a = run_to_end(&data, small(3));
    let b = run_to_end(&data, small(3));
    assert_eq!(a.history(), b.history());
    assert_eq!(a.network(), b.network());
    let c = run_to_end(
        &data,
        TrainSettings {
            seed: 1,
            ..small(3)
        },
    );
    assert_ne!(a.history(), c.history());
    assert_eq!(a.stopped(), Some(StopReason::Finished));
    assert_eq!(a.data().members.len() + a.data().held_out.len(), 1797);
}

#[test]
fn the_privacy_aware_stop_acts_at_the_first_epoch_after_5_over_the_target() {
    let data = noisy_digits();
    let target = 0.05;
    let settings = TrainSettings {
        early_stop: EarlyStop::Gap,
        target_gap: target,
        ..small(60)
    };
    let run = run_to_end(&data, settings);
    let h = run.history();
    // The first 0-based epoch past 5 whose gap exceeds the target, unless the patience rule
    // stopped the run first.
    let expected = h
        .iter()
        .enumerate()
        .find(|(e, r)| *e > GAP_STOP_AFTER && r.gap > target)
        .map(|(e, _)| e + 1);
    match run.stopped() {
        Some(StopReason::Gap { epoch, gap, .. }) => {
            assert_eq!(Some(epoch), expected);
            assert_eq!(epoch, h.len());
            assert_eq!(gap, h[epoch - 1].gap);
            // No earlier epoch after 5 was over the target.
            assert!(h[GAP_STOP_AFTER + 1..epoch - 1]
                .iter()
                .all(|r| r.gap <= target));
        }
        other => panic!(
            "expected the privacy-aware stop, got {other:?} after {} epochs",
            h.len()
        ),
    }
    // The noisy digits overfit: the gap grows and the attack beats chance.
    let last = h.last().unwrap();
    assert!(last.attack_auc > 0.5, "{last:?}");
}

#[test]
fn dp_sgd_spends_the_accountants_epsilon() {
    let data = noisy_digits();
    let settings = TrainSettings {
        dp: Some(DpSettings {
            noise: NoiseChoice::NoiseMultiplier(1.1),
            max_grad_norm: 1.0,
            delta: None,
        }),
        ..small(2)
    };
    let run = run_to_end(&data, settings);
    let dp = *run.dp().unwrap();
    let n = run.data().members.len();
    assert_eq!(dp.sampling_rate, 64.0 / n as f64);
    assert_eq!(dp.delta, 1.0 / (10.0 * n as f64));
    assert!(!dp.delta_too_large);
    assert_eq!(dp.steps_per_epoch, (n as f64 / 64.0).floor() as u64);
    for r in run.history() {
        let want = dp_sgd_epsilon(
            &DpSgdSchedule {
                sampling_rate: dp.sampling_rate,
                noise_multiplier: 1.1,
                steps: r.steps,
            },
            dp.delta,
        )
        .unwrap()
        .epsilon;
        assert_eq!(r.epsilon, Some(want));
        assert_eq!(r.steps, dp.steps_per_epoch * r.epoch as u64);
    }
    // A target ε gives the σ whose ε after every epoch is at most the target.
    let target = TrainSettings {
        dp: Some(DpSettings {
            noise: NoiseChoice::TargetEpsilon(1.0),
            max_grad_norm: 1.0,
            delta: None,
        }),
        ..small(2)
    };
    let run = run_to_end(&data, target);
    let last = run.history().last().unwrap().epsilon.unwrap();
    assert!(last <= 1.0 && last > 0.99, "ε = {last}");
}

#[test]
fn bad_data_and_settings_are_refused_with_their_reason() {
    let data = digits();
    let refuse = |s: TrainSettings| TrainingRun::new(&data, s).err().unwrap();
    assert_eq!(
        refuse(TrainSettings {
            lr: 0.0,
            ..small(1)
        }),
        TrainError::Settings(TrainSettingsError::LearningRate(0.0))
    );
    assert!(matches!(
        refuse(TrainSettings {
            batch: 5000,
            ..small(1)
        }),
        TrainError::Settings(TrainSettingsError::Batch { batch: 5000, .. })
    ));
    let dp = |noise, c| TrainSettings {
        dp: Some(DpSettings {
            noise,
            max_grad_norm: c,
            delta: None,
        }),
        ..small(1)
    };
    assert_eq!(
        refuse(dp(NoiseChoice::NoiseMultiplier(1.0), 0.0)),
        TrainError::Settings(TrainSettingsError::MaxGradNorm(0.0))
    );
    assert_eq!(
        refuse(dp(NoiseChoice::NoiseMultiplier(-1.0), 1.0)),
        TrainError::Settings(TrainSettingsError::NoiseMultiplier(-1.0))
    );
    assert_eq!(
        refuse(dp(NoiseChoice::TargetEpsilon(0.0), 1.0)),
        TrainError::Settings(TrainSettingsError::TargetEpsilon(0.0))
    );
    // One class and non-numeric features are refused by the dataset reader, with the row.
    assert!(TabularDataset::from_csv(b"a,class\n1,x\n2,x\n3,x\n").is_err());
    let nan = TabularDataset::from_csv(b"a,class\n1,x\nNaN,y\n")
        .unwrap_err()
        .to_string();
    assert!(nan.starts_with("Row 3, column `a`"), "{nan}");
    let mut csv = String::from("a,class\n");
    for i in 0..30 {
        csv.push_str(&format!("{i},{}\n", if i < 25 { "big" } else { "tiny" }));
    }
    let small_class = TabularDataset::from_csv(csv.as_bytes()).unwrap();
    assert_eq!(
        TrainingRun::new(&small_class, small(1)).err().unwrap().to_string(),
        "Class `tiny` has 5 records; each class needs at least 10 so that both the members and the held-out records have some."
    );
}

/// DP-SGD at ε = 1 leaks less than the same undefended run (same seed, data and model), and the
/// audit's empirical lower bound on ε (split-half threshold audit, 95 %) does not refute ε = 1.
#[test]
fn dp_at_epsilon_1_leaks_less_and_the_empirical_bound_does_not_refute_it() {
    use mia_engine::dp::{epsilon_lower_bound, split_half_audit};
    let data = noisy_digits();
    let base = TrainSettings {
        hidden: vec![64],
        epochs: 30,
        batch: 64,
        lr: 0.005,
        ..TrainSettings::default()
    };
    let undefended = run_to_end(&data, base.clone());
    let private = run_to_end(
        &data,
        TrainSettings {
            dp: Some(DpSettings {
                noise: NoiseChoice::TargetEpsilon(1.0),
                max_grad_norm: 1.0,
                delta: None,
            }),
            ..base
        },
    );
    let (a, b) = (
        undefended.history().last().unwrap(),
        private.history().last().unwrap(),
    );
    assert!(b.epsilon.unwrap() <= 1.0);
    assert!(
        b.attack_auc < a.attack_auc,
        "DP AUC {} vs undefended {}",
        b.attack_auc,
        a.attack_auc
    );
    let dp = private.dp().unwrap();
    let (scores, member) = {
        let o = private.outputs();
        let n = private.data().members.len();
        let s: Vec<f64> = o.iter().map(|r| -r.loss).collect();
        (s, (0..o.len()).map(|i| i < n).collect::<Vec<bool>>())
    };
    // The run's own attack is on these scores.
    assert_eq!(private.attack().unwrap().auc, b.attack_auc);
    let audit = split_half_audit(&member, &scores, dp.delta, 0.95, 0).unwrap();
    let bound = epsilon_lower_bound(&audit.evaluation, dp.delta, 0.95);
    assert!(
        bound.epsilon <= b.epsilon.unwrap(),
        "the audit's lower bound {} refutes ε = {}",
        bound.epsilon,
        b.epsilon.unwrap()
    );
}

/// The profile trains each variant in turn, one epoch per step; a stopped profile keeps the rows
/// of the runs that finished.
#[test]
fn the_profile_runs_each_variant_and_keeps_finished_rows() {
    use mia_engine::training::profile::{PrivacyProfile, ProfileVariant};
    let variants = vec![
        ProfileVariant::Dp { epsilon: 1.0 },
        ProfileVariant::NoDp,
        ProfileVariant::L2,
    ];
    let mut p = PrivacyProfile::new(noisy_digits(), small(2), variants.clone());
    let mut steps = 0;
    while !p.step().unwrap() {
        steps += 1;
        if steps == 3 {
            // Mid-way: the first run is done, the second in progress.
            assert_eq!(p.rows().len(), 1);
            assert!(p.current().is_some());
            assert!(p.fraction_done() > 0.3 && p.fraction_done() < 0.7);
        }
    }
    let rows = p.rows();
    assert_eq!(rows.iter().map(|r| r.variant).collect::<Vec<_>>(), variants);
    assert!(rows[0].epsilon.unwrap() <= 1.0);
    assert!(rows[1].epsilon.is_none());
    // Each row is the run of its settings on its own.
    let alone = run_to_end(&noisy_digits(), ProfileVariant::L2.settings(&small(2)));
    assert_eq!(
        rows[2].attack_auc,
        alone.history().last().unwrap().attack_auc
    );
}
