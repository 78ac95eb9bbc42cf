//! The extraction metrics today's memorisation audits report beside the seed's verbatim test
//! (a near-verbatim paraphrase passes the verbatim test; these say how close it is), on a
//! reference continuation and the model's output, in Unicode code points (Python's `len`):
//!
//! - exact match: equal once leading and trailing whitespace is removed (Python's `strip()`);
//! - longest common substring, in characters (Carlini et al. 2021 count a 50-token verbatim
//!   span as extracted; here the length is in characters, 50 by default), by a suffix automaton
//!   of the reference: linear time;
//! - character edit similarity, 1 − Levenshtein / max length (1 when both are empty), with
//!   Myers' bit-parallel algorithm (Myers 1999, in blocks of 64 as Hyyrö 2003 and edlib run it);
//! - word-level LCS ratio: the longest common subsequence of the seed's tokens over the
//!   reference's token count (ROUGE-L's recall; 0 when the reference has no tokens), with the
//!   bit-parallel LCS of Allison and Dix (1986) and Hyyrö (2004).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::tokens::python_strip;

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
    pub edit_similarity: f64,
    pub word_lcs_ratio: f64,
}

impl Extraction {
    /// The figures of `reference` (its chars and tokens) against `output`.
    pub fn of(
        reference: &str,
        output: &str,
        ref_tokens: &[String],
        out_tokens: &[String],
    ) -> Extraction {
        let (r, o): (Vec<char>, Vec<char>) =
            (reference.chars().collect(), output.chars().collect());
        let (len, at_r, at_o) = longest_common_substring(&r, &o);
        Extraction {
            exact_match: python_strip(reference) == python_strip(output),
            longest_common_substring: len,
            substring_at: (at_r, at_o),
            edit_similarity: edit_similarity(&r, &o),
            word_lcs_ratio: lcs_ratio(ref_tokens, out_tokens),
        }
    }
}

/// 1 − Levenshtein(a, b) / max(|a|, |b|); 1 when both are empty.
pub fn edit_similarity(a: &[char], b: &[char]) -> f64 {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    1.0 - levenshtein(a, b) as f64 / longest as f64
}

/// Levenshtein distance (unit costs) of `a` and `b`, by Myers' bit-vector algorithm in blocks of
/// 64 rows: the shorter is the pattern (rows), the longer is scanned column by column.
pub fn levenshtein(a: &[char], b: &[char]) -> usize {
    let (p, t) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let m = p.len();
    if m == 0 {
        return t.len();
    }
    let blocks = m.div_ceil(64);
    let mut peq: HashMap<char, Vec<u64>> = HashMap::new();
    for (i, &c) in p.iter().enumerate() {
        peq.entry(c).or_insert_with(|| vec![0; blocks])[i / 64] |= 1 << (i % 64);
    }
    let none = vec![0u64; blocks];
    let (mut pv, mut mv) = (vec![u64::MAX; blocks], vec![0u64; blocks]);
    let last_bit = 1u64 << ((m - 1) % 64);
    let mut score = m as i64;
    for c in t {
        let eq = peq.get(c).unwrap_or(&none);
        // Row 0 of the matrix is 0, 1, 2, …: each column adds 1 at its top.
        let mut hin: i64 = 1;
        for b in 0..blocks {
            let mut e = eq[b];
            let (pvb, mvb) = (pv[b], mv[b]);
            let xv = e | mvb;
            if hin < 0 {
                e |= 1;
            }
            let xh = ((e & pvb).wrapping_add(pvb) ^ pvb) | e;
            let mut ph = mvb | !(xh | pvb);
            let mut mh = pvb & xh;
            let top = if b + 1 == blocks { last_bit } else { 1 << 63 };
            let hout = if ph & top != 0 {
                1
            } else if mh & top != 0 {
                -1
            } else {
                0
            };
            ph <<= 1;
            mh <<= 1;
            if hin < 0 {
                mh |= 1;
            } else if hin > 0 {
                ph |= 1;
            }
            pv[b] = mh | !(xv | ph);
            mv[b] = ph & xv;
            hin = hout;
        }
        score += hin;
    }
    score.max(0) as usize
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
    let m = a.len();
    if m == 0 || b.is_empty() {
        return 0;
    }
    let blocks = m.div_ceil(64);
    let mut peq: HashMap<&str, Vec<u64>> = HashMap::new();
    for (i, w) in a.iter().enumerate() {
        peq.entry(w.as_str()).or_insert_with(|| vec![0; blocks])[i / 64] |= 1 << (i % 64);
    }
    let mut v = vec![u64::MAX; blocks];
    for w in b {
        let Some(eq) = peq.get(w.as_str()) else {
            continue;
        };
        let mut carry = 0u64;
        for k in 0..blocks {
            let u = v[k] & eq[k];
            let (s1, c1) = v[k].overflowing_add(u);
            let (s2, c2) = s1.overflowing_add(carry);
            carry = u64::from(c1 || c2);
            v[k] = s2 | (v[k] & !u);
        }
    }
    // The zero bits of V within the first m rows.
    let mut zeros = 0;
    for (k, &x) in v.iter().enumerate() {
        let rows = (m - k * 64).min(64);
        let mask = if rows == 64 {
            u64::MAX
        } else {
            (1u64 << rows) - 1
        };
        zeros += (!x & mask).count_ones() as usize;
    }
    zeros
}

/// A suffix automaton's state: its longest string's length, its suffix link and the head of its
/// list of transitions.
#[derive(Clone, Copy)]
struct State {
    len: usize,
    link: Option<usize>,
    first: Option<usize>,
}

/// The suffix automaton of a text (Blumer et al. 1985), its transitions in one arena of linked
/// lists, so that building it allocates little.
struct SuffixAutomaton {
    states: Vec<State>,
    /// (char, target, next transition of the same state).
    edges: Vec<(char, usize, Option<usize>)>,
}

impl SuffixAutomaton {
    fn go(&self, s: usize, c: char) -> Option<usize> {
        let mut e = self.states[s].first;
        while let Some(i) = e {
            let (ch, to, next) = self.edges[i];
            if ch == c {
                return Some(to);
            }
            e = next;
        }
        None
    }

    fn set(&mut self, s: usize, c: char, to: usize) {
        let mut e = self.states[s].first;
        while let Some(i) = e {
            if self.edges[i].0 == c {
                self.edges[i].1 = to;
                return;
            }
            e = self.edges[i].2;
        }
        self.edges.push((c, to, self.states[s].first));
        self.states[s].first = Some(self.edges.len() - 1);
    }

    fn new(text: &[char]) -> SuffixAutomaton {
        let mut sa = SuffixAutomaton {
            states: Vec::with_capacity(2 * text.len() + 1),
            edges: Vec::with_capacity(3 * text.len()),
        };
        sa.states.push(State {
            len: 0,
            link: None,
            first: None,
        });
        let mut last = 0;
        for &c in text {
            let cur = sa.states.len();
            sa.states.push(State {
                len: sa.states[last].len + 1,
                link: None,
                first: None,
            });
            let mut p = Some(last);
            while let Some(s) = p {
                if sa.go(s, c).is_some() {
                    break;
                }
                sa.set(s, c, cur);
                p = sa.states[s].link;
            }
            match p {
                None => sa.states[cur].link = Some(0),
                Some(s) => {
                    let q = sa.go(s, c).unwrap_or(0);
                    if sa.states[s].len + 1 == sa.states[q].len {
                        sa.states[cur].link = Some(q);
                    } else {
                        let clone = sa.states.len();
                        sa.states.push(State {
                            len: sa.states[s].len + 1,
                            link: sa.states[q].link,
                            first: None,
                        });
                        let mut e = sa.states[q].first;
                        while let Some(i) = e {
                            let (ch, to, next) = sa.edges[i];
                            sa.set(clone, ch, to);
                            e = next;
                        }
                        let mut p = Some(s);
                        while let Some(x) = p {
                            if sa.go(x, c) != Some(q) {
                                break;
                            }
                            sa.set(x, c, clone);
                            p = sa.states[x].link;
                        }
                        sa.states[q].link = Some(clone);
                        sa.states[cur].link = Some(clone);
                    }
                }
            }
            last = cur;
        }
        sa
    }
}

/// The longest common substring of `a` and `b`: its length in characters and where it starts in
/// each (the first such place in `b`; in `a`, the first occurrence of that string).
pub fn longest_common_substring(a: &[char], b: &[char]) -> (usize, usize, usize) {
    if a.is_empty() || b.is_empty() {
        return (0, 0, 0);
    }
    let sa = SuffixAutomaton::new(a);
    let (mut v, mut l) = (0usize, 0usize);
    let (mut best, mut end_b) = (0usize, 0usize);
    for (j, &c) in b.iter().enumerate() {
        while v != 0 && sa.go(v, c).is_none() {
            v = sa.states[v].link.unwrap_or(0);
            l = sa.states[v].len;
        }
        match sa.go(v, c) {
            Some(to) => {
                v = to;
                l += 1;
            }
            None => {
                v = 0;
                l = 0;
            }
        }
        if l > best {
            best = l;
            end_b = j + 1;
        }
    }
    if best == 0 {
        return (0, 0, 0);
    }
    let start_b = end_b - best;
    let needle = &b[start_b..end_b];
    let start_a = a.windows(best).position(|w| w == needle).unwrap_or(0);
    (best, start_a, start_b)
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

    fn lcsubstring_dp(a: &[char], b: &[char]) -> usize {
        let mut best = 0;
        let mut prev = vec![0; b.len() + 1];
        for x in a {
            let mut cur = vec![0; b.len() + 1];
            for (j, y) in b.iter().enumerate() {
                if x == y {
                    cur[j + 1] = prev[j] + 1;
                    best = best.max(cur[j + 1]);
                }
            }
            prev = cur;
        }
        best
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
            let (len, at_a, at_b) = longest_common_substring(&a, &b);
            assert_eq!(len, lcsubstring_dp(&a, &b), "case {case}");
            assert_eq!(a[at_a..at_a + len], b[at_b..at_b + len]);
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
}
