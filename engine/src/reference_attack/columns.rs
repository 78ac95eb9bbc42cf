//! Which columns of a reference-attack CSV hold what: the target's output, the member flag, and
//! for each reference model j its IN flag `ref_in_j` and its output `ref_phi_j` / `ref_conf_j`
//! (the rules of `conformance/lira/README.md` §1–2). Found by name in any order; the target's
//! columns are found as the audit finds them ([`detect_columns`]).

use serde::{Deserialize, Serialize};

use super::ReferenceInputError;
use crate::detect_columns;

/// How φ is obtained, for the target and every reference alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhiMode {
    /// From logits: every reference has `ref_phi_j`, the target has `phi` or `logit_*`.
    Logit,
    /// From probabilities: φ(p) = ln(p + 1e−45) − ln((1 − p) + 1e−45).
    Prob,
}

impl PhiMode {
    /// The spec's spelling: `logit` or `prob`.
    pub fn name(self) -> &'static str {
        match self {
            PhiMode::Logit => "logit",
            PhiMode::Prob => "prob",
        }
    }
}

/// Where the target's probability of the true label comes from (first available, §2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TargetProbability {
    Confidence(usize),
    /// `prob_{label}`: the per-class columns, indexed by the label.
    ClassProbabilities(Vec<usize>),
    /// softmax(`logit_*`)_label.
    Logits(Vec<usize>),
    /// σ(`phi`).
    Phi(usize),
}

/// Where the target's φ comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TargetPhi {
    /// The `phi` column.
    Column(usize),
    /// z_y − logsumexp_{k≠y} z_k from `logit_*`.
    Logits(Vec<usize>),
    /// φ(p_t) (prob mode).
    FromProbability,
}

/// The roles of a reference-attack CSV's columns, by 0-based column index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceColumns {
    pub id: Option<usize>,
    pub member: usize,
    pub label: Option<usize>,
    pub population: Option<usize>,
    pub target_phi: TargetPhi,
    pub target_probability: TargetProbability,
    /// `ref_in_j`, j = 0..M.
    pub ref_in: Vec<usize>,
    /// `ref_phi_j` where the file has it.
    pub ref_phi: Vec<Option<usize>>,
    /// `ref_conf_j` where the file has it.
    pub ref_conf: Vec<Option<usize>>,
    pub mode: PhiMode,
}

/// The reference index of a header `<prefix><j>` (case-insensitive, trimmed).
fn reference_index(header: &str, prefix: &str) -> Option<usize> {
    let h = header.trim().to_ascii_lowercase();
    let rest = h.strip_prefix(prefix)?;
    (!rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
        .then(|| rest.parse().ok())
        .flatten()
}

/// Every column `<prefix><j>`, by j; a second column for the same j is refused.
fn by_reference(
    headers: &[String],
    prefix: &str,
) -> Result<Vec<(usize, usize)>, ReferenceInputError> {
    let mut found: Vec<(usize, usize)> = headers
        .iter()
        .enumerate()
        .filter_map(|(col, h)| reference_index(h, prefix).map(|j| (j, col)))
        .collect();
    found.sort_unstable();
    if let Some(w) = found.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(ReferenceInputError::DuplicateColumn {
            column: format!("{prefix}{}", w[0].0),
        });
    }
    Ok(found)
}

fn find_named(headers: &[String], name: &str) -> Option<usize> {
    headers
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case(name))
}

impl ReferenceColumns {
    /// Reads the roles from a header.
    ///
    /// # Errors
    /// No member column; no `ref_in_*`; `ref_in_j` not contiguous from 0; a `ref_phi_j` or
    /// `ref_conf_j` without its `ref_in_j`; neither every `ref_phi_j` (logit mode) nor every
    /// `ref_conf_j` (prob mode); no target output; logits or class probabilities without a label.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::reference_attack::columns::{PhiMode, ReferenceColumns};
    /// let h: Vec<String> = ["member", "phi", "ref_in_1", "ref_phi_0", "ref_in_0", "ref_phi_1"]
    ///     .map(String::from).into();
    /// let c = ReferenceColumns::detect(&h).unwrap();
    /// assert_eq!((c.mode, c.ref_in.clone()), (PhiMode::Logit, vec![4, 2]));
    /// let h: Vec<String> = ["member", "phi", "ref_in_0", "ref_in_2", "ref_phi_0", "ref_phi_2"]
    ///     .map(String::from).into();
    /// assert_eq!(
    ///     ReferenceColumns::detect(&h).unwrap_err().to_string(),
    ///     "Column `ref_in_1` is missing: the reference columns must be numbered ref_in_0, ref_in_1, … without gaps (the file has ref_in_0 and ref_in_2)."
    /// );
    /// ```
    pub fn detect(headers: &[String]) -> Result<ReferenceColumns, ReferenceInputError> {
        let target = detect_columns(headers);
        let member = target
            .member
            .ok_or_else(|| ReferenceInputError::NoMemberColumn {
                columns: headers.to_vec(),
            })?;
        let ins = by_reference(headers, "ref_in_")?;
        if ins.is_empty() {
            return Err(ReferenceInputError::NoReferences {
                columns: headers.to_vec(),
            });
        }
        if let Some((expected, _)) = ins.iter().enumerate().find(|(k, (j, _))| k != j) {
            return Err(ReferenceInputError::GapInReferences {
                missing: expected,
                present: ins.iter().map(|(j, _)| *j).collect(),
            });
        }
        let m = ins.len();
        let mut ref_phi = vec![None; m];
        let mut ref_conf = vec![None; m];
        for (prefix, slots) in [("ref_phi_", &mut ref_phi), ("ref_conf_", &mut ref_conf)] {
            for (j, col) in by_reference(headers, prefix)? {
                match slots.get_mut(j) {
                    Some(slot) => *slot = Some(col),
                    None => {
                        return Err(ReferenceInputError::OutputWithoutFlag {
                            column: headers[col].trim().to_string(),
                            flag: format!("ref_in_{j}"),
                            m,
                        })
                    }
                }
            }
        }
        let phi = find_named(headers, "phi");
        let has_logits = !target.logits.is_empty();
        let has_probs = !target.probs.is_empty();
        let mode = if ref_phi.iter().all(Option::is_some) && (phi.is_some() || has_logits) {
            PhiMode::Logit
        } else {
            let missing: Vec<String> = (0..m)
                .filter(|&j| ref_conf[j].is_none())
                .map(|j| format!("ref_conf_{j}"))
                .collect();
            if !missing.is_empty() {
                return Err(ReferenceInputError::NoReferenceOutputs {
                    missing_phi: (0..m)
                        .filter(|&j| ref_phi[j].is_none())
                        .map(|j| format!("ref_phi_{j}"))
                        .collect(),
                    missing_conf: missing,
                    target_has_phi: phi.is_some() || has_logits,
                });
            }
            PhiMode::Prob
        };
        let target_probability = if let Some(c) = target.confidence {
            TargetProbability::Confidence(c)
        } else if has_probs {
            TargetProbability::ClassProbabilities(target.probs.clone())
        } else if has_logits {
            TargetProbability::Logits(target.logits.clone())
        } else if let Some(c) = phi {
            TargetProbability::Phi(c)
        } else {
            return Err(ReferenceInputError::NoTargetOutput {
                columns: headers.to_vec(),
            });
        };
        let target_phi = match (mode, phi) {
            (PhiMode::Logit, Some(c)) => TargetPhi::Column(c),
            (PhiMode::Logit, None) => TargetPhi::Logits(target.logits.clone()),
            (PhiMode::Prob, _) => TargetPhi::FromProbability,
        };
        let needs_label = matches!(target_phi, TargetPhi::Logits(_))
            || matches!(
                target_probability,
                TargetProbability::ClassProbabilities(_) | TargetProbability::Logits(_)
            );
        if needs_label && target.label.is_none() {
            return Err(ReferenceInputError::NoLabel);
        }
        Ok(ReferenceColumns {
            id: target.id,
            member,
            label: target.label.filter(|_| needs_label),
            population: find_named(headers, "population"),
            target_phi,
            target_probability,
            ref_in: ins.into_iter().map(|(_, c)| c).collect(),
            ref_phi,
            ref_conf,
            mode,
        })
    }

    /// The number of reference models M.
    pub fn n_references(&self) -> usize {
        self.ref_in.len()
    }

    /// The number of classes of the target's per-class columns (0 without them).
    pub fn n_classes(&self) -> usize {
        match (&self.target_probability, &self.target_phi) {
            (TargetProbability::ClassProbabilities(c) | TargetProbability::Logits(c), _) => c.len(),
            (_, TargetPhi::Logits(c)) => c.len(),
            _ => 0,
        }
    }
}
