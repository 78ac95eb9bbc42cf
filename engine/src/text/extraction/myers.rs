//! Levenshtein distance by Myers' bit-vector algorithm (Myers 1999) in blocks of 64 rows (Hyyrö
//! 2003, as edlib runs it), on texts as dense symbols (`0..sigma`), with reused buffers:
//!
//! - the common prefix and suffix are stripped first (they never change the distance), so that
//!   identical texts cost nothing;
//! - the pattern (the shorter) has one bit row per symbol in a dense table (a text symbol absent
//!   from the pattern reads a zero row);
//! - the blocks run in stripes of a few blocks over all the columns (see [`Myers::striped`]),
//!   which keeps the processor busy where one column through all the blocks waits on every
//!   carry;
//! - the distance is first sought in a diagonal band (Ukkonen 1985): a path of cost at most
//!   `k = 2h + (n − m)` keeps to the diagonals `−h ..= n − m + h`, so each stripe runs only the
//!   columns where the band meets it. Cells outside enter as over-estimates, every computed
//!   value is at least the true one, and one at most `k` is exact; above `k`, `h` grows
//!   fourfold, and once the band would hold most columns the whole matrix is run. The first `h`
//!   comes from the caller's guess (the audit's: the words off the word LCS, in characters).
//!   The result is always the exact distance.

/// Reused buffers of [`Myers::distance`].
#[derive(Default)]
pub(crate) struct Myers {
    /// The rows where the pattern has each symbol, by stripe (see [`slot`]).
    peq: Vec<u64>,
    /// Per column: the horizontal +1 and −1 (0 or 1) out of a stripe's last block.
    carry_p: Vec<u8>,
    carry_m: Vec<u8>,
    /// Blocks per stripe in this call: [`WIDE`] for the whole matrix, [`NARROW`] for a band (a
    /// stripe runs `64 × width` columns more than the band's width).
    width: usize,
}

/// Blocks per stripe for the whole matrix and for a band.
const WIDE: usize = 4;
const NARROW: usize = 2;

/// Where the bits of block `b` for symbol `c` are in the table: stripe after stripe, each with a
/// row of its blocks per symbol, so that a stripe reads one short row per column. The index is
/// `base + c * width` for the block's `base` and its stripe's `width`.
fn slot(b: usize, width: usize, sigma: usize, blocks: usize) -> (usize, usize) {
    let first = b - b % width;
    let width = (blocks - first).min(width);
    (sigma * first + b - first, width)
}

/// Above this many words the bit table would be too large: the pattern's rows are then set
/// column by column from its symbols' positions (same figures, slower).
const DENSE_LIMIT: usize = 1 << 22;

impl Myers {
    /// Sets the bits of pattern `p` in the table, or clears them (leaving it all zero).
    fn mark(&mut self, p: &[u32], sigma: usize, blocks: usize, set: bool) {
        for (b, chunk) in p.chunks(64).enumerate() {
            let (base, width) = slot(b, self.width, sigma, blocks);
            for (i, &c) in chunk.iter().enumerate() {
                let word = &mut self.peq[base + c as usize * width];
                *word = if set { *word | 1 << i } else { 0 };
            }
        }
    }

    /// The Levenshtein distance of `a` and `b`, symbols below `sigma`. `guess`, if any, is a
    /// rough expectation of the distance (it only chooses the first band).
    pub(crate) fn distance(
        &mut self,
        a: &[u32],
        b: &[u32],
        sigma: usize,
        guess: Option<usize>,
    ) -> usize {
        let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let (a, b) = (&a[pre..], &b[pre..]);
        let suf = a
            .iter()
            .rev()
            .zip(b.iter().rev())
            .take_while(|(x, y)| x == y)
            .count();
        let (a, b) = (&a[..a.len() - suf], &b[..b.len() - suf]);
        let (p, t) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        let (m, n) = (p.len(), t.len());
        if m == 0 {
            return n;
        }
        let blocks = m.div_ceil(64);
        if sigma.saturating_mul(blocks) > DENSE_LIMIT {
            return sparse_distance(p, t, sigma);
        }
        self.peq.resize(self.peq.len().max(sigma * blocks), 0);
        let delta = n - m;
        let mut h = guess.map_or(0, |g| g.saturating_sub(delta) / 2) + 32;
        // A stripe's columns in the band, against all of them: run all when it is most.
        let whole = |h: usize| 4 * (delta + 2 * h + 64 * NARROW) >= 3 * n;
        self.width = if whole(h) { WIDE } else { NARROW };
        self.mark(p, sigma, blocks, true);
        let d = loop {
            if whole(h) {
                break self.striped(sigma, blocks, m, t, None);
            }
            let d = self.striped(sigma, blocks, m, t, Some(h));
            if d <= delta + 2 * h {
                break d;
            }
            h *= 4;
        };
        self.mark(p, sigma, blocks, false);
        d
    }
}

/// One block of one column: `eq` the block's rows matching the column's symbol, `pv`/`mv` its
/// vertical +1/−1 deltas (updated), `hp`/`hm` the horizontal +1/−1 delta into its top (updated
/// to the one out of its bottom).
#[inline(always)]
fn step(eq: u64, pv: &mut u64, mv: &mut u64, hp: &mut u64, hm: &mut u64) {
    let (p, m) = (*pv, *mv);
    let xv = eq | m;
    let e = eq | *hm;
    let xh = ((e & p).wrapping_add(p) ^ p) | e;
    let ph = m | !(xh | p);
    let mh = p & xh;
    let (hp_out, hm_out) = (ph >> 63, mh >> 63);
    let ph = (ph << 1) | *hp;
    let mh = (mh << 1) | *hm;
    *pv = mh | !(xv | ph);
    *mv = ph & xv;
    *hp = hp_out;
    *hm = hm_out;
}

impl Myers {
    /// The distance of pattern `p` (`m` rows in `blocks` blocks, its bits in the table over
    /// `sigma` symbols) and text `t`, in stripes of `width` blocks, each run over its columns
    /// with its bottom feeding the next stripe's top through the carries: a column's blocks wait
    /// on each other only within a stripe, so the processor overlaps consecutive columns instead
    /// of waiting on the carry through every block.
    ///
    /// With `h`, a stripe runs only the columns where one of its blocks meets the band
    /// `−h ..= n − m + h`; a column that the stripe above did not run gets +1 at the top (an
    /// over-estimate), as does a block's first column (+1 a row down the block). Every value is
    /// then at least the true one, and the result is exact when at most `2h + n − m`. Without
    /// `h`, all of it, exactly.
    fn striped(
        &mut self,
        sigma: usize,
        blocks: usize,
        m: usize,
        t: &[u32],
        h: Option<usize>,
    ) -> usize {
        let n = t.len();
        // The row above the first block rises by 1 a column.
        self.carry_p.clear();
        self.carry_p.resize(n, 1);
        self.carry_m.clear();
        self.carry_m.resize(n, 0);
        let mut d = n as i64;
        let mut first = 0;
        while first < blocks {
            let s = (blocks - first).min(self.width);
            // Columns 1-based: the band meets rows 64 first + 1 ..= 64 (first + s) from column
            // 64 first + 1 − h to column 64 (first + s) + n − m + h.
            let (lo, hi) = h.map_or((0, n), |h| {
                (
                    (64 * first).saturating_sub(h),
                    (64 * (first + s) + (n - m) + h).min(n),
                )
            });
            let table = &self.peq[sigma * first..sigma * (first + s)];
            let (t, p, q) = (
                &t[lo..hi],
                &mut self.carry_p[lo..hi],
                &mut self.carry_m[lo..hi],
            );
            d += match s {
                4 => stripe::<4>(table, t, p, q, first, m),
                3 => stripe::<3>(table, t, p, q, first, m),
                2 => stripe::<2>(table, t, p, q, first, m),
                _ => stripe::<1>(table, t, p, q, first, m),
            };
            first += s;
        }
        d.max(0) as usize
    }
}

/// Blocks `first .. first + S` (rows `table`, `S` words per symbol) over columns `t`, with the
/// carries in and out `carry_p`, `carry_m`: the sum of their last column's vertical deltas
/// within the pattern's `m` rows.
fn stripe<const S: usize>(
    table: &[u64],
    t: &[u32],
    carry_p: &mut [u8],
    carry_m: &mut [u8],
    first: usize,
    m: usize,
) -> i64 {
    let (rows, _) = table.as_chunks::<S>();
    let (mut pv, mut mv) = ([u64::MAX; S], [0u64; S]);
    for ((&c, p), q) in t.iter().zip(carry_p.iter_mut()).zip(carry_m.iter_mut()) {
        let row = &rows[c as usize];
        let (mut hp, mut hm) = (u64::from(*p), u64::from(*q));
        for k in 0..S {
            step(row[k], &mut pv[k], &mut mv[k], &mut hp, &mut hm);
        }
        (*p, *q) = (hp as u8, hm as u8);
    }
    vertical(&pv, &mv, first, m)
}

/// The sum of the vertical deltas of blocks `first ..` (`pv`, `mv`) within the pattern's `m`
/// rows.
fn vertical(pv: &[u64], mv: &[u64], first: usize, m: usize) -> i64 {
    let mut d = 0i64;
    for (k, (&p, &n)) in pv.iter().zip(mv).enumerate() {
        let rows = (m - (first + k) * 64).min(64);
        let mask = if rows == 64 {
            u64::MAX
        } else {
            (1u64 << rows) - 1
        };
        d += i64::from((p & mask).count_ones()) - i64::from((n & mask).count_ones());
    }
    d
}

/// The whole matrix with each column's bit rows set from the pattern's symbol positions: for
/// huge alphabets, where a dense table would not fit.
pub(super) fn sparse_distance(p: &[u32], t: &[u32], sigma: usize) -> usize {
    let (m, blocks) = (p.len(), p.len().div_ceil(64));
    // Positions of each symbol, grouped (counting sort).
    let mut start = vec![0u32; sigma + 1];
    for &s in p {
        start[s as usize + 1] += 1;
    }
    for s in 0..sigma {
        start[s + 1] += start[s];
    }
    let mut fill = start.clone();
    let mut at = vec![0u32; m];
    for (i, &s) in p.iter().enumerate() {
        at[fill[s as usize] as usize] = i as u32;
        fill[s as usize] += 1;
    }
    let (mut pv, mut mv, mut eq) = (
        vec![u64::MAX; blocks],
        vec![0u64; blocks],
        vec![0u64; blocks],
    );
    let mut top = 0i64;
    for &c in t {
        let occ = &at[start[c as usize] as usize..start[c as usize + 1] as usize];
        for &i in occ {
            eq[i as usize / 64] |= 1 << (i % 64);
        }
        top += 1;
        let (mut hp, mut hm) = (1u64, 0u64);
        for ((&e, pv), mv) in eq.iter().zip(&mut pv).zip(&mut mv) {
            step(e, pv, mv, &mut hp, &mut hm);
        }
        for &i in occ {
            eq[i as usize / 64] = 0;
        }
    }
    (top + vertical(&pv, &mv, 0, m)).max(0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook dynamic programme.
    fn levenshtein_dp(a: &[u32], b: &[u32]) -> usize {
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, x) in a.iter().enumerate() {
            let mut cur = vec![i + 1; b.len() + 1];
            for (j, y) in b.iter().enumerate() {
                cur[j + 1] = (prev[j + 1] + 1)
                    .min(cur[j] + 1)
                    .min(prev[j] + usize::from(x != y));
            }
            prev = cur;
        }
        prev[b.len()]
    }

    struct Draw(u64);

    impl Draw {
        fn below(&mut self, k: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) % k as u64) as usize
        }
    }

    /// `a` with about `edits` random substitutions, insertions and deletions.
    fn edit(a: &[u32], edits: usize, sigma: usize, d: &mut Draw) -> Vec<u32> {
        let mut b = a.to_vec();
        for _ in 0..edits {
            let at = d.below(b.len() + 1);
            match d.below(3) {
                0 if at < b.len() => b[at] = d.below(sigma) as u32,
                1 if at < b.len() => {
                    b.remove(at);
                }
                _ => b.insert(at, d.below(sigma) as u32),
            }
        }
        b
    }

    #[test]
    fn every_band_and_guess_gives_the_exact_distance() {
        // Long pairs at distances from none to unrelated, with every kind of first band: the
        // doubling, a full run, a guess far off either way. One reused buffer throughout.
        let (mut d, mut myers) = (Draw(3), Myers::default());
        for case in 0..60 {
            let sigma = [2, 4, 30, 200][case % 4];
            let len = 1 + d.below(1500);
            let a: Vec<u32> = (0..len).map(|_| d.below(sigma) as u32).collect();
            let edits = [0, 1, 5, 40, 300, 3000][d.below(6)];
            let b = edit(&a, edits, sigma, &mut d);
            let want = levenshtein_dp(&a, &b);
            for guess in [None, Some(0), Some(want), Some(d.below(3000))] {
                let got = myers.distance(&a, &b, sigma, guess);
                assert_eq!(got, want, "case {case}, guess {guess:?}");
                assert_eq!(myers.distance(&b, &a, sigma, guess), want, "case {case}");
            }
            assert_eq!(sparse_distance(&a, &b, sigma), want, "case {case}");
        }
        assert!(myers.peq.iter().all(|&w| w == 0), "the table is left clean");
    }

    #[test]
    fn short_and_empty_texts() {
        let mut myers = Myers::default();
        let s = |t: &str| t.bytes().map(u32::from).collect::<Vec<u32>>();
        assert_eq!(myers.distance(&s("kitten"), &s("sitting"), 128, None), 3);
        assert_eq!(myers.distance(&s(""), &s("abc"), 128, None), 3);
        assert_eq!(myers.distance(&s("abc"), &s(""), 128, Some(7)), 3);
        assert_eq!(myers.distance(&s("same"), &s("same"), 128, None), 0);
        assert_eq!(sparse_distance(&s("flaw"), &s("lawn"), 128), 2);
    }
}
