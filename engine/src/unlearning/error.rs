//! Why outputs cannot be verified: each message names the set, the column, the row or the id.

use serde::{Deserialize, Serialize};

use crate::ingest::error::IngestError;
use crate::MetricError;

/// What is wrong with an unlearning-verification input.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[non_exhaustive]
pub enum UnlearningError {
    #[error("{file}: the file is empty.")]
    Empty { file: String },
    #[error("{file}, row {row}: {message}")]
    Csv {
        file: String,
        row: u64,
        message: String,
    },
    #[error("{file}: there is no `set` column. Add one with forget, retain or held_out for every record.")]
    NoSetColumn { file: String },
    #[error("{file}, row {row}: set `{value}` is not forget, retain or held_out.")]
    UnknownSet {
        file: String,
        row: u64,
        value: String,
    },
    #[error("The {set} set has {count} records; verification needs at least {min}.")]
    SmallSet {
        set: String,
        count: usize,
        min: usize,
    },
    #[error("{file}: there are no outputs after unlearning. Add the after-model's columns with an `after_` prefix (after_confidence, after_prob_0, …, or after_logit_0, …), or give the after-model's outputs as a second file.")]
    NoAfterColumns { file: String },
    #[error("`{column}` has no `after_{column}` column: give the after-model's outputs for every output column.")]
    MissingAfterColumn { column: String },
    #[error("The before file has prob_/logit_ columns for {before} classes and the after file for {after}: both models must output the same classes.")]
    ClassMismatch { before: usize, after: usize },
    #[error("{file}: two files are joined on `id`, and this file has no `id` column.")]
    NoIdColumn { file: String },
    #[error("{file}, row {row}: id `{id}` appears twice; ids must be unique to join the files.")]
    DuplicateId { file: String, row: u64, id: String },
    #[error("id `{id}` ({file}, row {row}) is not in {other}: every record needs its outputs before and after.")]
    IdNotJoined {
        file: String,
        row: u64,
        id: String,
        other: String,
    },
    #[error("The outputs {which} unlearning cannot be read: {error}")]
    Ingest { which: String, error: IngestError },
    #[error("The attack {which} unlearning could not be computed: {error}")]
    Metric { which: String, error: MetricError },
}
