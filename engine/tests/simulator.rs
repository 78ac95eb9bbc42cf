//! The simulator: sampling moments, reproducibility, and convergence to the closed form
//! (reference values from scipy: `scripts/reference/make_analytic_reference.py`).

mod common;

use mia_engine::attack::report::audit_signal;
use mia_engine::attack::summary::mean;
use mia_engine::simulator::{
    analytic_auc, analytic_tpr_at_fpr, gap_sweep, simulate, simulated_table, Family,
    SimulationError, SimulationParams,
};
use mia_engine::Signal;

fn std_dev(v: &[f64]) -> f64 {
    let m = mean(v).unwrap();
    (v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
}

fn params(family: Family, n: usize, nonmember_mean: f64, gap: f64, std: f64) -> SimulationParams {
    SimulationParams {
        n_members: n,
        n_nonmembers: n,
        gap,
        std,
        nonmember_mean,
        family,
        seed: 7,
    }
}

#[test]
fn sampled_moments_match_the_parameters() {
    // Means far enough from 0 and 1 that clipping is negligible (< 1e-9 of the mass).
    for family in [Family::Normal, Family::Beta] {
        let p = params(family, 200_000, 0.3, 0.2, 0.05);
        let s = simulate(&p).unwrap();
        for (v, m) in [(&s.members, 0.5), (&s.nonmembers, 0.3)] {
            assert!(
                (mean(v).unwrap() - m).abs() < 0.001,
                "{family:?} mean {} vs {m}",
                mean(v).unwrap()
            );
            assert!(
                (std_dev(v) - 0.05).abs() < 0.001,
                "{family:?} std {}",
                std_dev(v)
            );
        }
    }
}

#[test]
fn the_empirical_auc_converges_to_the_binormal_closed_form() {
    for (gap, std) in [(0.05, 0.1), (0.1, 0.1), (0.2, 0.15)] {
        let p = params(Family::Normal, 200_000, 0.3, gap, std);
        let table = simulated_table(&simulate(&p).unwrap());
        let r = audit_signal(&table, Signal::Confidence).unwrap().unwrap();
        let want = analytic_auc(gap, std).unwrap();
        assert!(
            (r.auc - want).abs() < 0.005,
            "gap {gap} std {std}: AUC {} vs {want}",
            r.auc
        );
        let tpr10 = analytic_tpr_at_fpr(gap, std, 0.1).unwrap();
        assert!(
            (r.tpr_at_fpr[2].tpr - tpr10).abs() < 0.01,
            "TPR@10% {} vs {tpr10}",
            r.tpr_at_fpr[2].tpr
        );
    }
}

#[test]
fn same_seed_same_scores_other_seed_other_scores() {
    let p = SimulationParams::default();
    assert_eq!(simulate(&p).unwrap(), simulate(&p).unwrap());
    let q = SimulationParams {
        seed: p.seed + 1,
        ..p
    };
    assert_ne!(simulate(&p).unwrap(), simulate(&q).unwrap());
    assert_eq!(gap_sweep(&p), gap_sweep(&p));
}

#[test]
fn analytic_values_match_scipy() {
    let v = common::fixture_json("reference/analytic.json");
    for row in v["rows"].as_array().unwrap() {
        let (gap, std) = (row["gap"].as_f64().unwrap(), row["std"].as_f64().unwrap());
        let auc = analytic_auc(gap, std).unwrap();
        // statrs's erfc is accurate to about 1e-11 (scipy's to 1e-16).
        assert!(
            (auc - row["auc"].as_f64().unwrap()).abs() < 1e-10,
            "AUC gap {gap} std {std}"
        );
        for (fpr, want) in row["tpr_at_fpr"].as_object().unwrap() {
            let got = analytic_tpr_at_fpr(gap, std, fpr.parse().unwrap()).unwrap();
            let want = want.as_f64().unwrap();
            assert!(
                (got - want).abs() < 1e-9 * want.max(1e-3),
                "TPR gap {gap} std {std} fpr {fpr}: {got} vs {want}"
            );
        }
    }
}

#[test]
fn invalid_parameters_are_refused_with_a_reason() {
    let p = SimulationParams {
        n_members: 5,
        ..SimulationParams::default()
    };
    assert!(matches!(
        simulate(&p),
        Err(SimulationError::OutOfRange {
            name: "n_members",
            ..
        })
    ));
    let p = SimulationParams {
        family: Family::Beta,
        nonmember_mean: 0.7,
        gap: 0.3,
        ..SimulationParams::default()
    };
    assert!(matches!(
        simulate(&p),
        Err(SimulationError::BetaMeanOutside { .. })
    ));
    let p = SimulationParams {
        family: Family::Beta,
        nonmember_mean: 0.9,
        gap: 0.05,
        std: 0.3,
        ..SimulationParams::default()
    };
    let e = simulate(&p).unwrap_err();
    assert!(e.to_string().contains("cannot have spread 0.300"), "{e}");
    // The same parameters work as a clipped normal.
    assert!(simulate(&SimulationParams {
        family: Family::Normal,
        ..p
    })
    .is_ok());
}

#[test]
fn the_sweep_rises_with_the_gap_and_skips_unreachable_beta_gaps() {
    let p = SimulationParams {
        n_members: 2_000,
        n_nonmembers: 2_000,
        ..SimulationParams::default()
    };
    let s = gap_sweep(&p);
    assert_eq!(s.len(), 51);
    assert!((s[0].auc - 0.5).abs() < 0.03);
    assert!(s[50].auc > 0.97);
    assert_eq!(s[10].analytic_auc, analytic_auc(0.1, 0.15));
    let b = gap_sweep(&SimulationParams {
        family: Family::Beta,
        nonmember_mean: 0.7,
        ..p
    });
    assert!(b.len() < 51 && b.iter().all(|pt| pt.gap < 0.3 && pt.analytic_auc.is_none()));
}

/// The first draws for the default parameters (seed 42). They pin ChaCha8 and rand_distr's
/// algorithms; `tests/web.rs` asserts the same numbers in the browser, so a shared URL gives the
/// same scores natively and in wasm.
#[test]
fn default_draws_are_pinned() {
    let p = SimulationParams::default();
    let s = simulate(&p).unwrap();
    assert_eq!(
        s.members[..3],
        [0.6716971857526532, 0.8001105915347712, 0.5683699975093455]
    );
    assert_eq!(
        s.nonmembers[..3],
        [0.48076018250797176, 0.5450308159173912, 0.31653386189658106]
    );
    let b = simulate(&SimulationParams {
        family: Family::Beta,
        ..p
    })
    .unwrap();
    assert_eq!(
        b.members[..3],
        [0.5123834382679864, 0.632222090000147, 0.6956369566088494]
    );
}
