//! The extraction metrics today's memorisation audits report beside the seed's verbatim test
//! (a near-verbatim paraphrase passes the verbatim test; these say how close it is), on a
//! reference continuation and the model's output, in Unicode code points (Python's `len`):
//!
//! - exact match: equal once leading and trailing whitespace is removed (Python's `strip()`);
//! - longest common substring, in characters (Carlini et al. 2021 count a 50-token verbatim
//!   span as extracted; here the length is in characters, 50 by default), by seeds of 8
//!   characters extended along their diagonal, below 8 by the longest shorter gram in common
//!   (`substring`), and by a suffix automaton of the reference (`automaton`) for repetitive
//!   texts: linear time;
//! - character edit similarity, 1 − Levenshtein / max length (1 when both are empty), with
//!   Myers' bit-parallel algorithm (Myers 1999, in blocks of 64 as Hyyrö 2003 and edlib run it),
//!   in a diagonal band first (`myers`);
//! - word-level LCS ratio: the longest common subsequence of the seed's tokens over the
//!   reference's token count (ROUGE-L's recall; 0 when the reference has no tokens), with the
//!   bit-parallel LCS of Allison and Dix (1986) and Hyyrö (2004) (`word_lcs`).
//!
//! The last two cost time in proportion to the product of the two lengths, so they are computed
//! when that product is at most [`QUADRATIC_LIMIT`] (two texts of 100,000 characters, or words,
//! each; a pair is scored in well under a second), and for identical texts (similarity and ratio
//! 1). Beyond, they are `None`: not computed, and the page and `mia text` say why. The other
//! figures are linear and always computed.
//!
//! The characters are mapped to dense symbols per pair (`alphabet`) and the tokens to interned
//! ids, so that every table is indexed, not hashed; `Scratch` keeps the buffers across pairs.

mod alphabet;
mod automaton;
mod myers;
mod substring;
mod word_lcs;

use serde::{Deserialize, Serialize};

use super::tokens::{python_strip, Interner};
use alphabet::Alphabet;
use myers::Myers;
use substring::CommonSubstring;
use word_lcs::WordLcs;

/// The largest product of the two lengths (characters for the edit similarity, words for the
/// word LCS) for which the quadratic metrics are computed.
pub const QUADRATIC_LIMIT: u64 = 10_000_000_000;

/// The longest common substring's default "extracted" length, in characters.
pub const EXTRACTED_SPAN: usize = 50;

/// The extraction figures of one pair.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    pub exact_match: bool,
    /// In characters.
    pub longest_common_substring: usize,
    /// Where it starts in the reference and in the output, in characters (for highlighting).
    pub substring_at: (usize, usize),
    /// `None` when the product of the two lengths in characters exceeds [`QUADRATIC_LIMIT`].
    pub edit_similarity: Option<f64>,
    /// `None` when the product of the two lengths in words exceeds [`QUADRATIC_LIMIT`].
    pub word_lcs_ratio: Option<f64>,
}

/// Whether a quadratic metric is computed on lengths `a` and `b`.
fn within_limit(a: usize, b: usize) -> bool {
    (a as u64).saturating_mul(b as u64) <= QUADRATIC_LIMIT
}

impl Extraction {
    /// The figures of `reference` (its chars and tokens) against `output`.
    pub fn of(
        reference: &str,
        output: &str,
        ref_tokens: &[String],
        out_tokens: &[String],
    ) -> Extraction {
        let (r, o, ids) = intern_pair(ref_tokens, out_tokens);
        Scratch::default().extraction(reference, output, &r, &o, ids)
    }
}

/// The tokens of two texts as ids, and how many distinct ones.
fn intern_pair(a: &[String], b: &[String]) -> (Vec<u32>, Vec<u32>, usize) {
    let mut interner = Interner::default();
    let mut ids =
        |t: &[String]| -> Vec<u32> { t.iter().map(|w| interner.intern(w.as_bytes())).collect() };
    let (r, o) = (ids(a), ids(b));
    (r, o, interner.len())
}

/// Reused buffers of the extraction figures, across the pairs of an audit.
#[derive(Default)]
pub(crate) struct Scratch {
    alphabet: Alphabet,
    a: Vec<u32>,
    b: Vec<u32>,
    substring: CommonSubstring,
    myers: Myers,
    lcs: WordLcs,
}

impl Scratch {
    /// The figures of `reference` against `output`, with their tokens as ids `r` and `o` (below
    /// `ids`).
    pub(crate) fn extraction(
        &mut self,
        reference: &str,
        output: &str,
        r: &[u32],
        o: &[u32],
        ids: usize,
    ) -> Extraction {
        let identical = output == reference;
        self.alphabet.reset();
        self.alphabet.encode(reference, &mut self.a);
        if identical {
            self.b.clone_from(&self.a);
        } else {
            self.alphabet.encode(output, &mut self.b);
        }
        let sigma = self.alphabet.sigma();
        let (len, at_r, at_o) = if identical {
            // All of it, ending last in the output, and first in the reference.
            (self.a.len(), 0, 0)
        } else {
            self.substring.find(&self.a, &self.b, sigma)
        };
        let lcs = if identical {
            Some(r.len())
        } else if within_limit(r.len(), o.len()) {
            Some(self.lcs.length(r, o, ids))
        } else {
            None
        };
        let longest = self.a.len().max(self.b.len());
        let distance = if identical {
            Some(0)
        } else if within_limit(self.a.len(), self.b.len()) {
            // The edit distance's first band: the share of words off the word LCS, in characters.
            let words = r.len().max(o.len());
            let guess = lcs
                .filter(|_| words > 0)
                .map(|lcs| longest - longest * lcs / words);
            Some(self.myers.distance(&self.a, &self.b, sigma, guess))
        } else {
            None
        };
        Extraction {
            exact_match: identical || python_strip(reference) == python_strip(output),
            longest_common_substring: len,
            substring_at: (at_r, at_o),
            edit_similarity: distance.map(|d| similarity(d, longest)),
            word_lcs_ratio: lcs.map(|lcs| {
                if r.is_empty() {
                    0.0
                } else {
                    lcs as f64 / r.len() as f64
                }
            }),
        }
    }
}

/// 1 − distance / longest; 1 when both are empty.
fn similarity(distance: usize, longest: usize) -> f64 {
    if longest == 0 {
        return 1.0;
    }
    1.0 - distance as f64 / longest as f64
}

/// 1 − Levenshtein(a, b) / max(|a|, |b|); 1 when both are empty.
pub fn edit_similarity(a: &[char], b: &[char]) -> f64 {
    similarity(levenshtein(a, b), a.len().max(b.len()))
}

/// The characters of two texts as dense symbols, and how many there are.
fn symbols(a: &[char], b: &[char]) -> (Vec<u32>, Vec<u32>, usize) {
    let (mut alphabet, mut sa, mut sb) = (Alphabet::default(), Vec::new(), Vec::new());
    alphabet.encode_chars(a, &mut sa);
    alphabet.encode_chars(b, &mut sb);
    (sa, sb, alphabet.sigma())
}

/// Levenshtein distance (unit costs) of `a` and `b`, by Myers' bit-vector algorithm in blocks of
/// 64 rows: the shorter is the pattern (rows), the longer is scanned column by column.
pub fn levenshtein(a: &[char], b: &[char]) -> usize {
    let (sa, sb, sigma) = symbols(a, b);
    Myers::default().distance(&sa, &sb, sigma, None)
}

/// The length of the longest common subsequence of `a` and `b`, over the reference's length
/// `a`; 0 when `a` is empty.
pub fn lcs_ratio(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() {
        return 0.0;
    }
    lcs_length(a, b) as f64 / a.len() as f64
}

/// The length of the longest common subsequence of `a` and `b` (bit-parallel over `a`).
pub fn lcs_length(a: &[String], b: &[String]) -> usize {
    let (r, o, ids) = intern_pair(a, b);
    WordLcs::default().length(&r, &o, ids)
}

/// The longest common substring of `a` and `b`: its length in characters and where it starts in
/// each (the first such place in `b`; in `a`, the first occurrence of that string).
pub fn longest_common_substring(a: &[char], b: &[char]) -> (usize, usize, usize) {
    let (sa, sb, sigma) = symbols(a, b);
    CommonSubstring::default().find(&sa, &sb, sigma)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn words(s: &str) -> Vec<String> {
        s.split(' ')
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect()
    }

    /// The textbook dynamic programmes, to check the fast ones on every small case.
    fn levenshtein_dp(a: &[char], b: &[char]) -> usize {
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.iter().enumerate() {
            let mut cur = vec![i + 1; b.len() + 1];
            for (j, cb) in b.iter().enumerate() {
                cur[j + 1] = (prev[j + 1] + 1)
                    .min(cur[j] + 1)
                    .min(prev[j] + usize::from(ca != cb));
            }
            prev = cur;
        }
        prev[b.len()]
    }

    fn lcs_dp(a: &[String], b: &[String]) -> usize {
        let mut prev = vec![0; b.len() + 1];
        for x in a {
            let mut cur = vec![0; b.len() + 1];
            for (j, y) in b.iter().enumerate() {
                cur[j + 1] = if x == y {
                    prev[j] + 1
                } else {
                    prev[j + 1].max(cur[j])
                };
            }
            prev = cur;
        }
        prev[b.len()]
    }

    /// The longest common substring by the dynamic programme over the output's characters in
    /// order: its length, the first occurrence in `a` of the string that ends first in `b`, and
    /// where it starts in `b`.
    fn lcsubstring_dp(a: &[char], b: &[char]) -> (usize, usize, usize) {
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
        let at_a = a.windows(best).position(|w| w == &b[end - best..end]);
        (best, at_a.unwrap(), end - best)
    }

    #[test]
    fn the_fast_algorithms_equal_the_dynamic_programmes() {
        // Seeded strings over small alphabets, across the 64-row block boundaries.
        let mut s = 7u64;
        let mut draw = |k: u64| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 33) % k
        };
        for case in 0..400 {
            let (la, lb) = (draw(200) as usize, draw(200) as usize);
            let alpha = 2 + draw(4);
            let a: Vec<char> = (0..la)
                .map(|_| char::from(b'a' + draw(alpha) as u8))
                .collect();
            let b: Vec<char> = (0..lb)
                .map(|_| char::from(b'a' + draw(alpha) as u8))
                .collect();
            assert_eq!(levenshtein(&a, &b), levenshtein_dp(&a, &b), "case {case}");
            assert_eq!(
                longest_common_substring(&a, &b),
                lcsubstring_dp(&a, &b),
                "case {case}"
            );
            let wa: Vec<String> = a.iter().map(|c| c.to_string()).collect();
            let wb: Vec<String> = b.iter().map(|c| c.to_string()).collect();
            assert_eq!(lcs_length(&wa, &wb), lcs_dp(&wa, &wb), "case {case}");
        }
    }

    #[test]
    fn small_cases() {
        assert_eq!(levenshtein(&chars("kitten"), &chars("sitting")), 3);
        assert_eq!(levenshtein(&chars(""), &chars("abc")), 3);
        assert_eq!(edit_similarity(&[], &[]), 1.0);
        assert_eq!(
            longest_common_substring(&chars("xabcdy"), &chars("zzabcd")),
            (4, 1, 2)
        );
        assert_eq!(lcs_ratio(&words("a b c d"), &words("a x c d")), 0.75);
        assert_eq!(lcs_ratio(&[], &words("a")), 0.0);
    }

    /// Texts of words with capitals, punctuation, non-ASCII letters and Python's other
    /// whitespace, and outputs that copy, edit, paraphrase or ignore them.
    fn pair(draw: &mut dyn FnMut(usize) -> usize) -> (String, String) {
        const WORDS: [&str; 16] = [
            "the",
            "of",
            "Memory",
            "model,",
            "data.",
            "ΣΟΦΟΣ",
            "café",
            "🙂",
            "مرحبا",
            "naïve",
            "İstanbul",
            "straße",
            "x",
            "trained",
            "on",
            "it",
        ];
        const SPACES: [&str; 6] = [" ", " ", " ", "  ", "\t", "\u{3000}"];
        fn text(n: usize, draw: &mut dyn FnMut(usize) -> usize) -> String {
            let mut t = String::new();
            for _ in 0..n {
                t.push_str(WORDS[draw(WORDS.len())]);
                t.push_str(SPACES[draw(SPACES.len())]);
            }
            t
        }
        let reference = text(draw(150), draw);
        let output = match draw(6) {
            0 => reference.clone(),
            1 => format!(" {}\n", reference.trim()),
            2 => reference
                .split(' ')
                .map(|w| if draw(20) == 0 { "new" } else { w })
                .collect::<Vec<_>>()
                .join(" "),
            3 => reference
                .split(' ')
                .map(|w| if draw(2) == 0 { "other" } else { w })
                .collect::<Vec<_>>()
                .join(" "),
            4 => text(draw(150), draw),
            _ => String::new(),
        };
        (reference, output)
    }

    #[test]
    fn a_reused_scratch_gives_the_straightforward_figures() {
        use crate::text::tokens::{token_ids, tokens};
        let mut s = 13u64;
        let mut draw = |k: usize| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 33) % k as u64) as usize
        };
        let (mut scratch, mut interner) = (Scratch::default(), Interner::default());
        let (mut lower, mut r, mut o) = (Vec::new(), Vec::new(), Vec::new());
        for case in 0..150 {
            let (reference, output) = pair(&mut draw);
            interner.clear();
            token_ids(&reference, &mut interner, &mut lower, &mut r);
            token_ids(&output, &mut interner, &mut lower, &mut o);
            let got = scratch.extraction(&reference, &output, &r, &o, interner.len());
            let (rc, oc) = (chars(&reference), chars(&output));
            let (rt, ot) = (tokens(&reference), tokens(&output));
            let (len, at_r, at_o) = lcsubstring_dp(&rc, &oc);
            let longest = rc.len().max(oc.len());
            let want = Extraction {
                exact_match: python_strip(&reference) == python_strip(&output),
                longest_common_substring: len,
                substring_at: (at_r, at_o),
                edit_similarity: Some(if longest == 0 {
                    1.0
                } else {
                    1.0 - levenshtein_dp(&rc, &oc) as f64 / longest as f64
                }),
                word_lcs_ratio: Some(if rt.is_empty() {
                    0.0
                } else {
                    lcs_dp(&rt, &ot) as f64 / rt.len() as f64
                }),
            };
            assert_eq!(got, want, "case {case}: {reference:?} / {output:?}");
            assert_eq!(Extraction::of(&reference, &output, &rt, &ot), want);
        }
    }
}
