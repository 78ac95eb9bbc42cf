//! A multilayer perceptron with one hidden ReLU layer and a softmax output, trained with Adam
//! (Kingma & Ba 2015) on minibatches, with L2 weight decay: the small neural network of the
//! shadow-model attack (Shokri et al. 2017). Deterministic from a seed (ChaCha8): initial weights
//! (Glorot uniform, as scikit-learn's `MLPClassifier`) and the minibatch order.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::fit_error::{check_training_set, FitError};
use super::Matrix;

/// Training settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MlpOptions {
    pub hidden: usize,
    pub epochs: usize,
    pub batch_size: usize,
    pub learning_rate: f64,
    /// L2 penalty on the weights (scikit-learn's `alpha`).
    pub alpha: f64,
    pub seed: u64,
}

impl Default for MlpOptions {
    fn default() -> Self {
        MlpOptions {
            hidden: 64,
            epochs: 100,
            batch_size: 32,
            learning_rate: 1e-3,
            alpha: 0.0,
            seed: 0,
        }
    }
}

/// A trained network: `w1` is `d × h`, `w2` is `h × k` (row-major).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mlp {
    pub n_features: usize,
    pub hidden: usize,
    pub n_classes: usize,
    pub w1: Vec<f64>,
    pub b1: Vec<f64>,
    pub w2: Vec<f64>,
    pub b2: Vec<f64>,
}

/// Adam's state for one parameter vector.
struct Adam {
    m: Vec<f64>,
    v: Vec<f64>,
}

impl Adam {
    fn new(n: usize) -> Adam {
        Adam {
            m: vec![0.0; n],
            v: vec![0.0; n],
        }
    }

    fn step(&mut self, p: &mut [f64], g: &[f64], lr: f64, t: i32) {
        let (b1, b2, eps) = (0.9, 0.999, 1e-8);
        let c1 = 1.0 - f64::powi(b1, t);
        let c2 = 1.0 - f64::powi(b2, t);
        for i in 0..p.len() {
            self.m[i] = b1 * self.m[i] + (1.0 - b1) * g[i];
            self.v[i] = b2 * self.v[i] + (1.0 - b2) * g[i] * g[i];
            p[i] -= lr * (self.m[i] / c1) / ((self.v[i] / c2).sqrt() + eps);
        }
    }
}

fn glorot(rng: &mut ChaCha8Rng, fan_in: usize, fan_out: usize) -> Vec<f64> {
    let bound = (6.0 / (fan_in + fan_out) as f64).sqrt();
    (0..fan_in * fan_out)
        .map(|_| rng.random_range(-bound..bound))
        .collect()
}

impl Mlp {
    /// Trains on rows `x` with labels `y` in `0..K`. `on_epoch` is called after each epoch with
    /// the number done; returning `false` stops training early.
    pub fn fit(
        x: &Matrix,
        y: &[usize],
        opt: &MlpOptions,
        mut on_epoch: impl FnMut(usize) -> bool,
    ) -> Result<Mlp, FitError> {
        let k = check_training_set(x, y)?;
        let (d, h) = (x.cols, opt.hidden.max(1));
        let mut rng = ChaCha8Rng::seed_from_u64(opt.seed);
        let mut net = Mlp {
            n_features: d,
            hidden: h,
            n_classes: k,
            w1: glorot(&mut rng, d, h),
            b1: (0..h).map(|_| rng.random_range(-0.1..0.1)).collect(),
            w2: glorot(&mut rng, h, k),
            b2: vec![0.0; k],
        };
        let mut adam = [
            Adam::new(d * h),
            Adam::new(h),
            Adam::new(h * k),
            Adam::new(k),
        ];
        let mut order: Vec<usize> = (0..x.rows).collect();
        let (mut gw1, mut gb1, mut gw2, mut gb2) = (
            vec![0.0; d * h],
            vec![0.0; h],
            vec![0.0; h * k],
            vec![0.0; k],
        );
        let (mut a1, mut delta1, mut p) = (vec![0.0; h], vec![0.0; h], vec![0.0; k]);
        let mut t = 0;
        for epoch in 0..opt.epochs {
            order.shuffle(&mut rng);
            for batch in order.chunks(opt.batch_size.max(1)) {
                gw1.iter_mut()
                    .chain(gb1.iter_mut())
                    .chain(gw2.iter_mut())
                    .chain(gb2.iter_mut())
                    .for_each(|g| *g = 0.0);
                for &i in batch {
                    let xi = x.row(i);
                    net.forward(xi, &mut a1, &mut p);
                    p[y[i]] -= 1.0; // dL/dz2 for softmax + cross-entropy
                    for j in 0..h {
                        let mut s = 0.0;
                        for c in 0..k {
                            gw2[j * k + c] += a1[j] * p[c];
                            s += net.w2[j * k + c] * p[c];
                        }
                        delta1[j] = if a1[j] > 0.0 { s } else { 0.0 };
                    }
                    for c in 0..k {
                        gb2[c] += p[c];
                    }
                    for (f, &xf) in xi.iter().enumerate() {
                        if xf != 0.0 {
                            for j in 0..h {
                                gw1[f * h + j] += xf * delta1[j];
                            }
                        }
                    }
                    for j in 0..h {
                        gb1[j] += delta1[j];
                    }
                }
                let scale = 1.0 / batch.len() as f64;
                // Weight decay: the gradient of alpha/(2n)·‖W‖² per sample, as scikit-learn.
                let decay = opt.alpha / x.rows as f64;
                for (g, w) in gw1.iter_mut().zip(&net.w1) {
                    *g = *g * scale + decay * w;
                }
                for (g, w) in gw2.iter_mut().zip(&net.w2) {
                    *g = *g * scale + decay * w;
                }
                gb1.iter_mut()
                    .chain(gb2.iter_mut())
                    .for_each(|g| *g *= scale);
                t += 1;
                adam[0].step(&mut net.w1, &gw1, opt.learning_rate, t);
                adam[1].step(&mut net.b1, &gb1, opt.learning_rate, t);
                adam[2].step(&mut net.w2, &gw2, opt.learning_rate, t);
                adam[3].step(&mut net.b2, &gb2, opt.learning_rate, t);
            }
            if !on_epoch(epoch + 1) {
                break;
            }
        }
        Ok(net)
    }

    /// Hidden activations and class probabilities of one row.
    fn forward(&self, xi: &[f64], a1: &mut [f64], p: &mut [f64]) {
        self.forward_logits(xi, a1, p);
        let m = p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut s = 0.0;
        for v in p.iter_mut() {
            *v = (*v - m).exp();
            s += *v;
        }
        p.iter_mut().for_each(|v| *v /= s);
    }

    /// Hidden activations and the output layer's pre-activations (logits) of one row.
    fn forward_logits(&self, xi: &[f64], a1: &mut [f64], p: &mut [f64]) {
        let (h, k) = (self.hidden, self.n_classes);
        a1.copy_from_slice(&self.b1);
        for (f, &xf) in xi.iter().enumerate() {
            if xf != 0.0 {
                for (a, w) in a1.iter_mut().zip(&self.w1[f * h..(f + 1) * h]) {
                    *a += xf * w;
                }
            }
        }
        a1.iter_mut().for_each(|v| *v = v.max(0.0));
        p.copy_from_slice(&self.b2);
        for (j, &aj) in a1.iter().enumerate() {
            if aj != 0.0 {
                for (pc, w) in p.iter_mut().zip(&self.w2[j * k..(j + 1) * k]) {
                    *pc += aj * w;
                }
            }
        }
    }

    /// Class probabilities of one row.
    pub fn predict_proba_row(&self, row: &[f64]) -> Vec<f64> {
        let (mut a1, mut p) = (vec![0.0; self.hidden], vec![0.0; self.n_classes]);
        self.forward(row, &mut a1, &mut p);
        p
    }

    /// The logits (output pre-activations) of one row; their softmax is
    /// [`predict_proba_row`](Self::predict_proba_row).
    pub fn predict_logits_row(&self, row: &[f64]) -> Vec<f64> {
        let (mut a1, mut z) = (vec![0.0; self.hidden], vec![0.0; self.n_classes]);
        self.forward_logits(row, &mut a1, &mut z);
        z
    }
}
