//! The training lab's classifier: a softmax output on top of zero (multinomial logistic
//! regression), one or two hidden ReLU layers, trained on the mean cross-entropy with label
//! smoothing (Szegedy et al. 2016, "Rethinking the Inception Architecture", §7, with PyTorch's
//! `CrossEntropyLoss(label_smoothing = ε)` target (1 − ε)·onehot + ε/K) and inverted dropout on the
//! hidden layers (Srivastava et al. 2014).
//!
//! `exp` and `ln` are [portable](crate::models::portable_math), so a run is the same on every
//! platform.
//! Gradients are computed per example, exactly, by backpropagation, so that DP-SGD can clip each
//! one (Abadi et al. 2016); a batch's gradient is their mean.

use serde::{Deserialize, Serialize};

use crate::models::portable_math::{exp, ln};
use crate::restriction::pipeline::argmax;

/// Layer sizes and parameters. Layer l maps `sizes[l]` inputs to `sizes[l + 1]` outputs with a
/// weight `in × out` (row-major: `[i·out + o]`) and a bias; `params` holds them in the order
/// W₁, b₁, W₂, b₂, ….
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Network {
    pub sizes: Vec<usize>,
    pub params: Vec<Vec<f64>>,
}

/// One value per parameter of a [`Network`], in its layout: a gradient, a momentum buffer.
pub type Grads = Vec<Vec<f64>>;

/// What one forward pass keeps for the backward one.
struct Trace {
    /// The input of each layer (the record, then each hidden layer's output after dropout).
    inputs: Vec<Vec<f64>>,
    /// Each hidden layer's pre-activation, and its dropout scale per unit (0 for a dropped unit).
    pre: Vec<Vec<f64>>,
    keep: Vec<Vec<f64>>,
    logits: Vec<f64>,
}

/// Dropout for one forward pass: the probability of dropping a hidden unit and where the
/// uniform draws come from (`None`: no dropout, as at evaluation).
pub struct Dropout<'a> {
    pub rate: f64,
    pub uniform: &'a mut dyn FnMut() -> f64,
}

impl Network {
    /// A network with `sizes` (input, hidden…, classes) and zero parameters.
    pub fn zeros(sizes: &[usize]) -> Network {
        let params = sizes
            .windows(2)
            .flat_map(|w| [vec![0.0; w[0] * w[1]], vec![0.0; w[1]]])
            .collect();
        Network {
            sizes: sizes.to_vec(),
            params,
        }
    }

    /// Zeros in this network's layout.
    pub fn zero_grads(&self) -> Grads {
        self.params.iter().map(|p| vec![0.0; p.len()]).collect()
    }

    /// Number of classes.
    pub fn n_classes(&self) -> usize {
        self.sizes.last().copied().unwrap_or(0)
    }

    /// Number of layers (hidden + output).
    pub fn n_layers(&self) -> usize {
        self.sizes.len().saturating_sub(1)
    }

    fn forward(&self, x: &[f64], mut dropout: Option<Dropout<'_>>) -> Trace {
        let layers = self.n_layers();
        let mut inputs = Vec::with_capacity(layers);
        let mut pre = Vec::with_capacity(layers.saturating_sub(1));
        let mut keep = Vec::with_capacity(layers.saturating_sub(1));
        let mut a = x.to_vec();
        for l in 0..layers {
            let (n_in, n_out) = (self.sizes[l], self.sizes[l + 1]);
            let (w, b) = (&self.params[2 * l], &self.params[2 * l + 1]);
            let mut z = b.clone();
            for (i, &ai) in a.iter().enumerate().take(n_in) {
                if ai != 0.0 {
                    let row = &w[i * n_out..(i + 1) * n_out];
                    for (zo, &wo) in z.iter_mut().zip(row) {
                        *zo += ai * wo;
                    }
                }
            }
            inputs.push(a);
            if l + 1 == layers {
                return Trace {
                    inputs,
                    pre,
                    keep,
                    logits: z,
                };
            }
            let scale: Vec<f64> = match dropout.as_mut() {
                Some(d) if d.rate > 0.0 => (0..n_out)
                    .map(|_| {
                        if (d.uniform)() < d.rate {
                            0.0
                        } else {
                            1.0 / (1.0 - d.rate)
                        }
                    })
                    .collect(),
                _ => vec![1.0; n_out],
            };
            a = z
                .iter()
                .zip(&scale)
                .map(|(&v, &s)| if v > 0.0 { v * s } else { 0.0 })
                .collect();
            pre.push(z);
            keep.push(scale);
        }
        Trace {
            inputs,
            pre,
            keep,
            logits: x.to_vec(),
        }
    }

    /// The logits of `x` (no dropout).
    pub fn logits(&self, x: &[f64]) -> Vec<f64> {
        self.forward(x, None).logits
    }

    /// The class probabilities of `x` (no dropout).
    pub fn probabilities(&self, x: &[f64]) -> Vec<f64> {
        softmax(&self.logits(x))
    }

    /// The loss of one record and its gradient, added to `grad` with weight `scale` (1/|B| for a
    /// batch mean); returns the loss.
    pub fn accumulate_gradient(
        &self,
        x: &[f64],
        y: usize,
        label_smoothing: f64,
        dropout: Option<Dropout<'_>>,
        scale: f64,
        grad: &mut Grads,
    ) -> f64 {
        let trace = self.forward(x, dropout);
        let k = self.n_classes();
        let log_p = log_softmax(&trace.logits);
        let target = |c: usize| {
            let onehot = if c == y { 1.0 } else { 0.0 };
            (1.0 - label_smoothing) * onehot + label_smoothing / k as f64
        };
        let loss = -(0..k).map(|c| target(c) * log_p[c]).sum::<f64>();
        // dL/dz of the output layer.
        let mut delta: Vec<f64> = (0..k).map(|c| exp(log_p[c]) - target(c)).collect();
        for l in (0..self.n_layers()).rev() {
            let (n_in, n_out) = (self.sizes[l], self.sizes[l + 1]);
            let a = &trace.inputs[l];
            {
                let gw = &mut grad[2 * l];
                for i in 0..n_in {
                    let ai = a[i] * scale;
                    if ai != 0.0 {
                        for (g, &d) in gw[i * n_out..(i + 1) * n_out].iter_mut().zip(&delta) {
                            *g += ai * d;
                        }
                    }
                }
            }
            for (g, &d) in grad[2 * l + 1].iter_mut().zip(&delta) {
                *g += scale * d;
            }
            if l == 0 {
                break;
            }
            // Back through layer l's weights, then the previous hidden layer's dropout and ReLU.
            let w = &self.params[2 * l];
            let (z, s) = (&trace.pre[l - 1], &trace.keep[l - 1]);
            delta = (0..n_in)
                .map(|i| {
                    if z[i] > 0.0 && s[i] != 0.0 {
                        let row = &w[i * n_out..(i + 1) * n_out];
                        s[i] * row.iter().zip(&delta).map(|(&wi, &d)| wi * d).sum::<f64>()
                    } else {
                        0.0
                    }
                })
                .collect();
        }
        loss
    }

    /// The mean loss of the records `batch` of `x` (rows of `sizes[0]` values) and the gradient
    /// of that mean: the per-example gradients summed in batch order, then divided by |B| (so
    /// that DP-SGD without noise or clipping gives exactly this).
    pub fn batch_gradient(
        &self,
        x: &[f64],
        y: &[usize],
        batch: &[usize],
        label_smoothing: f64,
        mut dropout: Option<(f64, &mut dyn FnMut() -> f64)>,
    ) -> (f64, Grads) {
        let d = self.sizes[0];
        let mut grad = self.zero_grads();
        let mut loss = 0.0;
        for &i in batch {
            let drop = dropout.as_mut().map(|(rate, uniform)| Dropout {
                rate: *rate,
                uniform: &mut **uniform,
            });
            loss += self.accumulate_gradient(
                &x[i * d..(i + 1) * d],
                y[i],
                label_smoothing,
                drop,
                1.0,
                &mut grad,
            );
        }
        let n = batch.len().max(1) as f64;
        for g in grad.iter_mut().flatten() {
            *g /= n;
        }
        (loss / n, grad)
    }

    /// The mean cross-entropy (no smoothing, no dropout) and the accuracy on the records `rows`.
    pub fn evaluate(&self, x: &[f64], y: &[usize], rows: &[usize]) -> (f64, f64) {
        let d = self.sizes[0];
        let (mut loss, mut correct) = (0.0, 0usize);
        for &i in rows {
            let z = self.logits(&x[i * d..(i + 1) * d]);
            loss -= log_softmax(&z)[y[i]];
            correct += usize::from(argmax(&z) == y[i]);
        }
        let n = rows.len().max(1) as f64;
        (loss / n, correct as f64 / n)
    }
}

/// log softmax, stable (the maximum subtracted first).
pub fn log_softmax(z: &[f64]) -> Vec<f64> {
    let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = z.iter().map(|&v| exp(v - max)).sum();
    let log_sum = ln(sum) + max;
    z.iter().map(|&v| v - log_sum).collect()
}

/// softmax, stable.
pub fn softmax(z: &[f64]) -> Vec<f64> {
    log_softmax(z).into_iter().map(exp).collect()
}

/// The Euclidean norm of every value of `g`.
pub fn global_norm(g: &Grads) -> f64 {
    g.iter().flatten().map(|v| v * v).sum::<f64>().sqrt()
}
