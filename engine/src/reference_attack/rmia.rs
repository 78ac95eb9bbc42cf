//! RMIA, the relative membership-inference attack of Zarifzadeh et al. 2024 ("Low-Cost
//! High-Power Membership Inference Attacks", §3): how often the target's likelihood ratio
//! r(x) = p_t(x) / P(x) beats γ times that of a population record z.
//!
//! Rules of `conformance/lira/README.md` §4: P(x) is the mean of the references' probabilities
//! (online) or ((1 + a)/2)·P_OUT(x) + (1 − a)/2 (offline); the self-pair is excluded; ties are
//! "not greater". The comparison with the population is a sort and a binary search per record,
//! O((n + |Z|) log |Z|), never n × |Z|.

use super::table::ReferenceTable;
use crate::attack::summary::numpy_sum;

/// The smallest population RMIA can compare with (a record never compares with itself).
pub const MIN_POPULATION: usize = 2;

/// P(x) of online RMIA: the mean of p_j(x) over all M references.
pub fn online_marginal(table: &ReferenceTable) -> Vec<f64> {
    let mut p = Vec::with_capacity(table.m);
    (0..table.len())
        .map(|i| {
            table.reference_probabilities(i, &mut p);
            numpy_sum(&p) / table.m as f64
        })
        .collect()
}

/// P(x) of offline RMIA: ((1 + a)/2)·P_OUT(x) + (1 − a)/2, P_OUT(x) the mean over OUT references
/// (the mean of P_OUT over the records that have one where x has none). `None` when no record has
/// an OUT reference.
pub fn offline_marginal(table: &ReferenceTable, a: f64) -> Option<Vec<f64>> {
    let mut buf = Vec::with_capacity(table.m);
    let mut p = Vec::with_capacity(table.m);
    let p_out: Vec<Option<f64>> = (0..table.len())
        .map(|i| {
            table.reference_probabilities(i, &mut p);
            let flags = table.row(&table.ref_in, i);
            buf.clear();
            buf.extend((0..table.m).filter(|&j| !flags[j]).map(|j| p[j]));
            (!buf.is_empty()).then(|| numpy_sum(&buf) / buf.len() as f64)
        })
        .collect();
    let known: Vec<f64> = p_out.iter().flatten().copied().collect();
    if known.is_empty() {
        return None;
    }
    let fill = numpy_sum(&known) / known.len() as f64;
    Some(
        p_out
            .into_iter()
            .map(|p| (1.0 + a) / 2.0 * p.unwrap_or(fill) + (1.0 - a) / 2.0)
            .collect(),
    )
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
    Some(
        ratios
            .iter()
            .zip(in_population)
            .map(|(&r, &z)| {
                // Population entries strictly below r: r > γ·r(z).
                let mut beaten = scaled.partition_point(|&g| g < r) as u64;
                let mut others = size;
                if z {
                    others -= 1;
                    if r > gamma * r {
                        beaten -= 1;
                    }
                }
                beaten as f64 / others as f64
            })
            .collect(),
    )
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
