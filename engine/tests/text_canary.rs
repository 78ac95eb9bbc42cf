//! Canary exposure against `scripts/reference/make_canary_reference.py` (TF Privacy's
//! `exposures.py` definitions in numpy, `scipy.stats.skewnorm`, and mpmath at 40 digits):
//!
//! - rank and rank exposure exactly;
//! - the skew-normal CDF and log-CDF within 1e-12 relative of mpmath down to z = −40 (log-CDF
//!   −720,000), and within 1e-10 of scipy wherever scipy is itself within 1e-12 of mpmath;
//! - no fit where the likelihood rises higher towards a half-normal (shape ±1e4, from scipy with
//!   the shape fixed) than at its finite optimum, or the optimum runs off (the 10- and
//!   8-candidate groups);
//! - otherwise a log-likelihood at least scipy's − 1e-9·n (the same optimum or a better one);
//!   parameters within 2e-5·max(1, |θ|) of the optimum itself (scipy's fit restarted with xtol
//!   1e-12): the log-likelihood is known only to its rounding, ~1e-12 of its size 1e4, and along
//!   its flattest direction (curvature 0.38 for `c3000_normal`, a near-normal sample, shape 0.38)
//!   that leaves the optimum uncertain by √(2·1e-11/0.38) ≈ 7e-6; and within 1e-3·max(1, |θ|) of
//!   scipy's default fit: Nelder–Mead's xtol 1e-4 bounds its final simplex, not its distance to
//!   the optimum, which on the ridge between shape and location is a few times that;
//! - the extrapolated exposure within 1e-12 relative of mpmath's at the same parameters, and from
//!   our own fit within the first-order change −log₂F takes over the parameter differences (twice
//!   it, plus scipy's own CDF error for TF Privacy's figure).

use std::sync::OnceLock;
use std::time::Instant;

use mia_engine::text::canary::{
    exposures, extrapolated_exposure, read_canaries, CanaryAudit, CanaryError, NoExtrapolation,
};
use mia_engine::text::skew_normal::{FitError, SkewNormal, MAX_SHAPE};
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/text/");

fn reference() -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{DIR}canary_reference.json")).unwrap())
        .unwrap()
}

/// The fixture's audit, computed once for the tests that read it.
fn audit() -> &'static CanaryAudit {
    static AUDIT: OnceLock<CanaryAudit> = OnceLock::new();
    AUDIT.get_or_init(|| {
        let bytes = std::fs::read(format!("{DIR}canaries.csv")).unwrap();
        let rows = read_canaries("canaries.csv", &bytes).unwrap();
        let start = Instant::now();
        let audit = exposures("canaries.csv", &rows).unwrap();
        eprintln!(
            "{} candidates audited in {:.2?}",
            rows.len(),
            start.elapsed()
        );
        audit
    })
}

fn dist(v: &Value) -> SkewNormal {
    SkewNormal {
        location: v["location"].as_f64().unwrap(),
        scale: v["scale"].as_f64().unwrap(),
        shape: v["shape"].as_f64().unwrap(),
    }
}

/// |∂E/∂θ|·|Δθ| summed over (location, scale, shape), E = −log₂F(x), by central differences.
fn first_order(x: f64, at: SkewNormal, other: SkewNormal) -> f64 {
    let v = |d: SkewNormal| [d.location, d.scale, d.shape];
    let e = |[location, scale, shape]: [f64; 3]| {
        let d = SkewNormal {
            location,
            scale,
            shape,
        };
        extrapolated_exposure(&d, x).unwrap()
    };
    let (p, q) = (v(at), v(other));
    (0..3)
        .map(|k| {
            let h = 1e-6 * p[k].abs().max(1.0);
            let (mut up, mut down) = (p, p);
            (up[k], down[k]) = (p[k] + h, p[k] - h);
            ((e(up) - e(down)) / (2.0 * h)).abs() * (q[k] - p[k]).abs()
        })
        .sum()
}

#[test]
fn the_rank_exposure_is_tf_privacy_s_with_the_paper_s_log2_candidates() {
    let audit = audit();
    let want = reference();
    let want = want["groups"].as_array().unwrap();
    assert_eq!(audit.canaries.len(), want.len());
    for (c, w) in audit.canaries.iter().zip(want) {
        assert_eq!(c.canary_id, w["canary_id"].as_str().unwrap());
        assert_eq!(c.log_perplexity, w["log_perplexity"].as_f64().unwrap());
        assert_eq!(c.candidates as u64, w["candidates"].as_u64().unwrap());
        assert_eq!(
            c.rank as u64,
            w["rank"].as_u64().unwrap(),
            "{}",
            c.canary_id
        );
        assert_eq!(
            c.exposure,
            w["exposure"].as_f64().unwrap(),
            "{}",
            c.canary_id
        );
        assert_eq!(c.max_exposure, (c.candidates as f64).log2());
        // TF Privacy's own figure takes log2 of the references only.
        let n = c.candidates as f64;
        let tf = c.exposure - (n / (n - 1.0)).log2();
        assert!((tf - w["tf_privacy_exposure"].as_f64().unwrap()).abs() < 1e-12);
    }
    let by_id = |id: &str| audit.canaries.iter().find(|c| c.canary_id == id).unwrap();
    assert_eq!(by_id("c500_top").exposure, 0.0);
    assert_eq!(by_id("c5000_far").exposure, 5000f64.log2());
    // Ties: the canary shares its value with references, which rank before it.
    assert!(by_id("c1000_ties").rank > 26);
    let mean = audit.canaries.iter().map(|c| c.exposure).sum::<f64>() / want.len() as f64;
    assert!((audit.mean_exposure - mean).abs() < 1e-12);
    assert_eq!(audit.highest_exposure, 5000f64.log2());
    assert_eq!(audit.highest_exposure_canary, "c5000_far");
    let json = serde_json::to_string(&audit).unwrap();
    assert_eq!(&serde_json::from_str::<CanaryAudit>(&json).unwrap(), audit);
}

#[test]
fn the_cdf_is_mpmath_s_far_into_the_tails() {
    let want = reference();
    let (mut worst_log, mut worst_cdf, mut worst_scipy, mut checked_scipy) = (0f64, 0f64, 0f64, 0);
    for w in want["cdf"].as_array().unwrap() {
        let d = dist(w);
        let x = w["x"].as_f64().unwrap();
        let log = d.log_cdf(x);
        let exact_log = w["log_cdf"].as_f64().unwrap();
        // ln F is −0 where F rounds to 1 (its other tail below the smallest double).
        let rel = if exact_log == 0.0 {
            log.abs()
        } else {
            ((log - exact_log) / exact_log).abs()
        };
        assert!(rel <= 1e-12, "{w}: log-CDF {log} vs {exact_log} ({rel:e})");
        worst_log = worst_log.max(rel);
        let exact = w["cdf"].as_f64().unwrap();
        if exact > 1e-300 {
            let rel = ((d.cdf(x) - exact) / exact).abs();
            assert!(rel <= 1e-12, "{w}: CDF {} vs {exact} ({rel:e})", d.cdf(x));
            worst_cdf = worst_cdf.max(rel);
        }
        if w["scipy_relative_error"]
            .as_f64()
            .is_some_and(|e| e <= 1e-12)
        {
            let scipy = w["scipy_cdf"].as_f64().unwrap();
            let rel = ((d.cdf(x) - scipy) / scipy).abs();
            assert!(rel <= 1e-10, "{w}: CDF {} vs scipy {scipy}", d.cdf(x));
            worst_scipy = worst_scipy.max(rel);
            checked_scipy += 1;
        }
    }
    eprintln!(
        "against mpmath: log-CDF within {worst_log:.1e}, CDF within {worst_cdf:.1e} relative; \
         against scipy where it is accurate ({checked_scipy} points): {worst_scipy:.1e}"
    );
    assert!(checked_scipy >= 100);
}

#[test]
fn the_fit_reaches_scipy_s_optimum_and_the_extrapolation_follows() {
    let audit = audit();
    let want = reference();
    let (mut worst_tight, mut worst_scipy, mut gain) = (0f64, 0f64, f64::NEG_INFINITY);
    let mut unbounded = 0;
    for (c, w) in audit
        .canaries
        .iter()
        .zip(want["groups"].as_array().unwrap())
    {
        let id = c.canary_id.as_str();
        if w.get("scipy_fit").is_none() {
            let no = NoExtrapolation::NoFit(FitError::TooFewValues {
                found: c.candidates - 1,
                needed: 3,
            });
            assert_eq!(c.no_extrapolation, Some(no), "{id}");
            continue;
        }
        // Where the likelihood rises above its finite maximum towards a half-normal, or the
        // optimum runs off, there is no fit (scipy's is a lower local maximum or a huge shape).
        let tight_ll = w["tight_log_likelihood"].as_f64().unwrap();
        let limit = |side: &str| w["half_normal_log_likelihood"][side].as_f64().unwrap();
        let (up, down) = (limit("positive"), limit("negative"));
        let run_off = w["tight_fit"]["shape"].as_f64().unwrap().abs() > MAX_SHAPE;
        if up.max(down) > tight_ll || run_off {
            let no = NoExtrapolation::NoFit(FitError::Unbounded {
                positive: up > down,
            });
            assert_eq!(c.no_extrapolation, Some(no), "{id}");
            assert!(c.extrapolated_exposure.is_none() && c.skew_normal.is_none());
            unbounded += 1;
            continue;
        }
        let fit = c
            .skew_normal
            .unwrap_or_else(|| panic!("{id}: {:?}", c.no_extrapolation));
        let ours = fit.distribution;
        let (scipy, tight) = (dist(&w["scipy_fit"]), dist(&w["tight_fit"]));
        let n = (c.candidates - 1) as f64;
        let scipy_ll = w["scipy_log_likelihood"].as_f64().unwrap();
        assert!(
            fit.log_likelihood >= scipy_ll - 1e-9 * n,
            "{id}: {fit:?} vs {scipy_ll}"
        );
        assert!(
            fit.log_likelihood >= tight_ll - 1e-9 * n,
            "{id}: {fit:?} vs {tight_ll}"
        );
        gain = gain.max(fit.log_likelihood - scipy_ll);
        for (a, t, s) in [
            (ours.location, tight.location, scipy.location),
            (ours.scale, tight.scale, scipy.scale),
            (ours.shape, tight.shape, scipy.shape),
        ] {
            let (rt, rs) = (
                (a - t).abs() / t.abs().max(1.0),
                (a - s).abs() / s.abs().max(1.0),
            );
            assert!(rt <= 2e-5, "{id}: {ours:?} vs the optimum {tight:?}");
            assert!(rs <= 1e-3, "{id}: {ours:?} vs scipy {scipy:?}");
            (worst_tight, worst_scipy) = (worst_tight.max(rt), worst_scipy.max(rs));
        }
        // The CDF part: at scipy's own parameters, mpmath's exposure.
        let x = c.log_perplexity;
        let at_scipy = extrapolated_exposure(&scipy, x).unwrap();
        let exact = w["exact_exposure_at_scipy_fit"].as_f64().unwrap();
        assert!(
            (at_scipy - exact).abs() <= 1e-12 * exact.abs().max(1.0),
            "{id}: {at_scipy} vs {exact}"
        );
        // Our fit: mpmath's at the optimum, and TF Privacy's at scipy's, within the parameter
        // differences' first-order effect.
        let e = c.extrapolated_exposure.unwrap();
        let exact = w["exact_exposure_at_tight_fit"].as_f64().unwrap();
        let bound = 2.0 * first_order(x, ours, tight) + 1e-12 * exact.abs().max(1.0);
        assert!(
            (e - exact).abs() <= bound,
            "{id}: {e} vs {exact} (bound {bound:e})"
        );
        match w["tf_extrapolated_exposure"].as_f64() {
            Some(tf) => {
                let scipy_error = (tf - w["exact_exposure_at_scipy_fit"].as_f64().unwrap()).abs();
                let bound = 2.0 * first_order(x, ours, scipy) + scipy_error + 1e-12 * tf.max(1.0);
                assert!(
                    (e - tf).abs() <= bound,
                    "{id}: {e} vs TF Privacy's {tf} (bound {bound:e})"
                );
                eprintln!(
                    "{id}: extrapolated exposure {e:.6} (TF Privacy {tf:.6}, rank {:.3})",
                    c.exposure
                );
            }
            // scipy's CDF is 0 there: TF Privacy's exposure is infinite.
            None => {
                assert!(e > 1000.0, "{id}: {e}");
                eprintln!("{id}: extrapolated exposure {e:.3} (TF Privacy: inf)");
            }
        }
    }
    // c010_small (10 candidates) and c008_halfnormal.
    assert_eq!(unbounded, 2);
    eprintln!(
        "fits: parameters within {worst_tight:.1e} of the optimum, {worst_scipy:.1e} of scipy's; \
         log-likelihood up to {gain:.1e} above scipy's"
    );
}

fn error(text: &str) -> CanaryError {
    read_canaries("c.csv", text.as_bytes()).unwrap_err()
}

#[test]
fn bad_files_are_named_with_row_column_and_what_to_do() {
    let head = "canary_id,log_perplexity,is_canary\n";
    let e = error("canary,log_perplexity,is_canary\na,1,1\n");
    assert!(matches!(e, CanaryError::MissingColumn { ref column, .. } if column == "canary_id"));
    assert_eq!(e.to_string(), "c.csv: no `canary_id` column. A canary file needs canary_id, log_perplexity and is_canary (one row per candidate); its header has `canary`, `log_perplexity`, `is_canary`.");
    for (body, want) in [
        ("a,1.5,1\na,x,0\n", "c.csv, row 3, column `log_perplexity`: `x` is not a number (the candidate's log-perplexity under the model)."),
        ("a,1.5,1\na,NaN,0\n", "c.csv, row 3, column `log_perplexity`: `NaN` is not a finite number: NaN and infinity cannot be ranked"),
        ("a,1.5,1\na,-inf,0\n", "c.csv, row 3, column `log_perplexity`: `-inf` is not a finite number"),
        ("a,1.5,yes\n", "c.csv, row 2, column `is_canary`: `yes` is not 1 or 0 (1 for the inserted secret, 0 for a reference candidate)."),
        (",1.5,1\n", "c.csv, row 2, column `canary_id`: `` is not a canary id"),
        ("a,1,1\na,2,0\nb,2,0\nb,3,0\n", "c.csv: canary `b` (first in row 4) has no row with is_canary 1; mark the inserted secret's row 1 and its reference candidates 0."),
        ("a,1,1\na,2,0\na,3,1\n", "c.csv: canary `a` has is_canary 1 in rows 2 and 4; a group holds one inserted secret, so give each secret its own canary_id."),
        ("a,1,1\n", "c.csv: canary `a` (row 2) has no reference candidates; add rows with is_canary 0"),
        ("", "c.csv: no candidates after the header."),
        ("a,1,1,4\n", "c.csv, row 2: 4 fields where the header has 3"),
    ] {
        let e = error(&format!("{head}{body}")).to_string();
        assert!(e.starts_with(want), "{body:?}: {e}");
    }
    // A byte-order mark, any case and spaces in the header, true/false, spaces in values.
    let rows = read_canaries(
        "c.csv",
        "\u{feff}Canary_ID, LOG_PERPLEXITY ,is_canary\na, 2.5 ,true\na,1,FALSE\n".as_bytes(),
    )
    .unwrap();
    assert_eq!(
        (rows[0].row, rows[0].log_perplexity, rows[0].is_canary),
        (2, 2.5, true)
    );
    let audit = exposures("c.csv", &rows).unwrap();
    assert_eq!(
        (audit.canaries[0].rank, audit.canaries[0].exposure),
        (2, 0.0)
    );
    assert!(exposures("c.csv", &[]).is_err());
}

fn audit_text(text: &str) -> CanaryAudit {
    exposures("t.csv", &read_canaries("t.csv", text.as_bytes()).unwrap()).unwrap()
}

#[test]
fn the_extrapolation_goes_past_the_references() {
    use statrs::distribution::{ContinuousCDF, Normal};
    // References at the normal quantiles, mean 40, sd 4; the canary at 10, 7.5 sd below.
    let normal = Normal::standard();
    let mut text = String::from("canary_id,log_perplexity,is_canary\nc,10,1\n");
    for i in 0..200 {
        let q = normal.inverse_cdf((f64::from(i) + 0.5) / 200.0);
        text += &format!("c,{},0\n", 40.0 + 4.0 * q);
    }
    let c = &audit_text(&text).canaries[0];
    assert_eq!(c.exposure, 201f64.log2());
    let fit = c.skew_normal.unwrap();
    assert!(fit.distribution.shape.abs() < 1.0, "{fit:?}");
    // About −log₂ Φ(−7.5) = 44 bits, past the 7.65 the rank can show.
    let e = c.extrapolated_exposure.unwrap();
    assert!((30.0..60.0).contains(&e), "{c:?}");
}

#[test]
fn extreme_values_give_reasons_not_panics() {
    let head = "canary_id,log_perplexity,is_canary\n";
    for (body, why) in [
        (
            "a,1e308,1\na,-1e308,0\na,1e308,0\na,0,0\n",
            Some("could not be evaluated"),
        ),
        (
            "a,5e-324,1\na,0,0\na,0,0\na,0,0\na,0,0\n",
            Some("all reference values are equal"),
        ),
        ("a,-1e300,1\na,1,0\na,2,0\na,4,0\na,9,0\n", None),
        ("a,1,1\na,1,0\na,1,0\na,1,0\na,1.0000000000000002,0\n", None),
    ] {
        let c = &audit_text(&format!("{head}{body}")).canaries[0];
        assert!(c.exposure.is_finite());
        assert_eq!(
            c.extrapolated_exposure.is_none(),
            c.no_extrapolation.is_some()
        );
        let reason = c.no_extrapolation.as_ref().map(ToString::to_string);
        eprintln!("{body:?}: {:?} {reason:?}", c.extrapolated_exposure);
        if let Some(why) = why {
            assert!(reason.unwrap().contains(why), "{body}");
        }
    }
    let d = SkewNormal {
        location: 0.0,
        scale: 1.0,
        shape: 1e300,
    };
    for x in [
        f64::NEG_INFINITY,
        -1e300,
        -1.0,
        0.0,
        1e-300,
        1.0,
        f64::INFINITY,
        f64::NAN,
    ] {
        let _ = (
            d.log_cdf(x),
            d.cdf(x),
            d.log_pdf(x),
            extrapolated_exposure(&d, x),
        );
    }
    // The CDF is continuous through 0 and monotone.
    let d = SkewNormal {
        location: 0.0,
        scale: 1.0,
        shape: 3.0,
    };
    let at0 = d.cdf(0.0);
    assert!((at0 - (0.5 - 3f64.atan() / std::f64::consts::PI)).abs() < 1e-15);
    assert!((d.cdf(1e-9) - at0).abs() < 1e-9 && (d.cdf(-1e-9) - at0).abs() < 1e-9);
    let xs: Vec<f64> = (-400..=400).map(|i| f64::from(i) / 50.0).collect();
    assert!(xs.windows(2).all(|w| d.log_cdf(w[0]) <= d.log_cdf(w[1])));
}
