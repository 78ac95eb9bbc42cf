//! `mia audit`: the JSON against scikit-learn's figures, the `--fail-on` gate, the two-thread read
//! of a large file, skipped rows (`--strict`, the note on standard error), unreadable paths, a
//! closed output pipe, help and usage errors.

mod common;

use common::{
    assert_cannot_read, assert_exit, assert_help_mentions, assert_quiet_when_output_closed,
    assert_same_keys, assert_stderr_contains, assert_stdout_contains, assert_success,
    assert_usage_error, conformance, csv_with_skipped_rows, fixture_json, large_csv, run_mia,
    stderr, stdout_json, TempDir,
};
use mia_engine::ingest;

const CASE01: &str = "case01_digits_mlp_overfit.csv";

#[test]
fn cli_json_output_matches_the_conformance_file() {
    let case = "case08_digits_noisy_mlp_overfit";
    let file = conformance(&format!("{case}.csv"));
    let out = run_mia(["audit".as_ref(), file.as_os_str(), "--json".as_ref()]);
    let got = stdout_json(&out);
    let want = fixture_json(&format!("conformance/{case}.expected.json"));
    assert_same_keys(case, &got, &want);
}

#[test]
fn cli_fail_on_gates_by_risk_level() {
    let run = |case: &str, level: &str| {
        let file = conformance(&format!("{case}.csv"));
        run_mia([
            "audit".as_ref(),
            file.as_os_str(),
            "--fail-on".as_ref(),
            level.as_ref(),
        ])
        .status
        .code()
    };
    // case08 is critical (AUC 0.826), case03 is low (AUC 0.5045).
    assert_eq!(run("case08_digits_noisy_mlp_overfit", "critical"), Some(3));
    assert_eq!(run("case08_digits_noisy_mlp_overfit", "high"), Some(3));
    assert_eq!(run("case03_breast_cancer_logreg", "medium"), Some(0));
    assert_eq!(run("case03_breast_cancer_logreg", "bogus"), Some(2));
}

/// The CLI reads a file over the two-thread threshold in two parts: its JSON equals the report
/// of one read, including skipped rows; a quoted line end across the cut makes it read again.
#[test]
fn the_cli_reads_large_files_on_two_threads_with_the_one_read_figures() {
    let dir = TempDir::new("two-threads");
    for quoted in [false, true] {
        let s = large_csv(quoted);
        let path = dir.path(if quoted { "quoted.csv" } else { "plain.csv" });
        std::fs::write(&path, &s).unwrap();
        let out = run_mia(["audit".as_ref(), path.as_os_str(), "--json".as_ref()]);
        let got = stdout_json(&out);
        let one = ingest(s.as_bytes(), None).unwrap();
        assert_eq!(one.report.n_skipped, 2);
        let report = mia_engine::audit(&one.table).unwrap();
        let want = mia_engine::output::report_json::report_json(&report, &one.report, &[]);
        assert_eq!(got, want, "quoted {quoted}");
        // The skipped rows are counted on standard error in JSON mode too.
        assert_stderr_contains(&out, "note: 2 of ");
    }
}

#[test]
fn skipped_rows_get_a_note_on_stderr_in_both_modes_and_fail_with_strict() {
    let dir = TempDir::new("audit-skipped");
    let file = csv_with_skipped_rows(&dir);
    let note = "note: 3 of 1797 data rows skipped (first: row 5, column `confidence`";
    let json = run_mia(["audit".as_ref(), file.as_os_str(), "--json".as_ref()]);
    let v = stdout_json(&json);
    assert_eq!(v["ingest"]["n_skipped"], 3);
    assert_stderr_contains(&json, note);
    assert_stderr_contains(&json, "see `ingest.problems` in the JSON");
    let text = run_mia(["audit".as_ref(), file.as_os_str()]);
    assert_success(&text);
    assert_stdout_contains(&text, "3 of 1797 data rows skipped:");
    assert_stderr_contains(&text, note);

    // --strict: the same output, then status 2.
    let strict = run_mia([
        "audit".as_ref(),
        file.as_os_str(),
        "--json".as_ref(),
        "--strict".as_ref(),
    ]);
    assert_exit(&strict, 2);
    assert_eq!(strict.stdout, json.stdout);
    assert_stderr_contains(&strict, "--strict");
    // A file with no skipped row passes --strict, quietly.
    let clean = run_mia([
        "audit".as_ref(),
        conformance(CASE01).as_os_str(),
        "--strict".as_ref(),
    ]);
    assert_success(&clean);
    assert_eq!(stderr(&clean), "");
}

#[test]
fn a_missing_path_or_a_directory_is_an_io_error_naming_the_path() {
    let dir = TempDir::new("audit-io");
    let missing = dir.path("no-such-file.csv");
    let out = run_mia(["audit".as_ref(), missing.as_os_str()]);
    assert_cannot_read(&out, &missing);
    assert_stderr_contains(&out, "No such file or directory");
    assert!(!stderr(&out).contains("CSV structure"), "{}", stderr(&out));
    let out = run_mia(["audit".as_ref(), dir.dir().as_os_str()]);
    assert_cannot_read(&out, dir.dir());
    assert_stderr_contains(&out, "is a directory");
}

#[test]
fn a_closed_output_pipe_ends_quietly() {
    let file = conformance(CASE01);
    let f = file.to_str().unwrap();
    for args in [
        &["audit", f][..],
        &["audit", f, "--json"],
        &["--help"],
        &["audit", "--help"],
        &[],
    ] {
        assert_quiet_when_output_closed(args);
    }
}

#[test]
fn help_describes_every_command_and_option() {
    // `mia` alone prints the help too, with status 0.
    let commands = [
        "audit",
        "shadow",
        "restrict",
        "review",
        "dp-epsilon",
        "dp-sigma",
    ];
    for args in [&["--help"][..], &["-h"], &[]] {
        assert_help_mentions(args, &commands);
    }
    let options = [
        "--signal",
        "--json",
        "--fail-on",
        "--strict",
        "neg_modified_entropy",
    ];
    assert_help_mentions(&["audit", "--help"], &options);
}

#[test]
fn usage_errors_exit_2_naming_the_option() {
    let file = conformance(CASE01);
    let f = file.to_str().unwrap();
    assert_usage_error(&run_mia(["audit"]), "FILE.csv");
    assert_usage_error(&run_mia(["audit", f, "--bogus"]), "--bogus");
    assert_usage_error(&run_mia(["audit", f, "--signal", "nope"]), "--signal");
    assert_usage_error(&run_mia(["audit", f, "--signal"]), "--signal");
    assert_usage_error(&run_mia(["audit", f, "--fail-on", "nope"]), "--fail-on");
    assert_usage_error(&run_mia(["audit", f, f]), "unexpected argument");
    assert_usage_error(&run_mia(["bogus"]), "bogus");
    // A signal the file's columns cannot give.
    let dir = TempDir::new("audit-signal");
    let small = dir.path("small.csv");
    std::fs::write(&small, "member,confidence\n1,0.9\n0,0.4\n1,0.8\n0,0.3\n").unwrap();
    let out = run_mia([
        "audit".as_ref(),
        small.as_os_str(),
        "--signal".as_ref(),
        "max_prob".as_ref(),
    ]);
    assert_usage_error(
        &out,
        "signal `max_prob` needs columns this file does not have",
    );
}
