//! An empirical lower bound on ε from a membership attack on labelled records (Jagielski, Ullman &
//! Oprea 2020, "Auditing Differentially Private Machine Learning"; Nasr et al. 2021, "Adversary
//! Instantiation"). A threshold attack with false-positive rate FPR and false-negative rate FNR
//! against an (ε, δ)-DP model must satisfy `FPR·e^ε + FNR ≥ 1 − δ` and `FNR·e^ε + FPR ≥ 1 − δ`;
//! with one-sided Clopper-Pearson upper bounds on both rates the resulting ε holds with the chosen
//! confidence.
//!
//! The threshold must not be picked on the records the bound is computed on: [`split_half_audit`]
//! picks it on one half (stratified, seeded) and computes the bound on the other.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::attack::ranking::RankedRecords;
use crate::attack::roc::roc_from_descending;
use crate::confidence::clopper_pearson_upper;
use crate::table::member_flags::Membership;

/// Counts of a threshold attack: true positives of `n_members`, false positives of
/// `n_nonmembers`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdCounts {
    pub tp: u64,
    pub fp: u64,
    pub n_members: u64,
    pub n_nonmembers: u64,
}

/// The bound and the figures behind it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EpsilonLowerBound {
    /// ε that the model's DP claim must at least have (0 when the attack shows nothing).
    pub epsilon: f64,
    pub fpr_upper: f64,
    pub fnr_upper: f64,
    /// The same formula on the raw rates (no interval): not a valid bound, shown for scale.
    pub point_epsilon: f64,
    pub delta: f64,
    pub confidence: f64,
}

/// `ln(num/den)`, ignored (None) when `num ≤ 0`, infinite when `den = 0`.
fn log_ratio(num: f64, den: f64) -> Option<f64> {
    if num <= 0.0 {
        None
    } else if den <= 0.0 {
        Some(f64::INFINITY)
    } else {
        Some((num / den).ln())
    }
}

/// The lower bound on ε from `counts` at `delta`, holding with probability `confidence`:
/// `max(0, ln((1 − δ − FNR⁺)/FPR⁺), ln((1 − δ − FPR⁺)/FNR⁺))` with one-sided Clopper-Pearson
/// upper bounds FPR⁺, FNR⁺.
///
/// # Examples
/// ```
/// use mia_engine::dp::{epsilon_lower_bound, ThresholdCounts};
/// let c = ThresholdCounts { tp: 900, fp: 100, n_members: 1000, n_nonmembers: 1000 };
/// let b = epsilon_lower_bound(&c, 1e-5, 0.95);
/// assert!((b.epsilon - 2.0212219085651575).abs() < 1e-9); // scipy beta.ppf
/// ```
pub fn epsilon_lower_bound(
    counts: &ThresholdCounts,
    delta: f64,
    confidence: f64,
) -> EpsilonLowerBound {
    let fn_ = counts.n_members.saturating_sub(counts.tp);
    let fpr_upper = clopper_pearson_upper(counts.fp, counts.n_nonmembers, confidence);
    let fnr_upper = clopper_pearson_upper(fn_, counts.n_members, confidence);
    let bound = |fpr: f64, fnr: f64| {
        [
            log_ratio(1.0 - delta - fnr, fpr),
            log_ratio(1.0 - delta - fpr, fnr),
        ]
        .into_iter()
        .flatten()
        .fold(0.0, f64::max)
    };
    let rate = |k: u64, n: u64| if n == 0 { 0.0 } else { k as f64 / n as f64 };
    EpsilonLowerBound {
        epsilon: bound(fpr_upper, fnr_upper),
        fpr_upper,
        fnr_upper,
        point_epsilon: bound(
            rate(counts.fp, counts.n_nonmembers),
            rate(fn_, counts.n_members),
        ),
        delta,
        confidence,
    }
}

/// The split-half audit: where the threshold was chosen and what the other half shows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EpsilonAudit {
    /// Predict "member" when score ≥ threshold.
    pub threshold: f64,
    /// The half the bound is computed on (never used to choose the threshold).
    pub evaluation: ThresholdCounts,
    pub seed: u64,
}

/// Candidate thresholds tried on the selection half.
const CANDIDATES: usize = 256;

/// Splits the records in two halves (members and non-members each shuffled with `seed` and
/// halved), picks on the first half the threshold with the largest lower bound at (`delta`,
/// `confidence`), and returns the second half's counts at that threshold. `None` when either
/// half lacks members or non-members.
pub fn split_half_audit(
    members: &[bool],
    scores: &[f64],
    delta: f64,
    confidence: f64,
    seed: u64,
) -> Option<EpsilonAudit> {
    let halves = SplitHalves::new(members, seed)?;
    split_half_audit_ranked(
        &RankedRecords::rank(scores, members),
        &halves,
        delta,
        confidence,
    )
}

/// The two halves of a split-half audit: members and non-members each shuffled with `seed` and
/// halved; the second halves are held out for the bound.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitHalves {
    held_out: Vec<bool>,
    n_members: u64,
    n_nonmembers: u64,
    seed: u64,
}

impl SplitHalves {
    /// The split of `members`, or `None` when a half would lack members or non-members.
    pub fn new<M: Membership + ?Sized>(members: &M, seed: u64) -> Option<SplitHalves> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let n = members.n_records();
        let mut idx_m: Vec<usize> = (0..n).filter(|&i| members.is_member(i)).collect();
        let mut idx_n: Vec<usize> = (0..n).filter(|&i| !members.is_member(i)).collect();
        idx_m.shuffle(&mut rng);
        idx_n.shuffle(&mut rng);
        let (sel_m, eval_m) = idx_m.split_at(idx_m.len() / 2);
        let (sel_n, eval_n) = idx_n.split_at(idx_n.len() / 2);
        if sel_m.is_empty() || sel_n.is_empty() || eval_m.is_empty() || eval_n.is_empty() {
            return None;
        }
        let mut held_out = vec![false; n];
        for &i in eval_m.iter().chain(eval_n) {
            held_out[i] = true;
        }
        Some(SplitHalves {
            held_out,
            n_members: eval_m.len() as u64,
            n_nonmembers: eval_n.len() as u64,
            seed,
        })
    }
}

/// [`split_half_audit`] of records laid out in rank order, split by [`SplitHalves::new`]: both
/// halves are read off the ranking, in order, without sorting again.
pub fn split_half_audit_ranked(
    r: &RankedRecords,
    halves: &SplitHalves,
    delta: f64,
    confidence: f64,
) -> Option<EpsilonAudit> {
    if halves.held_out.len() != r.len() {
        return None;
    }
    let held_out = r.lay_out(&halves.held_out);
    let selection = r
        .scores
        .iter()
        .zip(&r.members)
        .zip(&held_out)
        .filter(|(_, &h)| !h)
        .map(|((&s, &m), _)| (s, m));
    let roc = roc_from_descending(selection).ok()?.thinned(CANDIDATES);
    let mut best: Option<(f64, f64)> = None;
    for i in 1..roc.len() {
        let c = ThresholdCounts {
            tp: roc.tps[i],
            fp: roc.fps[i],
            n_members: roc.n_members,
            n_nonmembers: roc.n_nonmembers,
        };
        let eps = epsilon_lower_bound(&c, delta, confidence).epsilon;
        if best.is_none_or(|(b, _)| eps > b) {
            best = Some((eps, roc.thresholds[i]));
        }
    }
    let (_, threshold) = best?;
    let (mut tp, mut fp) = (0u64, 0u64);
    for ((&s, &m), &h) in r.scores.iter().zip(&r.members).zip(&held_out) {
        if s < threshold {
            break;
        }
        if h {
            if m {
                tp += 1;
            } else {
                fp += 1;
            }
        }
    }
    Some(EpsilonAudit {
        threshold,
        evaluation: ThresholdCounts {
            tp,
            fp,
            n_members: halves.n_members,
            n_nonmembers: halves.n_nonmembers,
        },
        seed: halves.seed,
    })
}

/// The largest lower bound among several attacks, each at confidence `1 − (1 − confidence)/k`
/// (Bonferroni over the `k` attacks), so the maximum still holds at `confidence`. Returns the
/// index of the attack that gave it.
///
/// # Examples
/// ```
/// use mia_engine::attack::empirical_epsilon::bonferroni_lower_bound;
/// use mia_engine::dp::{epsilon_lower_bound, ThresholdCounts};
/// let weak = ThresholdCounts { tp: 520, fp: 480, n_members: 1000, n_nonmembers: 1000 };
/// let strong = ThresholdCounts { tp: 900, fp: 100, n_members: 1000, n_nonmembers: 1000 };
/// let (i, b) = bonferroni_lower_bound(&[weak, strong], 1e-5, 0.95).unwrap();
/// assert_eq!(i, 1);
/// assert!(b.epsilon < epsilon_lower_bound(&strong, 1e-5, 0.95).epsilon);
/// assert_eq!(b.confidence, 0.975);
/// ```
pub fn bonferroni_lower_bound(
    counts: &[ThresholdCounts],
    delta: f64,
    confidence: f64,
) -> Option<(usize, EpsilonLowerBound)> {
    let each = 1.0 - (1.0 - confidence) / counts.len().max(1) as f64;
    counts
        .iter()
        .map(|c| epsilon_lower_bound(c, delta, each))
        .enumerate()
        .fold(
            None,
            |best: Option<(usize, EpsilonLowerBound)>, (i, b)| match best {
                Some((_, bb)) if bb.epsilon >= b.epsilon => best,
                _ => Some((i, b)),
            },
        )
}
