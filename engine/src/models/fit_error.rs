//! Why a model could not be trained.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum FitError {
    /// No training rows.
    Empty,
    /// Labels and rows differ in number.
    LengthMismatch { rows: usize, labels: usize },
    /// Training needs at least two classes.
    OneClass { class: usize },
    /// A label is not below the number of classes.
    LabelOutOfRange { label: usize, n_classes: usize },
    /// A feature value is NaN or infinite.
    NonFinite { row: usize, column: usize },
}

impl fmt::Display for FitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "there are no training rows"),
            Self::LengthMismatch { rows, labels } => write!(f, "{rows} rows but {labels} labels"),
            Self::OneClass { class } => write!(
                f,
                "every training row has class {class}; at least two classes are needed"
            ),
            Self::LabelOutOfRange { label, n_classes } => {
                write!(f, "label {label} is not one of the {n_classes} classes")
            }
            Self::NonFinite { row, column } => {
                write!(f, "row {row}, feature {column} is not a finite number")
            }
        }
    }
}

impl std::error::Error for FitError {}

/// Checks the shape and values of a training set; returns the number of classes (max label + 1).
pub fn check_training_set(x: &super::Matrix, y: &[usize]) -> Result<usize, FitError> {
    if x.rows == 0 {
        return Err(FitError::Empty);
    }
    if x.rows != y.len() {
        return Err(FitError::LengthMismatch {
            rows: x.rows,
            labels: y.len(),
        });
    }
    if let Some(i) = x.data.iter().position(|v| !v.is_finite()) {
        return Err(FitError::NonFinite {
            row: i / x.cols.max(1),
            column: i % x.cols.max(1),
        });
    }
    let k = y.iter().copied().max().unwrap_or(0) + 1;
    if y.iter().all(|&c| c == y[0]) {
        return Err(FitError::OneClass { class: y[0] });
    }
    Ok(k)
}
