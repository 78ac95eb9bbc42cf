//! `mia review`: facts prefilled from the audit of a file, entered facts checked by the engine,
//! the `--fail-unapproved` gate, the HTML report, skipped rows (`--strict`), unreadable paths, a
//! closed output pipe and help.

mod common;

use common::{
    assert_cannot_read, assert_cannot_write, assert_exit, assert_help_mentions,
    assert_quiet_when_output_closed, assert_stderr_contains, assert_stdout_contains,
    assert_success, assert_usage_error, conformance, csv_with_skipped_rows, fixture_json, run_mia,
    stdout_json, TempDir,
};
use mia_engine::ingest::fingerprint::sha256_hex;

const CASE: &str = "case08_digits_noisy_mlp_overfit";

#[test]
fn cli_review_prefills_from_the_audit_and_gates_on_approval() {
    let file = conformance(&format!("{CASE}.csv"));
    let run = |extra: &[&str]| {
        let mut args = vec!["review".as_ref(), file.as_os_str()];
        args.extend(extra.iter().map(std::ffi::OsStr::new));
        run_mia(args)
    };
    let out = run(&["--json", "--n-train", "50000"]);
    assert_eq!(out.status.code(), Some(0));
    let j = stdout_json(&out);
    // Gap and logits from the audit, the entered size overrides the member count.
    let exp = fixture_json(&format!("conformance/{CASE}.expected.json"));
    let gap = exp["target_train_accuracy"].as_f64().unwrap()
        - exp["target_test_accuracy"].as_f64().unwrap();
    assert!((j["facts"]["generalization_gap"].as_f64().unwrap() - gap).abs() < 1e-12);
    assert_eq!(j["facts"]["n_training_examples"], 50_000);
    assert_eq!(
        j["fact_sources"]["n_training_examples"],
        "entered by the reviewer"
    );
    assert!(j["fact_sources"]["generalization_gap"]
        .as_str()
        .unwrap()
        .starts_with("from the audit"));
    assert_eq!(j["input"]["sha256"], sha256_hex(&common::read(&file)));
    // Gap > 0.3 (high) and logits (high): two highs → high, approved.
    assert_eq!(j["checklist"]["overall_risk"], "high");
    let gated = run(&["--sensitivity", "medical", "--fail-unapproved"]);
    assert_eq!(gated.status.code(), Some(3));
    let bad = run(&["--model-size", "huge"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("small, medium, large or xlarge"));
}

#[test]
fn reference_attacks_join_the_evidence_and_the_report() {
    let lira = conformance("lira/lira01_digits_noise8_M8.csv");
    let dir = TempDir::new("review-lira");
    let html = dir.path("report.html");
    let out = run_mia([
        "review".as_ref(),
        lira.as_os_str(),
        "--reference-attacks".as_ref(),
        lira.as_os_str(),
        "--json".as_ref(),
        "--html".as_ref(),
        html.as_os_str(),
    ]);
    let j = stdout_json(&out);
    let native = stdout_json(&run_mia([
        "lira".as_ref(),
        lira.as_os_str(),
        "--json".as_ref(),
    ]));
    // LiRA online with the global spread names far more members at 1 % FPR than any threshold
    // signal of the same file: it is the measured attack.
    assert_eq!(
        j["measured_attack"]["attack"],
        "LiRA online, global spread (8 reference models)"
    );
    assert_eq!(
        j["measured_attack"]["tpr_at_fpr_0.01"],
        native["variants"]["lira_online_global"]["tpr_at_fpr"]["0.01"]
    );
    assert_eq!(
        j["reference_attacks"]["variants"]["rmia_online"]["auc"],
        native["variants"]["rmia_online"]["auc"]
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<table id=\"reference-attacks\">"));
    assert!(page.contains("LiRA online, global spread (8 reference models): AUC 0.8976"));
    let missing = std::path::PathBuf::from("/nonexistent/lira.csv");
    let out = run_mia([
        "review".as_ref(),
        "--reference-attacks".as_ref(),
        missing.as_os_str(),
    ]);
    assert_cannot_read(&out, &missing);
}

#[test]
fn facts_without_a_file_and_the_html_report() {
    let dir = TempDir::new("review-html");
    let html = dir.path("report.html");
    let out = run_mia([
        "review".as_ref(),
        "--gap".as_ref(),
        "-0.05".as_ref(),
        "--n-train".as_ref(),
        "12,000".as_ref(),
        "--html".as_ref(),
        html.as_os_str(),
    ]);
    assert_success(&out);
    assert_stdout_contains(&out, "overall risk:");
    assert!(std::fs::read_to_string(&html).unwrap().contains("<html"));
    let j = stdout_json(&run_mia(["review", "--gap", "", "--json"]));
    assert_eq!(j["facts"]["generalization_gap"], serde_json::Value::Null);
    // The report cannot be written to a directory: the path is named.
    let out = run_mia(["review".as_ref(), "--html".as_ref(), dir.dir().as_os_str()]);
    assert_cannot_write(&out, dir.dir());
}

#[test]
fn skipped_rows_get_a_note_and_fail_with_strict() {
    let dir = TempDir::new("review-skipped");
    let file = csv_with_skipped_rows(&dir);
    let f = file.to_str().unwrap();
    let out = run_mia(["review", f, "--json"]);
    let j = stdout_json(&out);
    assert_eq!(j["audit"]["ingest"]["n_skipped"], 3);
    assert_stderr_contains(&out, "note: 3 of 1797 data rows skipped");
    assert_stderr_contains(&out, "see `audit.ingest.problems` in the JSON");
    let strict = run_mia(["review", f, "--strict"]);
    assert_exit(&strict, 2);
    assert_stdout_contains(&strict, "overall risk:");
}

#[test]
fn a_missing_path_or_a_directory_is_an_io_error_naming_the_path() {
    let dir = TempDir::new("review-io");
    for path in [dir.path("missing.csv"), dir.dir().to_path_buf()] {
        let out = run_mia(["review".as_ref(), path.as_os_str()]);
        assert_cannot_read(&out, &path);
    }
}

#[test]
fn a_closed_output_pipe_ends_quietly() {
    let file = conformance(&format!("{CASE}.csv"));
    let f = file.to_str().unwrap();
    for args in [
        &["review", f][..],
        &["review", f, "--json"],
        &["review"],
        &["review", "--help"],
    ] {
        assert_quiet_when_output_closed(args);
    }
}

#[test]
fn help_and_bad_values() {
    let texts = [
        "--sensitivity",
        "--gap",
        "--n-train",
        "--logprobs",
        "--eu",
        "--training",
        "--model-size",
        "--json",
        "--html",
        "--fail-unapproved",
        "--strict",
        "REVIEW: the privacy risk checklist",
    ];
    assert_help_mentions(&["review", "--help"], &texts);
    for (args, named) in [
        (&["review", "--sensitivity", "secret"][..], "--sensitivity"),
        (&["review", "--gap", "abc"], "--gap"),
        (&["review", "--gap", "1.5"], "--gap"),
        (&["review", "--n-train", "many"], "--n-train"),
        (&["review", "--logprobs", "maybe"], "--logprobs"),
        (&["review", "--eu", "perhaps"], "--eu"),
        (&["review", "--training", "magic"], "--training"),
        (&["review", "--model-size", "huge"], "--model-size"),
        (&["review", "--bogus"], "--bogus"),
        (&["review", "--html"], "--html"),
    ] {
        assert_usage_error(&run_mia(args), named);
    }
}
