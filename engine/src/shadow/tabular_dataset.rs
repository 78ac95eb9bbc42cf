//! A tabular dataset for training models in the browser: numeric feature columns and a class
//! column.

use serde::{Deserialize, Serialize};

use super::DatasetError;
use crate::ingest::csv::format::{sniff_delimiter, strip_bom};
use crate::models::Matrix;

/// Rows of features with a class index per row; `class_names[k]` is the file's spelling of class k.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TabularDataset {
    pub feature_names: Vec<String>,
    pub class_names: Vec<String>,
    pub x: Matrix,
    pub y: Vec<usize>,
}

const CLASS_NAMES: [&str; 5] = ["class", "label", "target", "y", "diagnosis"];

impl TabularDataset {
    /// Reads a CSV: the class column is the one named `class`, `label`, `target`, `y` or
    /// `diagnosis` (case-insensitive), else the last column; every other column must be numeric.
    /// Classes are numbered in sorted order of their spellings (numerically when all are numbers).
    pub fn from_csv(bytes: &[u8]) -> Result<TabularDataset, DatasetError> {
        let (body, _) = strip_bom(bytes);
        if body.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(DatasetError::Empty);
        }
        let mut r = csv::ReaderBuilder::new()
            .delimiter(sniff_delimiter(body))
            .flexible(true)
            .from_reader(body);
        let headers: Vec<String> = r
            .headers()
            .map_err(|e| DatasetError::Header {
                reason: e.to_string(),
            })?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        if headers.len() < 2 {
            return Err(DatasetError::TooFewColumns);
        }
        let class_col = headers
            .iter()
            .position(|h| CLASS_NAMES.contains(&h.to_ascii_lowercase().as_str()))
            .unwrap_or(headers.len() - 1);
        let feature_names: Vec<String> = headers
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != class_col)
            .map(|(_, h)| h.clone())
            .collect();
        let mut data = Vec::new();
        let mut labels_raw = Vec::new();
        for (i, rec) in r.records().enumerate() {
            let row = i + 2;
            let rec = rec.map_err(|e| DatasetError::UnreadableRow {
                row,
                reason: e.to_string(),
            })?;
            if rec.len() != headers.len() {
                return Err(DatasetError::FieldCount {
                    row,
                    fields: rec.len(),
                    header: headers.len(),
                });
            }
            for (c, cell) in rec.iter().enumerate() {
                if c == class_col {
                    labels_raw.push(cell.trim().to_string());
                } else {
                    let v = cell
                        .trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite())
                        .ok_or_else(|| DatasetError::NotANumber {
                            row,
                            column: headers[c].clone(),
                            value: cell.trim().to_string(),
                        })?;
                    data.push(v);
                }
            }
        }
        if labels_raw.is_empty() {
            return Err(DatasetError::NoRows);
        }
        let mut class_names: Vec<String> = labels_raw.clone();
        class_names.sort_by(|a, b| match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => x.total_cmp(&y),
            _ => a.cmp(b),
        });
        class_names.dedup();
        if class_names.len() < 2 {
            return Err(DatasetError::OneClass {
                class: class_names[0].clone(),
            });
        }
        let y = labels_raw
            .iter()
            .map(|l| class_names.iter().position(|c| c == l).unwrap_or(0))
            .collect();
        Ok(TabularDataset {
            x: Matrix {
                rows: labels_raw.len(),
                cols: feature_names.len(),
                data,
            },
            feature_names,
            class_names,
            y,
        })
    }

    /// Number of classes.
    pub fn n_classes(&self) -> usize {
        self.class_names.len()
    }
}

impl TabularDataset {
    /// The dataset with Gaussian noise of standard deviation `sd` added once to every feature,
    /// seeded: fixed per-record noise that makes each record unique, so an overfit model
    /// memorises it (the "digits with pixel noise" of the reference attacks and the training lab).
    /// The draws are [portable](crate::models::portable_math): the same data in the browser
    /// and the CLI.
    pub fn with_pixel_noise(mut self, sd: f64, seed: u64) -> TabularDataset {
        use rand::SeedableRng;
        if sd > 0.0 && sd.is_finite() {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            for v in self.x.data.iter_mut() {
                *v += sd * crate::models::portable_math::standard_normal(&mut rng);
            }
        }
        self
    }
}
