//! What can stop a reference-model attack: a file whose columns do not describe one
//! ([`ReferenceInputError`]) and settings out of range ([`ReferenceSettingsError`]). Problems in
//! single rows are not errors: those rows are skipped and listed, as in the audit.
//!
//! The messages are shown as they are by the page and by `mia lira` (after the file's path).

use serde::{Deserialize, Serialize};

use super::settings::{GAMMA_MAX, GAMMA_MIN};
use crate::{IngestError, RowProblem};

/// Shortens a header for a message: the first 12 columns.
fn preview(columns: &[String]) -> String {
    let shown: Vec<&str> = columns.iter().take(12).map(|c| c.as_str()).collect();
    let more = columns.len().saturating_sub(12);
    if more > 0 {
        format!("{}, … ({more} more)", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

fn list(names: &[String]) -> String {
    names.join(", ")
}

fn numbers(js: &[usize]) -> String {
    let s: Vec<String> = js.iter().take(8).map(|j| format!("ref_in_{j}")).collect();
    match s.len() {
        0 => String::new(),
        1 => s[0].clone(),
        n => format!("{} and {}", s[..n - 1].join(", "), s[n - 1]),
    }
}

/// Why a file cannot be read as a reference-attack input at all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum ReferenceInputError {
    /// The bytes cannot be read as a CSV (empty, too large, broken quoting, header not UTF-8).
    #[error("{0}")]
    Csv(IngestError),
    #[error("No `member` column: it says whether each record was in the target model's training set (1/0). The file has: {cols}.", cols = preview(columns))]
    NoMemberColumn { columns: Vec<String> },
    #[error("No `ref_in_0` column: a reference attack needs, for each reference model j, a column `ref_in_j` (1 = the record was in reference j's training set) and its output `ref_phi_j` or `ref_conf_j`. The file has: {cols}. Without reference models, use the audit view.", cols = preview(columns))]
    NoReferences { columns: Vec<String> },
    #[error("Column `ref_in_{missing}` is missing: the reference columns must be numbered ref_in_0, ref_in_1, … without gaps (the file has {have}).", have = numbers(present))]
    GapInReferences { missing: usize, present: Vec<usize> },
    #[error("The file has two `{column}` columns; keep one.")]
    DuplicateColumn { column: String },
    #[error("Column `{column}` has no `{flag}`: the file's IN flags are ref_in_0 … ref_in_{last}, so this reference's training set is unknown. Add `{flag}` or remove `{column}`.", last = m - 1)]
    OutputWithoutFlag {
        column: String,
        flag: String,
        m: usize,
    },
    #[error("{}", no_outputs(missing_phi, missing_conf, *target_has_phi))]
    NoReferenceOutputs {
        missing_phi: Vec<String>,
        missing_conf: Vec<String>,
        target_has_phi: bool,
    },
    #[error("No output of the target model: add `phi`, `logit_*` (with `label`), `confidence` or `prob_*` (with `label`). The file has: {cols}.", cols = preview(columns))]
    NoTargetOutput { columns: Vec<String> },
    #[error("The target's `logit_*` or `prob_*` columns need a `label` column (the true class index of each record) to pick the true class.")]
    NoLabel,
    #[error("The file has a header but no data rows. Add one row per record.")]
    HeaderOnly,
    #[error("None of the {n_rows} rows could be used; the first problems: {}.", first_problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "))]
    NoValidRows {
        n_rows: u64,
        first_problems: Vec<RowProblem>,
    },
    #[error("After the rows with problems were skipped, {n_members} members and {n_nonmembers} non-members remain; the attacks need both (the `member` column says which records trained the target).")]
    OneClass { n_members: u64, n_nonmembers: u64 },
}

fn no_outputs(missing_phi: &[String], missing_conf: &[String], target_has_phi: bool) -> String {
    let logit = if target_has_phi {
        format!(
            "logit mode needs every `ref_phi_j`, but {} missing",
            are(missing_phi)
        )
    } else {
        "logit mode needs the target's `phi` or `logit_*` columns, and the file has neither"
            .to_string()
    };
    format!(
        "The reference models' outputs are incomplete: {logit}; prob mode needs every `ref_conf_j`, but {} missing. Add the missing columns (see the README: how to produce the CSV).",
        are(missing_conf)
    )
}

fn are(names: &[String]) -> String {
    match names.len() {
        1 => format!("{} is", names[0]),
        n if n <= 6 => format!("{} are", list(names)),
        n => format!("{}, … ({n} in all) are", list(&names[..6])),
    }
}

impl From<IngestError> for ReferenceInputError {
    fn from(e: IngestError) -> Self {
        ReferenceInputError::Csv(e)
    }
}

/// A setting of [`ReferenceSettings`](super::ReferenceSettings) out of its range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum ReferenceSettingsError {
    #[error("RMIA's γ must be a number from {GAMMA_MIN} to {GAMMA_MAX}, not {0}.")]
    Gamma(f64),
    #[error("RMIA's offline a must be a number from 0 to 1, not {0}.")]
    OfflineA(f64),
}
