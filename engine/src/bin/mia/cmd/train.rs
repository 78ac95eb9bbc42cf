//! `mia train`: the training lab on the command line, with the engine and seed of the page's
//! "Train" view, so that the same settings give the same curves and figures.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use mia_engine::shadow::TabularDataset;
use mia_engine::training::datasets::{bundled_dataset, DATASET_IDS};
use mia_engine::training::outputs::write_outputs_csv;
use mia_engine::training::run::{DpAccounting, EpochRecord, StopReason, TrainingRun};
use mia_engine::training::settings::{
    DpSettings, EarlyStop, ModelKind, NoiseChoice, OptimizerChoice, TrainSettings,
};
use mia_engine::unlearning::gradient_ascent::{AscentResult, AscentSettings};
use mia_engine::unlearning::lab::{
    unlearn_in_lab, AccuracyPoint, ForgetChoice, ForgetSet, LabUnlearningSettings, MethodKind,
};
use mia_engine::unlearning::lab_settings::DEFAULT_FINETUNE_EPOCHS;
use mia_engine::unlearning::mi_test::MiVerification;
use mia_engine::unlearning::report::Utility;
use mia_engine::unlearning::seed_test::SeedVerification;
use serde::Serialize;

use super::{finite, read_input, whole, write_json};
use crate::exit::{CliError, Status};

pub const ABOUT: &str =
    "Train a small model with or without defences (L2, dropout, label smoothing, clipping, early stopping, DP-SGD) and measure the attack";

pub const LONG_ABOUT: &str = "\
TRAIN: the training lab. Trains logistic regression or an MLP (1-2 hidden ReLU layers) on half of a
dataset (the members; the other half is held out), with SGD (momentum 0.9) or Adam, deterministically
from the seed, and after every epoch measures the train and held-out loss and accuracy, the
generalisation gap and the threshold attack on the loss (members against held-out records). With
--dp it trains with DP-SGD (Poisson sampling, per-example clipping to --max-grad-norm, Gaussian noise)
and reports the epsilon spent (RDP accountant). The same settings give the page's figures.";

/// The options of `mia train` (the page's link keys, with dashes).
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// A bundled dataset (digits, digits_noisy, breast_cancer, wine) or a CSV file (numeric
    /// features and a class column)
    #[arg(long, value_name = "DATASET", default_value = "digits_noisy")]
    dataset: String,
    #[arg(long, value_enum, default_value_t = Model::Mlp)]
    model: Model,
    /// Units per hidden layer: one number, or two separated by a comma (two layers)
    #[arg(long, value_name = "H[,H2]", default_value = "128")]
    hidden: String,
    #[arg(long, value_name = "E", default_value_t = 60, value_parser = whole::<usize>)]
    epochs: usize,
    #[arg(long, value_name = "B", default_value_t = 32, value_parser = whole::<usize>)]
    batch: usize,
    #[arg(long, value_name = "LR", default_value_t = 0.001, value_parser = finite, allow_negative_numbers = true)]
    lr: f64,
    #[arg(long, value_enum, default_value_t = Optimizer::Adam)]
    optimizer: Optimizer,
    /// L2 regularisation as the optimiser's weight decay
    #[arg(long, value_name = "L2", default_value_t = 0.0, value_parser = finite, allow_negative_numbers = true)]
    l2: f64,
    /// Dropout rate of the hidden layers
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = finite, allow_negative_numbers = true)]
    dropout: f64,
    #[arg(long = "label-smoothing", value_name = "EPS", default_value_t = 0.0, value_parser = finite, allow_negative_numbers = true)]
    label_smoothing: f64,
    /// Whole-batch gradient-norm clipping (0 = off)
    #[arg(long, value_name = "NORM", default_value_t = 0.0, value_parser = finite, allow_negative_numbers = true)]
    clip: f64,
    #[arg(long = "early-stop", value_enum, default_value_t = Stop::None)]
    early_stop: Stop,
    /// The privacy-aware stop's target generalisation gap
    #[arg(long = "target-gap", value_name = "GAP", default_value_t = 0.1, value_parser = finite, allow_negative_numbers = true)]
    target_gap: f64,
    #[arg(long, value_name = "S", default_value_t = 0, value_parser = whole::<u64>)]
    seed: u64,
    /// Train with DP-SGD
    #[arg(long)]
    dp: bool,
    /// DP-SGD's noise multiplier sigma [default: 1]
    #[arg(long = "noise-multiplier", value_name = "S", value_parser = finite, allow_negative_numbers = true, conflicts_with = "target_epsilon", requires = "dp")]
    noise_multiplier: Option<f64>,
    /// The epsilon to reach after every epoch (sigma found by the accountant)
    #[arg(long = "target-epsilon", value_name = "E", value_parser = finite, allow_negative_numbers = true, requires = "dp")]
    target_epsilon: Option<f64>,
    /// DP-SGD's per-example clipping norm C [default: 1]
    #[arg(long = "max-grad-norm", value_name = "C", value_parser = finite, allow_negative_numbers = true, requires = "dp")]
    max_grad_norm: Option<f64>,
    /// delta of the guarantee [default: 1/(10 N), N the members]
    #[arg(long, value_name = "D", value_parser = finite, allow_negative_numbers = true, requires = "dp")]
    delta: Option<f64>,
    /// After training, unlearn these members: a number K (K members at random), class:C (every
    /// member of class index C) or rows:R1,R2,... (dataset rows), and verify each method
    #[arg(long = "unlearn-forget", value_name = "K|class:C|rows:R,...")]
    unlearn_forget: Option<String>,
    /// The unlearning methods, comma-separated: gradient_ascent, fine_tune, retrain
    #[arg(
        long = "unlearn-methods",
        value_name = "M,...",
        default_value = "gradient_ascent,fine_tune,retrain",
        requires = "unlearn_forget"
    )]
    unlearn_methods: String,
    /// Gradient ascent's learning rate (the seed design's unlearn_lr)
    #[arg(long = "unlearn-lr", value_name = "LR", default_value_t = AscentSettings::default().unlearn_lr, value_parser = finite, allow_negative_numbers = true, requires = "unlearn_forget")]
    unlearn_lr: f64,
    /// Gradient ascent's steps (the seed design's unlearn_steps)
    #[arg(long = "unlearn-steps", value_name = "N", default_value_t = AscentSettings::default().unlearn_steps, value_parser = whole::<usize>, requires = "unlearn_forget")]
    unlearn_steps: usize,
    /// Gradient ascent's weight of the retain loss (the seed design's retain_regularization)
    #[arg(long = "retain-regularization", value_name = "L", default_value_t = AscentSettings::default().retain_regularization, value_parser = finite, allow_negative_numbers = true, requires = "unlearn_forget")]
    retain_regularization: f64,
    /// Fine-tuning's epochs on the retained records
    #[arg(long = "finetune-epochs", value_name = "E", default_value_t = DEFAULT_FINETUNE_EPOCHS, value_parser = whole::<usize>, requires = "unlearn_forget")]
    finetune_epochs: usize,
    /// Write every record's outputs in the audit's CSV schema (id, member, label, prob_*, logit_*)
    #[arg(long, value_name = "OUT.csv")]
    outputs: Option<PathBuf>,
    /// Print JSON
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Model {
    Logreg,
    Mlp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Optimizer {
    Sgd,
    Adam,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Stop {
    None,
    Patience,
    Gap,
}

/// `mia train --json`'s DP object.
#[derive(Serialize)]
struct DpJson {
    sampling_rate: f64,
    noise_multiplier: f64,
    max_grad_norm: f64,
    steps: u64,
    delta: f64,
    delta_too_large: bool,
    epsilon: Option<f64>,
}

/// `mia train --json`.
#[derive(Serialize)]
struct TrainJson<'a> {
    dataset: &'a str,
    settings: &'a TrainSettings,
    n_members: usize,
    n_held_out: usize,
    epochs_trained: usize,
    stopped: Option<StopReason>,
    history: &'a [EpochRecord],
    train_accuracy: f64,
    held_out_accuracy: f64,
    /// The threshold attack on the loss after the last epoch.
    auc: f64,
    /// Keys "0.001", "0.01", "0.1".
    tpr_at_fpr: BTreeMap<String, f64>,
    dp: Option<DpJson>,
    /// `--unlearn-forget`: each method, verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    unlearning: Option<UnlearningJson>,
}

/// One unlearning method's figures in `mia train --json`.
#[derive(Serialize)]
struct MethodJson {
    method: &'static str,
    forget_losses: Vec<f64>,
    /// Retain and held-out accuracy along the way.
    accuracy: Vec<AccuracyPoint>,
    /// The seed design's `gradient_ascent_unlearning` result (gradient ascent).
    ascent: Option<AscentResult>,
    seed_test: Option<SeedVerification>,
    mi_test: MiVerification,
    utility: Utility,
    kl_to_retrained: Option<f64>,
    auc_vs_retrained: Option<f64>,
    verified: bool,
    failed: Vec<String>,
}

/// `--unlearn-forget`'s part of the JSON.
#[derive(Serialize)]
struct UnlearningJson {
    n_forget: usize,
    n_retain: usize,
    /// The forgotten rows of the dataset.
    forget: Vec<usize>,
    methods: Vec<MethodJson>,
}

impl TrainArgs {
    /// `--unlearn-*`, checked as the lab's link is.
    fn unlearning_settings(&self, spec: &str) -> Result<LabUnlearningSettings, CliError> {
        let forget = ForgetChoice::parse(spec)
            .map_err(|e| CliError::Usage(format!("--unlearn-forget {e}")))?;
        let methods = MethodKind::parse_list(&self.unlearn_methods)
            .map_err(|e| CliError::Usage(format!("--unlearn-methods: {e}")))?;
        let settings = LabUnlearningSettings {
            forget,
            methods,
            ascent: AscentSettings {
                unlearn_lr: self.unlearn_lr,
                unlearn_steps: self.unlearn_steps,
                retain_regularization: self.retain_regularization,
            },
            finetune_epochs: self.finetune_epochs,
        };
        // Named by the link's key, as the training settings are.
        settings.check().map_err(CliError::Usage)?;
        Ok(settings)
    }

    /// Unlearns `--unlearn-forget` from the trained model with each method.
    fn unlearning(&self, run: &TrainingRun) -> Result<Option<UnlearningJson>, CliError> {
        let Some(spec) = &self.unlearn_forget else {
            return Ok(None);
        };
        let settings = self.unlearning_settings(spec)?;
        let (choice, methods) = (&settings.forget, settings.methods());
        let set = ForgetSet::choose(run.data(), choice, run.settings().seed)
            .map_err(|e| CliError::Usage(format!("--unlearn-forget {spec}: {e}")))?;
        let results = unlearn_in_lab(run, &set, &methods)
            .map_err(|e| CliError::Usage(format!("unlearning: {e}")))?;
        Ok(Some(UnlearningJson {
            n_forget: set.forget.len(),
            n_retain: set.retain.len(),
            forget: set.forget.clone(),
            methods: results
                .into_iter()
                .map(|r| MethodJson {
                    method: r.method.key(),
                    forget_losses: r.forget_losses,
                    accuracy: r.accuracy,
                    ascent: r.ascent,
                    seed_test: r.verification.seed.clone(),
                    mi_test: r.verification.mi.clone(),
                    utility: r.verification.utility,
                    kl_to_retrained: r.kl_to_retrained,
                    auc_vs_retrained: r.auc_vs_retrained,
                    verified: r.verification.verified,
                    failed: r.verification.failed.clone(),
                })
                .collect(),
        }))
    }

    fn settings(&self) -> Result<TrainSettings, CliError> {
        let hidden = self
            .hidden
            .split(',')
            .map(|h| h.trim().parse::<usize>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| {
                CliError::Usage(format!(
                    "--hidden {}: give one number of units, or two separated by a comma",
                    self.hidden
                ))
            })?;
        Ok(TrainSettings {
            model: match self.model {
                Model::Logreg => ModelKind::LogReg,
                Model::Mlp => ModelKind::Mlp,
            },
            hidden,
            epochs: self.epochs,
            batch: self.batch,
            lr: self.lr,
            optimizer: match self.optimizer {
                Optimizer::Sgd => OptimizerChoice::Sgd,
                Optimizer::Adam => OptimizerChoice::Adam,
            },
            l2: self.l2,
            dropout: self.dropout,
            label_smoothing: self.label_smoothing,
            clip: self.clip,
            early_stop: match self.early_stop {
                Stop::None => EarlyStop::None,
                Stop::Patience => EarlyStop::Patience,
                Stop::Gap => EarlyStop::Gap,
            },
            target_gap: self.target_gap,
            dp: self.dp.then(|| DpSettings {
                noise: match self.target_epsilon {
                    Some(e) => NoiseChoice::TargetEpsilon(e),
                    None => NoiseChoice::NoiseMultiplier(self.noise_multiplier.unwrap_or(1.0)),
                },
                max_grad_norm: self
                    .max_grad_norm
                    .unwrap_or(DpSettings::default().max_grad_norm),
                delta: self.delta,
            }),
            seed: self.seed,
            ..TrainSettings::default()
        })
    }

    fn data(&self) -> Result<TabularDataset, CliError> {
        if let Some(d) = bundled_dataset(&self.dataset) {
            return Ok(d);
        }
        let path = PathBuf::from(&self.dataset);
        if !path.exists() && !self.dataset.contains(['.', '/']) {
            return Err(CliError::Usage(format!(
                "--dataset {}: not a bundled dataset ({}) nor a file",
                self.dataset,
                DATASET_IDS.join(", ")
            )));
        }
        let bytes = read_input(&path)?;
        TabularDataset::from_csv(&bytes).map_err(|e| CliError::refused(&path, e))
    }

    pub fn run(self, out: &mut dyn Write) -> Result<Status, CliError> {
        let settings = self.settings()?;
        let data = self.data()?;
        let mut run = TrainingRun::new(&data, settings.clone())
            .map_err(|e| CliError::Usage(format!("{}: {e}", self.dataset)))?;
        while !run.step() {}
        if let Some(path) = &self.outputs {
            let write_error = |e| CliError::Write {
                path: path.display().to_string(),
                source: e,
            };
            let mut f = std::io::BufWriter::new(std::fs::File::create(path).map_err(write_error)?);
            write_outputs_csv(&run, &mut f).map_err(write_error)?;
            f.flush().map_err(write_error)?;
        }
        let metrics = run
            .attack()
            .map_err(|e| CliError::Usage(format!("the attack on the trained model: {e}")))?;
        let last = run.history().last().cloned();
        let history = run.history();
        let dp = run.dp().map(|dp: &DpAccounting| DpJson {
            sampling_rate: dp.sampling_rate,
            noise_multiplier: dp.noise_multiplier,
            max_grad_norm: dp.max_grad_norm,
            steps: last.as_ref().map_or(0, |r| r.steps),
            delta: dp.delta,
            delta_too_large: dp.delta_too_large,
            epsilon: last.as_ref().and_then(|r| r.epsilon),
        });
        let json = TrainJson {
            dataset: &self.dataset,
            settings: &settings,
            n_members: run.data().members.len(),
            n_held_out: run.data().held_out.len(),
            epochs_trained: history.len(),
            stopped: run.stopped(),
            history,
            train_accuracy: last.as_ref().map_or(f64::NAN, |r| r.train_accuracy),
            held_out_accuracy: last.as_ref().map_or(f64::NAN, |r| r.held_out_accuracy),
            auc: metrics.auc,
            tpr_at_fpr: metrics
                .tpr_at_fpr
                .iter()
                .map(|t| (format!("{}", t.target_fpr), t.tpr))
                .collect(),
            dp,
            unlearning: self.unlearning(&run)?,
        };
        if self.json {
            write_json(out, &json, true)?;
        } else {
            writeln!(
                out,
                "Trained on {} ({} members, {} held out): {} epochs{}",
                self.dataset,
                json.n_members,
                json.n_held_out,
                json.epochs_trained,
                json.stopped
                    .map(|r| r.describe())
                    .filter(|d| !d.is_empty())
                    .map_or_else(String::new, |d| format!("\n  {d}"))
            )?;
            writeln!(
                out,
                "  accuracy: train {:.4}, held-out {:.4}; gap {:.4}",
                json.train_accuracy,
                json.held_out_accuracy,
                last.as_ref().map_or(f64::NAN, |r| r.gap)
            )?;
            writeln!(
                out,
                "  threshold attack on the loss: AUC {:.4}, TPR {:.4} at 1 % FPR",
                json.auc,
                json.tpr_at_fpr.get("0.01").copied().unwrap_or(f64::NAN)
            )?;
            if let Some(dp) = &json.dp {
                writeln!(
                    out,
                    "  DP-SGD: q = {:.5}, sigma = {:.4}, C = {}, {} steps, delta = {:e}: epsilon = {}",
                    dp.sampling_rate,
                    dp.noise_multiplier,
                    dp.max_grad_norm,
                    dp.steps,
                    dp.delta,
                    dp.epsilon.map_or("-".to_string(), |e| format!("{e:.4}"))
                )?;
            }
            if let Some(u) = &json.unlearning {
                writeln!(
                    out,
                    "  unlearning {} members ({} retained):",
                    u.n_forget, u.n_retain
                )?;
                for m in &u.methods {
                    writeln!(
                        out,
                        "    {}: gap after {}, {} AUC after {:.4}: {}",
                        m.method,
                        m.seed_test.as_ref().map_or("-".to_string(), |s| format!(
                            "{:.4}",
                            s.membership_gap_after
                        )),
                        m.mi_test.tested.key(),
                        m.mi_test.auc_after,
                        if m.verified {
                            "verified"
                        } else {
                            "NOT verified"
                        }
                    )?;
                }
            }
        }
        Ok(Status::Ok)
    }
}
