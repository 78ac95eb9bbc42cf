//! The confidence-restriction pipeline against the shared numpy reference
//! (`fixtures/conformance/restriction_case01_*`: softmax(logits/T) → cap → round, 18 settings).

mod common;

use common::conformance as fixture;
use mia_engine::attack::summary::masked_mean;
use mia_engine::restriction::{
    restrict, restricted_table, top1_agreement, RestrictionError, RestrictionSetting,
};
use mia_engine::{auc, ingest, roc_curve, Signal};
use serde_json::Value;

#[test]
fn every_setting_matches_numpy() {
    let reference: Value = serde_json::from_slice(
        &std::fs::read(fixture("restriction_case01_digits_mlp_overfit.json")).unwrap(),
    )
    .unwrap();
    let table = ingest(
        &std::fs::read(fixture("case01_digits_mlp_overfit.csv")).unwrap(),
        None,
    )
    .unwrap()
    .table;
    let mut expected_conf = csv::Reader::from_path(fixture(
        "restriction_case01_digits_mlp_overfit_confidence.csv",
    ))
    .unwrap();
    let headers = expected_conf.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = expected_conf.records().map(|r| r.unwrap()).collect();
    let logits = table.logits.clone().unwrap();
    let k = table.n_classes;
    for g in reference["grid"].as_array().unwrap() {
        let key = g["key"].as_str().unwrap();
        let s = RestrictionSetting {
            temperature: g["temperature"].as_f64().unwrap(),
            max_confidence: g["max_confidence"].as_f64(),
            precision: g["precision"].as_u64().map(|p| p as u32),
            label_only: false,
        };
        let rt = restricted_table(&table, &s).unwrap();
        let conf = Signal::Confidence.scores(&rt).unwrap();
        let col = headers.iter().position(|h| h == key).unwrap();
        for (i, r) in rows.iter().enumerate() {
            let want: f64 = r[col].parse().unwrap();
            assert!(
                (conf[i] - want).abs() <= 1e-9,
                "{key} row {i}: {} vs {want}",
                conf[i]
            );
        }
        let a = auc(&roc_curve(&rt.member.to_vec(), &conf).unwrap());
        assert!(
            (a - g["auc"].as_f64().unwrap()).abs() <= 1e-9,
            "{key} AUC {a}"
        );
        let agreement = top1_agreement(&logits, rt.probs.as_ref().unwrap(), k);
        assert_eq!(
            agreement,
            g["top1_agreement"].as_f64().unwrap(),
            "{key} agreement"
        );
        let mm = masked_mean(&conf, &rt.member, true).unwrap();
        let mn = masked_mean(&conf, &rt.member, false).unwrap();
        assert!(
            (mm - g["mean_confidence_members"].as_f64().unwrap()).abs() <= 1e-9,
            "{key}"
        );
        assert!(
            (mn - g["mean_confidence_nonmembers"].as_f64().unwrap()).abs() <= 1e-9,
            "{key}"
        );
        let mut distinct = conf.clone();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        assert_eq!(
            distinct.len() as u64,
            g["n_distinct_confidence"].as_u64().unwrap(),
            "{key} distinct"
        );
    }
}

#[test]
fn extreme_settings_are_defined() {
    // A cap below 1/K: renormalising lifts the top entry above the cap again; the output is
    // still a distribution with the same top class.
    let p = restrict(
        &[5.0, 1.0, 0.0],
        &RestrictionSetting {
            max_confidence: Some(0.2),
            ..Default::default()
        },
    );
    assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-15 && p[0] > p[1] && p[1] > p[2]);
    // A cap below 1/K on equal outputs: uniform.
    let p = restrict(
        &[0.0; 3],
        &RestrictionSetting {
            max_confidence: Some(0.2),
            ..Default::default()
        },
    );
    assert!(p.iter().all(|v| (v - 1.0 / 3.0).abs() < 1e-15));
    // Rounding that zeroes everything gives uniform, not NaN.
    let p = restrict(
        &[0.0; 40],
        &RestrictionSetting {
            precision: Some(1),
            ..Default::default()
        },
    );
    assert!(p.iter().all(|v| *v == 1.0 / 40.0));
    // Label only: one-hot on the top class, ties to the lowest index.
    let p = restrict(
        &[1.0, 3.0, 3.0],
        &RestrictionSetting {
            label_only: true,
            ..Default::default()
        },
    );
    assert_eq!(p, vec![0.0, 1.0, 0.0]);
    // A huge temperature flattens; a tiny one sharpens, without overflow.
    let flat = restrict(
        &[10.0, 0.0],
        &RestrictionSetting {
            temperature: 1e6,
            ..Default::default()
        },
    );
    assert!((flat[0] - 0.5).abs() < 1e-5);
    let sharp = restrict(
        &[10.0, 0.0],
        &RestrictionSetting {
            temperature: 1e-3,
            ..Default::default()
        },
    );
    assert_eq!(sharp, vec![1.0, 0.0]);
}

#[test]
fn evaluation_reports_the_reference_figures() {
    let g = common::restriction_reference("T2_cap0.95_prec1");
    let csv = fixture("case01_digits_mlp_overfit.csv");
    let table = ingest(&std::fs::read(&csv).unwrap(), None).unwrap().table;
    let s = RestrictionSetting {
        temperature: 2.0,
        max_confidence: Some(0.95),
        precision: Some(1),
        label_only: false,
    };
    let r = mia_engine::restriction::evaluate(&table, &s).unwrap();
    let after_conf = r
        .after
        .iter()
        .find(|f| f.signal == Signal::Confidence)
        .unwrap();
    assert!((after_conf.auc - g["auc"].as_f64().unwrap()).abs() <= 1e-9);
    assert_eq!(
        r.utility.top1_agreement,
        g["top1_agreement"].as_f64().unwrap()
    );
    let before_conf = r
        .before
        .iter()
        .find(|f| f.signal == Signal::Confidence)
        .unwrap();
    assert!(
        (before_conf.auc - 0.5388305739363956).abs() <= 1e-9,
        "before = case01's scikit-learn AUC"
    );
    assert!(r.label_only_auc.unwrap() > 0.5);
}

#[test]
fn utility_figures_match_numpy() {
    let reference = common::fixture_json("reference/restriction_utility.json");
    let table = ingest(
        &std::fs::read(fixture("case08_digits_noisy_mlp_overfit.csv")).unwrap(),
        None,
    )
    .unwrap()
    .table;
    for r in reference["settings"].as_array().unwrap() {
        let s = RestrictionSetting {
            temperature: r["temperature"].as_f64().unwrap(),
            max_confidence: r["max_confidence"].as_f64(),
            precision: r["precision"].as_u64().map(|p| p as u32),
            label_only: r["label_only"].as_bool().unwrap(),
        };
        let e = mia_engine::restriction::evaluate(&table, &s).unwrap();
        let l = format!("{s:?}");
        assert_eq!(
            e.utility.top1_agreement,
            r["top1_agreement"].as_f64().unwrap(),
            "{l} agreement"
        );
        assert_eq!(
            e.utility.accuracy.unwrap(),
            r["accuracy"].as_f64().unwrap(),
            "{l} accuracy"
        );
        assert!(
            (e.utility.ece.unwrap() - r["ece"].as_f64().unwrap()).abs() <= 1e-12,
            "{l} ECE {}",
            e.utility.ece.unwrap()
        );
        assert_eq!(
            e.utility.n_lost_distinct as u64,
            r["n_lost_distinct"].as_u64().unwrap(),
            "{l} lost distinct"
        );
        assert!(
            (e.label_only_auc.unwrap() - reference["label_only_auc"].as_f64().unwrap()).abs()
                <= 1e-12
        );
        assert!(
            (e.ece_before.unwrap() - reference["ece_unrestricted"].as_f64().unwrap()).abs()
                <= 1e-12
        );
    }
}

#[test]
fn the_frontier_marks_pareto_optimal_settings() {
    use mia_engine::restriction::frontier::{mark_frontier, FrontierPoint};
    let p = |u: f64, a: f64, e: f64| FrontierPoint {
        setting: RestrictionSetting::default(),
        max_auc: a,
        utility: u,
        ece: Some(e),
        on_frontier: false,
        on_frontier_ece: false,
    };
    // (utility, AUC, ECE)
    let mut pts = vec![
        p(0.9, 0.8, 0.05),
        p(0.8, 0.7, 0.10),
        p(0.7, 0.75, 0.02),
        p(0.85, 0.85, 0.2),
    ];
    mark_frontier(&mut pts);
    assert_eq!(
        pts.iter().map(|p| p.on_frontier).collect::<Vec<_>>(),
        vec![true, true, false, false]
    );
    assert_eq!(
        pts.iter().map(|p| p.on_frontier_ece).collect::<Vec<_>>(),
        vec![false, true, true, false]
    );
}

/// The page's hand-written JSON before it became [`RestrictionSetting::to_json`].
fn old_setting_json(s: &RestrictionSetting) -> String {
    let opt = |v: Option<String>| v.unwrap_or_else(|| "null".into());
    format!(
        "{{\"temperature\":{},\"max_confidence\":{},\"precision\":{},\"label_only\":{}}}",
        s.temperature,
        opt(s.max_confidence.map(|c| c.to_string())),
        opt(s.precision.map(|p| p.to_string())),
        s.label_only
    )
}

#[test]
fn the_exported_setting_json_is_byte_identical_to_the_pages() {
    // Every value the sliders give (as the page parses them from the input's text), each
    // rounding, label-only or not, and valid values from a link beyond the sliders.
    let mut temperatures: Vec<f64> = (5..=100)
        .map(|k| format!("{}.{}", k / 10, k % 10).parse().unwrap())
        .collect();
    temperatures.extend([
        20.0,
        1e-3,
        0.25,
        123.456,
        1e15,
        1e18,
        9_007_199_254_740_993.0,
    ]);
    let mut caps: Vec<Option<f64>> = (50..=100)
        .map(|j| Some(format!("{}", j as f64 / 100.0).parse().unwrap()))
        .collect();
    caps.extend([None, Some(0.2), Some(1e-5), Some(0.123_456_789)]);
    let mut n = 0;
    for &t in &temperatures {
        for &cap in &caps {
            for precision in [None, Some(0), Some(1), Some(6), Some(15)] {
                for label_only in [false, true] {
                    let s = RestrictionSetting {
                        temperature: t,
                        max_confidence: cap,
                        precision,
                        label_only,
                    };
                    assert_eq!(s.to_json(), old_setting_json(&s), "{s:?}");
                    let back: RestrictionSetting = serde_json::from_str(&s.to_json()).unwrap();
                    assert_eq!(back, s);
                    n += 1;
                }
            }
        }
    }
    assert!(n > 10_000);
    // Below 1e-5 serde_json writes an exponent where `Display` did not: the same number.
    let tiny = RestrictionSetting {
        max_confidence: Some(1e-7),
        ..Default::default()
    };
    assert_eq!(
        tiny.to_json(),
        r#"{"temperature":1,"max_confidence":1e-7,"precision":null,"label_only":false}"#
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&tiny.to_json()).unwrap(),
        serde_json::from_str::<serde_json::Value>(&old_setting_json(&tiny)).unwrap()
    );
    assert_eq!(
        RestrictionSetting {
            temperature: 8.0,
            precision: Some(1),
            ..Default::default()
        }
        .to_json(),
        r#"{"temperature":8,"max_confidence":null,"precision":1,"label_only":false}"#
    );
}

#[test]
fn outputs_without_class_columns_are_refused_with_a_typed_error() {
    let table = ingest(b"member,confidence\n1,0.9\n0,0.6\n1,0.8\n0,0.5\n", None)
        .unwrap()
        .table;
    let e = mia_engine::restriction::evaluate(&table, &RestrictionSetting::default()).unwrap_err();
    assert_eq!(e, RestrictionError::NoClassColumns);
    assert_eq!(
        e.to_string(),
        "Confidence restriction needs per-class `logit_*` or `prob_*` columns."
    );
}
