//! The DP toolkit against its references: dp_accounting's RDP accountant (the shared conformance
//! grid and `fixtures/reference/dp.json` from `scripts/reference/make_dp_reference.py`), scipy's
//! `beta.ppf` for Clopper-Pearson and the empirical epsilon bound, and a rank-based DeLong.

mod common;

use common::fixture_json as json;
use mia_engine::confidence::clopper_pearson::clopper_pearson_lower;
use mia_engine::confidence::{
    clopper_pearson_interval, clopper_pearson_upper, delong_auc_interval,
};
use mia_engine::dp::{
    dp_sgd_epsilon, epsilon_lower_bound, noise_multiplier_for_epsilon, split_half_audit,
    DpSgdSchedule, ThresholdCounts,
};
use mia_engine::{ingest, roc_curve};
use serde_json::Value;

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

fn schedule(r: &Value) -> DpSgdSchedule {
    DpSgdSchedule {
        sampling_rate: num(&r["q"]),
        noise_multiplier: num(&r["sigma"]),
        steps: r["steps"].as_u64().unwrap(),
    }
}

#[test]
fn accountant_matches_dp_accounting_on_the_shared_grid() {
    let d = json("conformance/dp_epsilon.json");
    let rows = d["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 60);
    let mut worst: f64 = 0.0;
    for r in rows {
        let got = dp_sgd_epsilon(&schedule(r), num(&r["delta"])).unwrap();
        let want = num(&r["eps_rdp"]);
        let rel = (got.epsilon - want).abs() / want;
        worst = worst.max(rel);
        assert!(rel < 1e-3, "{r}: got {}", got.epsilon);
        assert_eq!(got.optimal_order, num(&r["rdp_optimal_order"]), "{r}");
    }
    // The tolerance is 1e-3; the implementation follows dp_accounting term for term.
    assert!(worst < 1e-9, "worst relative difference {worst}");
}

#[test]
fn accountant_matches_dp_accounting_on_small_q_and_other_deltas() {
    let d = json("reference/dp.json");
    let rows = d["accountant"].as_array().unwrap();
    assert_eq!(rows.len(), 270);
    let mut worst: f64 = 0.0;
    for r in rows {
        let got = dp_sgd_epsilon(&schedule(r), num(&r["delta"])).unwrap();
        match r["epsilon"].as_f64() {
            None => assert!(got.epsilon.is_infinite(), "{r}"),
            Some(want) => {
                let rel = if want == 0.0 {
                    got.epsilon
                } else {
                    (got.epsilon - want).abs() / want
                };
                worst = worst.max(rel);
                assert!(rel < 1e-3, "{r}: got {}", got.epsilon);
            }
        }
        let excluded: Vec<f64> = r["excluded_orders"]
            .as_array()
            .unwrap()
            .iter()
            .map(num)
            .collect();
        assert_eq!(got.excluded_orders, excluded, "{r}");
    }
    assert!(worst < 1e-8, "worst relative difference {worst}");
}

#[test]
fn opacus_published_figure_and_the_inverse() {
    let s = DpSgdSchedule {
        sampling_rate: 0.04,
        noise_multiplier: 1.5,
        steps: 2250,
    };
    let e = dp_sgd_epsilon(&s, 1e-5).unwrap();
    assert!((e.epsilon - 7.329).abs() < 5e-4, "{}", e.epsilon);
    // σ for a target ε: back to 1.5, and the ε it gives does not exceed the target.
    for (q, steps, delta, target) in [
        (0.04, 2250, 1e-5, e.epsilon),
        (0.001, 10_000, 1e-6, 1.0),
        (1.0, 10, 1e-5, 3.0),
    ] {
        let sigma = noise_multiplier_for_epsilon(q, steps, delta, target).unwrap();
        let at = |s: f64| {
            dp_sgd_epsilon(
                &DpSgdSchedule {
                    sampling_rate: q,
                    noise_multiplier: s,
                    steps,
                },
                delta,
            )
            .unwrap()
            .epsilon
        };
        assert!(
            at(sigma) <= target,
            "σ {sigma} gives {} > {target}",
            at(sigma)
        );
        assert!(
            at(sigma * (1.0 - 1e-5)) > target * (1.0 - 1e-3),
            "σ {sigma} is not the smallest"
        );
    }
    let sigma = noise_multiplier_for_epsilon(0.04, 2250, 1e-5, e.epsilon).unwrap();
    assert!((sigma - 1.5).abs() < 1e-5, "{sigma}");
    assert!(noise_multiplier_for_epsilon(0.5, 1_000_000, 1e-5, 1e-6).is_err());
    assert!(dp_sgd_epsilon(
        &DpSgdSchedule {
            sampling_rate: 1.5,
            ..s
        },
        1e-5
    )
    .is_err());
    assert!(dp_sgd_epsilon(&s, 0.0).is_err());
}

#[test]
fn clopper_pearson_matches_scipy() {
    let d = json("reference/dp.json");
    for r in d["clopper_pearson"].as_array().unwrap() {
        let (k, n) = (r["k"].as_u64().unwrap(), r["n"].as_u64().unwrap());
        let up = clopper_pearson_upper(k, n, 0.95);
        assert!(
            (up - num(&r["upper_one_sided_95"])).abs() < 1e-9,
            "{r}: {up}"
        );
        let i = clopper_pearson_interval(k, n, 0.95);
        let two = r["two_sided_95"].as_array().unwrap();
        assert!(
            (i.lower - num(&two[0])).abs() < 1e-9,
            "{r}: lower {}",
            i.lower
        );
        assert!(
            (i.upper - num(&two[1])).abs() < 1e-9,
            "{r}: upper {}",
            i.upper
        );
    }
    assert_eq!(clopper_pearson_lower(0, 10, 0.95), 0.0);
}

#[test]
fn epsilon_lower_bound_matches_scipy() {
    let d = json("conformance/eps_lower_bound.json");
    let delta = num(&d["delta"]);
    let conf = num(&d["confidence"]);
    for r in d["rows"].as_array().unwrap() {
        let c = ThresholdCounts {
            tp: r["tp"].as_u64().unwrap(),
            fp: r["fp"].as_u64().unwrap(),
            n_members: r["n1"].as_u64().unwrap(),
            n_nonmembers: r["n0"].as_u64().unwrap(),
        };
        let b = epsilon_lower_bound(&c, delta, conf);
        assert!((b.fpr_upper - num(&r["fpr_ub"])).abs() < 1e-9, "{r}");
        assert!((b.fnr_upper - num(&r["fnr_ub"])).abs() < 1e-9, "{r}");
        assert!(
            (b.epsilon - num(&r["eps_lb"])).abs() < 1e-9,
            "{r}: {}",
            b.epsilon
        );
        match r["eps_point"].as_f64() {
            Some(p) => assert!((b.point_epsilon - p).abs() < 1e-9, "{r}"),
            None => assert_eq!(r["eps_point"], "inf", "{r}"),
        }
        if r["eps_point"] == "inf" {
            assert!(b.point_epsilon.is_infinite(), "{r}");
        }
        // The two-sided variant is the one-sided bound at 97.5 %.
        let two = epsilon_lower_bound(&c, delta, 0.975);
        assert!(
            (two.epsilon - num(&r["two_sided"]["eps_lb"])).abs() < 1e-9,
            "{r}"
        );
    }
}

#[test]
fn delong_matches_the_rank_based_reference() {
    let d = json("reference/dp.json");
    for r in d["delong"].as_array().unwrap() {
        let (y, s): (Vec<bool>, Vec<f64>) =
            if let Some(case) = r["case"].as_str().filter(|c| c.starts_with("case")) {
                let p = common::conformance(&format!("{case}.csv"));
                let t = ingest(&common::read(&p), None).unwrap().table;
                let scores = match r["signal"].as_str().unwrap() {
                    "confidence" => t.confidence.clone().unwrap(),
                    _ => t.loss.clone().unwrap().iter().map(|l| -l).collect(),
                };
                (t.member.to_vec(), scores)
            } else {
                (
                    r["members"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_u64() == Some(1))
                        .collect(),
                    r["scores"].as_array().unwrap().iter().map(num).collect(),
                )
            };
        let roc = roc_curve(&y, &s).unwrap();
        let i = delong_auc_interval(&roc).unwrap();
        for key in ["auc", "std_error", "lower", "upper"] {
            let got = match key {
                "auc" => i.auc,
                "std_error" => i.std_error,
                "lower" => i.lower,
                _ => i.upper,
            };
            assert!(
                (got - num(&r[key])).abs() < 1e-12,
                "{} {key}: {got} vs {}",
                r["case"],
                r[key]
            );
        }
    }
}

#[test]
fn split_half_audit_chooses_on_one_half_and_counts_the_other() {
    // A strong attack: members score high.
    let n = 4000;
    let y: Vec<bool> = (0..n).map(|i| i % 2 == 0).collect();
    let s: Vec<f64> = (0..n)
        .map(|i| {
            if i % 2 == 0 {
                0.5 + (i % 97) as f64 / 100.0
            } else {
                (i % 89) as f64 / 100.0
            }
        })
        .collect();
    let a = split_half_audit(&y, &s, 1e-5, 0.95, 0).unwrap();
    assert_eq!(
        a.evaluation.n_members + a.evaluation.n_nonmembers,
        (n / 2) as u64
    );
    let b = epsilon_lower_bound(&a.evaluation, 1e-5, 0.95);
    assert!(b.epsilon > 1.0, "{b:?}");
    // Same seed, same answer; one class only: none.
    assert_eq!(split_half_audit(&y, &s, 1e-5, 0.95, 0), Some(a));
    assert!(split_half_audit(&[true, true], &[0.1, 0.2], 1e-5, 0.95, 0).is_none());
}
