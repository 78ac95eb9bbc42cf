//! Unlearning a model trained in the training lab, three ways, each verified from its outputs
//! ([`super::report`]) and compared with retraining, the gold standard:
//!
//! - (a) gradient ascent with retain regularisation, the seed design's algorithm
//!   ([`super::gradient_ascent`]);
//! - (b) fine-tuning on the retained records only (the lab's optimiser and batch size);
//! - (c) retraining from scratch without the forget set (the lab's settings and seed; the
//!   features keep the scaling fit on the original members: it is preprocessing, not the model).
//!
//! "Did it forget, or just get worse?": each method's distance from the retrained model on the
//! forget set, the mean KL divergence KL(retrained ‖ method) of the output distributions, and the
//! AUC of telling the two models' forget-set losses apart (0.5: indistinguishable).

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::error::UnlearningError;
use super::gradient_ascent::{AscentResult, AscentSettings, GradientAscent};
use super::input::UnlearningInput;
use super::report::{verify_unlearning, UnlearningReport};
use crate::attack::metrics::AttackMetrics;
use crate::training::network::{log_softmax, Network};
use crate::training::optimizer::Optimizer;
use crate::training::run::{optimizer_kind, LabData, TrainError, TrainingRun};

/// Which members to forget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ForgetChoice {
    /// `k` members drawn at random (seeded).
    Random { k: usize },
    /// Every member of class `class` (its index).
    Class { class: usize },
    /// These dataset rows (each must be a member).
    Rows(Vec<usize>),
}

/// An unlearning method.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum UnlearnMethod {
    GradientAscent(AscentSettings),
    /// Fine-tuning on the retained records for this many epochs.
    FineTune {
        epochs: usize,
    },
    Retrain,
}

impl UnlearnMethod {
    pub fn key(&self) -> &'static str {
        match self {
            UnlearnMethod::GradientAscent(_) => "gradient_ascent",
            UnlearnMethod::FineTune { .. } => "fine_tune",
            UnlearnMethod::Retrain => "retrain",
        }
    }
}

/// The forget set and the retained members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForgetSet {
    pub forget: Vec<usize>,
    pub retain: Vec<usize>,
}

impl ForgetSet {
    /// The members of `lab` that `choice` names (seeded by `seed`).
    pub fn choose(lab: &LabData, choice: &ForgetChoice, seed: u64) -> Result<ForgetSet, String> {
        let mut forget: Vec<usize> = match choice {
            ForgetChoice::Random { k } => {
                if *k == 0 || *k >= lab.members.len() {
                    return Err(format!(
                        "forget = {k}: choose 1 to {} of the {} members.",
                        lab.members.len() - 1,
                        lab.members.len()
                    ));
                }
                let mut m = lab.members.clone();
                m.shuffle(&mut ChaCha8Rng::seed_from_u64(seed.wrapping_add(11)));
                m.truncate(*k);
                m
            }
            ForgetChoice::Class { class } => lab
                .members
                .iter()
                .copied()
                .filter(|&i| lab.y[i] == *class)
                .collect(),
            ForgetChoice::Rows(rows) => {
                if let Some(r) = rows.iter().find(|r| lab.members.binary_search(r).is_err()) {
                    return Err(format!(
                        "row {r} is not a member (a record the model trained on): only members can be forgotten."
                    ));
                }
                rows.clone()
            }
        };
        forget.sort_unstable();
        forget.dedup();
        if forget.is_empty() {
            return Err("The forget set is empty.".into());
        }
        let retain = lab
            .members
            .iter()
            .copied()
            .filter(|i| forget.binary_search(i).is_err())
            .collect();
        Ok(ForgetSet { forget, retain })
    }
}

/// What one method did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodResult {
    pub method: UnlearnMethod,
    /// The mean loss on the forget set after each step (gradient ascent) or epoch.
    pub forget_losses: Vec<f64>,
    /// The seed's result (gradient ascent).
    pub ascent: Option<AscentResult>,
    pub verification: UnlearningReport,
    /// Mean KL(retrained ‖ this) over the forget set, when a retrained model is there.
    pub kl_to_retrained: Option<f64>,
    /// AUC of telling this model's forget-set losses from the retrained model's.
    pub auc_vs_retrained: Option<f64>,
}

/// Every record's logits under `net`.
fn logits(net: &Network, lab: &LabData) -> Vec<Vec<f64>> {
    (0..lab.y.len())
        .map(|i| net.logits(&lab.x[i * lab.d..(i + 1) * lab.d]))
        .collect()
}

/// Mean loss of `net` on `rows`.
fn mean_loss(net: &Network, lab: &LabData, rows: &[usize]) -> f64 {
    net.evaluate(&lab.x, &lab.y, rows).0
}

/// The verification input of `before` and `after` logits: members in `set`, held-out records.
fn verification(
    lab: &LabData,
    set: &ForgetSet,
    before: &[Vec<f64>],
    after: &[Vec<f64>],
) -> Result<UnlearningReport, UnlearningError> {
    let mut csv = String::from("id,set,label");
    for j in 0..lab.k {
        csv.push_str(&format!(",logit_{j}"));
    }
    for j in 0..lab.k {
        csv.push_str(&format!(",after_logit_{j}"));
    }
    csv.push('\n');
    let rows = set
        .forget
        .iter()
        .map(|&i| (i, "forget"))
        .chain(set.retain.iter().map(|&i| (i, "retain")))
        .chain(lab.held_out.iter().map(|&i| (i, "held_out")));
    for (i, name) in rows {
        csv.push_str(&format!("{i},{name},{}", lab.y[i]));
        for v in before[i].iter().chain(&after[i]) {
            csv.push_str(&format!(",{v}"));
        }
        csv.push('\n');
    }
    let input = UnlearningInput::from_csv("training lab", csv.as_bytes())?;
    verify_unlearning(&input)
}

/// Fine-tunes `net` on `retain` for `epochs` epochs with the run's optimiser; the forget loss
/// after each epoch.
fn fine_tune(net: &mut Network, run: &TrainingRun, set: &ForgetSet, epochs: usize) -> Vec<f64> {
    let s = run.settings();
    let lab = run.data();
    let mut opt = Optimizer::new(optimizer_kind(s.optimizer), s.lr, s.l2);
    let mut rng = ChaCha8Rng::seed_from_u64(s.seed.wrapping_add(12));
    let mut losses = Vec::with_capacity(epochs);
    for _ in 0..epochs {
        let mut order = set.retain.clone();
        order.shuffle(&mut rng);
        for batch in order.chunks(s.batch.max(1)) {
            let (_, grad) = net.batch_gradient(&lab.x, &lab.y, batch, 0.0, None);
            opt.step(&mut net.params, &grad);
        }
        losses.push(mean_loss(net, lab, &set.forget));
    }
    losses
}

/// Retrains from scratch on the retained members with the run's settings; the forget loss after
/// each epoch.
fn retrain(run: &TrainingRun, set: &ForgetSet) -> Result<(Network, Vec<f64>), TrainError> {
    let lab = LabData {
        members: set.retain.clone(),
        ..run.data().clone()
    };
    let mut r = TrainingRun::from_lab(lab, run.settings().clone())?;
    let mut losses = Vec::new();
    loop {
        let done = r.step();
        losses.push(mean_loss(r.network(), run.data(), &set.forget));
        if done {
            break;
        }
    }
    Ok((r.network().clone(), losses))
}

/// Why a method could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum LabUnlearningError {
    #[error("{0}")]
    Forget(String),
    #[error("Retraining failed: {0}")]
    Train(#[from] TrainError),
    #[error("{0}")]
    Verify(#[from] UnlearningError),
}

/// Runs `methods` on the model `run` trained (retraining first when it is among them, so the
/// others can be compared with it).
pub fn unlearn_in_lab(
    run: &TrainingRun,
    set: &ForgetSet,
    methods: &[UnlearnMethod],
) -> Result<Vec<MethodResult>, LabUnlearningError> {
    let lab = run.data();
    let before = logits(run.network(), lab);
    let mut order: Vec<UnlearnMethod> = methods.to_vec();
    order.sort_by_key(|m| !matches!(m, UnlearnMethod::Retrain));
    let mut retrained: Option<Vec<Vec<f64>>> = None;
    let mut results = Vec::with_capacity(order.len());
    for method in order {
        let (net, forget_losses, ascent) = match method {
            UnlearnMethod::GradientAscent(a) => {
                let mut net = run.network().clone();
                let mut ga = GradientAscent::new(a, set.forget.clone(), set.retain.clone());
                while !ga.step(&mut net, &lab.x, &lab.y) {}
                let losses = ga.forget_losses.clone();
                (net, losses, ga.result())
            }
            UnlearnMethod::FineTune { epochs } => {
                let mut net = run.network().clone();
                let losses = fine_tune(&mut net, run, set, epochs);
                (net, losses, None)
            }
            UnlearnMethod::Retrain => {
                let (net, losses) = retrain(run, set)?;
                (net, losses, None)
            }
        };
        let after = logits(&net, lab);
        let verification = verification(lab, set, &before, &after)?;
        let (kl_to_retrained, auc_vs_retrained) = match &retrained {
            Some(r) => distance(lab, set, r, &after),
            None => (None, None),
        };
        if method == UnlearnMethod::Retrain {
            retrained = Some(after);
        }
        results.push(MethodResult {
            method,
            forget_losses,
            ascent,
            verification,
            kl_to_retrained,
            auc_vs_retrained,
        });
    }
    // Back in the order asked for.
    results.sort_by_key(|r| methods.iter().position(|m| *m == r.method));
    Ok(results)
}

/// Mean KL(retrained ‖ method) over the forget set, and the AUC of telling the method's
/// forget-set losses (positives) from the retrained model's.
fn distance(
    lab: &LabData,
    set: &ForgetSet,
    retrained: &[Vec<f64>],
    method: &[Vec<f64>],
) -> (Option<f64>, Option<f64>) {
    let n = set.forget.len() as f64;
    let mut kl = 0.0;
    let (mut scores, mut positive) = (Vec::new(), Vec::new());
    for &i in &set.forget {
        let (lr, lm) = (log_softmax(&retrained[i]), log_softmax(&method[i]));
        kl += lr
            .iter()
            .zip(&lm)
            .map(|(a, b)| crate::models::portable_math::exp(*a) * (a - b))
            .sum::<f64>();
        scores.push(-lm[lab.y[i]]);
        positive.push(true);
        scores.push(-lr[lab.y[i]]);
        positive.push(false);
    }
    let auc = AttackMetrics::of_scores(&scores, &positive)
        .ok()
        .map(|m| m.auc);
    (Some(kl / n), auc)
}
