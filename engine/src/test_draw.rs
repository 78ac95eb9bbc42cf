//! The unit tests' pseudo-random draws: Knuth's MMIX linear congruential generator, read from its
//! high bits. One stream per seed, the same on every machine.

/// A stream of draws from its seed.
#[derive(Debug, Clone)]
pub(crate) struct Draw(pub u64);

impl Draw {
    /// A number below `k` (at least 1).
    pub(crate) fn below(&mut self, k: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % k as u64) as usize
    }
}
