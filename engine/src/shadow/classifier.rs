//! The models a target or shadow can be: standardised features into logistic regression or an MLP.

use serde::{Deserialize, Serialize};

use crate::models::fit_error::FitError;
use crate::models::{LogisticRegression, Matrix, Mlp, MlpOptions, StandardScaler};

/// Which model to train.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ModelKind {
    /// Multinomial logistic regression with L2 strength `1/c`.
    LogisticRegression { c: f64 },
    /// One hidden ReLU layer.
    Mlp { hidden: usize, epochs: usize },
}

impl ModelKind {
    pub fn describe(&self) -> String {
        match self {
            ModelKind::LogisticRegression { c } => format!("logistic regression (C = {c})"),
            ModelKind::Mlp { hidden, epochs } => {
                format!("MLP ({hidden} hidden units, {epochs} epochs)")
            }
        }
    }
}

/// A trained model with its own feature scaling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Classifier {
    pub scaler: StandardScaler,
    pub model: TrainedModel,
    pub n_classes: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TrainedModel {
    LogisticRegression(LogisticRegression),
    Mlp(Mlp),
}

impl Classifier {
    /// Trains `kind` on `x`, `y`; classes are `0..n_classes` (a class absent from `y` gets
    /// probability from the model's own output only if the model has that output).
    pub fn fit(
        kind: ModelKind,
        x: &Matrix,
        y: &[usize],
        n_classes: usize,
        seed: u64,
    ) -> Result<Classifier, FitError> {
        let scaler = StandardScaler::fit(x);
        let xs = scaler.transform(x);
        let model = match kind {
            ModelKind::LogisticRegression { c } => {
                TrainedModel::LogisticRegression(LogisticRegression::fit(&xs, y, c)?)
            }
            ModelKind::Mlp { hidden, epochs } => {
                let opt = MlpOptions {
                    hidden,
                    epochs,
                    seed,
                    ..MlpOptions::default()
                };
                TrainedModel::Mlp(Mlp::fit(&xs, y, &opt, |_| true)?)
            }
        };
        Ok(Classifier {
            scaler,
            model,
            n_classes,
        })
    }

    /// The logits (length `n_classes`) for every row of `x`: their softmax is
    /// [`predict_proba`](Self::predict_proba). A class above the largest seen in training gets
    /// logit −∞ (probability 0).
    pub fn predict_logits(&self, x: &Matrix) -> Vec<Vec<f64>> {
        let xs = self.scaler.transform(x);
        (0..xs.rows)
            .map(|i| {
                let mut z = match &self.model {
                    TrainedModel::LogisticRegression(m) => m.predict_logits_row(xs.row(i)),
                    TrainedModel::Mlp(m) => m.predict_logits_row(xs.row(i)),
                };
                z.resize(self.n_classes, f64::NEG_INFINITY);
                z
            })
            .collect()
    }

    /// The probability vector (length `n_classes`) for every row of `x`.
    pub fn predict_proba(&self, x: &Matrix) -> Vec<Vec<f64>> {
        let xs = self.scaler.transform(x);
        (0..xs.rows)
            .map(|i| {
                let mut p = match &self.model {
                    TrainedModel::LogisticRegression(m) => m.predict_proba_row(xs.row(i)),
                    TrainedModel::Mlp(m) => m.predict_proba_row(xs.row(i)),
                };
                // A class above the largest seen in training gets probability 0.
                p.resize(self.n_classes, 0.0);
                p
            })
            .collect()
    }
}
