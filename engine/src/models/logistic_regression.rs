//! L2-regularised logistic regression, the same model as scikit-learn's
//! `LogisticRegression(C=…)` with the default `lbfgs` solver: binary problems use one weight vector,
//! more classes the multinomial (softmax) model; the intercept is not penalised.
//!
//! # Formula
//! Minimises `C · Σᵢ CE(yᵢ, softmax(W xᵢ + b)) + ½‖W‖²` (binary: `C · Σᵢ log(1 + e^{−ỹᵢ(w·xᵢ+b)}) + ½‖w‖²`),
//! scaled by `1/(C·n)` for conditioning (same minimiser), with [`super::lbfgs`].

use serde::{Deserialize, Serialize};

use super::fit_error::{check_training_set, FitError};
use super::lbfgs::{minimize, LbfgsOptions};
use super::Matrix;

/// A fitted model. `coef` holds one row of `n_features` weights per output (1 for binary, K for
/// multinomial), `intercept` one value per output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticRegression {
    pub n_classes: usize,
    pub n_features: usize,
    pub coef: Vec<f64>,
    pub intercept: Vec<f64>,
    pub converged: bool,
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// `ln(1 + e^z)` without overflow.
fn softplus(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

impl LogisticRegression {
    /// Fits the model to rows `x` with class labels `y` in `0..K`.
    pub fn fit(x: &Matrix, y: &[usize], c: f64) -> Result<LogisticRegression, FitError> {
        let k = check_training_set(x, y)?;
        let (n, d) = (x.rows, x.cols);
        let outputs = if k == 2 { 1 } else { k };
        let inv_n = 1.0 / n as f64;
        let ridge = 1.0 / (c * n as f64);
        let objective = |p: &[f64], grad: &mut [f64]| -> f64 {
            let (w, b) = p.split_at(outputs * d);
            grad.iter_mut().for_each(|g| *g = 0.0);
            let mut loss = 0.0;
            let mut z = vec![0.0; outputs];
            for i in 0..n {
                let xi = x.row(i);
                for (o, zo) in z.iter_mut().enumerate() {
                    *zo = b[o]
                        + w[o * d..(o + 1) * d]
                            .iter()
                            .zip(xi)
                            .map(|(a, v)| a * v)
                            .sum::<f64>();
                }
                if outputs == 1 {
                    let yi = (y[i] == 1) as u8 as f64;
                    loss += softplus(z[0]) - yi * z[0];
                    let r = sigmoid(z[0]) - yi;
                    for (g, v) in grad[..d].iter_mut().zip(xi) {
                        *g += r * v;
                    }
                    grad[d] += r;
                } else {
                    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    let s: f64 = z.iter().map(|v| (v - m).exp()).sum();
                    let lse = m + s.ln();
                    loss += lse - z[y[i]];
                    for o in 0..outputs {
                        let r = (z[o] - lse).exp() - (y[i] == o) as u8 as f64;
                        for (g, v) in grad[o * d..(o + 1) * d].iter_mut().zip(xi) {
                            *g += r * v;
                        }
                        grad[outputs * d + o] += r;
                    }
                }
            }
            let mut f = loss * inv_n;
            grad.iter_mut().for_each(|g| *g *= inv_n);
            for (j, wj) in w.iter().enumerate() {
                f += 0.5 * ridge * wj * wj;
                grad[j] += ridge * wj;
            }
            f
        };
        let r = minimize(
            objective,
            vec![0.0; outputs * (d + 1)],
            LbfgsOptions::default(),
        );
        let (coef, intercept) = r.x.split_at(outputs * d);
        Ok(LogisticRegression {
            n_classes: k,
            n_features: d,
            coef: coef.to_vec(),
            intercept: intercept.to_vec(),
            converged: r.converged,
        })
    }

    /// Class probabilities of one row.
    pub fn predict_proba_row(&self, row: &[f64]) -> Vec<f64> {
        let z = self.decision_row(row);
        if z.len() == 1 {
            let p1 = sigmoid(z[0]);
            vec![1.0 - p1, p1]
        } else {
            crate::table::signal::softmax(&z)
        }
    }

    /// The logits of one row, one per class: for two classes `[0, z]` (so that their softmax is
    /// `[1 − σ(z), σ(z)]`, as [`predict_proba_row`](Self::predict_proba_row)).
    pub fn predict_logits_row(&self, row: &[f64]) -> Vec<f64> {
        let z = self.decision_row(row);
        if z.len() == 1 {
            vec![0.0, z[0]]
        } else {
            z
        }
    }

    /// The linear scores w·x + b, one per output.
    fn decision_row(&self, row: &[f64]) -> Vec<f64> {
        let d = self.n_features;
        self.intercept
            .iter()
            .enumerate()
            .map(|(o, b)| {
                b + self.coef[o * d..(o + 1) * d]
                    .iter()
                    .zip(row)
                    .map(|(a, v)| a * v)
                    .sum::<f64>()
            })
            .collect()
    }

    /// Class probabilities of every row.
    pub fn predict_proba(&self, x: &Matrix) -> Vec<Vec<f64>> {
        (0..x.rows)
            .map(|i| self.predict_proba_row(x.row(i)))
            .collect()
    }
}
