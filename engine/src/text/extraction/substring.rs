//! The longest common substring, exactly, fast on text: by seeds of [`Q`] symbols, then, below
//! `Q`, by the shorter common grams, with the suffix automaton ([`super::automaton`]) for
//! repetitive texts.
//!
//! Every common substring of at least `Q` symbols is a diagonal run of matches that starts with
//! a common `Q`-gram. The reference's `Q`-grams are indexed (a table of chains of positions, in
//! increasing order); the output's are looked up in order. A hit `(i, j)` whose previous symbols
//! also match lies inside a run already met; otherwise the run is extended to its end. The first
//! longest run met has the first end in the output and, for that end, the first start in the
//! reference: the automaton's answer. When hits and extensions exceed a budget linear in the
//! lengths (repetitive texts), the automaton answers instead, so the time stays linear.
//!
//! When no run reaches `Q` (texts with no common `Q`-gram, as in two scripts), the length is the
//! largest `k < Q` for which the texts share a `k`-gram, found by bisection; the first output
//! position whose `k`-gram the reference has, and the first place there of it, are the answer.
//!
//! Keys pack one byte per symbol (the symbol itself below 256, otherwise a hash of it: then a
//! hit may be false, and the symbols, compared, tell). The reference's positions are chained by
//! bucket (a hash of the key, in a table of at least twice as many buckets as positions),
//! without comparisons.

use super::automaton::Automaton;

/// The shortest common substring the seeds find, in symbols.
pub(crate) const Q: usize = 8;

/// The seeds are the output's grams of `Q + 1 − STRIDE` symbols at every `STRIDE`-th position:
/// every run of at least `Q` symbols holds one.
const STRIDE: usize = 3;

/// Reused buffers of [`CommonSubstring::find`].
#[derive(Default)]
pub(crate) struct CommonSubstring {
    /// Per position of the reference: its key, and the next position in its bucket (`NONE`).
    keys: Vec<u64>,
    next: Vec<u32>,
    /// Per bucket (a hash of the key): its first position, or `NONE`.
    heads: Vec<u32>,
    /// The shift that takes a hash to its bucket.
    shift: u32,
    automaton: Automaton,
}

const NONE: u32 = u32::MAX;

/// A symbol's byte in the keys: itself, or a hash of it when `HASHED` (above 256 symbols).
#[inline(always)]
fn tag<const HASHED: bool>(s: u32) -> u64 {
    if HASHED {
        u64::from(s.wrapping_mul(0x9E37_79B1) >> 24)
    } else {
        u64::from(s)
    }
}

/// The keys of the `q`-grams of `t` in order (`q` bytes, the first symbol lowest).
fn keys<const HASHED: bool>(t: &[u32], q: usize) -> impl Iterator<Item = u64> + '_ {
    let top = 8 * (q as u32 - 1);
    let first = t[..q - 1]
        .iter()
        .rev()
        .fold(0u64, |key, &s| (key << 8) | tag::<HASHED>(s));
    // The first symbol at byte 1: each step shifts one out as the next comes in at the top.
    t[q - 1..].iter().scan(first << 8, move |key, &s| {
        *key = (*key >> 8) | (tag::<HASHED>(s) << top);
        Some(*key)
    })
}

/// A key's bucket, of `buckets` (a power of two, `1 << (64 − shift)`): the high bits of one
/// product, which depend on every byte.
#[inline(always)]
fn bucket(key: u64, shift: u32, buckets: usize) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize & (buckets - 1)
}

impl CommonSubstring {
    /// The longest common substring of `a` and `b` (symbols below `sigma`): its length, where it
    /// starts in `a` (the first occurrence of that string) and in `b` (its first end there).
    pub(crate) fn find(&mut self, a: &[u32], b: &[u32], sigma: usize) -> (usize, usize, usize) {
        if a == b {
            // All of it, ending last in b, and first in a.
            return (a.len(), 0, 0);
        }
        let below = if a.len() >= Q && b.len() >= Q {
            match self.seeds(a, b, sigma) {
                Some(found) if found.0 >= Q => return found,
                Some(_) => Q - 1,
                None => return self.automaton.longest_common_substring(a, b, sigma),
            }
        } else {
            a.len().min(b.len())
        };
        // The length is below Q: the largest k with a common k-gram.
        let (mut lo, mut hi, mut found) = (0, below, (0, 0, 0));
        while lo < hi {
            let k = (lo + hi).div_ceil(2);
            match self.first_common(a, b, k, sigma) {
                Some((i, j)) => (lo, found) = (k, (k, i, j)),
                None => hi = k - 1,
            }
        }
        found
    }

    /// The longest run met from the seeds (`sigma` bounds the symbols), or `None` past the
    /// budget; `a` and `b` have at least `Q` symbols.
    pub(crate) fn seeds(
        &mut self,
        a: &[u32],
        b: &[u32],
        sigma: usize,
    ) -> Option<(usize, usize, usize)> {
        if sigma <= 256 {
            self.seeds_with::<false>(a, b)
        } else {
            self.seeds_with::<true>(a, b)
        }
    }

    /// Where `b`'s first `k`-gram that `a` has occurs first in `a`, and where it is in `b`.
    fn first_common(
        &mut self,
        a: &[u32],
        b: &[u32],
        k: usize,
        sigma: usize,
    ) -> Option<(usize, usize)> {
        if sigma <= 256 {
            self.first_common_with::<false>(a, b, k)
        } else {
            self.first_common_with::<true>(a, b, k)
        }
    }

    /// Indexes the `q`-grams of `a` (`q` ≤ 8, `a` at least that long).
    fn index<const HASHED: bool>(&mut self, a: &[u32], q: usize) {
        let grams = a.len() - q + 1;
        let buckets = (2 * grams).next_power_of_two().max(64);
        self.shift = 64 - buckets.trailing_zeros();
        self.heads.clear();
        self.heads.resize(buckets, NONE);
        self.keys.clear();
        self.keys.reserve(grams);
        for key in keys::<HASHED>(a, q) {
            self.keys.push(key);
        }
        self.next.resize(grams, NONE);
        let (heads, shift) = (&mut self.heads[..], self.shift);
        // From the end, so that each bucket's chain runs in increasing positions.
        for (i, (&key, next)) in self.keys.iter().zip(self.next.iter_mut()).enumerate().rev() {
            let at = bucket(key, shift, heads.len());
            *next = heads[at];
            heads[at] = i as u32;
        }
    }

    /// The first position of the chain of `key`'s bucket.
    #[inline(always)]
    fn chain(&self, key: u64) -> u32 {
        self.heads[bucket(key, self.shift, self.heads.len())]
    }

    fn seeds_with<const HASHED: bool>(
        &mut self,
        a: &[u32],
        b: &[u32],
    ) -> Option<(usize, usize, usize)> {
        let q = Q + 1 - STRIDE;
        self.index::<HASHED>(a, q);
        let budget = 8 * (a.len() + b.len()) + 1024;
        let mut spent = 0usize;
        let (mut best, mut at_a, mut at_b) = (0usize, 0usize, 0usize);
        for (j, key) in keys::<HASHED>(b, q).enumerate().step_by(STRIDE) {
            let mut i = self.chain(key);
            while i != NONE {
                let iu = i as usize;
                i = self.next[iu];
                spent += 1;
                if self.keys[iu] != key {
                    continue;
                }
                // Where the run starts, if no earlier seed met it.
                let back = a[..iu]
                    .iter()
                    .rev()
                    .zip(b[..j].iter().rev())
                    .take(STRIDE)
                    .take_while(|(x, y)| x == y)
                    .count();
                if back == STRIDE {
                    continue;
                }
                let (i0, j0) = (iu - back, j - back);
                let k = a[i0..]
                    .iter()
                    .zip(&b[j0..])
                    .take_while(|(x, y)| x == y)
                    .count();
                spent += k;
                if k > best || (k == best && (j0, i0) < (at_b, at_a)) {
                    (best, at_a, at_b) = (k, i0, j0);
                }
            }
            if spent > budget {
                return None;
            }
        }
        Some((best, at_a, at_b))
    }

    fn first_common_with<const HASHED: bool>(
        &mut self,
        a: &[u32],
        b: &[u32],
        k: usize,
    ) -> Option<(usize, usize)> {
        self.index::<HASHED>(a, k);
        for (j, key) in keys::<HASHED>(b, k).enumerate() {
            let mut i = self.chain(key);
            while i != NONE {
                let iu = i as usize;
                if self.keys[iu] == key && a[iu..iu + k] == b[j..j + k] {
                    return Some((iu, j));
                }
                i = self.next[iu];
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_draw::Draw;

    /// The longest common substring by the dynamic programme over the output's positions in
    /// order: its first end in `b`, and the first occurrence of that string in `a`.
    fn lcs_dp(a: &[u32], b: &[u32]) -> (usize, usize, usize) {
        let (mut best, mut end) = (0, 0);
        let mut prev = vec![0; a.len() + 1];
        for (j, y) in b.iter().enumerate() {
            let mut cur = vec![0; a.len() + 1];
            for (i, x) in a.iter().enumerate() {
                if x == y {
                    cur[i + 1] = prev[i] + 1;
                    if cur[i + 1] > best {
                        (best, end) = (cur[i + 1], j + 1);
                    }
                }
            }
            prev = cur;
        }
        if best == 0 {
            return (0, 0, 0);
        }
        let needle = &b[end - best..end];
        let at_a = a.windows(best).position(|w| w == needle).unwrap();
        (best, at_a, end - best)
    }

    /// A text of `len` symbols below `sigma`, of repeated phrases when `phrases`.
    fn text(len: usize, sigma: usize, phrases: bool, d: &mut Draw) -> Vec<u32> {
        let mut t = Vec::with_capacity(len);
        while t.len() < len {
            if phrases && t.len() > 20 && d.below(3) == 0 {
                let at = d.below(t.len() - 10);
                let span = 3 + d.below(15);
                let copy: Vec<u32> = t[at..(at + span).min(t.len())].to_vec();
                t.extend(copy);
            } else {
                t.push(d.below(sigma) as u32);
            }
        }
        t.truncate(len);
        t
    }

    #[test]
    fn seeds_and_automaton_give_the_dynamic_programme_s_answer() {
        // Small and large alphabets (hashed seed keys above 256 symbols, sparse automaton rows
        // above 512), repeated phrases, copies with edits: each way on its own and together.
        let mut d = Draw(5);
        let (mut found, mut automaton) = (CommonSubstring::default(), Automaton::default());
        let mut seeded = 0;
        for case in 0..500 {
            let sigma = [2, 3, 8, 60, 300, 2000][case % 6];
            let phrases = case % 5 < 3;
            let a = text(d.below(300), sigma, phrases, &mut d);
            let b = match d.below(3) {
                0 => text(d.below(300), sigma, phrases, &mut d),
                _ => {
                    let mut b = a.clone();
                    for _ in 0..d.below(12) {
                        let at = d.below(b.len() + 1);
                        b.insert(at, d.below(sigma) as u32);
                        if d.below(2) == 0 && at < b.len() - 1 {
                            b.remove(at + 1);
                        }
                    }
                    b
                }
            };
            let want = lcs_dp(&a, &b);
            assert_eq!(found.find(&a, &b, sigma), want, "case {case}");
            assert_eq!(
                automaton.longest_common_substring(&a, &b, sigma),
                want,
                "case {case}"
            );
            if a.len() >= Q && b.len() >= Q {
                if let Some(got) = found.seeds(&a, &b, sigma) {
                    if got.0 >= Q {
                        assert_eq!(got, want, "case {case}: seeds");
                        seeded += 1;
                    } else {
                        assert!(want.0 < Q, "case {case}: a seed missed");
                    }
                }
            }
        }
        assert!(seeded > 150, "{seeded} answered by the seeds");
    }

    #[test]
    fn below_the_seeds_the_shorter_common_grams_decide() {
        // Texts over disjoint symbols (two scripts) with planted common pieces shorter than Q,
        // some of them twice, at either end, with small and hashed symbols.
        let mut d = Draw(23);
        let mut found = CommonSubstring::default();
        for case in 0..400 {
            let wide = if case % 2 == 0 { 0 } else { 1000 };
            let mut a: Vec<u32> = (0..d.below(200))
                .map(|_| (wide + d.below(50)) as u32)
                .collect();
            let mut b: Vec<u32> = (0..d.below(200))
                .map(|_| (wide + 50 + d.below(50)) as u32)
                .collect();
            for _ in 0..d.below(4) {
                let k = d.below(Q);
                if a.len() >= k {
                    let at = d.below(a.len() - k + 1);
                    let piece = a[at..at + k].to_vec();
                    let to = d.below(b.len() + 1);
                    b.splice(to..to, piece);
                }
            }
            if case % 7 == 0 {
                a.reverse();
            }
            let sigma = wide + 100;
            assert_eq!(found.find(&a, &b, sigma), lcs_dp(&a, &b), "case {case}");
        }
    }

    #[test]
    fn repetitive_texts_fall_back_within_the_budget() {
        let a = vec![7u32; 3000];
        let mut b = vec![7u32; 2000];
        b[1000] = 1;
        let mut found = CommonSubstring::default();
        assert_eq!(found.seeds(&a, &b, 128), None);
        assert_eq!(found.find(&a, &b, 128), (1000, 0, 0));
        assert_eq!(found.find(&a, &a, 128), (3000, 0, 0));
        assert_eq!(found.find(&[], &a, 128), (0, 0, 0));
        assert_eq!(found.find(&[1, 2], &[3], 128), (0, 0, 0));
    }
}
