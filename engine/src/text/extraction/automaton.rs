//! The longest common substring by a suffix automaton of the reference (Blumer et al. 1985), on
//! texts as dense symbols (`0..sigma`), with reused buffers. Each state keeps the end of its
//! first occurrence (its `firstpos`), so the first occurrence of the common substring in the
//! reference is read off the state where the output's scan finds it. It answers when the seeds
//! of [`super::substring`] would cost more than linear time (repetitive texts).
//!
//! Transitions: the root and the one-symbol states (the busiest: every mismatch falls back to
//! them) have dense rows of `sigma` targets; the deeper states, which have one or two
//! transitions each, keep theirs in linked lists in one arena. Target 0 (the root, never a
//! target) means none.

/// A state's link, its longest string's length, the end of its first occurrence in the text,
/// its dense row (or [`NONE`]) and the head of its transition list (or [`NONE`]).
#[derive(Clone, Copy)]
struct State {
    len: u32,
    link: u32,
    firstpos: u32,
    row: u32,
    head: u32,
}

const NONE: u32 = u32::MAX;

/// States of at most this length get dense rows, when the alphabet is small enough.
const DENSE_LEN: u32 = 1;
/// The largest alphabet for which the one-symbol states get dense rows.
const DENSE_SIGMA: usize = 512;

/// Reused buffers of [`Automaton::longest_common_substring`].
#[derive(Default)]
pub(crate) struct Automaton {
    states: Vec<State>,
    /// Dense rows of `sigma` targets.
    rows: Vec<u32>,
    /// (symbol, target, next) of the list transitions.
    edges: Vec<(u32, u32, u32)>,
    sigma: usize,
    dense_len: u32,
}

impl Automaton {
    #[inline(always)]
    fn go(&self, s: u32, c: u32) -> u32 {
        let st = &self.states[s as usize];
        if st.row != NONE {
            return self.rows[st.row as usize * self.sigma + c as usize];
        }
        let mut e = st.head;
        while e != NONE {
            let (sym, to, next) = self.edges[e as usize];
            if sym == c {
                return to;
            }
            e = next;
        }
        0
    }

    fn set(&mut self, s: u32, c: u32, to: u32) {
        let st = self.states[s as usize];
        if st.row != NONE {
            self.rows[st.row as usize * self.sigma + c as usize] = to;
            return;
        }
        let mut e = st.head;
        while e != NONE {
            let edge = &mut self.edges[e as usize];
            if edge.0 == c {
                edge.1 = to;
                return;
            }
            e = edge.2;
        }
        self.edges.push((c, to, st.head));
        self.states[s as usize].head = (self.edges.len() - 1) as u32;
    }

    fn add_state(&mut self, len: u32, link: u32, firstpos: u32) -> u32 {
        let row = if len <= self.dense_len {
            let r = self.rows.len() / self.sigma;
            self.rows.resize(self.rows.len() + self.sigma, 0);
            r as u32
        } else {
            NONE
        };
        self.states.push(State {
            len,
            link,
            firstpos,
            row,
            head: NONE,
        });
        (self.states.len() - 1) as u32
    }

    /// Builds the automaton of `text`.
    fn build(&mut self, text: &[u32], sigma: usize) {
        self.states.clear();
        self.rows.clear();
        self.edges.clear();
        self.sigma = sigma.max(1);
        self.dense_len = if sigma <= DENSE_SIGMA { DENSE_LEN } else { 0 };
        self.add_state(0, NONE, 0);
        let mut last = 0u32;
        for (i, &c) in text.iter().enumerate() {
            let cur = self.add_state(self.states[last as usize].len + 1, 0, i as u32);
            let mut p = last;
            loop {
                if self.go(p, c) != 0 {
                    break;
                }
                self.set(p, c, cur);
                p = self.states[p as usize].link;
                if p == NONE {
                    break;
                }
            }
            if p != NONE {
                let q = self.go(p, c);
                let (plen, q_state) = (self.states[p as usize].len, self.states[q as usize]);
                if plen + 1 == q_state.len {
                    self.states[cur as usize].link = q;
                } else {
                    let clone = self.add_state(plen + 1, q_state.link, q_state.firstpos);
                    self.copy_transitions(q, clone);
                    let mut x = p;
                    while x != NONE && self.go(x, c) == q {
                        self.set(x, c, clone);
                        x = self.states[x as usize].link;
                    }
                    self.states[q as usize].link = clone;
                    self.states[cur as usize].link = clone;
                }
            }
            last = cur;
        }
    }

    fn copy_transitions(&mut self, from: u32, to: u32) {
        let f = self.states[from as usize];
        if f.row != NONE {
            // A dense state's clone is shorter, hence dense too.
            let (src, dst) = (
                f.row as usize * self.sigma,
                self.states[to as usize].row as usize * self.sigma,
            );
            self.rows.copy_within(src..src + self.sigma, dst);
            return;
        }
        let mut e = f.head;
        while e != NONE {
            let (sym, target, next) = self.edges[e as usize];
            self.set(to, sym, target);
            e = next;
        }
    }

    /// The longest common substring of `a` and `b` (symbols below `sigma`): its length and where
    /// it starts in each, the first place it ends in `b` and the first place that string occurs
    /// in `a`; (0, 0, 0) when there is none.
    pub(crate) fn longest_common_substring(
        &mut self,
        a: &[u32],
        b: &[u32],
        sigma: usize,
    ) -> (usize, usize, usize) {
        if a.is_empty() || b.is_empty() {
            return (0, 0, 0);
        }
        self.build(a, sigma);
        let (mut v, mut l) = (0u32, 0u32);
        let (mut best, mut best_end, mut best_state) = (0u32, 0usize, 0u32);
        for (j, &c) in b.iter().enumerate() {
            let mut to = self.go(v, c);
            while to == 0 && v != 0 {
                v = self.states[v as usize].link;
                l = self.states[v as usize].len;
                to = self.go(v, c);
            }
            if to == 0 {
                (v, l) = (0, 0);
            } else {
                v = to;
                l += 1;
            }
            if l > best {
                (best, best_end, best_state) = (l, j + 1, v);
            }
        }
        if best == 0 {
            return (0, 0, 0);
        }
        let best = best as usize;
        let at_a = self.states[best_state as usize].firstpos as usize + 1 - best;
        (best, at_a, best_end - best)
    }
}
