//! Levenshtein distance by Myers' bit-vector algorithm (Myers 1999) in blocks of 64 rows (Hyyrö
//! 2003, as edlib runs it), on texts as dense symbols (`0..sigma`), with reused buffers:
//!
//! - the common prefix and suffix are stripped first (they never change the distance), so that
//!   identical texts cost nothing;
//! - the pattern (the shorter) has one bit row per symbol in a dense table (a text symbol absent
//!   from the pattern reads a zero row);
//! - the blocks run in stripes of a few blocks over their columns (see [`Myers::bounded`]), which
//!   keeps the processor busy where one column through all the blocks waits on every carry;
//! - the distance is sought below a bound `k` (Ukkonen 1985), and each stripe runs only the
//!   columns where a path of cost at most `k` can cross it, judged from the values it has
//!   computed (as edlib drops blocks, Šošić and Šikić 2017): a cell `(i, j)` of such a path
//!   has `D(i, j) + |(m − i) − (n − j)| ≤ k`, since what is left costs at least the difference
//!   of the two remainders. Cells outside enter as over-estimates (the cost of a real path), so
//!   every computed value is at least the true one, and one at most `k` is exact; above `k`,
//!   `k` grows by half and the stripes run again (at `k ≥ n` the first run is exact). The first
//!   `k` comes from the caller's guess (the audit's: the words off the word LCS, in
//!   characters). The result is always the exact distance.

/// Reused buffers of [`Myers::distance`].
#[derive(Default)]
pub(crate) struct Myers {
    /// The rows where the pattern has each symbol: stripe after stripe, each with a row of
    /// [`WIDE`] words (one per block) for each symbol, the last stripe's unused ones zero, so
    /// that a stripe reads one short row per column.
    peq: Vec<u64>,
    /// Per column: the horizontal delta out of a stripe's last block, as [`PLUS`] packs it.
    carry: Vec<u8>,
}

/// Blocks per stripe.
const WIDE: usize = 4;

/// Columns between two decisions on which blocks of a stripe run.
const CHECK: usize = 16;

/// Above this many words the bit table would be too large: the pattern's rows are then set
/// column by column from its symbols' positions (same figures, slower).
const DENSE_LIMIT: usize = 1 << 22;

/// Returned by [`Myers::bounded`] when the distance exceeds the bound.
const ABOVE: usize = usize::MAX;

impl Myers {
    /// Sets the bits of pattern `p` in the table, or clears them (leaving it all zero): word by
    /// word, or all of the `words` the pattern's blocks use when that is not much more.
    fn mark(&mut self, p: &[u32], sigma: usize, set: bool) {
        let words = sigma * p.len().div_ceil(64).next_multiple_of(WIDE);
        if !set && words <= 16 * p.len() {
            self.peq[..words].fill(0);
            return;
        }
        for (b, chunk) in p.chunks(64).enumerate() {
            let first = b - b % WIDE;
            let (rows, _) = self.peq[sigma * first..sigma * (first + WIDE)].as_chunks_mut::<WIDE>();
            for (i, &c) in chunk.iter().enumerate() {
                let word = &mut rows[c as usize][b % WIDE];
                *word = if set { *word | 1 << i } else { 0 };
            }
        }
    }

    /// The Levenshtein distance of `a` and `b`, symbols below `sigma`. `guess`, if any, is a
    /// rough expectation of the distance (it only chooses the first bound).
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
        let words = sigma * blocks.next_multiple_of(WIDE);
        self.peq.resize(self.peq.len().max(words), 0);
        // The distance is at least n − m and at most n.
        let mut k = guess.map_or(n, |g| g - g / 8 + 64).clamp(n - m, n);
        self.mark(p, sigma, true);
        let d = loop {
            let d = self.bounded(sigma, blocks, m, t, k);
            if d <= k || k >= n {
                break d;
            }
            // A value above k is the cost of some path: a bound that will do.
            k = (k + k / 2 + 64).min(n).min(d);
        };
        self.mark(p, sigma, false);
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

/// What a stripe needs to know of the matrix: its size `m × n`, the bound `k`, its rows
/// `r0 + 1 ..= r1`, its first column `lo` (1-based; column `lo − 1` is its left edge), the
/// value `corner` of the row above it at column `lo − 1`, and the column `must` it runs to
/// whatever its values (the last where a path can enter it from above, or `n`).
struct Frame {
    m: i64,
    n: i64,
    k: i64,
    r0: i64,
    r1: i64,
    lo: usize,
    must: usize,
    corner: i64,
}

impl Myers {
    /// The distance of pattern `p` (`m` rows in `blocks` blocks, its bits in the table over
    /// `sigma` symbols) and text `t` if it is at most `k`, else [`ABOVE`] or a value above `k`.
    ///
    /// The stripes of `width` blocks run from the top, each over the columns `lo ..= hi` where a
    /// path of cost at most `k` can cross it, its bottom feeding the next stripe's top through
    /// the carries. Over the matrix `D` of `m` rows and `n` columns, a cell of such a path has
    /// `D(i, j) + |(m − i) − (n − j)| ≤ k` (call it feasible): what is left costs at least the
    /// difference of the remainders. So
    ///
    /// - a stripe starts at the first column where the bottom row of the stripe above is
    ///   feasible (a path enters it from there, down or across): left of it, its left edge
    ///   enters with +1 a row (an over-estimate; exact at column 0);
    /// - it runs at least one column past the stripe above (a path can enter it up to there),
    ///   and then stops at the first column (tested every [`CHECK`]) where none of its cells is
    ///   feasible: a path on its rows further right would have crossed that column within them.
    ///   Its least `D + |…|` in a column is at the row nearest the diagonal that ends at
    ///   `(m, n)`, since the vertical deltas are within ±1. The next stripe's top enters +1 a
    ///   column past it (an over-estimate).
    ///
    /// Every computed value is then at least the true one (each is the cost of some path), and
    /// by induction along an optimal path of cost at most `k`, all its cells are computed, and
    /// exactly: then the result is the distance.
    fn bounded(&mut self, sigma: usize, blocks: usize, m: usize, t: &[u32], k: usize) -> usize {
        let n = t.len();
        if k < n - m {
            return ABOVE;
        }
        // The row above the first block rises by 1 a column.
        self.carry.clear();
        self.carry.resize(n, PLUS);
        let (mi, ni, ki) = (m as i64, n as i64, k as i64);
        // Row 0 (`D(0, j) = j`) is feasible up to column (k + n − m) / 2.
        let (mut lo, mut corner, mut reach) = (1usize, 0i64, ((k + n - m) / 2).min(n));
        let mut first = 0;
        while first < blocks {
            let s = (blocks - first).min(WIDE);
            let (r0, r1) = (64 * first, (64 * (first + s)).min(m));
            let frame = Frame {
                m: mi,
                n: ni,
                k: ki,
                r0: r0 as i64,
                r1: r1 as i64,
                lo,
                must: (reach + 1).min(n),
                corner,
            };
            let table = &self.peq[sigma * first..sigma * (first + WIDE)];
            let (t, h) = (&t[lo - 1..], &mut self.carry[lo - 1..]);
            let (hi, value) = stripe(table, s, t, h, &frame);
            if r1 == m {
                return if hi == n {
                    value.max(0) as usize
                } else {
                    ABOVE
                };
            }
            // The next stripe starts at the first feasible column of this one's bottom row, its
            // left edge the column before (exact at column 0: when `(r1, 0)` is feasible, so is
            // `(r1, 1)`, the bound falling by 1 as the value rises by at most 1).
            let edge = corner + (r1 - r0) as i64;
            let diagonal = n - (m - r1);
            let Some((next_lo, next_corner)) =
                first_feasible(&self.carry, lo, hi, edge, diagonal, ki)
            else {
                return ABOVE;
            };
            (lo, corner, reach) = (next_lo, next_corner, hi);
            first += s;
        }
        ABOVE
    }
}

/// The first column `j` of `lo ..= hi` where a row is feasible, and its value at column
/// `j − 1`: its horizontal deltas are `carry` (column `j` at `j − 1`), its value at column
/// `lo − 1` is `edge`, it meets the diagonal that ends at (m, n) at column `diagonal`, so that
/// its bound is `D(j) + |j − diagonal|`.
///
/// Left of the diagonal the bound minus `k` falls by at most 2 a column: from `g > 0` the next
/// `⌈g/2⌉ − 1` columns are not feasible, and are passed 8 at a time. Right of it the bound
/// never falls: only its first column there can be.
fn first_feasible(
    carry: &[u8],
    lo: usize,
    hi: usize,
    edge: i64,
    diagonal: usize,
    k: i64,
) -> Option<(usize, i64)> {
    let (mut j, mut v) = (lo - 1, edge);
    let left = hi.min(diagonal);
    while j < left {
        let over = v + (diagonal - j) as i64 - k;
        let skip = (over.saturating_add(1) / 2).clamp(1, (left - j) as i64) as usize;
        v += deltas(&carry[j..j + skip]);
        j += skip;
        if v + ((diagonal - j) as i64) <= k {
            return Some((j, v - delta(carry[j - 1])));
        }
    }
    let right = (diagonal + 1).max(lo);
    if right > hi {
        return None;
    }
    // From column j (lo − 1 or the diagonal) to the first right of the diagonal.
    let before = v + deltas(&carry[j..right - 1]);
    let v = before + delta(carry[right - 1]);
    (v + ((right - diagonal) as i64) <= k).then_some((right, before))
}

/// A horizontal delta as a carry byte: +1 in bit 0, −1 in bit 1.
const PLUS: u8 = 1;

/// The horizontal delta of carry byte `h`.
#[inline(always)]
fn delta(h: u8) -> i64 {
    i64::from(h & 1) - i64::from(h >> 1)
}

/// The `s` blocks from `frame.r0 / 64` (their rows in `table`, [`WIDE`] words per symbol) from
/// column `frame.lo` over the columns of `t` (from `frame.lo` on), with the carries in and out
/// `carry` (same columns): the last column run and the value there of the stripe's last row.
///
/// Each block runs only where a path of cost at most `k` can cross it, by the rules that run
/// the stripes (see [`Myers::bounded`]), decided every [`CHECK`] columns: the blocks that run
/// are consecutive, `kl ..= kh`. Block `kh + 1` starts once the bottom row of block `kh` may be
/// feasible within the next columns (the bound moves by at most 2 a column), its left edge +1 a
/// row (an over-estimate); block `kl` stops once it is past the last column where a path can
/// enter it from above and none of its cells is feasible, and the one below it then gets +1 a
/// column at its top (the carries past the stripe above already are). Where the last blocks
/// have not started, the carries out are those of the last block that runs, its bottom row
/// going on +1 a row.
#[inline(never)]
fn stripe(table: &[u64], s: usize, t: &[u32], carry: &mut [u8], frame: &Frame) -> (usize, i64) {
    let (rows, _) = table.as_chunks::<WIDE>();
    let (mut pv, mut mv) = ([u64::MAX; WIDE], [0u64; WIDE]);
    // The blocks that run, and the last column where a path can enter block `kl` from above.
    let (mut kl, mut kh, mut must) = (0usize, 0usize, frame.must);
    // At column `j`, the last one run: the value of the row above block `kl`, and of the
    // bottom row of block `kh` (the left edge's, +1 a row, before the first column).
    let mut j = frame.lo - 1;
    let (mut top, mut bottom) = (frame.corner, frame.corner + (frame.r1 - frame.r0).min(64));
    let (m, n, k) = (frame.m, frame.n, frame.k);
    // The last row of block `b`.
    let end = |b: usize| (frame.r0 + 64 * (b as i64 + 1)).min(frame.r1);
    for (t, carry) in t.chunks(CHECK).zip(carry.chunks_mut(CHECK)) {
        // Start the next blocks while the bottom row of block kh may be feasible in this chunk
        // (one that starts has the values of its left edge, +1 a row).
        while kh + 1 < s {
            let row = end(kh);
            if bottom + ((m - row) - (n - j as i64)).abs() - 2 * t.len() as i64 > k {
                break;
            }
            kh += 1;
            bottom += end(kh) - row;
        }
        // The rows above block kl and below block kh, at the chunk's last column.
        top += deltas(carry);
        match (kl, kh) {
            (0, 0) => run::<0, 1>(rows, t, carry, &mut pv, &mut mv),
            (0, 1) => run::<0, 2>(rows, t, carry, &mut pv, &mut mv),
            (0, 2) => run::<0, 3>(rows, t, carry, &mut pv, &mut mv),
            (0, _) => run::<0, 4>(rows, t, carry, &mut pv, &mut mv),
            (1, 1) => run::<1, 1>(rows, t, carry, &mut pv, &mut mv),
            (1, 2) => run::<1, 2>(rows, t, carry, &mut pv, &mut mv),
            (1, _) => run::<1, 3>(rows, t, carry, &mut pv, &mut mv),
            (2, 2) => run::<2, 1>(rows, t, carry, &mut pv, &mut mv),
            (2, _) => run::<2, 2>(rows, t, carry, &mut pv, &mut mv),
            _ => run::<3, 1>(rows, t, carry, &mut pv, &mut mv),
        }
        bottom += deltas(carry);
        j += t.len();
        // Stop the top block if no path of cost at most k crosses it from here on: its least
        // `D + |(m − i) − (n − j)|` is at the row nearest the diagonal that ends at (m, n),
        // since the vertical deltas are within ±1.
        if j >= must {
            let (b0, b1) = (frame.r0 + 64 * kl as i64, end(kl));
            let i = (m - n + j as i64).clamp(b0 + 1, b1);
            let at = top + vertical(&pv[kl..=kl], &mv[kl..=kl], (i - b0) as usize);
            if at + ((m - i) - (n - j as i64)).abs() > k {
                if kl == kh {
                    // None runs: no path crosses the stripe from here on.
                    break;
                }
                top += vertical(&pv[kl..=kl], &mv[kl..=kl], (b1 - b0) as usize);
                (kl, must) = (kl + 1, j + 1);
            }
        }
    }
    // A last block of fewer than 64 rows carries out of its row 64, past the text: its value
    // is summed instead. The blocks below kh go on +1 a row.
    let b0 = frame.r0 + 64 * kl as i64;
    if (end(kh) - frame.r0) % 64 != 0 {
        bottom = top + vertical(&pv[kl..=kh], &mv[kl..=kh], (end(kh) - b0) as usize);
    }
    (j, bottom + (frame.r1 - end(kh)))
}

/// The sum of the horizontal deltas of carry bytes `h`, 8 at a time (a byte sum by one product:
/// the top byte of `x * 0x0101…01` adds up the bytes of `x`, here at most 8).
fn deltas(h: &[u8]) -> i64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let (words, rest) = h.as_chunks::<8>();
    let mut sum = rest.iter().map(|&h| delta(h)).sum::<i64>();
    for w in words {
        let w = u64::from_le_bytes(*w);
        let (plus, minus) = (
            (w & ONES).wrapping_mul(ONES),
            (w >> 1 & ONES).wrapping_mul(ONES),
        );
        sum += (plus >> 56) as i64 - (minus >> 56) as i64;
    }
    sum
}

/// Blocks `KL .. KL + N` of a stripe (rows `rows`) over columns `t`, with the carries in and
/// out `carry`.
#[inline(always)]
fn run<const KL: usize, const N: usize>(
    rows: &[[u64; WIDE]],
    t: &[u32],
    carry: &mut [u8],
    pv: &mut [u64; WIDE],
    mv: &mut [u64; WIDE],
) {
    let (mut p, mut q) = ([0u64; N], [0u64; N]);
    for b in 0..N {
        (p[b], q[b]) = (pv[KL + b], mv[KL + b]);
    }
    for (&c, h) in t.iter().zip(carry.iter_mut()) {
        let row = &rows[c as usize];
        let (mut hp, mut hm) = (u64::from(*h & 1), u64::from(*h >> 1));
        for b in 0..N {
            step(row[KL + b], &mut p[b], &mut q[b], &mut hp, &mut hm);
        }
        *h = (hp | hm << 1) as u8;
    }
    for b in 0..N {
        (pv[KL + b], mv[KL + b]) = (p[b], q[b]);
    }
}

/// The sum of the vertical deltas (`pv`, `mv`, 64 rows a word) of the first `rows` rows.
fn vertical(pv: &[u64], mv: &[u64], rows: usize) -> i64 {
    let mut d = 0i64;
    for (k, (&p, &n)) in pv.iter().zip(mv).enumerate() {
        let rows = rows.saturating_sub(64 * k).min(64);
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
    (top + vertical(&pv, &mv, m)).max(0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_draw::Draw;

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

    /// `bounded` on `a` and `b` (any order, the shorter non-empty) with bound `k`, the table
    /// set up as `distance` does.
    fn bounded_run(myers: &mut Myers, a: &[u32], b: &[u32], sigma: usize, k: usize) -> usize {
        let (p, t) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        let blocks = p.len().div_ceil(64);
        let words = sigma * blocks.next_multiple_of(WIDE);
        myers.peq.resize(myers.peq.len().max(words), 0);
        myers.mark(p, sigma, true);
        let d = myers.bounded(sigma, blocks, p.len(), t, k);
        myers.mark(p, sigma, false);
        d
    }

    #[test]
    fn every_bound_gives_the_distance_or_says_it_is_above() {
        // Lengths about the block (64) and stripe (256) boundaries, far apart or equal, texts
        // from copies to unrelated, over small and large alphabets; bounds below, at and above
        // the distance: at or above it the exact distance, below it a value above the bound.
        let (mut d, mut myers) = (Draw(29), Myers::default());
        let sizes = [
            1, 2, 63, 64, 65, 127, 128, 129, 255, 256, 257, 300, 511, 512, 513, 700,
        ];
        for case in 0..240 {
            let sigma = [2, 4, 26, 300][case % 4];
            let len = sizes[d.below(sizes.len())];
            let a: Vec<u32> = (0..len).map(|_| d.below(sigma) as u32).collect();
            let b = match case % 5 {
                0 => (0..sizes[d.below(sizes.len())])
                    .map(|_| d.below(sigma) as u32)
                    .collect(),
                1 => {
                    // Periodic: many equal paths.
                    let period = 1 + d.below(5);
                    (0..len + d.below(40))
                        .map(|i| a[i % period % len])
                        .collect()
                }
                _ => edit(&a, [1, 5, 40, 300][d.below(4)], sigma, &mut d),
            };
            if b.is_empty() {
                continue;
            }
            let want = levenshtein_dp(&a, &b);
            let longest = a.len().max(b.len());
            let low = a.len().abs_diff(b.len());
            let bounds = [
                low,
                want.saturating_sub(2),
                want.saturating_sub(1),
                want,
                want + 1,
                want + 17,
                2 * want,
                longest,
                low + d.below(longest + 1),
            ];
            for k in bounds {
                let got = bounded_run(&mut myers, &a, &b, sigma, k);
                if k >= want {
                    assert_eq!(got, want, "case {case}, k {k}");
                } else {
                    assert!(got > k, "case {case}, k {k}: {got} for {want}");
                }
            }
        }
        assert!(myers.peq.iter().all(|&w| w == 0), "the table is left clean");
    }

    #[test]
    fn paths_along_the_edges_are_found_at_the_tightest_bound() {
        // Optimal paths that run along the first row or column across block and stripe
        // boundaries, or end along the last ones, where every cell is just feasible at k = d:
        // a copy after an inserted head, a head deleted before a copy and a tail inserted, and
        // the mirror images.
        let (mut d, mut myers) = (Draw(41), Myers::default());
        for case in 0..120 {
            let sigma = [300, 26, 4][case % 3];
            let mut piece = |len: usize| -> Vec<u32> {
                (0..len)
                    .map(|_| d.below(sigma) as u32)
                    .collect::<Vec<u32>>()
            };
            let (x, y, z) = (
                piece(1 + case * 7 % 330),
                piece(64 + case * 13 % 700),
                piece(1 + case * 11 % 420),
            );
            let cat = |u: &[u32], v: &[u32]| [u, v].concat();
            let pairs = [
                (y.clone(), cat(&z, &y)),
                (y.clone(), cat(&y, &z)),
                (cat(&x, &y), cat(&y, &z)),
                (cat(&y, &x), cat(&z, &y)),
                (cat(&x, &y), cat(&z, &edit(&y, 3, sigma, &mut d))),
            ];
            for (a, b) in pairs {
                let want = levenshtein_dp(&a, &b);
                for k in [want.saturating_sub(1), want, want + 1] {
                    let got = bounded_run(&mut myers, &a, &b, sigma, k);
                    if k >= want {
                        assert_eq!(got, want, "case {case}, k {k}");
                    } else {
                        assert!(got > k, "case {case}, k {k}: {got} for {want}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_first_feasible_column_is_the_scan_s() {
        // Random rows of deltas (runs of one sign, as rows have), every bound and diagonal,
        // against the column-by-column scan.
        let mut d = Draw(53);
        for case in 0..3000 {
            let n = 1 + d.below(120);
            let mut carry = Vec::with_capacity(n);
            while carry.len() < n {
                let h = [0, PLUS, 2][d.below(3)];
                carry.extend(std::iter::repeat_n(h, 1 + d.below(12)));
            }
            carry.truncate(n);
            let lo = 1 + d.below(n);
            let hi = lo + d.below(n + 1 - lo);
            let edge = d.below(200) as i64;
            let diagonal = d.below(n + 20);
            let k = d.below(300) as i64;
            let mut want = None;
            let mut v = edge;
            for j in lo..=hi {
                let before = v;
                v += delta(carry[j - 1]);
                if v + (j as i64 - diagonal as i64).abs() <= k {
                    want = Some((j, before));
                    break;
                }
            }
            let got = first_feasible(&carry, lo, hi, edge, diagonal, k);
            assert_eq!(got, want, "case {case}");
        }
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
