//! The length of the longest common subsequence of two token sequences as ids, with the
//! bit-parallel LCS of Allison and Dix (1986) and Hyyrö (2004): one bit per reference token, in
//! blocks of 64, one pass over the output's tokens.

/// Reused buffers of the word LCS on ids: the reference's distinct ids get local rows of a dense
/// bit table (an array over the ids, stamped per pair, says which).
#[derive(Default)]
pub(super) struct WordLcs {
    stamp: Vec<u32>,
    row: Vec<u32>,
    now: u32,
    peq: Vec<u64>,
    v: Vec<u64>,
}

impl WordLcs {
    /// The length of the longest common subsequence of ids `a` and `b` (below `ids`).
    pub(super) fn length(&mut self, a: &[u32], b: &[u32], ids: usize) -> usize {
        let m = a.len();
        if m == 0 || b.is_empty() {
            return 0;
        }
        if self.stamp.len() < ids {
            self.stamp.resize(ids, 0);
            self.row.resize(ids, 0);
        }
        if self.now == u32::MAX {
            self.stamp.fill(0);
            self.now = 0;
        }
        self.now += 1;
        let blocks = m.div_ceil(64);
        let mut rows = 0u32;
        for &x in a {
            if self.stamp[x as usize] != self.now {
                self.stamp[x as usize] = self.now;
                self.row[x as usize] = rows;
                rows += 1;
            }
        }
        self.peq.clear();
        self.peq.resize(rows as usize * blocks, 0);
        for (i, &x) in a.iter().enumerate() {
            self.peq[self.row[x as usize] as usize * blocks + i / 64] |= 1 << (i % 64);
        }
        self.v.clear();
        self.v.resize(blocks, u64::MAX);
        for &y in b {
            if self.stamp[y as usize] != self.now {
                continue;
            }
            let eq = &self.peq[self.row[y as usize] as usize * blocks..][..blocks];
            let mut carry = 0u64;
            for (v, &e) in self.v.iter_mut().zip(eq) {
                let u = *v & e;
                let (s1, c1) = v.overflowing_add(u);
                let (s2, c2) = s1.overflowing_add(carry);
                carry = u64::from(c1 || c2);
                *v = s2 | (*v & !u);
            }
        }
        // The zero bits of V within the first m rows.
        let mut zeros = 0;
        for (k, &x) in self.v.iter().enumerate() {
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
}
