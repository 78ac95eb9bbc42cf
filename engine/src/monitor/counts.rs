//! How many times each input was queried, with the seed's repeat figures kept up to date as
//! queries come and go: `repeated_inputs` (inputs counted more than the repeat threshold, the
//! seed's `len({h: c for h, c in repeat_counts.items() if c > 3})`) and `max_repeats`
//! (`max(repeats.values()) if repeats else 0`), each in O(1) per query.
//!
//! Also kept: `repeated_queries`, the queries of the repeated inputs (the sum of their counts).
//!
//! The maximum survives removals through a histogram of the counts (`freq[c]` = inputs counted
//! `c` times): when the last input at the maximum loses a query, it now sits one lower, so the
//! maximum drops by exactly one.

use std::collections::hash_map::Entry;

use super::fast_hash::FxHashMap;

/// Per-input query counts of one API key, and the repeat figures over them.
#[derive(Debug, Clone, Default)]
pub struct CountTable {
    counts: FxHashMap<u32, u32>,
    /// `freq[c]`: how many inputs are counted exactly `c` times (`freq[0]` unused).
    freq: Vec<u32>,
    max: u32,
    /// An input is repeated when counted more than this.
    threshold: u32,
    repeated: u32,
    repeated_queries: u64,
}

/// The repeat figures of a [`CountTable`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RepeatFigures {
    /// Inputs counted more than the threshold (the seed's `repeated_inputs`).
    pub repeated_inputs: u64,
    /// The highest count among them, 0 when none (the seed's `max_repeats`).
    pub max_repeats: u64,
    /// Their counts summed.
    pub repeated_queries: u64,
}

impl CountTable {
    /// An empty table; inputs counted more than `threshold` times are repeated.
    pub fn new(threshold: u32) -> Self {
        CountTable {
            threshold,
            ..CountTable::default()
        }
    }

    /// Counts one more query of `input`.
    #[inline]
    pub fn add(&mut self, input: u32) {
        let count = self.counts.entry(input).or_insert(0);
        let c = *count;
        *count = c.saturating_add(1);
        let n = c.saturating_add(1);
        if c > 0 {
            self.freq[c as usize] -= 1;
        }
        if self.freq.len() <= n as usize {
            self.freq.resize(n as usize + 1, 0);
        }
        self.freq[n as usize] += 1;
        self.max = self.max.max(n);
        if c == self.threshold {
            self.repeated += 1;
            self.repeated_queries += u64::from(n);
        } else if c > self.threshold {
            self.repeated_queries += 1;
        }
    }

    /// Counts one query of `input` fewer (one that left the window); `true` when the input is no
    /// longer counted at all. An input not counted is ignored.
    #[inline]
    pub fn remove(&mut self, input: u32) -> bool {
        let Entry::Occupied(mut entry) = self.counts.entry(input) else {
            return false;
        };
        let c = *entry.get();
        self.freq[c as usize] -= 1;
        if c > 1 {
            self.freq[c as usize - 1] += 1;
        }
        if c == self.max && self.freq[c as usize] == 0 {
            self.max = c - 1;
        }
        if c == self.threshold.saturating_add(1) {
            self.repeated -= 1;
            self.repeated_queries -= u64::from(c);
        } else if c > self.threshold {
            self.repeated_queries -= 1;
        }
        if c > 1 {
            *entry.get_mut() = c - 1;
            return false;
        }
        entry.remove();
        if self.counts.capacity() > 64 && self.counts.len() * 4 < self.counts.capacity() {
            self.counts.shrink_to(self.counts.len() * 2);
        }
        true
    }

    /// Distinct inputs counted.
    pub fn distinct(&self) -> usize {
        self.counts.len()
    }

    /// The repeat figures.
    pub fn figures(&self) -> RepeatFigures {
        RepeatFigures {
            repeated_inputs: u64::from(self.repeated),
            max_repeats: if self.max > self.threshold {
                u64::from(self.max)
            } else {
                0
            },
            repeated_queries: self.repeated_queries,
        }
    }

    /// How many times `input` is counted.
    pub fn count(&self, input: u32) -> u32 {
        self.counts.get(&input).copied().unwrap_or(0)
    }

    /// Entries held (one per distinct input).
    pub fn retained(&self) -> usize {
        self.counts.len()
    }

    /// Every counted input with its count, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.counts.iter().map(|(&i, &c)| (i, c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The figures recomputed from the counts, as the seed does.
    fn direct(t: &CountTable) -> RepeatFigures {
        let reps: Vec<u64> = t
            .iter()
            .map(|(_, c)| u64::from(c))
            .filter(|&c| c > u64::from(t.threshold))
            .collect();
        RepeatFigures {
            repeated_inputs: reps.len() as u64,
            max_repeats: reps.iter().copied().max().unwrap_or(0),
            repeated_queries: reps.iter().sum(),
        }
    }

    #[test]
    fn figures_follow_adds_and_removes() {
        let mut t = CountTable::new(2);
        let mut state = 7u64;
        let mut live: Vec<u32> = Vec::new();
        for step in 0..20_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1442695040888963407);
            let r = (state >> 33) as u32;
            if !r.is_multiple_of(3) || live.is_empty() {
                let input = r % 13;
                t.add(input);
                live.push(input);
            } else {
                let input = live.swap_remove(r as usize % live.len());
                t.remove(input);
            }
            assert_eq!(t.figures(), direct(&t), "step {step}");
        }
        assert!(!t.remove(99));
    }
}
