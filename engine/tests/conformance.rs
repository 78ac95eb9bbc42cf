//! Conformance: the engine against scikit-learn on real models (fixtures copied from
//! `../shared/conformance`, made with scikit-learn 1.9.1; see `fixtures/conformance/README.md`).

mod common;

use common::{assert_same_keys, conformance as fixture, CONFORMANCE_TOL as TOL};
use mia_engine::output::report_json::report_json;
use mia_engine::{audit, ingest, Signal};
use serde_json::Value;

const CASES: [&str; 4] = [
    "case01_digits_mlp_overfit",
    "case03_breast_cancer_logreg",
    "case08_digits_noisy_mlp_overfit",
    "case10_digits_lightnoise_mlp_overfit",
];

fn load_json(name: &str) -> Value {
    common::fixture_json(&format!("conformance/{name}"))
}

fn close(label: &str, got: f64, want: &Value) {
    let want = want
        .as_f64()
        .unwrap_or_else(|| panic!("{label}: expected value {want} is not a number"));
    assert!(
        (got - want).abs() <= TOL,
        "{label}: got {got}, scikit-learn {want}"
    );
}

fn signal_of(key: &str) -> Signal {
    Signal::from_key(key).unwrap()
}

#[test]
fn every_case_matches_scikit_learn() {
    for case in CASES {
        let expected = load_json(&format!("{case}.expected.json"));
        let bytes = std::fs::read(fixture(&format!("{case}.csv"))).unwrap();
        let ingested = ingest(&bytes, None).unwrap();
        assert_eq!(ingested.report.n_skipped, 0, "{case}");
        let report = audit(&ingested.table).unwrap();
        let s = &report.summary;
        assert_eq!(s.n_rows, expected["n_rows"].as_u64().unwrap(), "{case}");
        assert_eq!(
            s.n_members,
            expected["n_members"].as_u64().unwrap(),
            "{case}"
        );
        assert_eq!(
            s.n_nonmembers,
            expected["n_nonmembers"].as_u64().unwrap(),
            "{case}"
        );
        assert_eq!(
            s.n_classes as u64,
            expected["n_classes"].as_u64().unwrap(),
            "{case}"
        );
        assert_eq!(
            s.has_logits,
            expected["has_logits"].as_bool().unwrap(),
            "{case}"
        );
        for (key, got) in [
            ("target_train_accuracy", s.target_train_accuracy),
            ("target_test_accuracy", s.target_test_accuracy),
            ("mean_confidence_members", s.mean_confidence_members),
            ("mean_confidence_nonmembers", s.mean_confidence_nonmembers),
            ("mean_loss_members", s.mean_loss_members),
            ("mean_loss_nonmembers", s.mean_loss_nonmembers),
            ("generalization_gap", s.generalization_gap),
        ] {
            close(&format!("{case} {key}"), got.unwrap(), &expected[key]);
        }
        for (key, want) in expected["scores"].as_object().unwrap() {
            let r = report.signal(signal_of(key)).unwrap();
            let l = |what: &str| format!("{case} {key} {what}");
            close(&l("auc"), r.auc, &want["auc"]);
            for t in &r.tpr_at_fpr {
                close(
                    &l(&format!("tpr@{}", t.target_fpr)),
                    t.tpr,
                    &want["tpr_at_fpr"][format!("{}", t.target_fpr)],
                );
            }
            close(
                &l("balanced accuracy"),
                r.best_balanced_accuracy,
                &want["best_balanced_accuracy"],
            );
            close(
                &l("advantage"),
                r.attacker_advantage,
                &want["attacker_advantage"],
            );
            let mt = &want["mean_threshold"];
            close(
                &l("mean threshold"),
                r.mean_threshold.threshold,
                &mt["threshold"],
            );
            close(
                &l("mean threshold accuracy"),
                r.mean_threshold.accuracy,
                &mt["accuracy"],
            );
            close(&l("mean threshold tpr"), r.mean_threshold.tpr, &mt["tpr"]);
            close(&l("mean threshold fpr"), r.mean_threshold.fpr, &mt["fpr"]);
            assert_eq!(
                r.risk.key(),
                want["risk_level"].as_str().unwrap(),
                "{}",
                l("risk")
            );
            assert_eq!(
                r.roc.len() as u64,
                want["n_roc_points"].as_u64().unwrap(),
                "{}",
                l("points")
            );
            assert_eq!(
                r.n_distinct_scores as u64,
                want["n_distinct_scores"].as_u64().unwrap(),
                "{}",
                l("distinct")
            );
        }
    }
}

#[test]
fn roc_points_match_scikit_learn_roc_curve() {
    for case in CASES {
        let roc_ref = load_json(&format!("{case}.roc.json"));
        let bytes = std::fs::read(fixture(&format!("{case}.csv"))).unwrap();
        let report = audit(&ingest(&bytes, None).unwrap().table).unwrap();
        for key in ["confidence", "neg_loss"] {
            let r = &report.signal(signal_of(key)).unwrap().roc;
            let want = &roc_ref[key];
            let (fpr, tpr, thr) = (
                want["fpr"].as_array().unwrap(),
                want["tpr"].as_array().unwrap(),
                want["thresholds"].as_array().unwrap(),
            );
            assert_eq!(r.len(), fpr.len(), "{case} {key}");
            assert_eq!(thr[0].as_str(), Some("inf"));
            assert!(r.thresholds[0].is_infinite());
            for i in 0..r.len() {
                assert!(
                    (r.fpr[i] - fpr[i].as_f64().unwrap()).abs() <= 1e-15,
                    "{case} {key} fpr[{i}]"
                );
                assert!(
                    (r.tpr[i] - tpr[i].as_f64().unwrap()).abs() <= 1e-15,
                    "{case} {key} tpr[{i}]"
                );
                if i > 0 {
                    assert_eq!(
                        r.thresholds[i],
                        thr[i].as_f64().unwrap(),
                        "{case} {key} threshold[{i}]"
                    );
                }
            }
        }
    }
}

#[test]
fn json_report_carries_the_conformance_keys() {
    for case in CASES {
        let expected = load_json(&format!("{case}.expected.json"));
        let bytes = std::fs::read(fixture(&format!("{case}.csv"))).unwrap();
        let ing = ingest(&bytes, None).unwrap();
        let report = audit(&ing.table).unwrap();
        assert_same_keys(case, &report_json(&report, &ing.report, &[]), &expected);
    }
}
