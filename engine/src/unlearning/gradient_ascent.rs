//! Gradient-ascent unlearning with retain regularisation, exactly the seed design's
//! `gradient_ascent_unlearning`: plain SGD at `unlearn_lr` for `unlearn_steps` steps on the
//! objective −forget_loss + λ·retain_loss, the whole gradient clipped to norm 1. The forget batch at
//! step t is the slice of up to 8 records starting at (8·t) mod |forget| (shorter at the end, no
//! wrap-around, as Python's slicing gives), the retain batch likewise with 32. It is cheap and
//! gives no guarantee: verify it ([`super::report`]).

use serde::{Deserialize, Serialize};

use crate::training::network::Network;
use crate::training::optimizer::{clip_grad_norm, Optimizer, OptimizerKind};

/// The seed's forget batch size; the retain batch is 4 times it.
pub const FORGET_BATCH: usize = 8;
/// The seed's `max_norm`.
pub const MAX_NORM: f64 = 1.0;
/// "Successful" when the forget loss grew by more than this factor.
pub const SUCCESS_RATIO: f64 = 2.0;

/// The seed's parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AscentSettings {
    pub unlearn_lr: f64,
    pub unlearn_steps: usize,
    /// λ, the weight of the retain loss.
    pub retain_regularization: f64,
}

impl Default for AscentSettings {
    fn default() -> Self {
        AscentSettings {
            unlearn_lr: 1e-4,
            unlearn_steps: 100,
            retain_regularization: 0.5,
        }
    }
}

/// The seed's result, with its keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AscentResult {
    pub unlearning_steps: usize,
    pub initial_forget_loss: f64,
    pub final_forget_loss: f64,
    pub loss_increase_ratio: f64,
    pub unlearning_successful: bool,
    pub final_retain_loss: f64,
    pub recommendation: String,
}

/// The slice of `set` the seed takes at step `step` with batch size `size`.
pub fn seed_batch(set: &[usize], step: usize, size: usize) -> &[usize] {
    if set.is_empty() {
        return set;
    }
    let start = (step * size) % set.len();
    let batch = &set[start..(start + size).min(set.len())];
    if batch.is_empty() {
        &set[..size.min(set.len())]
    } else {
        batch
    }
}

/// A gradient-ascent unlearning in progress, one step at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct GradientAscent {
    settings: AscentSettings,
    forget: Vec<usize>,
    retain: Vec<usize>,
    optimizer: Optimizer,
    /// The forget and retain losses of each step, before its update (as the seed records them).
    pub forget_losses: Vec<f64>,
    pub retain_losses: Vec<f64>,
}

impl GradientAscent {
    /// Unlearning of the records `forget` (rows of the data), keeping `retain`.
    pub fn new(settings: AscentSettings, forget: Vec<usize>, retain: Vec<usize>) -> GradientAscent {
        GradientAscent {
            settings,
            forget,
            retain,
            optimizer: Optimizer::new(
                OptimizerKind::Sgd { momentum: 0.0 },
                settings.unlearn_lr,
                0.0,
            ),
            forget_losses: Vec::new(),
            retain_losses: Vec::new(),
        }
    }

    /// Steps taken.
    pub fn steps_done(&self) -> usize {
        self.forget_losses.len()
    }

    /// One step on `net` (data `x`, labels `y`); `true` once every step has run.
    pub fn step(&mut self, net: &mut Network, x: &[f64], y: &[usize]) -> bool {
        let t = self.steps_done();
        if t >= self.settings.unlearn_steps || self.forget.is_empty() {
            return true;
        }
        let fb = seed_batch(&self.forget, t, FORGET_BATCH);
        let rb = seed_batch(&self.retain, t, 4 * FORGET_BATCH);
        let (forget_loss, forget_grad) = net.batch_gradient(x, y, fb, 0.0, None);
        let (retain_loss, mut grad) = if rb.is_empty() {
            (f64::NAN, net.zero_grads())
        } else {
            net.batch_gradient(x, y, rb, 0.0, None)
        };
        let lambda = self.settings.retain_regularization;
        for (g, f) in grad.iter_mut().zip(&forget_grad) {
            for (gv, fv) in g.iter_mut().zip(f) {
                *gv = if rb.is_empty() {
                    -fv
                } else {
                    -fv + lambda * *gv
                };
            }
        }
        clip_grad_norm(&mut grad, MAX_NORM);
        self.optimizer.step(&mut net.params, &grad);
        self.forget_losses.push(forget_loss);
        self.retain_losses.push(retain_loss);
        self.steps_done() >= self.settings.unlearn_steps
    }

    /// The seed's result after the steps run so far (`None` before the first).
    pub fn result(&self) -> Option<AscentResult> {
        let initial = *self.forget_losses.first()?;
        let last = *self.forget_losses.last()?;
        let ratio = last / initial.max(1e-8);
        let successful = ratio > SUCCESS_RATIO;
        Some(AscentResult {
            unlearning_steps: self.settings.unlearn_steps,
            initial_forget_loss: initial,
            final_forget_loss: last,
            loss_increase_ratio: ratio,
            unlearning_successful: successful,
            final_retain_loss: self.retain_losses.last().copied().unwrap_or(f64::NAN),
            recommendation: if successful {
                "Run MI verification test to confirm unlearning".to_string()
            } else {
                "Increase unlearn_steps or lr and retry".to_string()
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_are_python_slices_without_wrap_around() {
        let set: Vec<usize> = (0..13).collect();
        assert_eq!(seed_batch(&set, 0, 8), &set[0..8]);
        assert_eq!(seed_batch(&set, 1, 8), &set[8..13]);
        // (8·2) mod 13 = 3.
        assert_eq!(seed_batch(&set, 2, 8), &set[3..11]);
        assert_eq!(seed_batch(&set, 3, 8), &set[11..13]);
    }
}
