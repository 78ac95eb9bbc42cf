//! The seed design's verbatim memorisation test (`detect_verbatim_memorization`, `get_ngrams`,
//! `measure_memorization_risk`), exactly. For a reference continuation R and the model's output O,
//! as token sets of [`super::tokens::tokens`]:
//!
//! - word overlap: Jaccard |R ∩ O| / |R ∪ O|, 0 when the union is empty;
//! - 5-gram overlap: |R₅ ∩ O₅| / |R₅| over the sets of 5-token sequences, 0 when the reference
//!   has fewer than 5 tokens;
//! - memorised iff word overlap > 0.75 or 5-gram overlap > 0.3;
//! - a text's figures are the maxima over its prefix lengths; its risk is critical when its
//!   5-gram overlap > 0.5, high when memorised, else low;
//! - with membership, the memorisation rate: the mean word overlap of training texts minus that
//!   of held-out texts (high above 0.15, medium above 0.05), and the training texts with word
//!   overlap > 0.75. All texts are used, not the seed's first 100.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::tokens::tokens;

/// The seed's `match_threshold` on the word overlap.
pub const MATCH_THRESHOLD: f64 = 0.75;
/// The seed's n-gram length.
pub const NGRAM: usize = 5;
/// Memorised when the 5-gram overlap exceeds this.
pub const NGRAM_MEMORISED: f64 = 0.3;
/// Critical when the 5-gram overlap exceeds this.
pub const NGRAM_CRITICAL: f64 = 0.5;
/// The memorisation rate's bands: high above the first, medium above the second.
pub const RATE_HIGH: f64 = 0.15;
pub const RATE_MEDIUM: f64 = 0.05;

/// Jaccard overlap of the token sets of `reference` and `output`.
pub fn word_overlap(reference: &[String], output: &[String]) -> f64 {
    let r: HashSet<&str> = reference.iter().map(String::as_str).collect();
    let o: HashSet<&str> = output.iter().map(String::as_str).collect();
    let union = r.union(&o).count();
    if union == 0 {
        return 0.0;
    }
    r.intersection(&o).count() as f64 / union as f64
}

/// The share of the reference's distinct `n`-grams the output also has; 0 when the reference
/// has none.
pub fn ngram_overlap(reference: &[String], output: &[String], n: usize) -> f64 {
    let r = ngrams(reference, n);
    if r.is_empty() {
        return 0.0;
    }
    let o = ngrams(output, n);
    r.intersection(&o).count() as f64 / r.len() as f64
}

/// The distinct `n`-token sequences of `t` (the seed's `get_ngrams`: its joined strings are the
/// same sets, tokens holding no whitespace).
fn ngrams(t: &[String], n: usize) -> HashSet<&[String]> {
    t.windows(n.max(1)).collect()
}

/// The seed's figures of one reference and model output.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VerbatimSignal {
    pub word_overlap: f64,
    pub ngram_5_overlap: f64,
    pub memorized: bool,
}

impl VerbatimSignal {
    /// From the two texts' tokens.
    pub fn of_tokens(reference: &[String], output: &[String]) -> VerbatimSignal {
        Self::of_overlaps(
            word_overlap(reference, output),
            ngram_overlap(reference, output, NGRAM),
        )
    }

    /// From the two overlaps: memorised by the seed's thresholds.
    fn of_overlaps(word_overlap: f64, ngram_5_overlap: f64) -> VerbatimSignal {
        VerbatimSignal {
            word_overlap,
            ngram_5_overlap,
            memorized: word_overlap > MATCH_THRESHOLD || ngram_5_overlap > NGRAM_MEMORISED,
        }
    }

    pub fn of(reference: &str, output: &str) -> VerbatimSignal {
        Self::of_tokens(&tokens(reference), &tokens(output))
    }
}

/// Reused buffers for the seed's figures on tokens as interned ids (the audit's path): the same
/// counts as [`word_overlap`] and [`ngram_overlap`], hence the same figures, by marks in an array
/// over the ids and an open-addressing table of the reference's n-grams. When the ids are few
/// enough that an n-gram's ids fit side by side in 64 bits (5-grams of up to 4,094 distinct
/// tokens), the table holds those packed keys, rolled along the text in three operations a
/// token; otherwise it holds n-gram starts, hashed and compared in full.
#[derive(Default)]
pub(crate) struct IdSets {
    /// Per id: the stamp of the last pair that saw it (reference, output or both).
    mark: Vec<u32>,
    stamp: u32,
    /// Open addressing: 1 + the start of a reference n-gram, or 0.
    table: Vec<u32>,
    /// Open addressing: a reference n-gram's packed ids, or [`NO_KEY`].
    keys: Vec<u64>,
    /// Per slot: the output has that n-gram too.
    hit: Vec<bool>,
}

/// An empty slot of [`IdSets::keys`] (no packed n-gram is all ones: its ids are below the
/// largest its width holds).
const NO_KEY: u64 = u64::MAX;

/// An n-gram's hash (any spread will do: n-grams are compared in full).
fn ngram_hash(w: &[u32]) -> u64 {
    let mut h = 0u64;
    for &x in w {
        h = (h.rotate_left(23) ^ u64::from(x)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    h ^ (h >> 29)
}

impl IdSets {
    /// The seed's figures of token ids `r` and `o` (ids below `ids`).
    pub(crate) fn signal(&mut self, r: &[u32], o: &[u32], ids: usize) -> VerbatimSignal {
        let (common, union) = self.word_counts(r, o, ids);
        let word = if union == 0 {
            0.0
        } else {
            common as f64 / union as f64
        };
        let (common, distinct) = self.ngram_counts(r, o, NGRAM, ids);
        let ngram = if distinct == 0 {
            0.0
        } else {
            common as f64 / distinct as f64
        };
        VerbatimSignal::of_overlaps(word, ngram)
    }

    /// |R ∩ O| and |R ∪ O| of the distinct ids.
    pub(crate) fn word_counts(&mut self, r: &[u32], o: &[u32], ids: usize) -> (usize, usize) {
        if self.mark.len() < ids {
            self.mark.resize(ids, 0);
        }
        if self.stamp > u32::MAX - 3 {
            self.mark.fill(0);
            self.stamp = 0;
        }
        let (in_r, in_o, in_both) = (self.stamp + 1, self.stamp + 2, self.stamp + 3);
        self.stamp += 3;
        let mark = &mut self.mark[..];
        let (mut nr, mut no, mut common) = (0, 0, 0);
        for &x in r {
            let m = &mut mark[x as usize];
            if *m != in_r {
                *m = in_r;
                nr += 1;
            }
        }
        for &x in o {
            let m = &mut mark[x as usize];
            if *m == in_r {
                *m = in_both;
                common += 1;
                no += 1;
            } else if *m != in_o && *m != in_both {
                *m = in_o;
                no += 1;
            }
        }
        (common, nr + no - common)
    }

    /// |R_n ∩ O_n| and |R_n| of the distinct n-grams (n ≥ 1), of ids below `ids`.
    pub(crate) fn ngram_counts(
        &mut self,
        r: &[u32],
        o: &[u32],
        n: usize,
        ids: usize,
    ) -> (usize, usize) {
        let n = n.max(1);
        if r.len() < n {
            return (0, 0);
        }
        // Bits per id when n of them pack into a key.
        let width = 64 / n as u32;
        if width < 64 && (ids as u64) < (1u64 << width) - 1 {
            return self.packed_counts(r, o, n, width);
        }
        let windows = r.len() - n + 1;
        let size = (2 * windows).next_power_of_two().max(16);
        self.table.clear();
        self.table.resize(size, 0);
        self.hit.clear();
        self.hit.resize(size, false);
        let mask = size - 1;
        let mut distinct = 0;
        for (i, w) in r.windows(n).enumerate() {
            let mut s = ngram_hash(w) as usize & mask;
            loop {
                let at = self.table[s];
                if at == 0 {
                    self.table[s] = i as u32 + 1;
                    distinct += 1;
                    break;
                }
                if &r[at as usize - 1..][..n] == w {
                    break;
                }
                s = (s + 1) & mask;
            }
        }
        let mut common = 0;
        for w in o.windows(n) {
            let mut s = ngram_hash(w) as usize & mask;
            loop {
                let at = self.table[s];
                if at == 0 {
                    break;
                }
                if &r[at as usize - 1..][..n] == w {
                    if !self.hit[s] {
                        self.hit[s] = true;
                        common += 1;
                    }
                    break;
                }
                s = (s + 1) & mask;
            }
        }
        (common, distinct)
    }

    /// [`IdSets::ngram_counts`] with each n-gram's ids packed side by side in a key of `width`
    /// bits an id (`n × width ≤ 64`, every id below `2^width − 1`).
    fn packed_counts(&mut self, r: &[u32], o: &[u32], n: usize, width: u32) -> (usize, usize) {
        let windows = r.len() - n + 1;
        let size = (2 * windows).next_power_of_two().max(16);
        self.keys.clear();
        self.keys.resize(size, NO_KEY);
        self.hit.clear();
        self.hit.resize(size, false);
        let (shift, mask) = (64 - size.trailing_zeros(), size - 1);
        let bits = n as u32 * width;
        let kept = if bits == 64 {
            u64::MAX
        } else {
            (1u64 << bits) - 1
        };
        let slot = |key: u64| (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize & mask;
        let keys = &mut self.keys[..];
        let mut distinct = 0;
        for key in packed_grams(r, n, width, kept) {
            let mut s = slot(key);
            while keys[s] != key {
                if keys[s] == NO_KEY {
                    keys[s] = key;
                    distinct += 1;
                    break;
                }
                s = (s + 1) & mask;
            }
        }
        let mut common = 0;
        if o.len() >= n {
            for key in packed_grams(o, n, width, kept) {
                let mut s = slot(key);
                while keys[s] != NO_KEY {
                    if keys[s] == key {
                        if !self.hit[s] {
                            self.hit[s] = true;
                            common += 1;
                        }
                        break;
                    }
                    s = (s + 1) & mask;
                }
            }
        }
        (common, distinct)
    }
}

/// The n-grams of `t` (at least `n` ids) in order, packed `width` bits an id and masked by
/// `kept`: each step shifts one id out as the next comes in.
fn packed_grams(t: &[u32], n: usize, width: u32, kept: u64) -> impl Iterator<Item = u64> + '_ {
    let first = t[..n - 1]
        .iter()
        .fold(0u64, |key, &x| key << width | u64::from(x));
    t[n - 1..].iter().scan(first, move |key, &x| {
        *key = (*key << width | u64::from(x)) & kept;
        Some(*key)
    })
}

/// The seed's risk level of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextRisk {
    Low,
    High,
    Critical,
}

impl TextRisk {
    pub fn key(self) -> &'static str {
        match self {
            TextRisk::Low => "low",
            TextRisk::High => "high",
            TextRisk::Critical => "critical",
        }
    }
}

/// A text's figures over its prefix lengths (the seed's `is_memorized`, `max_word_overlap`,
/// `max_ngram_overlap`, `risk_level`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TextVerdict {
    pub is_memorized: bool,
    pub max_word_overlap: f64,
    pub max_ngram_overlap: f64,
    pub risk_level: TextRisk,
}

impl TextVerdict {
    /// Over `signals` (one per prefix length; none gives a low-risk text with 0 overlaps).
    pub fn of(signals: &[VerbatimSignal]) -> TextVerdict {
        let is_memorized = signals.iter().any(|s| s.memorized);
        let max = |f: fn(&VerbatimSignal) -> f64| signals.iter().map(f).fold(0.0_f64, f64::max);
        let max_word_overlap = max(|s| s.word_overlap);
        let max_ngram_overlap = max(|s| s.ngram_5_overlap);
        let risk_level = if max_ngram_overlap > NGRAM_CRITICAL {
            TextRisk::Critical
        } else if is_memorized {
            TextRisk::High
        } else {
            TextRisk::Low
        };
        TextVerdict {
            is_memorized,
            max_word_overlap,
            max_ngram_overlap,
            risk_level,
        }
    }
}

/// The seed's `measure_memorization_risk`, on every text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemorizationRisk {
    pub avg_train_match: f64,
    pub avg_held_out_match: f64,
    pub memorization_rate: f64,
    /// "high", "medium" or "low".
    pub privacy_risk: String,
    pub verbatim_memorization_count: usize,
    pub n_train: usize,
    pub n_held_out: usize,
}

impl MemorizationRisk {
    /// From the word overlaps of the training texts and of the held-out texts.
    pub fn of(train: &[f64], held_out: &[f64]) -> MemorizationRisk {
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
        let (avg_train_match, avg_held_out_match) = (mean(train), mean(held_out));
        let memorization_rate = avg_train_match - avg_held_out_match;
        let privacy_risk = if memorization_rate > RATE_HIGH {
            "high"
        } else if memorization_rate > RATE_MEDIUM {
            "medium"
        } else {
            "low"
        };
        MemorizationRisk {
            avg_train_match,
            avg_held_out_match,
            memorization_rate,
            privacy_risk: privacy_risk.to_string(),
            verbatim_memorization_count: train.iter().filter(|&&m| m > MATCH_THRESHOLD).count(),
            n_train: train.len(),
            n_held_out: held_out.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_sets_count_as_the_string_sets() {
        // Token ids over small vocabularies (many repeats, repeated 5-grams), a sets scratch
        // reused across pairs of every length, against the seed's sets of strings.
        fn draw(s: &mut u64, k: usize) -> usize {
            *s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((*s >> 33) % k as u64) as usize
        }
        let (mut s, mut sets) = (17u64, IdSets::default());
        for case in 0..3000 {
            let vocabulary = 1 + draw(&mut s, 12);
            let ids = |s: &mut u64, n: usize| -> Vec<u32> {
                (0..n).map(|_| draw(s, vocabulary) as u32).collect()
            };
            let n = draw(&mut s, 40);
            let r = ids(&mut s, n);
            let o = if case % 4 == 0 {
                r.clone()
            } else {
                let n = draw(&mut s, 40);
                ids(&mut s, n)
            };
            let words = |t: &[u32]| -> Vec<String> { t.iter().map(|x| format!("w{x}")).collect() };
            let (rw, ow) = (words(&r), words(&o));
            assert_eq!(
                sets.signal(&r, &o, vocabulary),
                VerbatimSignal::of_tokens(&rw, &ow),
                "case {case}"
            );
            // Packed keys (few ids) and n-grams compared in full (as many ids as can be).
            for (n, ids) in (1..10).flat_map(|n| [(n, vocabulary), (n, usize::MAX)]) {
                let (common, distinct) = sets.ngram_counts(&r, &o, n, ids);
                let want = ngram_overlap(&rw, &ow, n);
                let got = if distinct == 0 {
                    0.0
                } else {
                    common as f64 / distinct as f64
                };
                assert_eq!(got, want, "case {case}, n {n}, ids {ids}");
            }
        }
    }
}
