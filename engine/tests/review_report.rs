//! The review report: JSON and HTML carry the checklist, the evidence from a real audit
//! (conformance case 08, figures from scikit-learn) and the input's fingerprint.

mod common;

use mia_engine::checklist::review_report::{ChartImage, InputDescription, ReviewReport};
use mia_engine::checklist::{DataSensitivity, DeploymentFacts, Fact, FactOrigin, ModelSize};
use mia_engine::ingest::fingerprint::sha256_hex;
use mia_engine::{audit, ingest, Signal};
use serde_json::Value;

const CASE: &str = "case08_digits_noisy_mlp_overfit";

fn case_bytes() -> Vec<u8> {
    common::read(&common::conformance(&format!("{CASE}.csv")))
}

fn expected() -> Value {
    common::fixture_json(&format!("conformance/{CASE}.expected.json"))
}

fn report(name: &str) -> ReviewReport {
    let bytes = case_bytes();
    let ingested = ingest(&bytes, None).unwrap();
    let audited = audit(&ingested.table).unwrap();
    let facts = DeploymentFacts {
        sensitivity: DataSensitivity::General,
        generalization_gap: Some(0.05),
        n_training_examples: 50_000,
        model_size: ModelSize::Small,
        ..DeploymentFacts::default()
    };
    ReviewReport::new(
        "0.1.0",
        "2026-11-22T10:00:00.000Z",
        facts,
        vec![(
            Fact::GeneralizationGap,
            FactOrigin::Audit {
                detail: "train − test accuracy".into(),
            },
        )],
        Some(InputDescription {
            name: name.to_string(),
            size_bytes: Some(bytes.len() as u64),
            sha256: Some(sha256_hex(&bytes)),
        }),
        Some((audited, ingested.report)),
    )
}

#[test]
fn evidence_is_the_strongest_signal_with_scikit_learn_figures() {
    let r = report("case08.csv");
    let e = r.evidence.as_ref().unwrap();
    // The strongest of the engine's signals: at least as strong as the best scikit-learn scored.
    let (_, audit) = r.audit.as_ref().map(|(a, i)| (i, a)).unwrap();
    let best = audit.signals.iter().map(|s| s.auc).fold(f64::MIN, f64::max);
    assert_eq!(e.auc, best);
    assert_eq!(audit.signal(e.signal.unwrap()).unwrap().auc, best);
    assert!(e.attack.starts_with("threshold attack ("), "{}", e.attack);
    let exp = expected();
    for (key, v) in exp["scores"].as_object().unwrap() {
        let sk = v["auc"].as_f64().unwrap();
        let ours = audit.signal(Signal::from_key(key).unwrap()).unwrap().auc;
        assert!((ours - sk).abs() < 1e-9, "{key}");
        assert!(e.auc >= sk);
    }
    assert_eq!(e.risk.key(), "critical");
    // The entered facts raise nothing, but the measured attack is critical.
    assert_eq!(r.assessment.overall.key(), "low");
    assert!(r
        .evidence_warning()
        .unwrap()
        .contains("worse than the checklist"));
}

#[test]
fn json_carries_checklist_evidence_input_and_audit() {
    let r = report("case08.csv");
    let j = r.to_json();
    let bytes = case_bytes();
    assert_eq!(j["input"]["size_bytes"], bytes.len() as u64);
    assert_eq!(j["input"]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(j["checklist"]["overall_risk"], "low");
    assert_eq!(j["checklist"]["approved_for_deployment"], true);
    assert_eq!(j["facts"]["generalization_gap"], 0.05);
    assert_eq!(
        j["fact_sources"]["generalization_gap"],
        "from the audit: train − test accuracy"
    );
    assert_eq!(j["fact_sources"]["sensitivity"], "entered by the reviewer");
    assert_eq!(j["regulations"].as_array().unwrap().len(), 5);
    let exp = expected();
    let auc = j["audit"]["scores"]["neg_loss"]["auc"].as_f64().unwrap();
    assert!((auc - exp["scores"]["neg_loss"]["auc"].as_f64().unwrap()).abs() < 1e-9);
    assert_eq!(j["measured_attack"]["risk_level"], "critical");
}

#[test]
fn html_is_self_contained_and_escapes_what_the_user_gave() {
    let r = report("<script>alert(1)</script>.csv");
    let html = r.to_html(&[
        ChartImage {
            title: "ROC curve".into(),
            png_data_url: "data:image/png;base64,iVBORw0KGgo=".into(),
        },
        ChartImage {
            title: "not an image".into(),
            png_data_url: "https://example.com/x.png".into(),
        },
    ]);
    assert!(!html.contains("<script"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.csv"));
    assert!(html.contains("default-src 'none'"));
    assert!(html.contains("src=\"data:image/png;base64,iVBORw0KGgo=\""));
    assert!(!html.contains("example.com"));
    assert!(html.contains(&sha256_hex(&case_bytes())));
    // The headline figure as the page prints it (4 significant digits).
    let auc = r.evidence.as_ref().unwrap().auc;
    assert!(html.contains(&format!(
        "AUC {}",
        mia_engine::output::number_format::sig(auc, 4)
    )));
    assert!(html.contains("id=\"overall-risk\">low<"));
    assert!(html.contains("id=\"approved\">yes<"));
    for key in ["GDPR", "HIPAA", "CCPA", "EU AI Act"] {
        assert!(html.contains(key), "{key}");
    }
}

#[test]
fn the_reference_attacks_strongest_variant_is_the_evidence_when_stronger() {
    use mia_engine::reference_attack::{
        read_reference_csv, run_reference_attack, ReferenceSettings,
    };
    let bytes = common::read(&common::conformance("lira/lira01_digits_noise8_M8.csv"));
    let table = read_reference_csv(&bytes).unwrap().table;
    let lira =
        run_reference_attack(&table, ReferenceSettings::default(), |_| Ok::<(), ()>(())).unwrap();
    let threshold = report("case08.csv").evidence.unwrap();
    let r = report("case08.csv").with_reference_attacks(lira.clone());
    let e = r.evidence.as_ref().unwrap();
    // lira01: LiRA online with the global spread names 23.1 % of members at 1 % FPR.
    let expected_tpr = lira.strongest().unwrap().1.tpr_at(0.01).unwrap();
    if expected_tpr > threshold.tpr_at_1_percent.unwrap() {
        assert_eq!(e.attack, "LiRA online, global spread (8 reference models)");
        assert_eq!(e.signal, None);
        assert_eq!(e.tpr_at_1_percent, Some(expected_tpr));
    } else {
        assert_eq!(e, &threshold);
    }
    let j = r.to_json();
    assert_eq!(j["measured_attack"]["attack"], e.attack.as_str());
    assert_eq!(j["reference_attacks"]["n_reference_models"], 8);
    assert_eq!(j["reference_attacks"]["strongest"], "lira_online_global");
    assert_eq!(
        j["reference_attacks"]["variants"]["lira_online_global"]["tpr_at_fpr"]["0.01"],
        expected_tpr
    );
    let html = r.to_html(&[]);
    assert!(html.contains("<table id=\"reference-attacks\">"));
    assert!(html.contains(&format!("{}: AUC", e.attack)));
}
