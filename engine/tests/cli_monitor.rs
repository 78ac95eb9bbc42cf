//! `mia monitor`: the JSON's per-key figures equal the seed transcription's (the reference of
//! `monitor.rs`), in the window and with `--all-time-repeats`; the rules and metrics files are the
//! engine's (and promtool accepts them, where it is installed); the table; the refusals, each
//! naming the file and row or the option; a missing file, an unwritable output, a closed pipe.

mod common;

use common::{
    assert_cannot_read, assert_cannot_write, assert_exit, assert_help_mentions,
    assert_quiet_when_output_closed, assert_stderr_contains, assert_stdout_contains,
    assert_success, assert_usage_error, fixture, fixture_json, read, run_mia, stdout, stdout_json,
    TempDir,
};
use mia_engine::monitor::export::{key_metrics, keys_csv, report_json};
use mia_engine::monitor::{
    alert_rules_yaml, analyse, exposition, read_query_log, DetectorSettings, RuleSettings,
};
use serde_json::Value;

fn log() -> String {
    fixture("monitor/log.csv").display().to_string()
}

/// Every figure of the reference's keys is in the JSON with the same value.
fn assert_reference(j: &Value, want: &Value) {
    let keys = want["keys"].as_object().unwrap();
    let got = j["keys"].as_array().unwrap();
    assert_eq!(got.len(), keys.len());
    assert_eq!(j["n_queries"], want["n_queries"]);
    assert_eq!(j["out_of_order"], want["out_of_order"]);
    for k in got {
        let name = k["api_key"].as_str().unwrap();
        let w = &keys[name];
        for field in [
            "queries",
            "total",
            "unique",
            "repeated_inputs",
            "max_repeats",
            "repeated_queries",
            "suspicious_repeat",
            "suspicious_diversity",
            "risk",
            "action",
            "peak_risk",
            "first_flagged_at",
            "first_blocked_at",
            "decisions",
        ] {
            assert_eq!(k[field], w[field], "{name}: {field}");
        }
        let d = k["diversity"].as_f64().unwrap() - w["diversity"].as_f64().unwrap();
        assert!(d.abs() <= 1e-12, "{name}: diversity");
        let top: Vec<Value> = k["top_inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| serde_json::json!([t["input_hash"], t["count"]]))
            .collect();
        assert_eq!(Value::from(top), w["top_inputs"], "{name}: top inputs");
    }
}

#[test]
fn json_has_the_seed_transcription_s_figures() {
    let reference = fixture_json("monitor/reference.json");
    let out = run_mia(["monitor", &log(), "--json"]);
    let j = stdout_json(&out);
    assert_reference(&j, &reference["logs"]["log.csv"]["window"]);
    assert_eq!(j["settings"]["repeat_scope"], "window");
    assert!(j["keys"][0].get("timeline").is_none());
    let out = run_mia(["monitor", &log(), "--json", "--all-time-repeats"]);
    assert_reference(
        &stdout_json(&out),
        &reference["logs"]["log.csv"]["all_time"],
    );
    let custom = [
        "--window",
        "900.25",
        "--repeat-threshold",
        "2",
        "--repeated-inputs",
        "5",
        "--diversity",
        "0.8",
        "--min-total",
        "50",
        "--block-risk",
        "0.4",
        "--monitor-risk",
        "0.2",
    ];
    let input = fixture("monitor/log_input.csv").display().to_string();
    let mut args = vec!["monitor", &input, "--json"];
    args.extend(custom);
    let j = stdout_json(&run_mia(&args));
    assert_reference(&j, &reference["logs"]["log_input.csv"]["custom_window"]);
    assert_eq!(j["input_column"], "input");
}

#[test]
fn timeline_is_there_when_asked() {
    let mut j = stdout_json(&run_mia(["monitor", &log(), "--json", "--timeline"]));
    // The page's JSON download is the same report, without the file's name.
    let report = analyse(
        &read_query_log(&read(&fixture("monitor/log.csv"))).unwrap(),
        &DetectorSettings::default().check().unwrap(),
    );
    let page: Value = serde_json::from_str(&report_json(&report)).unwrap();
    assert_eq!(
        j.as_object_mut().unwrap().remove("file"),
        Some(Value::from(log()))
    );
    assert_eq!(j, page);
    // The table download: one row per key, in the JSON's order, with its figures.
    let csv = keys_csv(&report);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 18);
    assert!(rows[1].starts_with("both,444,444,411,11,4,44,0.9256756756756757,true,true,1,block,1,"));
    for k in j["keys"].as_array().unwrap() {
        let points = k["timeline"].as_array().unwrap();
        assert!(!points.is_empty() && points.len() <= 500);
        let last = points.last().unwrap();
        assert_eq!(last["time"], k["last_seen"]);
        assert_eq!(last["risk"], k["risk"]);
    }
}

#[test]
fn rules_and_metrics_files_are_the_engine_s() {
    let dir = TempDir::new("monitor-prom");
    let (rules, metrics) = (dir.path("rules.yml"), dir.path("metrics.prom"));
    let out = run_mia([
        "monitor".as_ref(),
        fixture("monitor/log.csv").as_os_str(),
        "--window".as_ref(),
        "1800".as_ref(),
        "--rules-out".as_ref(),
        rules.as_os_str(),
        "--rule-for".as_ref(),
        "5m, 15m,1m".as_ref(),
        "--rule-severity".as_ref(),
        "warning,page,critical".as_ref(),
        "--metrics-out".as_ref(),
        metrics.as_os_str(),
    ]);
    assert_success(&out);
    assert_stdout_contains(&out, "Alert rules written to");
    let settings = DetectorSettings {
        window_seconds: 1800.0,
        ..DetectorSettings::default()
    }
    .check()
    .unwrap();
    let mut r = RuleSettings::default();
    r.set_for_list("5m,15m,1m").unwrap();
    r.set_severity_list("warning,page,critical").unwrap();
    let yaml = std::fs::read_to_string(&rules).unwrap();
    assert_eq!(yaml, alert_rules_yaml(&settings, &r));
    assert!(yaml.contains("increase(inference_requests_total[30m]) > 100"));
    assert!(yaml.contains("for: 15m\n        labels:\n          severity: \"page\""));
    let report = analyse(
        &read_query_log(&read(&fixture("monitor/log.csv"))).unwrap(),
        &settings,
    );
    let prom = std::fs::read_to_string(&metrics).unwrap();
    assert_eq!(prom, exposition(&key_metrics(&report), &settings));
    assert!(prom.contains("inference_input_repeat_count{api_key=\"both\"} 11\n"));
    // In a half-hour window `both` no longer sweeps enough to look diverse: repeats alone.
    assert!(prom.contains("membership_inference_risk_score{api_key=\"both\"} 0.5\n"));
    // Prometheus' own checks, where its package is installed (the test script installs it).
    let Ok(check) = std::process::Command::new("promtool")
        .args(["check".as_ref(), "rules".as_ref(), rules.as_os_str()])
        .output()
    else {
        eprintln!("promtool is not installed: the rules and metrics files were not checked by it");
        return;
    };
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let check = std::process::Command::new("sh")
        .arg("-c")
        .arg("promtool check metrics < \"$0\"")
        .arg(&metrics)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn the_table_lists_every_key_worst_first() {
    let out = run_mia(["monitor", &log()]);
    assert_success(&out);
    let text = stdout(&out);
    assert!(text.starts_with(&format!(
        "Query log {}: 2060 queries from 17 API keys",
        log()
    )));
    assert_stdout_contains(&out, "379 rows were out of order; replayed in time order.");
    assert_stdout_contains(&out, "At the end: 1 block, 3 monitor, 13 allow;");
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("api_key"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(rows.len(), 17);
    assert!(
        rows[0].starts_with("both ") && rows[0].contains(" block "),
        "{}",
        rows[0]
    );
    assert!(rows[1].contains("edge_in") && rows[1].ends_with("2024-03-01T14:59:59.999999Z"));
}

#[test]
fn bad_input_is_named_with_its_row() {
    let dir = TempDir::new("monitor-bad");
    let bad = dir.path("bad.csv");
    std::fs::write(
        &bad,
        "api_key,input_hash,timestamp\nk,h,1\nk,h,31/12/2024\n",
    )
    .unwrap();
    let out = run_mia(["monitor".as_ref(), bad.as_os_str()]);
    assert_usage_error(
        &out,
        &format!(
            "error: {}: row 3, column `timestamp`: `31/12/2024` is neither Unix seconds nor an \
             ISO 8601 time.",
            bad.display()
        ),
    );
    std::fs::write(&bad, "api_key,input_hash\nk,h\n").unwrap();
    let out = run_mia(["monitor".as_ref(), bad.as_os_str()]);
    assert_usage_error(
        &out,
        "row 1 (the header): no `timestamp` column among `api_key`, `input_hash`.",
    );
    let missing = dir.path("missing.csv");
    assert_cannot_read(
        &run_mia(["monitor".as_ref(), missing.as_os_str()]),
        &missing,
    );
    // An output path that is a directory.
    let out = run_mia([
        "monitor".as_ref(),
        fixture("monitor/log.csv").as_os_str(),
        "--rules-out".as_ref(),
        dir.dir().as_os_str(),
    ]);
    assert_cannot_write(&out, dir.dir());
}

#[test]
fn bad_values_are_named_by_option() {
    let l = log();
    for (args, needle) in [
        (
            vec!["--window", "0"],
            "invalid value '0' for '--window <S>': window = 0 s: give a positive",
        ),
        (
            vec!["--window", "-5"],
            "invalid value '-5' for '--window <S>'",
        ),
        (vec!["--window", "x"], "`x` is not a number"),
        (vec!["--timeline"], "--json"),
        (
            vec!["--diversity", "1.5"],
            "diversity threshold = 1.5: give a number from 0 to 1.",
        ),
        (
            vec!["--block-risk", "2"],
            "block risk = 2: give a number from 0 to 1.",
        ),
        (
            vec!["--repeat-threshold", "-1"],
            "'--repeat-threshold <N>': `-1` is not a whole number",
        ),
        (
            vec!["--monitor-risk", "0.8"],
            "error: the settings: monitor risk 0.8 is above block risk 0.7",
        ),
        (
            vec!["--rule-for", "10m,5"],
            "error: --rule-for: 2 durations in `10m,5`: give three",
        ),
        (
            vec!["--rule-for", "10m,5,1m"],
            "error: --rule-for: `5` is not a duration",
        ),
        (
            vec!["--rule-severity", "a,,c"],
            "HighQueryDiversity: severity ``: give a word",
        ),
    ] {
        let mut all = vec!["monitor", l.as_str()];
        all.extend(args.iter().copied());
        let out = run_mia(&all);
        assert_exit(&out, 2);
        assert_stderr_contains(&out, needle);
    }
}

#[test]
fn help_and_a_closed_pipe() {
    assert_help_mentions(
        &["monitor", "--help"],
        &[
            "--window",
            "--all-time-repeats",
            "--rules-out",
            "--metrics-out",
            "input_hash",
        ],
    );
    assert_help_mentions(&["--help"], &["mia monitor LOG.csv"]);
    assert_quiet_when_output_closed(&["monitor", &log()]);
    assert_quiet_when_output_closed(&["monitor", &log(), "--json"]);
}
