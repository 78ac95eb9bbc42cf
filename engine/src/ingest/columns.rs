//! Which CSV column plays which role in the audit, detected from header names and overridable by
//! the user.

use serde::{Deserialize, Serialize};

use crate::IngestError;

/// The role of each column, by 0-based column index. `probs[k]` / `logits[k]` hold class `k`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    pub member: Option<usize>,
    pub id: Option<usize>,
    pub label: Option<usize>,
    pub confidence: Option<usize>,
    pub loss: Option<usize>,
    pub probs: Vec<usize>,
    pub logits: Vec<usize>,
    /// Which shadow model a row belongs to, in shadow-output files with several shadows.
    #[serde(default)]
    pub shadow: Option<usize>,
}

const MEMBER_NAMES: [&str; 5] = ["member", "is_member", "membership", "in_train", "is_train"];
const ID_NAMES: [&str; 4] = ["id", "record_id", "row_id", "index"];
const LABEL_NAMES: [&str; 5] = ["label", "true_label", "y", "target", "class"];
const CONFIDENCE_NAMES: [&str; 4] = ["confidence", "conf", "true_prob", "p_true"];
const LOSS_NAMES: [&str; 4] = ["loss", "ce_loss", "nll", "cross_entropy"];
const SHADOW_NAMES: [&str; 3] = ["shadow", "shadow_id", "shadow_model"];
const PROB_PREFIXES: [&str; 3] = ["prob_", "proba_", "p_"];
const LOGIT_PREFIXES: [&str; 2] = ["logit_", "logits_"];

fn normalise(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace([' ', '-'], "_")
}

fn find(headers: &[String], names: &[&str]) -> Option<usize> {
    // Earlier names in the list win over later ones, whatever the column order.
    names
        .iter()
        .find_map(|n| headers.iter().position(|h| normalise(h) == *n))
}

/// Columns `<prefix><k>` for k = 0, 1, 2, … as long as they are contiguous from 0.
fn find_class_columns(headers: &[String], prefixes: &[&str]) -> Vec<usize> {
    for prefix in prefixes {
        let mut by_class: Vec<(usize, usize)> = headers
            .iter()
            .enumerate()
            .filter_map(|(col, h)| {
                let n = normalise(h);
                let k = n.strip_prefix(prefix)?.parse::<usize>().ok()?;
                Some((k, col))
            })
            .collect();
        if by_class.is_empty() {
            continue;
        }
        by_class.sort_unstable();
        return by_class
            .iter()
            .enumerate()
            .take_while(|(i, (k, _))| i == k)
            .map(|(_, (_, col))| *col)
            .collect();
    }
    Vec::new()
}

/// Detects column roles from header names, case-insensitively (`Member`, `MEMBER` and ` member `
/// all match). Per-class columns are `prob_0..prob_{K-1}` and `logit_0..logit_{K-1}`.
///
/// # Examples
/// ```
/// use mia_engine::detect_columns;
/// let h: Vec<String> = ["ID", "Member", "label", "prob_0", "prob_1", "Loss"].map(String::from).into();
/// let m = detect_columns(&h);
/// assert_eq!((m.id, m.member, m.label, m.loss), (Some(0), Some(1), Some(2), Some(5)));
/// assert_eq!(m.probs, vec![3, 4]);
/// ```
pub fn detect_columns(headers: &[String]) -> ColumnMapping {
    ColumnMapping {
        member: find(headers, &MEMBER_NAMES),
        id: find(headers, &ID_NAMES),
        label: find(headers, &LABEL_NAMES),
        confidence: find(headers, &CONFIDENCE_NAMES),
        loss: find(headers, &LOSS_NAMES),
        probs: find_class_columns(headers, &PROB_PREFIXES),
        logits: find_class_columns(headers, &LOGIT_PREFIXES),
        shadow: find(headers, &SHADOW_NAMES),
    }
}

impl ColumnMapping {
    /// Number of classes implied by the per-class columns (0 when there are none).
    pub fn n_classes(&self) -> usize {
        self.probs.len().max(self.logits.len())
    }

    /// Checks the mapping against a header of `n_columns` columns.
    pub fn validate(&self, headers: &[String]) -> Result<(), IngestError> {
        let n_columns = headers.len();
        if !self.probs.is_empty()
            && !self.logits.is_empty()
            && self.probs.len() != self.logits.len()
        {
            return Err(IngestError::BadMapping {
                message: format!(
                    "there are {} prob_* columns but {} logit_* columns; per-class columns come one per class, \
                     so remove the extra ones or map them in the column panel.",
                    self.probs.len(),
                    self.logits.len()
                ),
                columns: headers.to_vec(),
            });
        }
        let singles = [
            ("member", self.member),
            ("id", self.id),
            ("label", self.label),
            ("confidence", self.confidence),
            ("loss", self.loss),
            ("shadow", self.shadow),
        ];
        let all = singles
            .iter()
            .filter_map(|(role, c)| c.map(|c| (role.to_string(), c)))
            .chain(
                self.probs
                    .iter()
                    .enumerate()
                    .map(|(k, &c)| (format!("prob_{k}"), c)),
            )
            .chain(
                self.logits
                    .iter()
                    .enumerate()
                    .map(|(k, &c)| (format!("logit_{k}"), c)),
            );
        let mut used: Vec<Option<String>> = vec![None; n_columns];
        for (role, c) in all {
            let Some(slot) = used.get_mut(c) else {
                return Err(IngestError::BadMapping {
                    message: format!(
                        "the {role} role points at column {} but the file has {n_columns} columns.",
                        c + 1
                    ),
                    columns: headers.to_vec(),
                });
            };
            if let Some(prev) = slot {
                return Err(IngestError::BadMapping {
                    message: format!(
                        "column `{}` is mapped both as {prev} and as {role}; pick one role per column.",
                        headers[c]
                    ),
                    columns: headers.to_vec(),
                });
            }
            *slot = Some(role);
        }
        if !self.probs.is_empty()
            && !self.logits.is_empty()
            && self.probs.len() != self.logits.len()
        {
            return Err(IngestError::BadMapping {
                message: format!(
                    "{} probability columns but {} logit columns; both must cover the same classes.",
                    self.probs.len(),
                    self.logits.len()
                ),
                columns: headers.to_vec(),
            });
        }
        Ok(())
    }
}
