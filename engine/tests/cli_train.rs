//! `mia train`: the engine's run for the same settings (history and final figures), DP-SGD's ε
//! equal to `mia dp-epsilon` for the run's q, σ, steps and δ, the outputs file in the audit's
//! schema read back by `mia audit`, and the refusals.

mod common;

use common::{assert_usage_error, run_mia, stdout_json, TempDir};
use mia_engine::training::datasets::bundled_dataset;
use mia_engine::training::run::TrainingRun;
use mia_engine::training::settings::TrainSettings;

#[test]
fn the_cli_gives_the_engines_run_for_the_same_settings() {
    let j = stdout_json(&run_mia([
        "train",
        "--dataset",
        "digits_noisy",
        "--hidden",
        "32",
        "--epochs",
        "4",
        "--batch",
        "64",
        "--lr",
        "0.01",
        "--seed",
        "3",
        "--json",
    ]));
    let settings = TrainSettings {
        hidden: vec![32],
        epochs: 4,
        batch: 64,
        lr: 0.01,
        seed: 3,
        ..TrainSettings::default()
    };
    let mut run = TrainingRun::new(&bundled_dataset("digits_noisy").unwrap(), settings).unwrap();
    while !run.step() {}
    let history: Vec<mia_engine::training::run::EpochRecord> =
        serde_json::from_value(j["history"].clone()).unwrap();
    assert_eq!(history, run.history());
    let last = run.history().last().unwrap();
    assert_eq!(j["auc"].as_f64().unwrap(), last.attack_auc);
    assert_eq!(
        j["tpr_at_fpr"]["0.01"].as_f64().unwrap(),
        last.attack_tpr_at_1_percent
    );
    assert_eq!(
        j["held_out_accuracy"].as_f64().unwrap(),
        last.held_out_accuracy
    );
    assert_eq!(j["epochs_trained"], 4);
    assert!(j["dp"].is_null());
}

#[test]
fn dp_epsilon_equals_mia_dp_epsilon_for_the_runs_parameters() {
    let j = stdout_json(&run_mia([
        "train",
        "--dataset",
        "breast_cancer",
        "--model",
        "logreg",
        "--epochs",
        "3",
        "--batch",
        "16",
        "--lr",
        "0.05",
        "--optimizer",
        "sgd",
        "--dp",
        "--noise-multiplier",
        "1.3",
        "--max-grad-norm",
        "0.5",
        "--json",
    ]));
    let dp = &j["dp"];
    let q = dp["sampling_rate"].as_f64().unwrap();
    assert_eq!(q, 16.0 / j["n_members"].as_f64().unwrap());
    assert_eq!(dp["noise_multiplier"].as_f64().unwrap(), 1.3);
    let delta = dp["delta"].as_f64().unwrap();
    assert_eq!(delta, 1.0 / (10.0 * j["n_members"].as_f64().unwrap()));
    let steps = dp["steps"].as_u64().unwrap();
    assert_eq!(steps, 3 * (1.0 / q).floor() as u64);
    let e = stdout_json(&run_mia([
        "dp-epsilon".to_string(),
        "--q".into(),
        format!("{q}"),
        "--sigma".into(),
        "1.3".into(),
        "--steps".into(),
        format!("{steps}"),
        "--delta".into(),
        format!("{delta}"),
        "--json".into(),
    ]));
    assert_eq!(
        dp["epsilon"].as_f64().unwrap(),
        e["epsilon"].as_f64().unwrap()
    );
}

#[test]
fn the_outputs_file_is_an_audit_input_with_the_runs_attack() {
    let dir = TempDir::new("train-outputs");
    let out = dir.path("outputs.csv");
    let j = stdout_json(&run_mia([
        "train".as_ref(),
        "--dataset".as_ref(),
        "wine".as_ref(),
        "--epochs".as_ref(),
        "5".as_ref(),
        "--outputs".as_ref(),
        out.as_os_str(),
        "--json".as_ref(),
    ]));
    let audit = stdout_json(&run_mia([
        "audit".as_ref(),
        out.as_os_str(),
        "--signal".as_ref(),
        "neg_loss".as_ref(),
        "--json".as_ref(),
    ]));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("id,member,label,prob_0,prob_1,prob_2,logit_0,logit_1,logit_2\n"));
    assert_eq!(text.lines().count(), 179);
    // The audit's loss signal is the lab's attack: the same AUC (ranks survive the round trip
    // through the file's probabilities).
    let auc = audit["scores"]["neg_loss"]["auc"].as_f64().unwrap();
    assert!(
        (auc - j["auc"].as_f64().unwrap()).abs() < 1e-12,
        "{auc} vs {}",
        j["auc"]
    );
}

#[test]
fn bad_settings_and_datasets_are_named() {
    assert_usage_error(&run_mia(["train", "--lr", "0"]), "lr = 0");
    assert_usage_error(&run_mia(["train", "--batch", "5000"]), "batch = 5000");
    assert_usage_error(
        &run_mia(["train", "--dataset", "mnist"]),
        "not a bundled dataset",
    );
    assert_usage_error(&run_mia(["train", "--hidden", "64,x"]), "--hidden 64,x");
    assert_usage_error(
        &run_mia(["train", "--dp", "--target-epsilon", "0"]),
        "target_epsilon = 0",
    );
    assert_usage_error(
        &run_mia(["train", "--dp", "--max-grad-norm", "-1"]),
        "max_grad_norm = -1",
    );
    // DP's settings without --dp would be silently unused: refused instead.
    for flags in [
        ["--noise-multiplier", "1"],
        ["--target-epsilon", "2"],
        ["--max-grad-norm", "1"],
        ["--delta", "1e-5"],
    ] {
        let out = run_mia(["train", flags[0], flags[1]]);
        assert_usage_error(&out, "--dp");
    }
}

#[test]
fn unlearning_after_training_gives_the_engines_verification() {
    use mia_engine::unlearning::lab::{unlearn_in_lab, ForgetChoice, ForgetSet, UnlearnMethod};
    let j = stdout_json(&run_mia([
        "train",
        "--dataset",
        "wine",
        "--epochs",
        "20",
        "--unlearn-forget",
        "12",
        "--unlearn-methods",
        "retrain,fine_tune",
        "--finetune-epochs",
        "3",
        "--json",
    ]));
    let u = &j["unlearning"];
    assert_eq!(u["n_forget"], 12);
    let data = bundled_dataset("wine").unwrap();
    let mut run = TrainingRun::new(
        &data,
        TrainSettings {
            epochs: 20,
            ..TrainSettings::default()
        },
    )
    .unwrap();
    while !run.step() {}
    let set = ForgetSet::choose(run.data(), &ForgetChoice::Random { k: 12 }, 0).unwrap();
    let want = unlearn_in_lab(
        &run,
        &set,
        &[
            UnlearnMethod::Retrain,
            UnlearnMethod::FineTune { epochs: 3 },
        ],
    )
    .unwrap();
    for (got, want) in u["methods"].as_array().unwrap().iter().zip(&want) {
        assert_eq!(got["method"], want.method.key());
        assert_eq!(
            got["mi_test"]["auc_after"].as_f64().unwrap(),
            want.verification.mi.auc_after
        );
        assert_eq!(
            got["seed_test"]["membership_gap_after"].as_f64(),
            want.verification
                .seed
                .as_ref()
                .map(|s| s.membership_gap_after)
        );
        assert_eq!(got["verified"], want.verification.verified);
    }
    assert_eq!(
        u["methods"][1]["kl_to_retrained"].as_f64(),
        want[1].kl_to_retrained
    );
    assert_usage_error(
        &run_mia(["train", "--dataset", "wine", "--unlearn-forget", "x"]),
        "--unlearn-forget `x`: give a number of members K, class:C",
    );
    assert_usage_error(
        &run_mia([
            "train",
            "--dataset",
            "wine",
            "--epochs",
            "2",
            "--unlearn-forget",
            "5",
            "--unlearn-methods",
            "forget_it",
        ]),
        "--unlearn-methods: `forget_it` is not a method: use gradient_ascent, fine_tune or retrain",
    );
    assert_usage_error(
        &run_mia([
            "train",
            "--dataset",
            "wine",
            "--unlearn-forget",
            "5",
            "--unlearn-lr",
            "0",
        ]),
        "unlearn_lr = 0: the learning rate must be a number above 0.",
    );
    let out = run_mia(["train", "--unlearn-steps", "5"]);
    assert_usage_error(&out, "--unlearn-forget");
}
