//! `mia lira`: the JSON figures of both public cases against their expected values, the
//! per-record scores file against the reference scores, the options, bad files and settings,
//! `--strict`, a closed output pipe and the help.

mod common;

use common::{
    assert_cannot_read, assert_exit, assert_help_mentions, assert_quiet_when_output_closed,
    assert_stderr_contains, assert_usage_error, conformance, fixture_json, run_mia, stdout_json,
    TempDir,
};

fn case(name: &str) -> std::path::PathBuf {
    conformance(&format!("lira/{name}.csv"))
}

#[test]
fn json_matches_both_public_cases() {
    for name in ["lira01_digits_noise8_M8", "lira07_edge_prob_M4"] {
        let file = case(name);
        let j = stdout_json(&run_mia([
            "lira".as_ref(),
            file.as_os_str(),
            "--json".as_ref(),
        ]));
        let e = fixture_json(&format!("conformance/lira/{name}.expected.json"));
        assert_eq!(j["M"], e["M"]);
        assert_eq!(j["phi_mode"], e["phi_mode"]);
        assert_eq!(j["n_population"], e["n_population"]);
        for (v, want) in e["variants"].as_object().unwrap() {
            let got = &j["variants"][v];
            assert_eq!(got["available"], true, "{name} {v}");
            let (a, b) = (got["auc"].as_f64().unwrap(), want["auc"].as_f64().unwrap());
            assert!((a - b).abs() <= 1e-9, "{name} {v}: AUC {a} vs {b}");
            assert_eq!(got["tpr_at_fpr"], want["tpr_at_fpr"], "{name} {v}");
            let (a, b) = (
                got["attacker_advantage"].as_f64().unwrap(),
                want["attacker_advantage"].as_f64().unwrap(),
            );
            assert!((a - b).abs() <= 1e-12, "{name} {v}: advantage");
        }
        for k in [
            "records_n_in_0",
            "records_n_in_1",
            "records_n_out_0",
            "records_n_out_1",
            "n_in_max",
            "n_out_max",
        ] {
            assert_eq!(
                j["reference_counts"][k], e["reference_counts"][k],
                "{name} {k}"
            );
        }
        for side in ["in", "out"] {
            let (a, b) = (
                j["global_sigma"][side].as_f64().unwrap(),
                e["global_sigma"][side].as_f64().unwrap(),
            );
            assert!((a - b).abs() <= 1e-12 * b, "{name} global σ {side}");
        }
        assert_eq!(j["diagnostics"]["gaussian"].as_array().unwrap().len(), 2);
        // The trend's reading is the engine's, from the trend's last two points.
        let trend: Vec<mia_engine::reference_attack::reference_trend::TrendPoint> =
            serde_json::from_value(j["diagnostics"]["reference_trend"].clone()).unwrap();
        let reading = mia_engine::reference_attack::reference_trend::TrendReading::of(&trend);
        assert!(matches!(reading.key(), "rising" | "flat"), "{name}");
        assert_eq!(j["diagnostics"]["reference_trend_reading"], reading.key());
        assert_eq!(j["rows"]["n_skipped"], 0);
    }
}

#[test]
fn scores_out_holds_every_records_reference_score() {
    let dir = TempDir::new("lira-scores");
    let out = dir.path("scores.csv");
    let file = case("lira01_digits_noise8_M8");
    let run = run_mia([
        "lira".as_ref(),
        file.as_os_str(),
        "--scores-out".as_ref(),
        out.as_os_str(),
    ]);
    assert_exit(&run, 0);
    let mut got = csv::Reader::from_path(&out).unwrap();
    let mut want =
        csv::Reader::from_path(conformance("lira/lira01_digits_noise8_M8.scores.csv")).unwrap();
    let gh: Vec<String> = got.headers().unwrap().iter().map(String::from).collect();
    let wh: Vec<String> = want.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&gh[..4], ["id", "member", "n_in", "n_out"]);
    let rows: Vec<_> = got
        .records()
        .map(Result::unwrap)
        .zip(want.records().map(Result::unwrap))
        .collect();
    assert_eq!(rows.len(), 1797);
    for (g, w) in rows {
        for (c, name) in gh.iter().enumerate() {
            let wc = wh.iter().position(|h| h == name).unwrap();
            let (a, b): (f64, f64) = (g[c].parse().unwrap(), w[wc].parse().unwrap());
            assert!(
                a == b || (a - b).abs() <= 1e-9 * b.abs(),
                "{name}: {a} vs {b}"
            );
        }
    }
}

#[test]
fn options_reach_the_engine() {
    let file = case("lira01_digits_noise8_M8");
    let e = fixture_json("conformance/lira/lira01_digits_noise8_M8.expected.json");
    let opt = &e["optional_variants"];
    let j = stdout_json(&run_mia([
        "lira".as_ref(),
        file.as_os_str(),
        "--gamma".as_ref(),
        "2".as_ref(),
        "--offline-a".as_ref(),
        "1".as_ref(),
        "--json".as_ref(),
    ]));
    assert_eq!(
        j["variants"]["rmia_online"]["tpr_at_fpr"],
        opt["rmia_online_gamma2"]["tpr_at_fpr"]
    );
    assert_eq!(j["params"]["gamma"], 2.0);
    let j = stdout_json(&run_mia([
        "lira".as_ref(),
        file.as_os_str(),
        "--center".as_ref(),
        "mean".as_ref(),
        "--offline-test".as_ref(),
        "two-sided".as_ref(),
        "--json".as_ref(),
    ]));
    assert_eq!(
        j["variants"]["lira_online"]["tpr_at_fpr"],
        opt["lira_online_meancenter"]["tpr_at_fpr"]
    );
    assert_eq!(j["params"]["offline_test"], "two-sided");
}

#[test]
fn bad_settings_files_and_rows_are_named() {
    let file = case("lira07_edge_prob_M4");
    assert_usage_error(
        &run_mia([
            "lira".as_ref(),
            file.as_os_str(),
            "--offline-a".as_ref(),
            "2".as_ref(),
        ]),
        "error: --offline-a: RMIA's offline a must be a number from 0 to 1, not 2.",
    );
    assert_usage_error(
        &run_mia(["lira", "--gamma", "x", "f.csv"]),
        "`x` is not a number",
    );
    let missing = std::path::PathBuf::from("/nonexistent/lira.csv");
    assert_cannot_read(&run_mia(["lira".as_ref(), missing.as_os_str()]), &missing);

    let dir = TempDir::new("lira-bad");
    let gap = dir.path("gap.csv");
    std::fs::write(
        &gap,
        "member,phi,ref_in_0,ref_in_2,ref_phi_0,ref_phi_2\n1,1,1,1,1,1\n",
    )
    .unwrap();
    let out = run_mia(["lira".as_ref(), gap.as_os_str()]);
    assert_usage_error(&out, "Column `ref_in_1` is missing");
    assert_stderr_contains(&out, &gap.display().to_string());

    let skipped = dir.path("skipped.csv");
    std::fs::write(
        &skipped,
        "member,phi,ref_in_0,ref_phi_0\n1,2,1,2\n0,x,0,1\n1,3,1,2.5\n0,0,0,0.5\n",
    )
    .unwrap();
    let out = run_mia(["lira".as_ref(), skipped.as_os_str()]);
    assert_exit(&out, 0);
    assert_stderr_contains(
        &out,
        "note: 1 of 4 data rows skipped (first: row 3, column `phi`: `x` is not a number)",
    );
    let out = run_mia(["lira".as_ref(), skipped.as_os_str(), "--strict".as_ref()]);
    assert_exit(&out, 2);
}

#[test]
fn closed_output_and_help() {
    let file = case("lira07_edge_prob_M4");
    let f = file.to_str().unwrap();
    assert_quiet_when_output_closed(&["lira", f, "--json"]);
    assert_help_mentions(
        &["lira", "--help"],
        &["--gamma", "--offline-a", "--scores-out", "ref_in_j"],
    );
    assert_help_mentions(&["--help"], &["mia lira FILE.csv"]);
}
