//! Canary exposure (Carlini, Liu, Erlingsson, Kos & Song 2019, "The Secret Sharer: evaluating and
//! testing unintended memorization in neural networks"), from a file `canary_id, log_perplexity,
//! is_canary` with one row per candidate: in each `canary_id` group one row (`is_canary` 1) is the
//! secret inserted into the training data, the others (`is_canary` 0) are candidate secrets of the
//! same format the model never saw (the reference). Lower log-perplexity: the model finds the
//! candidate likelier.
//!
//! - **Rank exposure**, the paper's: exposure = log₂(candidates) − log₂(rank), candidates counting
//!   the canary, rank 1 the lowest log-perplexity. It runs from 0 (the canary is the least likely
//!   candidate) to log₂(candidates) (the likeliest).
//! - **Ties** follow TF Privacy's `exposures.py` (`compute_exposure_interpolation`): it sorts
//!   (perplexity, set) pairs with the references tagged −1, so a reference tied with the canary
//!   sorts before it, and the rank is 1 + the number of references whose log-perplexity is ≤ the
//!   canary's. (Its first version ranked by `np.argsort`, whose default sort leaves ties in no
//!   fixed order.) A tie counts against the canary: a model that cannot tell the secret from a
//!   candidate has not exposed it over that candidate.
//! - **The difference from TF Privacy**: `exposures.py` takes log₂ of the number of references,
//!   not of all candidates, so its exposure is this one minus log₂(candidates/(candidates − 1)),
//!   and is negative (−log₂(1 + 1/n)) for a canary above every reference. Here it is the paper's
//!   and the spec's log₂(candidates); the rank is the same.
//! - **Extrapolated exposure**, TF Privacy's `compute_exposure_extrapolation`: a skew-normal is
//!   fitted by maximum likelihood to the references' log-perplexities (`scipy.stats.skewnorm.fit`)
//!   and the exposure is −log₂ of its CDF at the canary's. It goes beyond log₂(candidates) when
//!   the canary lies past every reference, where the rank exposure stops; [`super::skew_normal`]
//!   computes the log-CDF directly, so an exposure of 100 bits or 3,000 is as accurate as one of 5
//!   (scipy's CDF underflows to 0 below 1e-308, an infinite exposure). It is not given for fewer
//!   than 3 references, equal references, or references whose likelihood has no maximum (it
//!   rises higher towards a half-normal than at any finite shape, as it usually does for 20
//!   references or fewer, where scipy's fit returns a lower local maximum or a huge shape): the
//!   reason is given instead, and the rank exposure still is.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::csv_file::{CsvFile, CsvProblem};
use super::skew_normal::{FitError, SkewNormal, SkewNormalFit};

/// Why a canary file cannot be audited; each names the file, and the row and column where it can.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[non_exhaustive]
pub enum CanaryError {
    #[error("{file}: no `{column}` column. A canary file needs canary_id, log_perplexity and is_canary (one row per candidate); its header has {found}.")]
    MissingColumn {
        file: String,
        column: String,
        found: String,
    },
    #[error("{file}, row {row}: {message}")]
    Csv {
        file: String,
        row: u64,
        message: String,
    },
    #[error("{file}, row {row}, column `{column}`: `{value}` is not {expected}.")]
    BadValue {
        file: String,
        row: u64,
        column: String,
        value: String,
        expected: String,
    },
    #[error("{file}: canary `{canary_id}` (first in row {row}) has no row with is_canary 1; mark the inserted secret's row 1 and its reference candidates 0.")]
    NoCanary {
        file: String,
        canary_id: String,
        row: u64,
    },
    #[error("{file}: canary `{canary_id}` has is_canary 1 in rows {row_a} and {row_b}; a group holds one inserted secret, so give each secret its own canary_id.")]
    TwoCanaries {
        file: String,
        canary_id: String,
        row_a: u64,
        row_b: u64,
    },
    #[error("{file}: canary `{canary_id}` (row {row}) has no reference candidates; add rows with is_canary 0 for candidate secrets the model never saw, which its rank is measured among.")]
    NoReferences {
        file: String,
        canary_id: String,
        row: u64,
    },
    #[error("{file}: no candidates after the header.")]
    NoRows { file: String },
}

/// One row of a canary file: a candidate secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CanaryRow {
    /// The file's row (the header is row 1).
    pub row: u64,
    pub canary_id: String,
    pub log_perplexity: f64,
    /// The inserted secret (1), or a reference candidate the model never saw (0).
    pub is_canary: bool,
}

/// Why a canary has no extrapolated exposure.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[non_exhaustive]
pub enum NoExtrapolation {
    #[error("no skew-normal fit: {0}")]
    NoFit(#[from] FitError),
    #[error("the canary lies beyond the fitted skew-normal's numerical range")]
    OutOfRange,
}

/// The exposure of one canary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CanaryExposure {
    pub canary_id: String,
    /// The canary's row.
    pub row: u64,
    /// The canary's log-perplexity.
    pub log_perplexity: f64,
    /// Candidates in the group, the canary included.
    pub candidates: usize,
    /// 1 + the references with log-perplexity ≤ the canary's.
    pub rank: usize,
    /// log₂(candidates) − log₂(rank).
    pub exposure: f64,
    /// log₂(candidates), the largest rank exposure the group can show.
    pub max_exposure: f64,
    /// −log₂ F(canary), F the skew-normal fitted to the references.
    pub extrapolated_exposure: Option<f64>,
    pub skew_normal: Option<SkewNormalFit>,
    /// Why `extrapolated_exposure` is `None`.
    pub no_extrapolation: Option<NoExtrapolation>,
}

/// The exposures of a file's canaries, in the order the file first names them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CanaryAudit {
    pub canaries: Vec<CanaryExposure>,
    /// The mean rank exposure.
    pub mean_exposure: f64,
    /// The highest rank exposure and its canary.
    pub highest_exposure: f64,
    pub highest_exposure_canary: String,
    /// The mean and highest extrapolated exposure, over the canaries that have one.
    pub mean_extrapolated_exposure: Option<f64>,
    pub highest_extrapolated_exposure: Option<f64>,
}

/// Reads the candidates of `bytes` (file `name`) and checks that each group has one canary and at
/// least one reference.
pub fn read_canaries(name: &str, bytes: &[u8]) -> Result<Vec<CanaryRow>, CanaryError> {
    let csv_error = |(row, message): CsvProblem| CanaryError::Csv {
        file: name.to_string(),
        row,
        message,
    };
    let mut file = CsvFile::open(bytes).map_err(csv_error)?;
    let need = |c: &str| {
        file.column(c).ok_or_else(|| CanaryError::MissingColumn {
            file: name.to_string(),
            column: c.to_string(),
            found: file.header_list(),
        })
    };
    let (id_col, lp_col, flag_col) = (
        need("canary_id")?,
        need("log_perplexity")?,
        need("is_canary")?,
    );
    let mut rows = Vec::new();
    for record in file.records() {
        let (row, record) = record.map_err(csv_error)?;
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let bad = |column: &str, value: &str, expected: &str| CanaryError::BadValue {
            file: name.to_string(),
            row,
            column: column.to_string(),
            value: value.to_string(),
            expected: expected.to_string(),
        };
        let canary_id = field(id_col);
        if canary_id.is_empty() {
            return Err(bad(
                "canary_id",
                "",
                "a canary id (each candidate names the canary it is a candidate for)",
            ));
        }
        let text = field(lp_col);
        let log_perplexity = match text.parse::<f64>() {
            Ok(v) if v.is_finite() => v,
            Ok(_) => return Err(bad("log_perplexity", text, "a finite number: NaN and infinity cannot be ranked, so give the candidate's log-perplexity under the model")),
            Err(_) => return Err(bad("log_perplexity", text, "a number (the candidate's log-perplexity under the model)")),
        };
        let is_canary = match field(flag_col).to_ascii_lowercase().as_str() {
            "1" | "true" => true,
            "0" | "false" => false,
            _ => {
                return Err(bad(
                    "is_canary",
                    field(flag_col),
                    "1 or 0 (1 for the inserted secret, 0 for a reference candidate)",
                ))
            }
        };
        rows.push(CanaryRow {
            row,
            canary_id: canary_id.to_string(),
            log_perplexity,
            is_canary,
        });
    }
    groups(name, &rows)?;
    Ok(rows)
}

/// A canary and its references' log-perplexities.
/// One canary and the log-perplexities of its reference candidates.
pub struct Group<'a> {
    canary: &'a CanaryRow,
    references: Vec<f64>,
}

/// The rows by `canary_id`, in the order of first appearance, each with its one canary.
pub fn groups<'a>(name: &str, rows: &'a [CanaryRow]) -> Result<Vec<Group<'a>>, CanaryError> {
    if rows.is_empty() {
        return Err(CanaryError::NoRows {
            file: name.to_string(),
        });
    }
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut members: Vec<Vec<&CanaryRow>> = Vec::new();
    for r in rows {
        let i = *index.entry(r.canary_id.as_str()).or_insert_with(|| {
            members.push(Vec::new());
            members.len() - 1
        });
        members[i].push(r);
    }
    let mut out = Vec::with_capacity(members.len());
    for group in members {
        let first = group[0];
        let mut canaries = group.iter().filter(|r| r.is_canary);
        let canary = match (canaries.next(), canaries.next()) {
            (Some(c), None) => *c,
            (Some(a), Some(b)) => {
                return Err(CanaryError::TwoCanaries {
                    file: name.to_string(),
                    canary_id: first.canary_id.clone(),
                    row_a: a.row,
                    row_b: b.row,
                })
            }
            (None, _) => {
                return Err(CanaryError::NoCanary {
                    file: name.to_string(),
                    canary_id: first.canary_id.clone(),
                    row: first.row,
                })
            }
        };
        let references: Vec<f64> = group
            .iter()
            .filter(|r| !r.is_canary)
            .map(|r| r.log_perplexity)
            .collect();
        if references.is_empty() {
            return Err(CanaryError::NoReferences {
                file: name.to_string(),
                canary_id: canary.canary_id.clone(),
                row: canary.row,
            });
        }
        out.push(Group { canary, references });
    }
    Ok(out)
}

/// The rank of a canary of log-perplexity `canary` among `references`: 1 + those ≤ it (TF
/// Privacy's tie rule, a tied reference ranks before the canary).
pub fn rank(canary: f64, references: &[f64]) -> usize {
    1 + references.iter().filter(|&&r| r <= canary).count()
}

/// log₂(candidates) − log₂(rank).
pub fn rank_exposure(candidates: usize, rank: usize) -> f64 {
    libm::log2(candidates as f64) - libm::log2(rank as f64)
}

/// −log₂ F(x), F the skew-normal `fit`; `None` when x is beyond its numerical range.
pub fn extrapolated_exposure(fit: &SkewNormal, x: f64) -> Option<f64> {
    let e = -fit.log_cdf(x) / std::f64::consts::LN_2;
    e.is_finite().then_some(e.max(0.0))
}

/// The exposures of `rows` (from [`read_canaries`]; file `name` for the errors, which are its).
pub fn exposures(name: &str, rows: &[CanaryRow]) -> Result<CanaryAudit, CanaryError> {
    Ok(audit_of(groups(name, rows)?.iter().map(exposure).collect()))
}

/// The exposure of one canary among its references: its rank, and the extrapolation from the
/// skew-normal fitted to them.
pub fn exposure(g: &Group<'_>) -> CanaryExposure {
    let candidates = g.references.len() + 1;
    let rank = rank(g.canary.log_perplexity, &g.references);
    let (skew_normal, extrapolated, no_extrapolation) = match SkewNormal::fit(&g.references) {
        Ok(fit) => match extrapolated_exposure(&fit.distribution, g.canary.log_perplexity) {
            Some(e) => (Some(fit), Some(e), None),
            None => (Some(fit), None, Some(NoExtrapolation::OutOfRange)),
        },
        Err(e) => (None, None, Some(NoExtrapolation::NoFit(e))),
    };
    CanaryExposure {
        canary_id: g.canary.canary_id.clone(),
        row: g.canary.row,
        log_perplexity: g.canary.log_perplexity,
        candidates,
        rank,
        exposure: rank_exposure(candidates, rank),
        max_exposure: libm::log2(candidates as f64),
        extrapolated_exposure: extrapolated,
        skew_normal,
        no_extrapolation,
    }
}

/// The audit of the exposures of a file's canaries, in its order: the mean and highest.
pub fn audit_of(canaries: Vec<CanaryExposure>) -> CanaryAudit {
    let n = canaries.len() as f64;
    let highest = canaries
        .iter()
        .reduce(|best, c| if c.exposure > best.exposure { c } else { best });
    let extrapolated: Vec<f64> = canaries
        .iter()
        .filter_map(|c| c.extrapolated_exposure)
        .collect();
    CanaryAudit {
        mean_exposure: canaries.iter().map(|c| c.exposure).sum::<f64>() / n,
        highest_exposure: highest.map_or(0.0, |c| c.exposure),
        highest_exposure_canary: highest.map_or(String::new(), |c| c.canary_id.clone()),
        mean_extrapolated_exposure: (!extrapolated.is_empty())
            .then(|| extrapolated.iter().sum::<f64>() / extrapolated.len() as f64),
        highest_extrapolated_exposure: extrapolated.iter().copied().reduce(f64::max),
        canaries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audit(text: &str) -> CanaryAudit {
        exposures("t.csv", &read_canaries("t.csv", text.as_bytes()).unwrap()).unwrap()
    }

    #[test]
    fn ranks_are_tf_privacy_s_and_ties_count_against_the_canary() {
        // TF Privacy's own test: references 1‥16, secrets at 0, 20 and 3.5 rank 1, 17 and 4.
        let references: Vec<f64> = (1..=16).map(f64::from).collect();
        assert_eq!(rank(0.0, &references), 1);
        assert_eq!(rank(20.0, &references), 17);
        assert_eq!(rank(3.5, &references), 4);
        // A tied reference sorts before the canary.
        assert_eq!(rank(3.0, &references), 4);
        assert_eq!(rank_exposure(17, 1), 17f64.log2());
        assert_eq!(rank_exposure(17, 17), 0.0);
        assert_eq!(rank_exposure(17, 4), 17f64.log2() - 2.0);
    }

    #[test]
    fn a_small_file_is_audited_and_a_missing_fit_says_why() {
        let a = audit("canary_id,log_perplexity,is_canary\nx,5,0\ny,2,1\nx,1,1\nx,3,0\ny,4,0\n");
        let ids: Vec<&str> = a.canaries.iter().map(|c| c.canary_id.as_str()).collect();
        assert_eq!(ids, ["x", "y"]);
        let x = &a.canaries[0];
        assert_eq!(
            (x.row, x.candidates, x.rank, x.exposure),
            (4, 3, 1, 3f64.log2())
        );
        assert_eq!(x.extrapolated_exposure, None);
        let why = x.no_extrapolation.as_ref().unwrap().to_string();
        assert_eq!(why, "no skew-normal fit: 2 reference values; a skew-normal fit (location, scale, shape) needs at least 3");
        assert_eq!(
            (a.highest_exposure, a.highest_exposure_canary.as_str()),
            (3f64.log2(), "x")
        );
        assert_eq!(a.mean_exposure, (3f64.log2() + 1.0) / 2.0);
        assert_eq!(a.mean_extrapolated_exposure, None);
    }
}
