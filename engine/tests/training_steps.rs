//! The training lab's network and optimisers against a numpy reference
//! (`scripts/reference/train_reference.py`, PyTorch's definitions of SGD with momentum, Adam,
//! weight decay, `clip_grad_norm_` and label smoothing): the weights after 1, 10 and 50 steps from
//! the same initialisation on the same batches agree within 1e-9; and the gradients agree with
//! central finite differences, with L2, label smoothing and every layer count.

use mia_engine::training::network::{Grads, Network};
use mia_engine::training::optimizer::{clip_grad_norm, Optimizer, OptimizerKind};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    sizes: Vec<usize>,
    optimizer: String,
    lr: f64,
    momentum: f64,
    weight_decay: f64,
    label_smoothing: f64,
    max_norm: f64,
    x: Vec<Vec<f64>>,
    y: Vec<usize>,
    batches: Vec<Vec<usize>>,
    init: Vec<Vec<f64>>,
    after: std::collections::BTreeMap<String, Vec<Vec<f64>>>,
    losses: Vec<f64>,
}

fn fixture() -> Fixture {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/training/optimizer_steps.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-3)
}

#[test]
fn fifty_sgd_and_adam_steps_equal_the_numpy_reference() {
    for case in fixture().cases {
        let mut net = Network {
            sizes: case.sizes.clone(),
            params: case.init.clone(),
        };
        let kind = match case.optimizer.as_str() {
            "sgd" => OptimizerKind::Sgd {
                momentum: case.momentum,
            },
            _ => OptimizerKind::Adam,
        };
        let mut opt = Optimizer::new(kind, case.lr, case.weight_decay);
        let x: Vec<f64> = case.x.iter().flatten().copied().collect();
        for (t, batch) in case.batches.iter().enumerate() {
            let (loss, mut grad) =
                net.batch_gradient(&x, &case.y, batch, case.label_smoothing, None);
            assert!(
                close(loss, case.losses[t]),
                "{} step {}: loss {loss} vs {}",
                case.name,
                t + 1,
                case.losses[t]
            );
            if case.max_norm > 0.0 {
                clip_grad_norm(&mut grad, case.max_norm);
            }
            opt.step(&mut net.params, &grad);
            if let Some(want) = case.after.get(&(t + 1).to_string()) {
                for (l, (got, want)) in net.params.iter().zip(want).enumerate() {
                    for (k, (&g, &w)) in got.iter().zip(want).enumerate() {
                        assert!(
                            close(g, w),
                            "{} after {} steps, parameter {l}[{k}]: {g} vs {w}",
                            case.name,
                            t + 1
                        );
                    }
                }
            }
        }
        assert_eq!(opt.steps(), 50);
    }
}

#[test]
fn gradients_agree_with_finite_differences() {
    for case in fixture().cases {
        let net = Network {
            sizes: case.sizes.clone(),
            params: case.init.clone(),
        };
        let x: Vec<f64> = case.x.iter().flatten().copied().collect();
        let batch = &case.batches[0];
        // L2 as a loss term (λ/2)·‖θ‖², whose gradient λθ is what weight decay adds.
        let lambda = 0.01;
        let loss_of = |n: &Network| {
            let (l, _) = n.batch_gradient(&x, &case.y, batch, case.label_smoothing, None);
            l + 0.5 * lambda * n.params.iter().flatten().map(|v| v * v).sum::<f64>()
        };
        let (_, mut grad): (f64, Grads) =
            net.batch_gradient(&x, &case.y, batch, case.label_smoothing, None);
        for (g, p) in grad.iter_mut().zip(&net.params) {
            for (g, &p) in g.iter_mut().zip(p) {
                *g += lambda * p;
            }
        }
        let h = 1e-6;
        let mut worst: f64 = 0.0;
        for (l, (p, g)) in net.params.iter().zip(&grad).enumerate() {
            for (k, &a) in g.iter().enumerate().take(p.len()) {
                let mut up = net.clone();
                up.params[l][k] += h;
                let mut down = net.clone();
                down.params[l][k] -= h;
                let fd = (loss_of(&up) - loss_of(&down)) / (2.0 * h);
                let err = (a - fd).abs() / a.abs().max(fd.abs()).max(1e-6);
                worst = worst.max(err);
            }
        }
        assert!(worst < 1e-6, "{}: worst relative error {worst}", case.name);
    }
}
