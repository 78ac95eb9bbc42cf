//! `mia shadow`: the shadow-model attack (mode B) on a dataset, with the same engine and seed as
//! the page's shadow view, so the CLI and the page agree figure for figure.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use mia_engine::shadow::{
    ModelKind, ShadowConfig, ShadowConfigError, ShadowExperiment, ShadowReport, TabularDataset,
};
use serde::Serialize;

use super::{opt, read_input, whole, write_json};
use crate::exit::{CliError, Status};

pub const ABOUT: &str = "Run the shadow-model attack on a dataset (Shokri et al. 2017)";

pub const LONG_ABOUT: &str = "\
SHADOW (Shokri et al. 2017): trains a target and N shadow models (1..16, default 4) on the dataset
(numeric features + a class column), trains the attack on the shadows and attacks the target;
prints the same figures as the page's shadow view for the same seed (default 0). A dataset with a
row that is not numbers is refused, naming the row (no row is skipped).";

/// The options of `mia shadow`.
#[derive(Debug, Args)]
pub struct ShadowArgs {
    /// The dataset: numeric feature columns and a class column (`class`, `label`, `target`, …,
    /// else the last column)
    #[arg(value_name = "DATASET.csv")]
    file: PathBuf,
    /// Number of shadow models, 1..16 [default: 4]
    #[arg(long, value_name = "N", value_parser = whole::<usize>)]
    shadows: Option<usize>,
    /// The target's and the shadows' model
    #[arg(long, value_enum, default_value_t = Model::Logreg)]
    model: Model,
    /// Hidden units of the MLP, 1..512 (with --model mlp)
    #[arg(long, value_name = "H", default_value_t = 64, value_parser = whole::<usize>)]
    hidden: usize,
    /// Training epochs of the MLP, 1..2000 (with --model mlp)
    #[arg(long, value_name = "E", default_value_t = 100, value_parser = whole::<usize>)]
    epochs: usize,
    /// One attack model per class
    #[arg(long)]
    per_class: bool,
    /// Seed of the shuffles and the training [default: 0]
    #[arg(long, value_name = "S", value_parser = whole::<u64>)]
    seed: Option<u64>,
    /// Print JSON
    #[arg(long)]
    json: bool,
}

/// The model trained as target and shadows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Model {
    /// L2 logistic regression (C = 1)
    Logreg,
    /// One hidden ReLU layer, trained with Adam
    Mlp,
}

/// `mia shadow --json` (keys in alphabetical order, as before).
#[derive(Serialize)]
struct ShadowJson<'a> {
    attack_oof_accuracy: f64,
    model: &'a str,
    n_high_confidence: usize,
    n_predicted_members: usize,
    n_shadow_records: usize,
    n_shadows: usize,
    n_target_records: usize,
    seed: u64,
    shadow_auc: Option<f64>,
    shadow_tpr_at_fpr: Option<Vec<f64>>,
    target_test_accuracy: Option<f64>,
    target_train_accuracy: Option<f64>,
    threshold_auc: Option<f64>,
}

impl ShadowArgs {
    pub fn run(self, out: &mut dyn Write) -> Result<Status, CliError> {
        let defaults = ShadowConfig::default();
        let mut attack = defaults.attack;
        attack.per_class |= self.per_class;
        let config = ShadowConfig {
            n_shadows: self.shadows.unwrap_or(defaults.n_shadows),
            model: match self.model {
                Model::Logreg => defaults.model,
                Model::Mlp => ModelKind::Mlp {
                    hidden: self.hidden,
                    epochs: self.epochs,
                },
            },
            attack,
            seed: self.seed.unwrap_or(defaults.seed),
        };
        let path = &self.file;
        let bytes = read_input(path)?;
        let data = TabularDataset::from_csv(&bytes).map_err(|e| CliError::refused(path, e))?;
        // The engine's range check (the page's link parser uses it too), naming the option.
        let config = config
            .check()
            .map_err(|e| CliError::refused(path, format!("{}: {e}", option_of(&e))))?;
        let seed = config.seed;
        let report = ShadowExperiment::run(data, config).map_err(|e| CliError::refused(path, e))?;
        if self.json {
            let v = shadow_json(&report, seed);
            write_json(out, &v, true)?;
        } else {
            print_text(out, &path.display().to_string(), &report)?;
        }
        Ok(Status::Ok)
    }
}

/// The option a setting out of the engine's range came from.
fn option_of(e: &ShadowConfigError) -> &'static str {
    match e {
        ShadowConfigError::NShadows(_) => "--shadows",
        ShadowConfigError::MlpHidden(_) => "--hidden",
        ShadowConfigError::MlpEpochs(_) => "--epochs",
        _ => "the settings",
    }
}

fn shadow_json(report: &ShadowReport, seed: u64) -> ShadowJson<'_> {
    ShadowJson {
        attack_oof_accuracy: report.attack_oof_accuracy,
        model: &report.model,
        n_high_confidence: report.n_high_confidence,
        n_predicted_members: report.n_predicted_members,
        n_shadow_records: report.n_shadow_records,
        n_shadows: report.n_shadows,
        n_target_records: report.verdicts.len(),
        seed,
        shadow_auc: report.shadow_attack.as_ref().map(|r| r.auc),
        shadow_tpr_at_fpr: report
            .shadow_attack
            .as_ref()
            .map(|r| r.tpr_at_fpr.iter().map(|t| t.tpr).collect()),
        target_test_accuracy: report.target_test_accuracy,
        target_train_accuracy: report.target_train_accuracy,
        threshold_auc: report.threshold_attack.as_ref().map(|r| r.auc),
    }
}

fn print_text(out: &mut dyn Write, file: &str, report: &ShadowReport) -> std::io::Result<()> {
    writeln!(
        out,
        "Shadow-model attack on {file}: {} shadow models, {}",
        report.n_shadows, report.model
    )?;
    writeln!(
        out,
        "  target accuracy: train {}, test {}",
        opt(report.target_train_accuracy),
        opt(report.target_test_accuracy)
    )?;
    writeln!(
        out,
        "  attack accuracy on held-out shadow records: {:.4}",
        report.attack_oof_accuracy
    )?;
    writeln!(
        out,
        "  shadow attack AUC {}   threshold attack AUC {}",
        opt(report.shadow_attack.as_ref().map(|r| r.auc)),
        opt(report.threshold_attack.as_ref().map(|r| r.auc))
    )?;
    writeln!(
        out,
        "  {} of {} target records predicted members ({} with high confidence)",
        report.n_predicted_members,
        report.verdicts.len(),
        report.n_high_confidence
    )
}
