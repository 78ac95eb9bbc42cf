//! The attack classifier: L2 logistic regression (C = 1) on standardised attack features, one for
//! all records or, as in Shokri et al. 2017, one per true class.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::models::fit_error::FitError;
use crate::models::{LogisticRegression, Matrix, StandardScaler};

/// Settings of the attack classifier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AttackOptions {
    /// Inverse L2 strength, as scikit-learn's `C`.
    pub c: f64,
    /// One attack model per true class (falls back to the global model for a class whose shadow
    /// records are all in or all out).
    pub per_class: bool,
    /// Append the `k` largest probabilities to the features.
    pub top_k: Option<usize>,
    /// Folds for the out-of-fold accuracy on shadow data.
    pub folds: usize,
}

impl Default for AttackOptions {
    fn default() -> Self {
        AttackOptions {
            c: 1.0,
            per_class: false,
            top_k: None,
            folds: 5,
        }
    }
}

/// A standardised logistic regression from features to P(member).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Head {
    scaler: StandardScaler,
    lr: LogisticRegression,
}

impl Head {
    fn fit(x: &Matrix, member: &[bool], c: f64) -> Result<Head, FitError> {
        let scaler = StandardScaler::fit(x);
        let y: Vec<usize> = member.iter().map(|&m| m as usize).collect();
        let lr = LogisticRegression::fit(&scaler.transform(x), &y, c)?;
        Ok(Head { scaler, lr })
    }

    fn probability(&self, row: &[f64]) -> f64 {
        let z: Vec<f64> = row
            .iter()
            .zip(self.scaler.mean.iter().zip(&self.scaler.scale))
            .map(|(v, (m, s))| (v - m) / s)
            .collect();
        self.lr.predict_proba_row(&z)[1]
    }
}

/// A trained attack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttackModel {
    global: Head,
    per_class: Vec<Option<Head>>,
}

impl AttackModel {
    /// Trains on shadow records' features, their in/out flags and (for per-class models) labels.
    pub fn fit(
        x: &Matrix,
        member: &[bool],
        labels: Option<&[usize]>,
        opt: &AttackOptions,
    ) -> Result<AttackModel, FitError> {
        let global = Head::fit(x, member, opt.c)?;
        let mut per_class = Vec::new();
        if let (true, Some(labels)) = (opt.per_class, labels) {
            let k = labels.iter().copied().max().map_or(0, |m| m + 1);
            for c in 0..k {
                let idx: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == c).collect();
                let m: Vec<bool> = idx.iter().map(|&i| member[i]).collect();
                per_class.push(Head::fit(&x.select_rows(&idx), &m, opt.c).ok());
            }
        }
        Ok(AttackModel { global, per_class })
    }

    /// P(member) for one record's features.
    pub fn membership_probability(&self, row: &[f64], label: Option<usize>) -> f64 {
        match label
            .and_then(|l| self.per_class.get(l))
            .and_then(|h| h.as_ref())
        {
            Some(h) => h.probability(row),
            None => self.global.probability(row),
        }
    }

    /// Accuracy of the attack on shadow records it was not trained on (`folds`-fold
    /// cross-validation, shuffled with `seed`): how well the attack learned membership at all.
    pub fn out_of_fold_accuracy(
        x: &Matrix,
        member: &[bool],
        labels: Option<&[usize]>,
        opt: &AttackOptions,
        seed: u64,
    ) -> Result<f64, FitError> {
        let n = x.rows;
        let mut order: Vec<usize> = (0..n).collect();
        order.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
        let folds = opt.folds.clamp(2, n.max(2));
        let mut correct = 0usize;
        for f in 0..folds {
            let test: Vec<usize> = order.iter().copied().skip(f).step_by(folds).collect();
            let train: Vec<usize> = order
                .iter()
                .copied()
                .enumerate()
                .filter(|(i, _)| i % folds != f)
                .map(|(_, v)| v)
                .collect();
            let tl: Option<Vec<usize>> = labels.map(|l| train.iter().map(|&i| l[i]).collect());
            let m = AttackModel::fit(
                &x.select_rows(&train),
                &train.iter().map(|&i| member[i]).collect::<Vec<_>>(),
                tl.as_deref(),
                opt,
            )?;
            for &i in &test {
                let p = m.membership_probability(x.row(i), labels.map(|l| l[i]));
                correct += ((p >= 0.5) == member[i]) as usize;
            }
        }
        Ok(correct as f64 / n as f64)
    }
}
