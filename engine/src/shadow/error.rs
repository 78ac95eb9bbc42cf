//! What can stop the shadow attack: settings out of range ([`ShadowConfigError`]), a dataset
//! that cannot be trained on ([`DatasetError`]), and an experiment or a mode-A attack that
//! cannot run ([`ShadowError`]).
//!
//! The messages are shown as they are by the page and by `mia shadow` (after the file's path).
//! Errors travel from the web worker to the page, hence `Serialize`/`Deserialize`.

use serde::{Deserialize, Serialize};

use super::config::{MLP_EPOCHS, MLP_HIDDEN, N_SHADOWS};
use super::experiment::MIN_ROWS;
use super::from_outputs::OutputShape;
use crate::models::fit_error::FitError;

/// A setting of [`ShadowConfig`](super::ShadowConfig) out of its range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum ShadowConfigError {
    #[error("The number of shadow models must be {lo} to {hi}, not {0}.", lo = N_SHADOWS.start(), hi = N_SHADOWS.end())]
    NShadows(usize),
    #[error("The MLP's hidden units must be {lo} to {hi}, not {0}.", lo = MLP_HIDDEN.start(), hi = MLP_HIDDEN.end())]
    MlpHidden(usize),
    #[error("The MLP's training epochs must be {lo} to {hi}, not {0}.", lo = MLP_EPOCHS.start(), hi = MLP_EPOCHS.end())]
    MlpEpochs(usize),
}

/// Why a CSV is not a dataset to train on. Rows are numbered as in the file (the header is
/// row 1); `column` is the header's name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum DatasetError {
    #[error("The dataset file is empty.")]
    Empty,
    /// The CSV reader's own message (`csv::Error` is neither `Clone` nor serialisable).
    #[error("Row 1 (the header) cannot be read: {reason}")]
    Header { reason: String },
    #[error("A dataset needs at least one feature column and a class column.")]
    TooFewColumns,
    #[error("Row {row}: {reason}")]
    UnreadableRow { row: usize, reason: String },
    #[error("Row {row} has {fields} fields but the header has {header}.")]
    FieldCount {
        row: usize,
        fields: usize,
        header: usize,
    },
    #[error("Row {row}, column `{column}`: `{value}` is not a number. Feature columns must be numeric; encode categories as numbers first.")]
    NotANumber {
        row: usize,
        column: String,
        value: String,
    },
    #[error("The dataset has a header but no rows.")]
    NoRows,
    #[error("Every row has class `{class}`; a classifier needs at least two classes.")]
    OneClass { class: String },
}

/// Why an experiment (mode B) or an attack on given outputs (mode A) stopped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum ShadowError {
    #[error(transparent)]
    Config(#[from] ShadowConfigError),
    /// Mode B: too few rows to split four ways.
    #[error("The dataset has {rows} rows; the shadow attack needs at least {MIN_ROWS} to split into target and attacker data.")]
    TooFewRows { rows: usize },
    /// Mode B: the target or a shadow could not be trained.
    #[error("Training failed: {0}.")]
    Training(FitError),
    #[error("The attack model could not be trained: {0}.")]
    AttackTraining(FitError),
    #[error("The attack model could not be cross-validated: {0}.")]
    AttackCrossValidation(FitError),
    /// The attack features are not all of one length (a bug, not an input).
    #[error("inconsistent attack features")]
    InconsistentFeatures,
    /// Mode B: a step ran out of order (a bug, not an input).
    #[error("the target model is missing")]
    MissingTarget,
    #[error("the attack model is missing")]
    MissingAttack,
    #[error("the experiment ended without a report")]
    NoReport,
    /// Mode A: no shadow outputs were given.
    #[error("Add at least one shadow-model output file.")]
    NoShadows,
    /// Mode A: a shadow whose records are all in (or all out) of its training set.
    #[error("Shadow `{name}` has only {} records ({n_in} in, {n_out} out). Each shadow needs records from its training set (member = 1) and held-out records (member = 0).", if *n_in == 0 { "held-out" } else { "training" })]
    OneSided { name: String, n_in: u64, n_out: u64 },
    /// Mode A: a shadow's outputs are not of the target's kind.
    #[error("Shadow `{name}` has {shadow} but the target has {target}: the attack learns from the same outputs it is applied to, so the columns must match.")]
    ShapeMismatch {
        name: String,
        shadow: OutputShape,
        target: OutputShape,
    },
    #[error("Shadow `{name}` has no output columns (prob_*, logit_* or confidence).")]
    ShadowWithoutOutputs { name: String },
    /// Mode A, per-class attack models: the target has a class above every shadow's.
    #[error("The target has class {class}, which no shadow record has: per-class attack models cannot cover it. Add shadow records of every class, or switch off per-class models.")]
    UncoveredClass { class: u32 },
    #[error("The target file has no output columns (prob_*, logit_* or confidence).")]
    TargetWithoutOutputs,
}
