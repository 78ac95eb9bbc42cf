//! The records in descending score order, computed once per signal and shared by every figure
//! that needs an order (ROC, histogram range, percentiles, most exposed records, per-class AUC,
//! the split-half ε audit), so a report costs one sort instead of one per figure.
//!
//! The sort is a stable least-significant-digit radix sort (11-bit digits, passes where every key
//! shares the digit skipped) on the 32 leading bits in which the scores' keys differ, packed with
//! the record index in one word; records alike in those bits are then ordered by the whole key.
//! O(n) but for such runs, and ties keep record order.

/// Maps a score to a key whose unsigned order is the scores' descending total order.
fn descending_key(s: f64) -> u64 {
    let b = s.to_bits();
    // Ascending total order: flip negatives entirely, set the sign bit of positives.
    let asc = if b >> 63 == 1 { !b } else { b | (1 << 63) };
    !asc
}

/// Indices of `scores` from highest to lowest; equal scores keep their record order.
///
/// # Examples
/// ```
/// use mia_engine::attack::ranking::rank_descending;
/// assert_eq!(rank_descending(&[0.2, -1.0, 0.9, 0.2, 0.0]), vec![2, 0, 3, 4, 1]);
/// ```
pub fn rank_descending(scores: &[f64]) -> Vec<u32> {
    const BITS: u32 = 11;
    const BUCKETS: usize = 1 << BITS;
    let n = scores.len();
    if n < 2 {
        return (0..n as u32).collect();
    }
    let keys: Vec<u64> = scores.iter().map(|&s| descending_key(s)).collect();
    // The bits in which the keys differ: above them every key is alike.
    let k0 = keys[0];
    let differ = keys.iter().fold(0, |acc, &k| acc | (k ^ k0));
    if differ == 0 {
        return (0..n as u32).collect(); // all scores equal
    }
    let high = 64 - differ.leading_zeros();
    let shift = high.saturating_sub(32);
    // Each record as (its key's 32 leading distinct bits, its index) in one word; a stable radix
    // sort on the upper half orders the records by those bits, ties in record order.
    let mut packed: Vec<u64> = keys
        .iter()
        .enumerate()
        .map(|(i, &k)| ((k >> shift) << 32) | i as u64)
        .collect();
    let mut counts = [[0u32; BUCKETS]; 3];
    for &p in &packed {
        for (pass, c) in counts.iter_mut().enumerate() {
            c[((p >> (32 + pass as u32 * BITS)) as usize) & (BUCKETS - 1)] += 1;
        }
    }
    let mut other = vec![0u64; n];
    for (pass, c) in counts.iter_mut().enumerate() {
        if c.contains(&(n as u32)) {
            continue; // every key has this digit: the pass would not move anything
        }
        let at_shift = 32 + pass as u32 * BITS;
        let mut sum = 0;
        for c in c.iter_mut() {
            let here = *c;
            *c = sum;
            sum += here;
        }
        for &p in &packed {
            let d = ((p >> at_shift) as usize) & (BUCKETS - 1);
            other[c[d] as usize] = p;
            c[d] += 1;
        }
        std::mem::swap(&mut packed, &mut other);
    }
    drop(other);
    let mut order: Vec<u32> = packed.iter().map(|&p| p as u32).collect();
    if shift > 0 {
        // Records alike in the leading bits: order them by the whole key, ties by record.
        let mut start = 0;
        while start < n {
            let lead = packed[start] >> 32;
            let mut end = start + 1;
            while end < n && packed[end] >> 32 == lead {
                end += 1;
            }
            if end - start > 1 {
                order[start..end].sort_unstable_by_key(|&i| (keys[i as usize], i));
            }
            start = end;
        }
    }
    order
}

/// [`rank_descending`], reusing the first of `hints` (other signals' rankings of the same
/// records) that already orders `scores` from highest to lowest: signals that are monotone
/// transforms of one another (confidence, its logit, the loss derived from it) then cost one O(n)
/// check instead of a sort. Runs of equal scores are put back in record order, so the result
/// equals [`rank_descending`]'s exactly.
///
/// # Examples
/// ```
/// use mia_engine::attack::ranking::{rank_descending, rank_with_hints};
/// let conf = [0.9, 0.2, 0.9, 0.5];
/// let logit: Vec<f64> = conf.iter().map(|c: &f64| (c / (1.0 - c)).ln()).collect();
/// let hint = rank_descending(&conf);
/// assert_eq!(rank_with_hints(&logit, &[&hint]), rank_descending(&logit));
/// ```
pub fn rank_with_hints(scores: &[f64], hints: &[&[u32]]) -> Vec<u32> {
    hints
        .iter()
        .find_map(|h| laid_out_by(scores, h))
        .map(|(order, _)| order)
        .unwrap_or_else(|| rank_descending(scores))
}

/// `hint` with runs of equal scores put in record order, and the scores in that order, when it
/// ranks `scores` descending. The scores are gathered once and every check reads them in sequence.
fn laid_out_by(scores: &[f64], hint: &[u32]) -> Option<(Vec<u32>, Vec<f64>)> {
    if hint.len() != scores.len() {
        return None;
    }
    let laid: Vec<f64> = hint.iter().map(|&i| scores[i as usize]).collect();
    let ordered = laid
        .windows(2)
        .all(|w| w[0].total_cmp(&w[1]) != std::cmp::Ordering::Less);
    if !ordered {
        return None;
    }
    let mut order = hint.to_vec();
    let mut start = 0;
    while start < laid.len() {
        let mut end = start + 1;
        while end < laid.len() && laid[end].total_cmp(&laid[start]).is_eq() {
            end += 1;
        }
        if end - start > 1 {
            // Equal scores: sorting their indices leaves `laid` as it is.
            order[start..end].sort_unstable();
        }
        start = end;
    }
    Some((order, laid))
}

use crate::table::member_flags::Membership;

/// The records of one signal laid out from the highest score to the lowest, once: every figure of
/// a report then reads memory in sequence instead of jumping through the ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedRecords {
    /// Record indices, highest score first (ties in record order).
    pub order: Vec<u32>,
    /// `scores[order[k]]`.
    pub scores: Vec<f64>,
    /// `is_member[order[k]]`.
    pub members: Vec<bool>,
}

impl RankedRecords {
    /// Ranks `scores` ([`rank_descending`]) and lays the records out in that order.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::attack::ranking::RankedRecords;
    /// let r = RankedRecords::rank(&[0.2, 0.9, 0.5], &[false, true, true]);
    /// assert_eq!((r.order, r.scores, r.members), (vec![1, 2, 0], vec![0.9, 0.5, 0.2], vec![true, true, false]));
    /// ```
    pub fn rank<M: Membership + ?Sized>(scores: &[f64], is_member: &M) -> RankedRecords {
        Self::new(scores, is_member, rank_descending(scores))
    }

    /// [`rank`](Self::rank) with [`rank_with_hints`]: the first hint that orders `scores` is
    /// used, and the scores it laid out in checking are kept.
    pub fn rank_with_hints<M: Membership + ?Sized>(
        scores: &[f64],
        is_member: &M,
        hints: &[&[u32]],
    ) -> RankedRecords {
        match hints.iter().find_map(|h| laid_out_by(scores, h)) {
            Some((order, laid)) => RankedRecords {
                members: order
                    .iter()
                    .map(|&i| is_member.is_member(i as usize))
                    .collect(),
                scores: laid,
                order,
            },
            None => Self::rank(scores, is_member),
        }
    }

    /// The records of `scores` laid out in `order` (a descending ranking of them).
    pub fn new<M: Membership + ?Sized>(
        scores: &[f64],
        is_member: &M,
        order: Vec<u32>,
    ) -> RankedRecords {
        RankedRecords {
            scores: order.iter().map(|&i| scores[i as usize]).collect(),
            members: order
                .iter()
                .map(|&i| is_member.is_member(i as usize))
                .collect(),
            order,
        }
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// True when there are no records.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// `values[order[k]]` for every `k`: another per-record column in rank order.
    pub fn lay_out<T: Copy>(&self, values: &[T]) -> Vec<T> {
        self.order.iter().map(|&i| values[i as usize]).collect()
    }

    /// The `q`-th percentile (numpy's linear method) of the scores, without sorting again.
    pub fn percentile(&self, q: f64) -> Option<f64> {
        let n = self.len();
        crate::attack::summary::percentile_by(n, |k| self.scores[n - 1 - k], q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_a_comparison_sort_on_awkward_values() {
        let mut v = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e-300,
            -1e-300,
            0.5,
            0.5,
            f64::MIN_POSITIVE,
            -f64::MAX,
            f64::MAX,
            3.25,
        ];
        let mut seed = 7u64;
        for _ in 0..5000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            v.push(((seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 1e3);
            v.push(((seed >> 40) % 7) as f64); // many ties
        }
        let order = rank_descending(&v);
        // A hint that does not order the scores is ignored; one that does gives the same ranking.
        assert_eq!(
            rank_with_hints(&v, &[&(0..v.len() as u32).collect::<Vec<_>>()]),
            order
        );
        let negated: Vec<f64> = v.iter().map(|x| -x).collect();
        let reversed: Vec<u32> = rank_descending(&negated).into_iter().rev().collect();
        assert_eq!(rank_with_hints(&v, &[&reversed]), order);
        let mut want: Vec<u32> = (0..v.len() as u32).collect();
        want.sort_by(|&a, &b| v[b as usize].total_cmp(&v[a as usize]).then(a.cmp(&b)));
        assert_eq!(order, want);
        // Keys that differ only in their last bits (one long run in the leading bits), and
        // keys that differ only in their first ones.
        for v in [
            (0..5000)
                .map(|i| 0.5 + ((i * 7919) % 613) as f64 * f64::EPSILON)
                .collect::<Vec<f64>>(),
            (0..5000).map(|i| ((i * 31) % 17) as f64 * 1e300).collect(),
        ] {
            let mut want: Vec<u32> = (0..v.len() as u32).collect();
            want.sort_by(|&a, &b| v[b as usize].total_cmp(&v[a as usize]).then(a.cmp(&b)));
            assert_eq!(rank_descending(&v), want);
        }
    }
}
