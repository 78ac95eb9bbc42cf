//! Gradient-ascent unlearning against `scripts/reference/unlearning_ascent_reference.py`: the seed
//! design's algorithm in numpy, step for step, for 20 steps from a fixed model and fixed data
//! (forget and retain batches cut as Python slices, −forget + λ·retain, clipping to norm 1, plain
//! SGD): every step's losses and the weights after steps 1, 10 and 20 within 1e-9, and the seed's
//! result.

use mia_engine::training::network::Network;
use mia_engine::unlearning::gradient_ascent::{AscentSettings, GradientAscent};
use serde_json::Value;

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn indices(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as usize)
        .collect()
}

#[test]
fn gradient_ascent_matches_the_seed_algorithm_step_for_step() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/training/ascent_steps.json"
    );
    let j: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let sizes = indices(&j["sizes"]);
    let x: Vec<f64> = j["x"].as_array().unwrap().iter().flat_map(floats).collect();
    let y = indices(&j["y"]);
    let mut net = Network {
        sizes,
        params: j["init"].as_array().unwrap().iter().map(floats).collect(),
    };
    let settings = AscentSettings {
        unlearn_lr: j["lr"].as_f64().unwrap(),
        unlearn_steps: j["steps"].as_u64().unwrap() as usize,
        retain_regularization: j["retain_regularization"].as_f64().unwrap(),
    };
    let mut ascent = GradientAscent::new(settings, indices(&j["forget"]), indices(&j["retain"]));
    let close = |a: f64, b: f64, what: &str| {
        assert!((a - b).abs() <= 1e-9, "{what}: {a} vs {b}");
    };
    let mut done = false;
    while !done {
        done = ascent.step(&mut net, &x, &y);
        let t = ascent.steps_done();
        if let Some(want) = j["after"].get(t.to_string()) {
            for (l, (got, want)) in net.params.iter().zip(want.as_array().unwrap()).enumerate() {
                for (k, (g, w)) in got.iter().zip(floats(want)).enumerate() {
                    close(*g, w, &format!("step {t}, layer {l}, weight {k}"));
                }
            }
        }
    }
    assert_eq!(ascent.steps_done(), 20);
    for (t, (g, w)) in ascent
        .forget_losses
        .iter()
        .zip(floats(&j["forget_losses"]))
        .enumerate()
    {
        close(*g, w, &format!("forget loss at step {t}"));
    }
    for (t, (g, w)) in ascent
        .retain_losses
        .iter()
        .zip(floats(&j["retain_losses"]))
        .enumerate()
    {
        close(*g, w, &format!("retain loss at step {t}"));
    }
    let r = ascent.result().unwrap();
    let want = &j["result"];
    close(
        r.loss_increase_ratio,
        want["loss_increase_ratio"].as_f64().unwrap(),
        "ratio",
    );
    assert_eq!(
        r.unlearning_successful,
        want["unlearning_successful"].as_bool().unwrap()
    );
    assert_eq!(r.recommendation, want["recommendation"].as_str().unwrap());
}
