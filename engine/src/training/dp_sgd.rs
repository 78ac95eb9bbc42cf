//! DP-SGD (Abadi et al. 2016, "Deep Learning with Differential Privacy", Algorithm 1) with
//! Opacus's semantics: each record joins a step's batch independently with probability
//! q = B/N (Poisson sampling, so a batch may be empty); every per-example gradient is clipped to
//! norm C (factor min(1, C/(‖gᵢ‖ + 1e−6))); Gaussian noise N(0, σ²C²) is added to each coordinate
//! of their sum, which is then divided by the expected batch size B. The privacy spent is the
//! RDP accountant's for (q, σ, steps, δ) ([`crate::dp`]).

use rand::Rng;

use super::network::{global_norm, Grads, Network};

/// The per-example clipping of Opacus: the factor min(1, C/(‖g‖ + 1e−6)).
pub fn clip_factor(norm: f64, max_grad_norm: f64) -> f64 {
    (max_grad_norm / (norm + 1e-6)).min(1.0)
}

/// The records of one Poisson-sampled batch: each of `0..n` with probability `q`.
pub fn poisson_batch(n: usize, q: f64, rng: &mut impl Rng) -> Vec<usize> {
    (0..n).filter(|_| rng.random::<f64>() < q).collect()
}

/// What one DP-SGD step computed.
#[derive(Debug, Clone, PartialEq)]
pub struct PrivateGradient {
    /// (Σᵢ clip(gᵢ) + N(0, σ²C²)) / B.
    pub grad: Grads,
    /// The mean loss over the batch (0 for an empty batch).
    pub loss: f64,
    /// The largest per-example norm after clipping (≤ C).
    pub max_clipped_norm: f64,
}

/// The private gradient of the records `batch` of `x`: clipped per example, summed, noised and
/// divided by `expected_batch`. `uniform` draws dropout masks (when `dropout` > 0).
#[allow(clippy::too_many_arguments)]
pub fn private_gradient(
    net: &Network,
    x: &[f64],
    y: &[usize],
    batch: &[usize],
    label_smoothing: f64,
    dropout: f64,
    max_grad_norm: f64,
    noise_multiplier: f64,
    expected_batch: f64,
    rng: &mut impl Rng,
) -> PrivateGradient {
    let d = net.sizes[0];
    let mut sum = net.zero_grads();
    let mut one = net.zero_grads();
    let mut loss = 0.0;
    let mut max_clipped_norm: f64 = 0.0;
    for &i in batch {
        for g in one.iter_mut() {
            g.iter_mut().for_each(|v| *v = 0.0);
        }
        let mut uniform = || rng.random::<f64>();
        let drop = (dropout > 0.0).then_some(super::network::Dropout {
            rate: dropout,
            uniform: &mut uniform,
        });
        loss += net.accumulate_gradient(
            &x[i * d..(i + 1) * d],
            y[i],
            label_smoothing,
            drop,
            1.0,
            &mut one,
        );
        let norm = global_norm(&one);
        let f = clip_factor(norm, max_grad_norm);
        max_clipped_norm = max_clipped_norm.max(norm * f);
        for (s, g) in sum.iter_mut().zip(&one) {
            for (s, &g) in s.iter_mut().zip(g) {
                // Unclipped gradients are added as they are (no multiplication by 1).
                *s += if f < 1.0 { f * g } else { g };
            }
        }
    }
    let sd = noise_multiplier * max_grad_norm;
    for s in sum.iter_mut().flatten() {
        if sd > 0.0 {
            let z = crate::models::portable_math::standard_normal(rng);
            *s += sd * z;
        }
        *s /= expected_batch;
    }
    PrivateGradient {
        grad: sum,
        loss: if batch.is_empty() {
            0.0
        } else {
            loss / batch.len() as f64
        },
        max_clipped_norm,
    }
}
