//! Membership signals, percentile thresholds and per-class AUC against numpy / scipy /
//! scikit-learn (`scripts/reference/make_signal_reference.py` → `fixtures/reference/signals.json`).

mod common;

use common::fixture;
use mia_engine::{audit, ingest, Signal};
use serde_json::Value;

#[test]
fn signals_match_the_numpy_definitions() {
    let reference: Value =
        serde_json::from_slice(&std::fs::read(fixture("reference/signals.json")).unwrap()).unwrap();
    for (case, want) in reference["cases"].as_object().unwrap() {
        let bytes = std::fs::read(fixture(&format!("conformance/{case}.csv"))).unwrap();
        let table = ingest(&bytes, None).unwrap().table;
        let report = audit(&table).unwrap();
        for key in [
            "max_prob",
            "neg_entropy",
            "neg_modified_entropy",
            "logit_confidence",
        ] {
            let s = Signal::from_key(key).unwrap();
            let w = &want[key];
            let scores = s.scores(&table).unwrap();
            for (i, v) in w["first_scores"].as_array().unwrap().iter().enumerate() {
                let v = v.as_f64().unwrap();
                assert!(
                    (scores[i] - v).abs() <= 1e-9 * v.abs().max(1.0),
                    "{case} {key} score {i}: {} vs {v}",
                    scores[i]
                );
            }
            let r = report.signal(s).unwrap();
            let auc = w["auc"].as_f64().unwrap();
            assert!(
                (r.auc - auc).abs() <= 1e-9,
                "{case} {key} AUC {} vs {auc}",
                r.auc
            );
            let adv = w["attacker_advantage"].as_f64().unwrap();
            assert!(
                (r.attacker_advantage - adv).abs() <= 1e-9,
                "{case} {key} advantage"
            );
        }
        let conf = report.signal(Signal::Confidence).unwrap();
        let bp = &want["confidence"]["best_percentile_threshold"];
        assert_eq!(
            conf.best_percentile_threshold.percentile,
            bp["percentile"].as_f64().unwrap(),
            "{case}"
        );
        assert!(
            (conf.best_percentile_threshold.outcome.threshold - bp["threshold"].as_f64().unwrap())
                .abs()
                <= 1e-12
        );
        assert!(
            (conf.best_percentile_threshold.outcome.accuracy - bp["accuracy"].as_f64().unwrap())
                .abs()
                <= 1e-12
        );
        let per_class = want["confidence"]["per_class_auc"].as_object().unwrap();
        for c in &conf.per_class {
            match (c.auc, per_class.get(&c.label.to_string())) {
                (Some(a), Some(w)) => assert!(
                    (a - w.as_f64().unwrap()).abs() <= 1e-9,
                    "{case} class {}",
                    c.label
                ),
                (None, None) => {}
                (a, w) => panic!("{case} class {}: engine {a:?}, sklearn {w:?}", c.label),
            }
        }
    }
}

#[test]
fn logit_margin_stays_finite_when_confidence_rounds_to_one() {
    // p_y = 1 - 1e-20 in exact arithmetic: 1 - p_y underflows in f64, the logits do not.
    let z = [46.0, 0.0];
    assert_eq!(mia_engine::table::signal::logit_margin(&z, 0), 46.0);
    assert_eq!(
        mia_engine::table::signal::log_softmax_at(&z, 1),
        -46.0 - (-46f64).exp().ln_1p()
    );
}

#[test]
fn tpr_at_fpr_measurability_follows_the_number_of_nonmembers() {
    let members = [vec![true; 10], vec![false; 1000]].concat();
    let scores: Vec<f64> = (0..1010)
        .map(|i| {
            if i < 10 {
                2.0 + i as f64
            } else {
                (i % 100) as f64 / 100.0
            }
        })
        .collect();
    let roc = mia_engine::roc_curve(&members, &scores).unwrap();
    let t = mia_engine::tpr_at_fpr(&roc, 0.001);
    assert!(t.measurable, "1000 non-members resolve 0.1 %");
    assert_eq!(t.tpr, 1.0);
    let roc = mia_engine::roc_curve(&members[..1009], &scores[..1009]).unwrap();
    assert!(
        !mia_engine::tpr_at_fpr(&roc, 0.001).measurable,
        "999 do not"
    );
}

#[test]
fn a_thinned_roc_curve_keeps_exact_points_and_the_best_threshold() {
    // 20,000 records with distinct scores: the curve has 20,001 points.
    let n = 20_000;
    let members: Vec<bool> = (0..n).map(|i| i % 3 != 0).collect();
    let scores: Vec<f64> = (0..n)
        .map(|i| ((i * 7919) % n) as f64 + if i % 3 != 0 { 3000.0 } else { 0.0 })
        .collect();
    let full = mia_engine::roc_curve(&members, &scores).unwrap();
    let thin = full.thinned(1000);
    assert!(
        thin.len() <= 1600 && thin.len() >= 500,
        "{} points",
        thin.len()
    );
    assert_eq!(thin.thresholds[0], f64::INFINITY);
    assert_eq!(*thin.tpr.last().unwrap(), 1.0);
    assert_eq!(
        thin.max_advantage_threshold(),
        full.max_advantage_threshold()
    );
    for (i, &t) in thin.thresholds.iter().enumerate().skip(1) {
        assert_eq!(thin.at_threshold(t), full.at_threshold(t), "threshold {t}");
        assert_eq!(
            (thin.tps[i], thin.fps[i]),
            (full.tps[full.point_at(t)], full.fps[full.point_at(t)])
        );
    }
    // Low-FPR detail survives: points below FPR 1e-3 are kept.
    assert!(thin.fpr.iter().filter(|&&f| f > 0.0 && f < 1e-3).count() >= 3);
    // A curve that is already small is returned whole.
    assert_eq!(full.thinned(50_000), full);
}

/// `csv` with only the columns `keep` accepts.
fn with_columns(csv: &[u8], keep: impl Fn(&str) -> bool) -> Vec<u8> {
    let mut r = csv::Reader::from_reader(csv);
    let headers = r.headers().unwrap().clone();
    let kept: Vec<usize> = (0..headers.len()).filter(|&i| keep(&headers[i])).collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(kept.iter().map(|&i| &headers[i])).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        w.write_record(kept.iter().map(|&i| &rec[i])).unwrap();
    }
    w.into_inner().unwrap()
}

#[test]
fn folding_the_per_class_columns_while_reading_changes_no_figure() {
    type Layout = (&'static str, fn(&str) -> bool);
    let layouts: [Layout; 5] = [
        ("every column", |_| true),
        ("no confidence or loss", |h| {
            h != "confidence" && h != "loss"
        }),
        ("probabilities and label", |h| {
            !h.starts_with("logit_") && h != "confidence" && h != "loss"
        }),
        ("logits and label", |h| {
            !h.starts_with("prob_") && h != "confidence" && h != "loss"
        }),
        ("probabilities without label", |h| {
            !h.starts_with("logit_") && h != "label" && h != "confidence" && h != "loss"
        }),
    ];
    for case in ["case01_digits_mlp_overfit", "case03_breast_cancer_logreg"] {
        let file = std::fs::read(fixture(&format!("conformance/{case}.csv"))).unwrap();
        for (layout, keep) in layouts {
            let bytes = with_columns(&file, keep);
            let kept = ingest(&bytes, None).unwrap().table;
            let mut p = mia_engine::IngestProgress::start(&bytes, None)
                .unwrap()
                .fold_class_outputs();
            while !p.step(333).unwrap() {}
            let folded = p.finish().unwrap().table;
            assert!(folded.probs.is_none() && folded.logits.is_none());
            assert!(folded.folded.is_some(), "{case}, {layout}");
            assert_eq!(Signal::available(&folded), Signal::available(&kept));
            let json =
                |t: &mia_engine::AuditTable| serde_json::to_string(&audit(t).unwrap()).unwrap();
            assert_eq!(json(&folded), json(&kept), "{case}, {layout}");
            // Selecting rows of a folded table equals folding the selected rows.
            let idx: Vec<usize> = (0..kept.len()).step_by(7).rev().collect();
            assert_eq!(
                json(&folded.select_rows(&idx)),
                json(&kept.select_rows(&idx)),
                "{case}, {layout}"
            );
        }
    }
}

#[test]
fn one_pass_scores_equal_each_signal_computed_alone() {
    use mia_engine::table::signal::ClassOutputs;
    let rows: [&[f64]; 6] = [
        &[0.0, 0.0, 0.0],
        &[1.0, 0.0, 0.0],
        &[0.2, 0.3, 0.5],
        &[1e-40, 0.5, 0.5 - 1e-40],
        &[0.999_999_999_999, 1e-12, 0.0],
        &[-0.0, 0.25, 0.75],
    ];
    let logits: [&[f64]; 3] = [&[0.0, -0.0, 0.0], &[3.0, -1.5, 20.0], &[-700.0, 700.0, 0.5]];
    let mut scratch = Vec::new();
    let mut check = |r: ClassOutputs<'_>| {
        // The loss is read off the probabilities only through the confidence, never here.
        let signals: Vec<Signal> = Signal::ALL
            .into_iter()
            .filter(|&s| s != Signal::NegLoss || r.logits.is_some())
            .collect();
        let mut out = vec![f64::NAN; signals.len()];
        r.scores_into(&signals, &mut out, &mut scratch);
        for (s, v) in signals.iter().zip(out) {
            let alone = r.score(*s, &mut scratch);
            assert_eq!(v.to_bits(), alone.to_bits(), "{s:?} of {r:?}");
        }
    };
    for p in rows {
        for label in 0..3 {
            check(ClassOutputs {
                probs: Some(p),
                logits: None,
                label,
            });
            for z in logits {
                check(ClassOutputs {
                    probs: Some(p),
                    logits: Some(z),
                    label,
                });
                check(ClassOutputs {
                    probs: None,
                    logits: Some(z),
                    label,
                });
            }
        }
    }
}
