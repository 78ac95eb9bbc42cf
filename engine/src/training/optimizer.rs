//! The optimisers, with PyTorch's semantics (`torch.optim.SGD` with momentum, dampening 0, no
//! Nesterov; `torch.optim.Adam`, Kingma & Ba 2015, without AMSGrad), L2 regularisation as their
//! `weight_decay` (added to the gradient of every parameter), and whole-gradient norm clipping as
//! `torch.nn.utils.clip_grad_norm_` (applied before the step, so before the weight decay).

use serde::{Deserialize, Serialize};

use super::network::{global_norm, Grads};

/// Which optimiser, with its own settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum OptimizerKind {
    Sgd { momentum: f64 },
    Adam,
}

/// Adam's β₁, β₂ and ε (PyTorch's defaults).
pub const ADAM_BETA1: f64 = 0.9;
pub const ADAM_BETA2: f64 = 0.999;
pub const ADAM_EPS: f64 = 1e-8;

/// An optimiser's state across steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Optimizer {
    kind: OptimizerKind,
    lr: f64,
    weight_decay: f64,
    /// Steps taken.
    t: u32,
    /// SGD's momentum buffer, or Adam's first moment.
    m: Option<Grads>,
    /// Adam's second moment.
    v: Option<Grads>,
    /// β₁ᵗ and β₂ᵗ.
    beta_powers: (f64, f64),
}

impl Optimizer {
    pub fn new(kind: OptimizerKind, lr: f64, weight_decay: f64) -> Optimizer {
        Optimizer {
            kind,
            lr,
            weight_decay,
            t: 0,
            m: None,
            v: None,
            beta_powers: (1.0, 1.0),
        }
    }

    /// Steps taken so far.
    pub fn steps(&self) -> u32 {
        self.t
    }

    /// One step of `params` along the gradient `grad` (the weight decay is added here).
    pub fn step(&mut self, params: &mut [Vec<f64>], grad: &Grads) {
        self.t += 1;
        let wd = self.weight_decay;
        let g_of = |p: f64, g: f64| if wd != 0.0 { g + wd * p } else { g };
        match self.kind {
            OptimizerKind::Sgd { momentum: 0.0 } => {
                for (p, g) in params.iter_mut().zip(grad) {
                    for (p, &g) in p.iter_mut().zip(g) {
                        *p -= self.lr * g_of(*p, g);
                    }
                }
            }
            OptimizerKind::Sgd { momentum } => {
                let first = self.m.is_none();
                let buf = self
                    .m
                    .get_or_insert_with(|| grad.iter().map(|g| vec![0.0; g.len()]).collect());
                for ((p, g), b) in params.iter_mut().zip(grad).zip(buf) {
                    for ((p, &g), b) in p.iter_mut().zip(g).zip(b) {
                        let g = g_of(*p, g);
                        *b = if first { g } else { momentum * *b + g };
                        *p -= self.lr * *b;
                    }
                }
            }
            OptimizerKind::Adam => {
                let zeros = || grad.iter().map(|g| vec![0.0; g.len()]).collect::<Grads>();
                let m = self.m.get_or_insert_with(zeros);
                let v = self.v.get_or_insert_with(zeros);
                // β^t as a running product: the same bits on every platform (`powi` is not).
                self.beta_powers.0 *= ADAM_BETA1;
                self.beta_powers.1 *= ADAM_BETA2;
                let bias_correction1 = 1.0 - self.beta_powers.0;
                let bias_correction2 = 1.0 - self.beta_powers.1;
                let step_size = self.lr / bias_correction1;
                let bc2_sqrt = bias_correction2.sqrt();
                for (((p, g), m), v) in params.iter_mut().zip(grad).zip(m).zip(v) {
                    for (((p, &g), m), v) in p.iter_mut().zip(g).zip(m).zip(v) {
                        let g = g_of(*p, g);
                        *m = ADAM_BETA1 * *m + (1.0 - ADAM_BETA1) * g;
                        *v = ADAM_BETA2 * *v + (1.0 - ADAM_BETA2) * g * g;
                        let denom = v.sqrt() / bc2_sqrt + ADAM_EPS;
                        *p -= step_size * *m / denom;
                    }
                }
            }
        }
    }
}

/// `clip_grad_norm_(max_norm)`: scales every gradient by min(1, max_norm / (‖g‖ + 1e−6)), ‖g‖ the
/// norm of all of them together; returns ‖g‖ before clipping.
pub fn clip_grad_norm(grad: &mut Grads, max_norm: f64) -> f64 {
    let norm = global_norm(grad);
    let coef = (max_norm / (norm + 1e-6)).min(1.0);
    for v in grad.iter_mut().flatten() {
        *v *= coef;
    }
    norm
}
