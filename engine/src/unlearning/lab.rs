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
use super::gradient_ascent::{AscentResult, GradientAscent};
use super::input::UnlearningInput;
use super::report::{verify_unlearning, UnlearningReport};
use crate::attack::metrics::AttackMetrics;
use crate::training::network::{log_softmax, Network};
use crate::training::optimizer::Optimizer;
use crate::training::run::{optimizer_kind, LabData, TrainError, TrainingRun};
use crate::training::settings::TrainSettings;

pub use super::lab_settings::{ForgetChoice, LabUnlearningSettings, MethodKind, UnlearnMethod};

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
                        "the model has {} members: forget 1 to {} of them.",
                        lab.members.len(),
                        lab.members.len() - 1
                    ));
                }
                let mut m = lab.members.clone();
                m.shuffle(&mut ChaCha8Rng::seed_from_u64(seed.wrapping_add(11)));
                m.truncate(*k);
                m
            }
            ForgetChoice::Class { class } if *class >= lab.k => {
                return Err(format!(
                    "class {class}: the classes are numbered 0 to {} ({}).",
                    lab.k - 1,
                    lab.class_names.join(", ")
                ));
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

/// Retain and held-out accuracy after `step` steps (or epochs) of a method.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AccuracyPoint {
    pub step: usize,
    pub retain: f64,
    pub held_out: f64,
}

/// A method's course as it runs: what the page draws live.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodCourse {
    pub method: UnlearnMethod,
    /// The steps (gradient ascent) or epochs it is to run (retraining may stop early).
    pub planned: usize,
    /// Gradient ascent: the seed's forget loss of each step (on that step's forget batch, before
    /// its update). Fine-tuning and retraining: the mean loss on the forget set after each epoch.
    pub forget_losses: Vec<f64>,
    /// At the start, at about [`ACCURACY_POINTS`] steps along the way, and at the end.
    pub accuracy: Vec<AccuracyPoint>,
    pub done: bool,
}

/// About how many times a course measures accuracy along the way.
pub const ACCURACY_POINTS: usize = 20;

/// What one method did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodResult {
    pub method: UnlearnMethod,
    /// As in [`MethodCourse::forget_losses`].
    pub forget_losses: Vec<f64>,
    pub accuracy: Vec<AccuracyPoint>,
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

/// The model a method is changing.
enum Active {
    Ascent {
        net: Network,
        ascent: GradientAscent,
    },
    /// Fine-tuning on the retained records with the run's optimiser and batch size.
    FineTune {
        net: Network,
        optimizer: Optimizer,
        rng: Box<ChaCha8Rng>,
    },
    /// Retraining from scratch on the retained members with the run's settings and seed (the
    /// features keep the scaling fit on the original members: it is preprocessing, not the model).
    Retrain(Box<TrainingRun>),
}

impl Active {
    fn network(&self) -> &Network {
        match self {
            Active::Ascent { net, .. } | Active::FineTune { net, .. } => net,
            Active::Retrain(run) => run.network(),
        }
    }
}

/// An unlearning of the lab's model in progress, one step (gradient ascent) or epoch
/// (fine-tuning, retraining) at a time. Retraining runs first when it is among the methods, so
/// that the others can be compared with it.
pub struct LabUnlearning {
    lab: LabData,
    settings: TrainSettings,
    trained: Network,
    set: ForgetSet,
    asked: Vec<UnlearnMethod>,
    /// The methods in the order they run.
    order: Vec<UnlearnMethod>,
    before: Vec<Vec<f64>>,
    retrained: Option<Vec<Vec<f64>>>,
    active: Option<Active>,
    /// The courses of the methods started, in the order they run.
    courses: Vec<MethodCourse>,
    results: Vec<MethodResult>,
}

impl LabUnlearning {
    /// Unlearning `set` from the model `run` trained, by each of `methods`.
    pub fn new(run: &TrainingRun, set: ForgetSet, methods: &[UnlearnMethod]) -> LabUnlearning {
        let mut order = methods.to_vec();
        order.sort_by_key(|m| !matches!(m, UnlearnMethod::Retrain));
        LabUnlearning {
            before: logits(run.network(), run.data()),
            lab: run.data().clone(),
            settings: run.settings().clone(),
            trained: run.network().clone(),
            set,
            asked: methods.to_vec(),
            order,
            retrained: None,
            active: None,
            courses: Vec::new(),
            results: Vec::new(),
        }
    }

    /// The courses of the methods started so far, in the order they run.
    pub fn courses(&self) -> &[MethodCourse] {
        &self.courses
    }

    /// The finished methods' results, in the order they ran.
    pub fn results(&self) -> &[MethodResult] {
        &self.results
    }

    /// The units (steps or epochs) a method is to run.
    fn planned(&self, method: &UnlearnMethod) -> usize {
        method.planned(self.settings.epochs)
    }

    /// Fraction of the work done (by steps and epochs).
    pub fn fraction_done(&self) -> f64 {
        let total: usize = self.order.iter().map(|m| self.planned(m).max(1)).sum();
        let done: usize = self
            .courses
            .iter()
            .map(|c| {
                if c.done {
                    c.planned.max(1)
                } else {
                    c.forget_losses.len()
                }
            })
            .sum();
        done as f64 / total.max(1) as f64
    }

    /// The method running now (or next), its next step (1-based) and its planned steps.
    pub fn current(&self) -> Option<(UnlearnMethod, usize, usize)> {
        match self.courses.last().filter(|c| !c.done) {
            Some(c) => Some((c.method, c.forget_losses.len() + 1, c.planned)),
            None => self
                .order
                .get(self.courses.len())
                .map(|m| (*m, 1, self.planned(m))),
        }
    }

    fn accuracy(&self, net: &Network, step: usize) -> AccuracyPoint {
        AccuracyPoint {
            step,
            retain: net.evaluate(&self.lab.x, &self.lab.y, &self.set.retain).1,
            held_out: net.evaluate(&self.lab.x, &self.lab.y, &self.lab.held_out).1,
        }
    }

    /// Starts the next method.
    fn start(&mut self, method: UnlearnMethod) -> Result<(), LabUnlearningError> {
        let active = match method {
            UnlearnMethod::GradientAscent(a) => Active::Ascent {
                net: self.trained.clone(),
                ascent: GradientAscent::new(a, self.set.forget.clone(), self.set.retain.clone()),
            },
            UnlearnMethod::FineTune { .. } => Active::FineTune {
                net: self.trained.clone(),
                optimizer: Optimizer::new(
                    optimizer_kind(self.settings.optimizer),
                    self.settings.lr,
                    self.settings.l2,
                ),
                rng: Box::new(ChaCha8Rng::seed_from_u64(
                    self.settings.seed.wrapping_add(12),
                )),
            },
            UnlearnMethod::Retrain => {
                let lab = LabData {
                    members: self.set.retain.clone(),
                    ..self.lab.clone()
                };
                Active::Retrain(Box::new(TrainingRun::from_lab(lab, self.settings.clone())?))
            }
        };
        let start = self.accuracy(active.network(), 0);
        self.courses.push(MethodCourse {
            method,
            planned: self.planned(&method),
            forget_losses: Vec::new(),
            accuracy: vec![start],
            done: false,
        });
        self.active = Some(active);
        Ok(())
    }

    /// Runs one step or epoch of the current method (starting the next when none is running);
    /// `true` once every method has run and been verified.
    pub fn step(&mut self) -> Result<bool, LabUnlearningError> {
        if self.active.is_none() {
            match self.order.get(self.courses.len()) {
                Some(&method) => self.start(method)?,
                None => return Ok(true),
            }
        }
        let (Some(mut active), Some(course)) = (self.active.take(), self.courses.last()) else {
            return Ok(true);
        };
        let (planned, taken) = (course.planned, course.forget_losses.len());
        let (loss, ended) = match &mut active {
            Active::Ascent { net, ascent } => {
                let ended = ascent.step(net, &self.lab.x, &self.lab.y);
                (ascent.forget_losses.last().copied(), ended)
            }
            Active::FineTune {
                net,
                optimizer,
                rng,
            } => {
                if planned > 0 {
                    let mut order = self.set.retain.clone();
                    order.shuffle(rng.as_mut());
                    for batch in order.chunks(self.settings.batch.max(1)) {
                        let (_, grad) =
                            net.batch_gradient(&self.lab.x, &self.lab.y, batch, 0.0, None);
                        optimizer.step(&mut net.params, &grad);
                    }
                }
                let loss = (planned > 0).then(|| mean_loss(net, &self.lab, &self.set.forget));
                (loss, taken + 1 >= planned)
            }
            Active::Retrain(run) => {
                let ended = run.step();
                let loss = mean_loss(run.network(), &self.lab, &self.set.forget);
                (Some(loss), ended)
            }
        };
        let steps = taken + usize::from(loss.is_some());
        let stride = planned.div_ceil(ACCURACY_POINTS).max(1);
        let point = (ended || steps % stride == 0).then(|| self.accuracy(active.network(), steps));
        if let Some(course) = self.courses.last_mut() {
            course.forget_losses.extend(loss);
            course.accuracy.extend(point);
        }
        if ended {
            self.finish(&active)?;
        } else {
            self.active = Some(active);
        }
        Ok(self.active.is_none() && self.courses.len() == self.order.len())
    }

    /// Verifies the method that has just ended and compares it with retraining.
    fn finish(&mut self, active: &Active) -> Result<(), LabUnlearningError> {
        let ascent = match active {
            Active::Ascent { ascent, .. } => ascent.result(),
            _ => None,
        };
        let after = logits(active.network(), &self.lab);
        let verification = verification(&self.lab, &self.set, &self.before, &after)?;
        let (kl_to_retrained, auc_vs_retrained) = match &self.retrained {
            Some(r) => distance(&self.lab, &self.set, r, &after),
            None => (None, None),
        };
        let Some(course) = self.courses.last_mut() else {
            return Ok(());
        };
        course.done = true;
        if course.method == UnlearnMethod::Retrain {
            self.retrained = Some(after);
        }
        self.results.push(MethodResult {
            method: course.method,
            forget_losses: course.forget_losses.clone(),
            accuracy: course.accuracy.clone(),
            ascent,
            verification,
            kl_to_retrained,
            auc_vs_retrained,
        });
        Ok(())
    }

    /// The results, in the order the methods were asked for.
    pub fn into_results(self) -> Vec<MethodResult> {
        let mut results = self.results;
        results.sort_by_key(|r| self.asked.iter().position(|m| *m == r.method));
        results
    }
}

/// Runs `methods` on the model `run` trained, to the end ([`LabUnlearning`], step by step).
pub fn unlearn_in_lab(
    run: &TrainingRun,
    set: &ForgetSet,
    methods: &[UnlearnMethod],
) -> Result<Vec<MethodResult>, LabUnlearningError> {
    let mut u = LabUnlearning::new(run, set.clone(), methods);
    while !u.step()? {}
    Ok(u.into_results())
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
