//! `mia text`: the mode chosen by the columns, the log-prob attack's AUCs equal to scikit-learn's
//! (the reference of `text_logprobs.rs`), the verbatim test's counts and risk equal to the seed's
//! Python (the reference of `text_verbatim.rs`), the prompt builder's CSV, `--fail-on` as a CI
//! gate, and the refusals, each naming the file, the row or the option.

mod common;

use common::{
    assert_cannot_read, assert_exit, assert_help_mentions, assert_quiet_when_output_closed,
    assert_success, assert_usage_error, fixture, fixture_json, run_mia, stdout, stdout_json,
    TempDir,
};
use serde_json::Value;

fn logprobs_csv() -> String {
    fixture("text/logprobs.csv").display().to_string()
}

#[test]
fn the_log_prob_attack_has_scikit_learn_s_aucs() {
    let want = fixture_json("text/logprob_reference.json");
    let out = run_mia(["text", &logprobs_csv(), "--json"]);
    assert_success(&out);
    let j = stdout_json(&out);
    assert_eq!(j["mode"], "logprobs");
    for signal in ["neg_loss", "min_k", "ref_ratio"] {
        let got = j["logprobs"]["signals"][signal]["auc"].as_f64().unwrap();
        let want = want["auc"][signal].as_f64().unwrap();
        assert!((got - want).abs() < 1e-12, "{signal}: {got} vs {want}");
        let tpr = &j["logprobs"]["signals"][signal]["tpr_at_fpr"];
        for key in ["0.001", "0.01", "0.1"] {
            assert!(tpr[key].as_f64().is_some(), "{signal} tpr {key}");
        }
    }
    // The zlib lengths differ from Python's by a few bytes in 1 text in 10 (the README says so).
    let z = j["logprobs"]["signals"]["zlib_ratio"]["auc"]
        .as_f64()
        .unwrap();
    assert!((z - want["auc"]["zlib_ratio"].as_f64().unwrap()).abs() < 0.005);
    assert_eq!(j["logprobs"]["texts"].as_array().unwrap().len(), 120);
    let text = run_mia(["text", &logprobs_csv()]);
    assert_success(&text);
    assert!(stdout(&text).contains("neg_loss      0.950000"));
}

/// The reference's pairs with a reference, as a pairs file.
fn reference_pairs(dir: &TempDir) -> (std::path::PathBuf, Value) {
    let r = fixture_json("text/verbatim_reference.json");
    let mut w = String::from("id,reference,model_output,member,prefix_length\n");
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    for p in r["pairs"].as_array().unwrap() {
        let reference = p["reference"].as_str().unwrap();
        if reference.trim().is_empty() {
            continue;
        }
        let member = p["member"]
            .as_u64()
            .map_or(String::new(), |m| m.to_string());
        let prefix = p["prefix_length"]
            .as_u64()
            .map_or(String::new(), |m| m.to_string());
        w.push_str(&format!(
            "{},{},{},{member},{prefix}\n",
            q(p["id"].as_str().unwrap()),
            q(reference),
            q(p["model_output"].as_str().unwrap())
        ));
    }
    let path = dir.path("pairs.csv");
    std::fs::write(&path, w).unwrap();
    (path, r)
}

#[test]
fn the_pairs_audit_has_the_seed_s_figures_and_gates() {
    let dir = TempDir::new("cli-text-pairs");
    let (path, r) = reference_pairs(&dir);
    let path = path.display().to_string();
    let out = run_mia(["text", &path, "--json"]);
    assert_success(&out);
    let j = stdout_json(&out);
    assert_eq!(j["mode"], "pairs");
    let pairs = &j["pairs"];
    let texts = pairs["texts"].as_array().unwrap();
    // Every text of the reference with a non-empty reference, with the seed's verdict.
    for t in texts {
        let id = t["id"].as_str().unwrap();
        let want = r["texts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["id"] == id)
            .unwrap();
        for key in [
            "max_word_overlap",
            "max_ngram_overlap",
            "risk_level",
            "is_memorized",
        ] {
            assert_eq!(t["verdict"][key], want[key], "{id}: {key}");
        }
    }
    let memorised = texts
        .iter()
        .filter(|t| t["verdict"]["is_memorized"] == true)
        .count();
    assert_eq!(
        pairs["memorized_count"].as_u64().unwrap() as usize,
        memorised
    );
    assert!(memorised > 0 && memorised < texts.len());
    let text = run_mia(["text", &path]);
    assert_success(&text);
    assert!(stdout(&text).contains(&format!("{} memorised", memorised)));
    assert_exit(&run_mia(["text", &path, "--fail-on", "high"]), 3);
    let clean = dir.path("clean.csv");
    std::fs::write(
        &clean,
        "id,reference,model_output\na,the cat sat on the mat today,a dog ran in the park\n",
    )
    .unwrap();
    assert_success(&run_mia([
        "text",
        clean.to_str().unwrap(),
        "--fail-on",
        "critical",
    ]));
}

#[test]
fn the_prompt_builder_writes_the_prompts_csv() {
    let dir = TempDir::new("cli-text-prompts");
    let texts = dir.path("texts.csv");
    let long: String = (0..90).map(|i| format!("w{i} ")).collect();
    std::fs::write(&texts, format!("id,text\nlong,{long}\nshort,too short\n")).unwrap();
    let t = texts.display().to_string();
    let out = run_mia(["text", &t, "--prefix-lengths", "50,100"]);
    assert_success(&out);
    let csv = stdout(&out);
    assert!(csv.starts_with("id,prefix_length,prompt,reference,model_output\nlong,50,"));
    assert_eq!(csv.lines().count(), 3);
    let prompts = dir.path("prompts.csv");
    let p = prompts.display().to_string();
    let out = run_mia(["text", &t, "--prompts-out", &p]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("`short` (row 3, 9 characters) is too short for any prefix length.")
    );
    assert!(std::fs::read_to_string(&prompts)
        .unwrap()
        .contains("long,200,"));
    // The written prompts, with the model's output filled in, are a pairs file.
    let json = stdout_json(&run_mia(["text", &t, "--json"]));
    assert_eq!(json["prompts"]["prompts"].as_array().unwrap().len(), 3);
}

#[test]
fn bad_input_is_named() {
    let dir = TempDir::new("cli-text-bad");
    let odd = dir.path("odd.csv");
    std::fs::write(&odd, "a,b\n1,2\n").unwrap();
    assert_usage_error(
        &run_mia(["text", odd.to_str().unwrap()]),
        "odd.csv: its columns (`a`, `b`) ask for no text audit.",
    );
    let t = logprobs_csv();
    assert_usage_error(
        &run_mia(["text", &t, "--prefix-lengths", "50,0"]),
        "the settings: prefix length 0",
    );
    assert_usage_error(
        &run_mia(["text", &t, "--prefix-lengths", "50,x"]),
        "--prefix-lengths: `x` is not",
    );
    assert_usage_error(&run_mia(["text", &t, "--k", "2"]), "k = 2: Min-K%");
    let bad_row = dir.path("bad.csv");
    std::fs::write(&bad_row, "id,member,text,token_logprobs\na,1,hi,-1 x\n").unwrap();
    assert_usage_error(
        &run_mia(["text", bad_row.to_str().unwrap()]),
        "bad.csv, row 2, column `token_logprobs`",
    );
    let missing = dir.path("missing.csv");
    assert_cannot_read(&run_mia(["text", missing.to_str().unwrap()]), &missing);
    assert_quiet_when_output_closed(&["text", &t]);
    assert_help_mentions(
        &["text", "--help"],
        &[
            "--prefix-lengths",
            "--span",
            "--k",
            "--prompts-out",
            "--fail-on",
            "canary_id",
        ],
    );
}

#[test]
fn canary_exposure_is_the_reference_s_rank_exposure() {
    let want = fixture_json("text/canary_reference.json");
    let file = fixture("text/canaries.csv").display().to_string();
    let out = run_mia(["text", &file, "--json"]);
    assert_success(&out);
    let j = stdout_json(&out);
    assert_eq!(j["mode"], "canaries");
    let got = j["canaries"]["canaries"].as_array().unwrap();
    let want = want["groups"].as_array().unwrap();
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert_eq!(g["canary_id"], w["canary_id"]);
        assert_eq!(g["rank"], w["rank"]);
        assert_eq!(g["exposure"].as_f64(), w["exposure"].as_f64());
    }
    let text = run_mia(["text", &file]);
    assert_success(&text);
    let first = want[0]["canary_id"].as_str().unwrap();
    assert!(stdout(&text).contains(first), "{}", stdout(&text));
    assert!(stdout(&text).contains("canaries: mean exposure"));
}
