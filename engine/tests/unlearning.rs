//! The unlearning verification against `scripts/reference/make_unlearning_reference.py`: the
//! seed design's `verify_unlearning_with_mi_test`, exactly (1e-12; bit for bit at the 0.05
//! boundary), scikit-learn's AUC of the confidence, forget set against held-out records, before
//! and after, and the accuracies on retained and held-out records; one file and two joined on id.

use std::path::PathBuf;

use mia_engine::unlearning::{verify_unlearning, UnlearningInput, UnlearningReport};
use mia_engine::Signal;
use serde_json::Value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/unlearning")
}

fn report(case: &Value) -> UnlearningReport {
    let files: Vec<&str> = case["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    let read = |f: &str| std::fs::read(dir().join(f)).unwrap();
    let input = match files.as_slice() {
        [one] => UnlearningInput::from_csv(one, &read(one)),
        [before, after] => {
            UnlearningInput::from_two_csvs(before, &read(before), after, &read(after))
        }
        _ => panic!("{case}"),
    }
    .unwrap();
    verify_unlearning(&input).unwrap()
}

fn close(got: f64, want: &Value, what: &str, name: &str) {
    let want = want
        .as_f64()
        .unwrap_or_else(|| panic!("{name}: {what} missing"));
    let tol = 1e-12 * want.abs().max(1.0);
    assert!((got - want).abs() <= tol, "{name}: {what} {got} vs {want}");
}

#[test]
fn the_seed_test_the_attack_and_utility_match_the_reference() {
    let expected: Value =
        serde_json::from_slice(&std::fs::read(dir().join("expected.json")).unwrap()).unwrap();
    let cases = expected["cases"].as_array().unwrap();
    assert!(cases.len() >= 9);
    let (mut verified, mut refused) = (0, 0);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let e = &case["expected"];
        let r = report(case);
        let s = r
            .seed
            .as_ref()
            .unwrap_or_else(|| panic!("{name}: no seed test"));
        for (got, key) in [
            (s.before_forget_confidence, "before_forget_confidence"),
            (s.after_forget_confidence, "after_forget_confidence"),
            (s.held_out_confidence, "held_out_confidence"),
            (s.held_out_confidence_after, "held_out_confidence_after"),
            (s.membership_gap_before, "membership_gap_before"),
            (s.membership_gap_after, "membership_gap_after"),
            (s.gap_reduction, "gap_reduction"),
        ] {
            close(got, &e[key], key, name);
        }
        assert_eq!(
            s.unlearning_verified,
            e["unlearning_verified"].as_bool().unwrap(),
            "{name}"
        );
        assert_eq!(
            s.recommendation,
            e["recommendation"].as_str().unwrap(),
            "{name}"
        );
        if let Some(d) = e["gap_minus_0_05"].as_f64() {
            // At the boundary the figures are exact in any summation order: bit for bit.
            assert_eq!(s.membership_gap_after.abs() - 0.05, d, "{name}");
        }
        let auc = |a: &mia_engine::AuditReport| {
            a.signals
                .iter()
                .find(|x| x.signal == Signal::Confidence)
                .map(|x| x.auc)
                .unwrap()
        };
        close(auc(&r.before), &e["auc_before"], "auc_before", name);
        close(auc(&r.after), &e["auc_after"], "auc_after", name);
        let u = &r.utility;
        for (got, key) in [
            (u.retain_accuracy_before, "retain_accuracy_before"),
            (u.retain_accuracy_after, "retain_accuracy_after"),
            (u.held_out_accuracy_before, "held_out_accuracy_before"),
            (u.held_out_accuracy_after, "held_out_accuracy_after"),
        ] {
            match got {
                Some(g) => close(g, &e[key], key, name),
                None => assert!(e[key].is_null(), "{name}: {key} missing"),
            }
        }
        for (got, key) in [
            (r.n_forget, "n_forget"),
            (r.n_retain, "n_retain"),
            (r.n_held_out, "n_held_out"),
        ] {
            assert_eq!(got as u64, e[key].as_u64().unwrap(), "{name}: {key}");
        }
        // The overall verdict needs both tests; an unverified seed test is named first.
        if s.unlearning_verified {
            verified += 1;
        } else {
            refused += 1;
            assert!(!r.verified, "{name}");
            assert!(r.failed[0].starts_with("The seed design's test"), "{name}");
        }
    }
    assert!(
        verified >= 2 && refused >= 3,
        "{verified} verified, {refused} not"
    );
}

#[test]
fn a_small_set_and_a_missing_after_column_are_named() {
    let mut csv = String::from("set,confidence,after_confidence\n");
    for _ in 0..9 {
        csv.push_str("forget,0.9,0.5\n");
    }
    for _ in 0..20 {
        csv.push_str("held_out,0.5,0.5\n");
    }
    let input = UnlearningInput::from_csv("small.csv", csv.as_bytes()).unwrap();
    assert_eq!(
        verify_unlearning(&input).unwrap_err().to_string(),
        "The forget set has 9 records; verification needs at least 10."
    );
}

#[test]
fn the_review_report_carries_the_verification() {
    use mia_engine::checklist::review_report::ReviewReport;
    use mia_engine::checklist::DeploymentFacts;
    let input = UnlearningInput::from_csv(
        "case02.csv",
        &std::fs::read(dir().join("case02_unverified_probs.csv")).unwrap(),
    )
    .unwrap();
    let r = verify_unlearning(&input).unwrap();
    let report = ReviewReport::new(
        "t",
        "2026-12-02",
        DeploymentFacts::default(),
        vec![],
        None,
        None,
    )
    .with_unlearning(r.summary());
    let json: Value = serde_json::from_str(&report.to_json_pretty()).unwrap();
    assert_eq!(json["unlearning"]["verified"], false);
    assert_eq!(
        json["unlearning"]["membership_gap_after"].as_f64(),
        r.seed.as_ref().map(|s| s.membership_gap_after)
    );
    let html = report.to_html(&[]);
    assert!(html.contains("<h2>Unlearning verification (GDPR Art. 17, CCPA)</h2>"));
    assert!(html.contains("<strong>Not verified</strong>: case02.csv (30 records to forget)"));
}
