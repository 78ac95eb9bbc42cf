//! The engine's models against scikit-learn (`scripts/reference/make_logreg_reference.py`).

mod common;

use mia_engine::models::{LogisticRegression, Matrix, StandardScaler};
use serde_json::Value;

fn rows(v: &Value) -> Vec<Vec<f64>> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect()
        })
        .collect()
}

#[test]
fn logistic_regression_matches_scikit_learn() {
    let v = common::fixture_json("reference/logreg.json");
    for case in v["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let y: Vec<usize> = case["y"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        let x = if case["X"].is_null() {
            let raw = Matrix::from_rows(&rows(&case["X_raw"])).unwrap();
            let scaler = StandardScaler::fit(&raw);
            for (a, b) in scaler
                .mean
                .iter()
                .zip(rows(&Value::Array(vec![case["scaler_mean"].clone()]))[0].iter())
            {
                assert!(
                    (a - b).abs() < 1e-9 * b.abs().max(1.0),
                    "{name} scaler mean"
                );
            }
            for (a, b) in scaler
                .scale
                .iter()
                .zip(rows(&Value::Array(vec![case["scaler_scale"].clone()]))[0].iter())
            {
                assert!(
                    (a - b).abs() < 1e-9 * b.abs().max(1.0),
                    "{name} scaler scale"
                );
            }
            scaler.transform(&raw)
        } else {
            Matrix::from_rows(&rows(&case["X"])).unwrap()
        };
        let m = LogisticRegression::fit(&x, &y, case["C"].as_f64().unwrap()).unwrap();
        assert!(m.converged, "{name} did not converge");
        let want = rows(&case["proba"]);
        let mut worst = 0.0f64;
        for (i, w) in want.iter().enumerate() {
            for (a, b) in m.predict_proba_row(x.row(i)).iter().zip(w) {
                worst = worst.max((a - b).abs());
            }
        }
        assert!(
            worst < 1e-4,
            "{name}: largest probability difference {worst:e}"
        );
        println!("{name}: largest probability difference from scikit-learn {worst:.2e}");
    }
}

#[test]
fn one_class_and_bad_values_are_refused() {
    let x = Matrix::from_rows(&[vec![1.0], vec![2.0]]).unwrap();
    assert!(LogisticRegression::fit(&x, &[1, 1], 1.0)
        .unwrap_err()
        .to_string()
        .contains("at least two classes"));
    let bad = Matrix::from_rows(&[vec![1.0], vec![f64::NAN]]).unwrap();
    assert!(LogisticRegression::fit(&bad, &[0, 1], 1.0).is_err());
}
