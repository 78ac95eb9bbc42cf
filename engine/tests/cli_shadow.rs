//! `mia shadow`: the figures of the engine's mode-B experiment for the same seed and settings,
//! unreadable paths and refused datasets, a closed output pipe, help and bad values.

mod common;

use common::{
    assert_cannot_read, assert_help_mentions, assert_quiet_when_output_closed,
    assert_stderr_contains, assert_stdout_contains, assert_success, assert_usage_error, dataset,
    run_mia, stdout_json, TempDir,
};
use mia_engine::shadow::{ShadowConfig, ShadowExperiment, TabularDataset};

#[test]
fn json_equals_the_engine_experiment_with_the_same_seed() {
    let file = dataset("breast_cancer.csv");
    let out = run_mia([
        "shadow".as_ref(),
        file.as_os_str(),
        "--shadows".as_ref(),
        "2".as_ref(),
        "--seed".as_ref(),
        "7".as_ref(),
        "--json".as_ref(),
    ]);
    let j = stdout_json(&out);
    let data = TabularDataset::from_csv(&common::read(&file)).unwrap();
    let config = ShadowConfig {
        n_shadows: 2,
        seed: 7,
        ..ShadowConfig::default()
    };
    let r = ShadowExperiment::run(data, config).unwrap();
    assert_eq!(j["n_shadows"], 2);
    assert_eq!(j["seed"], 7);
    assert_eq!(j["model"], r.model.as_str());
    assert_eq!(j["attack_oof_accuracy"], r.attack_oof_accuracy);
    assert_eq!(
        j["shadow_auc"].as_f64(),
        r.shadow_attack.as_ref().map(|a| a.auc)
    );
    assert_eq!(j["n_target_records"], r.verdicts.len());
    assert_eq!(j["n_predicted_members"], r.n_predicted_members);
    let text = run_mia([
        "shadow".as_ref(),
        file.as_os_str(),
        "--shadows".as_ref(),
        "2".as_ref(),
    ]);
    assert_success(&text);
    assert_stdout_contains(&text, "Shadow-model attack on");
}

#[test]
fn unreadable_paths_and_refused_datasets_name_the_path() {
    let dir = TempDir::new("shadow-io");
    for path in [dir.path("missing.csv"), dir.dir().to_path_buf()] {
        let out = run_mia(["shadow".as_ref(), path.as_os_str()]);
        assert_cannot_read(&out, &path);
    }
    // A row that is not numbers refuses the dataset (no row is skipped), naming the row.
    let bad = dir.path("bad.csv");
    std::fs::write(&bad, "x,class\n1,0\nabc,1\n2,1\n").unwrap();
    let out = run_mia(["shadow".as_ref(), bad.as_os_str()]);
    assert_usage_error(&out, &format!("error: {}: Row 3", bad.display()));
}

#[test]
fn a_closed_output_pipe_ends_quietly() {
    let file = dataset("breast_cancer.csv");
    let f = file.to_str().unwrap();
    assert_quiet_when_output_closed(&["shadow", f, "--shadows", "1"]);
    assert_quiet_when_output_closed(&["shadow", f, "--shadows", "1", "--json"]);
    assert_quiet_when_output_closed(&["shadow", "--help"]);
}

#[test]
fn help_and_bad_values() {
    let texts = [
        "--shadows",
        "--model",
        "--hidden",
        "--epochs",
        "--per-class",
        "--seed",
        "--json",
        "SHADOW (Shokri et al. 2017)",
    ];
    assert_help_mentions(&["shadow", "--help"], &texts);
    let file = dataset("breast_cancer.csv");
    let f = file.to_str().unwrap();
    for (args, named) in [
        (&["shadow", f, "--model", "foo"][..], "--model"),
        (&["shadow", f, "--shadows", "x"], "--shadows"),
        (&["shadow", f, "--hidden", "2.5"], "--hidden"),
        (&["shadow", f, "--seed", "-1"], "-1"),
        (&["shadow", f, "--bogus"], "--bogus"),
        (&["shadow"], "DATASET.csv"),
    ] {
        assert_usage_error(&run_mia(args), named);
    }
    // Out of the engine's range: refused by the engine, naming the file.
    let out = run_mia(["shadow", f, "--shadows", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_contains(&out, f);
}
