//! `mia restrict`: the JSON against the shared numpy reference, the restricted CSV, skipped rows
//! (`--strict`, the note on standard error), unreadable paths, a closed output pipe, help and the
//! checks of every option's value.

mod common;

use common::{
    assert_cannot_read, assert_cannot_write, assert_exit, assert_help_mentions,
    assert_quiet_when_output_closed, assert_stderr_contains, assert_stdout_contains,
    assert_success, assert_usage_error, conformance, csv_with_skipped_rows, restriction_reference,
    run_mia, stdout_json, TempDir,
};
use mia_engine::ingest;
use mia_engine::restriction::{restricted_csv, RestrictionSetting};

const CASE01: &str = "case01_digits_mlp_overfit.csv";

#[test]
fn cli_reports_the_reference_figures() {
    let g = restriction_reference("T2_cap0.95_prec1");
    let csv = conformance(CASE01);
    let out = run_mia([
        "restrict",
        csv.to_str().unwrap(),
        "--temperature",
        "2",
        "--cap",
        "0.95",
        "--precision",
        "1",
        "--json",
    ]);
    let v = stdout_json(&out);
    assert!(
        (v["after"]["confidence"]["auc"].as_f64().unwrap() - g["auc"].as_f64().unwrap()).abs()
            <= 1e-9
    );
    assert_eq!(
        v["utility"]["top1_agreement"].as_f64().unwrap(),
        g["top1_agreement"].as_f64().unwrap()
    );
    assert_eq!(v["setting"]["max_confidence"], 0.95);
    assert_eq!(v["setting"]["precision"], 1);
    let bad = run_mia(["restrict", csv.to_str().unwrap(), "--temperature", "-1"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn out_writes_the_restricted_csv() {
    let dir = TempDir::new("restrict-out");
    let csv = conformance(CASE01);
    let path = dir.path("restricted.csv");
    let out = run_mia([
        "restrict".as_ref(),
        csv.as_os_str(),
        "--temperature".as_ref(),
        "2".as_ref(),
        "--out".as_ref(),
        path.as_os_str(),
    ]);
    assert_success(&out);
    assert_stdout_contains(&out, "Confidence restriction of");
    let table = ingest(&common::read(&csv), None).unwrap().table;
    let setting = RestrictionSetting {
        temperature: 2.0,
        ..RestrictionSetting::default()
    };
    let want = restricted_csv(&table, &setting).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), want);
    // A directory cannot be written as the CSV: the path is named.
    let out = run_mia([
        "restrict".as_ref(),
        csv.as_os_str(),
        "--label-only".as_ref(),
        "--out".as_ref(),
        dir.dir().as_os_str(),
    ]);
    assert_cannot_write(&out, dir.dir());
}

#[test]
fn skipped_rows_get_a_note_and_fail_with_strict() {
    let dir = TempDir::new("restrict-skipped");
    let file = csv_with_skipped_rows(&dir);
    let f = file.to_str().unwrap();
    let out = run_mia(["restrict", f, "--cap", "0.9", "--json"]);
    stdout_json(&out);
    assert_stderr_contains(&out, "note: 3 of 1797 data rows skipped (first: row 5");
    assert_stderr_contains(&out, "`mia audit");
    let strict = run_mia(["restrict", f, "--cap", "0.9", "--json", "--strict"]);
    assert_exit(&strict, 2);
    assert_eq!(
        strict.stdout, out.stdout,
        "the output comes before the status"
    );
}

#[test]
fn a_missing_path_or_a_directory_is_an_io_error_naming_the_path() {
    let dir = TempDir::new("restrict-io");
    for path in [dir.path("missing.csv"), dir.dir().to_path_buf()] {
        let out = run_mia([
            "restrict".as_ref(),
            path.as_os_str(),
            "--temperature".as_ref(),
            "2".as_ref(),
        ]);
        assert_cannot_read(&out, &path);
    }
}

#[test]
fn a_closed_output_pipe_ends_quietly() {
    let csv = conformance(CASE01);
    let f = csv.to_str().unwrap();
    assert_quiet_when_output_closed(&["restrict", f, "--temperature", "2"]);
    assert_quiet_when_output_closed(&["restrict", f, "--temperature", "2", "--json"]);
    assert_quiet_when_output_closed(&["restrict", "--help"]);
}

#[test]
fn help_and_bad_values() {
    let texts = [
        "--temperature",
        "--cap",
        "--precision",
        "--label-only",
        "--out",
        "--strict",
        "RESTRICT: applies softmax",
    ];
    assert_help_mentions(&["restrict", "--help"], &texts);
    let csv = conformance(CASE01);
    let f = csv.to_str().unwrap();
    for (args, named) in [
        (
            &["restrict", f, "--temperature", "abc"][..],
            "--temperature",
        ),
        (&["restrict", f, "--temperature", "-1"], "--temperature"),
        (&["restrict", f, "--temperature", "inf"], "--temperature"),
        (&["restrict", f, "--temperature"], "--temperature"),
        (&["restrict", f, "--cap", "2"], "--cap"),
        (&["restrict", f, "--cap", "0"], "--cap"),
        (&["restrict", f, "--precision", "1.5"], "--precision"),
        (&["restrict", f, "--bogus", "--cap", "0.9"], "--bogus"),
        // No setting at all: every setting option is named.
        (
            &["restrict", f],
            "--temperature <T>|--cap <C>|--precision <P>|--label-only",
        ),
        (&["restrict", "--temperature", "2"], "FILE.csv"),
    ] {
        assert_usage_error(&run_mia(args), named);
    }
}
