//! The reference-model attacks (LiRA, RMIA) against the two public cases of
//! `conformance/lira/` (computed by numpy and by an independent pure-Python program): every
//! variant's AUC within 1e-9, TPR at each FPR exactly, every record's score within 1e-9 relative,
//! the global spreads, the reference counts and the fallbacks; the optional variants through the
//! settings.

mod common;

use common::{conformance, fixture_json, read};
use mia_engine::reference_attack::{
    read_reference_csv, run_reference_attack, Center, OfflineTest, ReferenceReport,
    ReferenceSettings, ReferenceTable, Variant,
};
use serde_json::Value;

const CASES: [&str; 2] = ["lira01_digits_noise8_M8", "lira07_edge_prob_M4"];

fn table(case: &str) -> ReferenceTable {
    let got = read_reference_csv(&read(&conformance(&format!("lira/{case}.csv")))).unwrap();
    assert_eq!(got.report.n_skipped, 0, "{case}: {:?}", got.report.problems);
    got.table
}

fn run(t: &ReferenceTable, s: ReferenceSettings) -> ReferenceReport {
    run_reference_attack(t, s, |_| Ok::<(), ()>(())).unwrap()
}

fn expected(case: &str) -> Value {
    fixture_json(&format!("conformance/lira/{case}.expected.json"))
}

/// The columns of `<case>.scores.csv`, by name.
fn score_columns(case: &str) -> Vec<(String, Vec<f64>)> {
    let bytes = read(&conformance(&format!("lira/{case}.scores.csv")));
    let mut r = csv::Reader::from_reader(&bytes[..]);
    let headers: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let mut cols: Vec<(String, Vec<f64>)> = headers.into_iter().map(|h| (h, Vec::new())).collect();
    for rec in r.records() {
        for (c, cell) in rec.unwrap().iter().enumerate() {
            cols[c].1.push(cell.parse().unwrap_or(f64::NAN));
        }
    }
    cols
}

fn column<'a>(cols: &'a [(String, Vec<f64>)], name: &str) -> &'a [f64] {
    &cols
        .iter()
        .find(|(h, _)| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
        .1
}

fn close(got: f64, want: f64, rel: f64) -> bool {
    got == want || (got - want).abs() <= rel * want.abs().max(1e-300) || (got - want).abs() < 1e-300
}

/// Every figure of `variant` in `report` equals the expected object `want`, and every record's
/// score equals the column `score_column`.
fn check_variant(
    case: &str,
    report: &ReferenceReport,
    variant: Variant,
    want: &Value,
    cols: &[(String, Vec<f64>)],
    score_column: &str,
) {
    let r = report
        .variants
        .iter()
        .find(|r| r.variant == variant)
        .unwrap();
    let m = r
        .metrics()
        .unwrap_or_else(|| panic!("{case} {score_column}: {:?}", r.outcome));
    let auc = want["auc"].as_f64().unwrap();
    assert!(
        (m.auc - auc).abs() <= 1e-9,
        "{case} {score_column}: AUC {} vs {auc}",
        m.auc
    );
    for t in &m.tpr_at_fpr {
        let key = format!("{}", t.target_fpr);
        let tpr = want["tpr_at_fpr"][&key].as_f64().unwrap();
        assert_eq!(t.tpr, tpr, "{case} {score_column}: TPR at {key}");
    }
    let adv = want["attacker_advantage"].as_f64().unwrap();
    assert!(
        (m.attacker_advantage - adv).abs() <= 1e-12,
        "{case} {score_column}: advantage"
    );
    let scores = r.scores().unwrap();
    let reference = column(cols, score_column);
    assert_eq!(scores.len(), reference.len());
    for (i, (&g, &w)) in scores.iter().zip(reference).enumerate() {
        assert!(
            close(g, w, 1e-9),
            "{case} {score_column} record {i}: {g} vs {w}"
        );
    }
}

#[test]
fn every_default_variant_matches_both_cases() {
    for case in CASES {
        let t = table(case);
        let e = expected(case);
        let cols = score_columns(case);
        let report = run(&t, ReferenceSettings::default());
        assert_eq!(report.m, e["M"].as_u64().unwrap() as usize);
        assert_eq!(report.mode.name(), e["phi_mode"].as_str().unwrap());
        assert_eq!(
            report.n_population,
            e["n_population"].as_u64().unwrap() as usize
        );
        for v in Variant::ALL {
            check_variant(case, &report, v, &e["variants"][v.name()], &cols, v.name());
        }
        let g = &e["global_sigma"];
        let [fin, fout] = &report.fits;
        assert!(close(
            fin.global_spread.unwrap(),
            g["in"].as_f64().unwrap(),
            1e-12
        ));
        assert!(close(
            fout.global_spread.unwrap(),
            g["out"].as_f64().unwrap(),
            1e-12
        ));
        let f = &e["column_mean_fallbacks"];
        let [c_in, c_out] = [fin, fout].map(|s| s.centre.to_vec());
        // Records with no value on a side took the fallback centre.
        for (side, want, centres, n) in [
            ("in", &f["mu_in"], c_in, &fin.n),
            ("out", &f["mu_out"], c_out, &fout.n),
        ] {
            let want = want.as_f64().unwrap();
            for (i, _) in n.iter().enumerate().filter(|(_, &k)| k == 0) {
                assert!(close(centres[i], want, 1e-12), "{case} {side} fallback");
            }
        }
        let c = &e["reference_counts"];
        let counts = &report.counts;
        use mia_engine::reference_attack::lira::Side;
        let num = |k: &str| c[k].as_u64().unwrap();
        assert_eq!(counts.with(Side::In, 0), num("records_n_in_0"));
        assert_eq!(counts.with(Side::In, 1), num("records_n_in_1"));
        assert_eq!(counts.with(Side::Out, 0), num("records_n_out_0"));
        assert_eq!(counts.with(Side::Out, 1), num("records_n_out_1"));
        assert_eq!(
            counts.range(Side::In),
            (num("n_in_min") as usize, num("n_in_max") as usize)
        );
        assert_eq!(
            counts.range(Side::Out),
            (num("n_out_min") as usize, num("n_out_max") as usize)
        );
        assert_eq!(counts.zero_spread_in, num("records_sd_in_zero_with_n_ge_2"));
        assert_eq!(
            counts.zero_spread_out,
            num("records_sd_out_zero_with_n_ge_2")
        );
        // The intermediates behind the scores.
        for (name, got) in [
            ("phi_t", &t.target_phi),
            ("p_t", &t.target_p),
            ("n_in", &fin.n.iter().map(|&k| k as f64).collect()),
            ("n_out", &fout.n.iter().map(|&k| k as f64).collect()),
        ] {
            for (i, (&g, &w)) in got.iter().zip(column(&cols, name)).enumerate() {
                assert!(close(g, w, 1e-12), "{case} {name} record {i}: {g} vs {w}");
            }
        }
    }
}

#[test]
fn the_optional_variants_match_through_the_settings() {
    for case in CASES {
        let t = table(case);
        let e = &expected(case)["optional_variants"];
        let cols = score_columns(case);
        let mean = run(
            &t,
            ReferenceSettings {
                center: Center::Mean,
                ..ReferenceSettings::default()
            },
        );
        for (v, name) in [
            (Variant::LiraOnline, "lira_online_meancenter"),
            (Variant::LiraOnlineGlobal, "lira_online_global_meancenter"),
            (Variant::LiraOffline, "lira_offline_meancenter"),
            (Variant::LiraOfflineGlobal, "lira_offline_global_meancenter"),
        ] {
            check_variant(case, &mean, v, &e[name], &cols, name);
        }
        let g = &expected(case)["global_sigma"];
        assert!(close(
            mean.fits[0].global_spread.unwrap(),
            g["in_meancenter"].as_f64().unwrap(),
            1e-12
        ));
        assert!(close(
            mean.fits[1].global_spread.unwrap(),
            g["out_meancenter"].as_f64().unwrap(),
            1e-12
        ));
        let two = run(
            &t,
            ReferenceSettings {
                offline_test: OfflineTest::TwoSided,
                ..ReferenceSettings::default()
            },
        );
        check_variant(
            case,
            &two,
            Variant::LiraOffline,
            &e["lira_offline_twosided"],
            &cols,
            "lira_offline_twosided",
        );
        check_variant(
            case,
            &two,
            Variant::LiraOfflineGlobal,
            &e["lira_offline_global_twosided"],
            &cols,
            "lira_offline_global_twosided",
        );
        let gamma2 = run(
            &t,
            ReferenceSettings {
                gamma: 2.0,
                ..ReferenceSettings::default()
            },
        );
        check_variant(
            case,
            &gamma2,
            Variant::RmiaOnline,
            &e["rmia_online_gamma2"],
            &cols,
            "rmia_online_gamma2",
        );
        check_variant(
            case,
            &gamma2,
            Variant::RmiaOffline,
            &e["rmia_offline_gamma2"],
            &cols,
            "rmia_offline_gamma2",
        );
        for (a, name) in [(1.0, "rmia_offline_a1"), (0.0, "rmia_offline_a0")] {
            let r = run(
                &t,
                ReferenceSettings {
                    offline_a: a,
                    ..ReferenceSettings::default()
                },
            );
            check_variant(case, &r, Variant::RmiaOffline, &e[name], &cols, name);
        }
    }
}
