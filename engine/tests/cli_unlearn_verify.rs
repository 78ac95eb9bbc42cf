//! `mia unlearn-verify`: the engine's verification for the same files (the seed test under the
//! seed's keys), `--fail-unverified` as a CI gate (exit 3), two files joined on id, and the
//! refusals, each naming the file, the row, the column or the id.

mod common;

use common::{
    assert_cannot_read, assert_help_mentions, assert_quiet_when_output_closed, assert_success,
    assert_usage_error, fixture, fixture_json, run_mia, stdout_json, TempDir,
};

fn case(name: &str) -> String {
    fixture(&format!("unlearning/{name}")).display().to_string()
}

#[test]
fn the_json_holds_the_seed_test_under_its_keys_beside_the_attack() {
    let expected = fixture_json("unlearning/expected.json");
    let want = expected["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "case02_unverified_probs")
        .unwrap()["expected"]
        .clone();
    let out = run_mia([
        "unlearn-verify",
        &case("case02_unverified_probs.csv"),
        "--json",
    ]);
    assert_success(&out);
    let j = stdout_json(&out);
    let seed = &j["seed_test"];
    for key in [
        "before_forget_confidence",
        "after_forget_confidence",
        "held_out_confidence",
        "membership_gap_before",
        "membership_gap_after",
        "gap_reduction",
    ] {
        let (got, want) = (seed[key].as_f64().unwrap(), want[key].as_f64().unwrap());
        assert!((got - want).abs() < 1e-12, "{key}: {got} vs {want}");
    }
    assert_eq!(seed["unlearning_verified"], false);
    assert_eq!(seed["recommendation"], want["recommendation"]);
    let auc = j["attack_after"]["confidence"]["auc"].as_f64().unwrap();
    assert!((auc - want["auc_after"].as_f64().unwrap()).abs() < 1e-12);
    assert_eq!(j["verified"], false);
    assert!(j["failed"][0]
        .as_str()
        .unwrap()
        .starts_with("The seed design's test"));
}

#[test]
fn fail_unverified_gates_and_two_files_join_on_id() {
    let gated = run_mia([
        "unlearn-verify",
        &case("case02_unverified_probs.csv"),
        "--fail-unverified",
    ]);
    assert_eq!(gated.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&gated.stdout).contains("NOT verified"));
    let ok = run_mia([
        "unlearn-verify",
        &case("case01_verified_probs.csv"),
        "--fail-unverified",
        "--json",
    ]);
    assert_success(&ok);
    assert_eq!(stdout_json(&ok)["verified"], true);
    let two = run_mia([
        "unlearn-verify",
        &case("case08_two_files_before.csv"),
        &case("case08_two_files_after.csv"),
        "--json",
    ]);
    assert_success(&two);
    assert_eq!(stdout_json(&two)["files"].as_array().unwrap().len(), 2);
}

#[test]
fn bad_input_is_named() {
    let dir = TempDir::new("unlearn-verify");
    let write = |name: &str, text: &str| {
        let p = dir.path(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let no_after = write("no-after.csv", "set,confidence\nforget,0.9\n");
    assert_usage_error(
        &run_mia(["unlearn-verify", &no_after]),
        "no outputs after unlearning",
    );
    let bad_set = write(
        "bad-set.csv",
        "set,confidence,after_confidence\nforgot,0.9,0.5\n",
    );
    assert_usage_error(
        &run_mia(["unlearn-verify", &bad_set]),
        "row 2: set `forgot` is not forget, retain or held_out",
    );
    let before = write("b.csv", "id,set,confidence\na,forget,0.9\n");
    let after = write("a.csv", "id,confidence\nz,0.5\n");
    assert_usage_error(&run_mia(["unlearn-verify", &before, &after]), "id `z`");
    let missing = dir.path("missing.csv");
    assert_cannot_read(
        &run_mia(["unlearn-verify", &missing.display().to_string()]),
        &missing,
    );
    assert_help_mentions(
        &["unlearn-verify", "--help"],
        &["--fail-unverified", "after_", "held_out"],
    );
    assert_quiet_when_output_closed(&["unlearn-verify", &case("case01_verified_probs.csv")]);
}
