//! RMIA, the relative membership-inference attack of Zarifzadeh et al. 2024 ("Low-Cost
//! High-Power Membership Inference Attacks", §3): how often the target's likelihood ratio
//! r(x) = p_t(x) / P(x) beats γ times that of a population record z.
//!
//! Rules of `conformance/lira/README.md` §4: P(x) is the mean of the references' probabilities
//! (online) or ((1 + a)/2)·P_OUT(x) + (1 − a)/2 (offline); the self-pair is excluded; ties are
//! "not greater". The comparison with the population is two sorts and a merge,
//! O(n log n + |Z| log |Z|), never n × |Z|.

use super::table::ReferenceTable;
use crate::attack::summary::numpy_sum;

/// The smallest population RMIA can compare with (a record never compares with itself).
pub const MIN_POPULATION: usize = 2;

/// P(x) of both RMIA variants, from one pass over the references' probabilities.
#[derive(Debug, Clone, PartialEq)]
pub struct Marginals {
    /// Online: the mean of p_j(x) over all M references.
    pub online: Vec<f64>,
    /// Offline: ((1 + a)/2)·P_OUT(x) + (1 − a)/2, P_OUT(x) the mean over OUT references (the
    /// mean of P_OUT over the records that have one where x has none). `None` when no record
    /// has an OUT reference.
    pub offline: Option<Vec<f64>>,
}

impl Marginals {
    /// Both marginals, offline with `a`.
    pub fn of(table: &ReferenceTable, a: f64) -> Marginals {
        let n = table.len();
        let mut p = Vec::with_capacity(table.m);
        let mut out = Vec::with_capacity(table.m);
        let mut online = Vec::with_capacity(n);
        let mut p_out: Vec<f64> = Vec::with_capacity(n);
        let mut known = Vec::with_capacity(n);
        for i in 0..n {
            table.reference_probabilities(i, &mut p);
            online.push(numpy_sum(&p) / table.m as f64);
            let flags = table.row(&table.ref_in, i);
            out.clear();
            out.extend(p.iter().zip(flags).filter(|(_, &f)| !f).map(|(&v, _)| v));
            if out.is_empty() {
                p_out.push(f64::NAN);
            } else {
                let m = numpy_sum(&out) / out.len() as f64;
                p_out.push(m);
                known.push(m);
            }
        }
        let offline = (!known.is_empty()).then(|| {
            let fill = numpy_sum(&known) / known.len() as f64;
            p_out
                .into_iter()
                .map(|p| (1.0 + a) / 2.0 * if p.is_nan() { fill } else { p } + (1.0 - a) / 2.0)
                .collect()
        });
        Marginals { online, offline }
    }
}

/// r(x) = p_t(x) / P(x); where P(x) = 0, +∞ if p_t(x) > 0 and 1 if p_t(x) = 0.
pub fn likelihood_ratios(target_p: &[f64], marginal: &[f64]) -> Vec<f64> {
    target_p
        .iter()
        .zip(marginal)
        .map(|(&p, &m)| {
            if m == 0.0 {
                if p > 0.0 {
                    f64::INFINITY
                } else {
                    1.0
                }
            } else {
                p / m
            }
        })
        .collect()
}

/// score(x) = #{z ∈ Z, z ≠ x : r(x) > γ·r(z)} / #{z ∈ Z, z ≠ x} for every record x. `None` with
/// fewer than [`MIN_POPULATION`] population records.
///
/// # Examples
/// ```
/// use mia_engine::reference_attack::rmia::pairwise_scores;
/// // Records 1 and 2 are the population; record 1 beats record 2 only, record 0 beats both.
/// let s = pairwise_scores(&[3.0, 2.0, 1.0], &[false, true, true], 1.0).unwrap();
/// assert_eq!(s, vec![1.0, 1.0, 0.0]);
/// ```
pub fn pairwise_scores(ratios: &[f64], in_population: &[bool], gamma: f64) -> Option<Vec<f64>> {
    let mut scaled: Vec<f64> = ratios
        .iter()
        .zip(in_population)
        .filter(|(_, &z)| z)
        .map(|(&r, _)| gamma * r)
        .collect();
    if scaled.len() < MIN_POPULATION {
        return None;
    }
    scaled.sort_unstable_by(f64::total_cmp);
    let size = scaled.len() as u64;
    // The records in increasing order of r: the population entries below r only grow, so one
    // sweep finds every count (a sort and a merge, not a binary search per record, whose
    // scattered reads cost more than the sort on large files).
    let mut order: Vec<(f64, u32)> = ratios.iter().zip(0u32..).map(|(&r, i)| (r, i)).collect();
    order.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut scores = vec![0.0; ratios.len()];
    let mut below = 0usize;
    for (r, i) in order {
        // Population entries strictly below r: r > γ·r(z).
        while below < scaled.len() && scaled[below] < r {
            below += 1;
        }
        let mut beaten = below as u64;
        let mut others = size;
        if in_population[i as usize] {
            others -= 1;
            if r > gamma * r {
                beaten -= 1;
            }
        }
        scores[i as usize] = beaten as f64 / others as f64;
    }
    Some(scores)
}

/// [`pairwise_scores`] by comparing every record with every population record: O(n·|Z|), for
/// tests of the sorted form only.
pub fn pairwise_scores_naive(
    ratios: &[f64],
    in_population: &[bool],
    gamma: f64,
) -> Option<Vec<f64>> {
    let population: Vec<usize> = (0..ratios.len()).filter(|&z| in_population[z]).collect();
    if population.len() < MIN_POPULATION {
        return None;
    }
    Some(
        (0..ratios.len())
            .map(|x| {
                let others: Vec<usize> = population.iter().copied().filter(|&z| z != x).collect();
                let beaten = others
                    .iter()
                    .filter(|&&z| ratios[x] > gamma * ratios[z])
                    .count();
                beaten as f64 / others.len() as f64
            })
            .collect(),
    )
}
