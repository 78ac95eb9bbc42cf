//! Member / non-member histograms of a signal, on a common set of bins.

use serde::{Deserialize, Serialize};

use crate::attack::ranking::RankedRecords;

/// Counts of member and non-member scores in `bins` equal-width bins over `[lo, hi]`.
///
/// The range spans the 0.5th to 99.5th percentile of all scores so one extreme record does not
/// squash the picture; scores outside it are counted in the end bins and reported in
/// `n_below` / `n_above`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreHistogram {
    pub lo: f64,
    pub hi: f64,
    pub members: Vec<u64>,
    pub nonmembers: Vec<u64>,
    pub n_below: u64,
    pub n_above: u64,
}

impl ScoreHistogram {
    /// Builds the histogram. Returns `None` when there are no scores or `bins` is 0.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::attack::histogram::ScoreHistogram;
    /// let h = ScoreHistogram::new(&[true, false, true, false], &[1.0, 0.0, 0.9, 0.1], 2).unwrap();
    /// assert_eq!((h.members.clone(), h.nonmembers.clone()), (vec![0, 2], vec![2, 0]));
    /// ```
    pub fn new(is_member: &[bool], scores: &[f64], bins: usize) -> Option<ScoreHistogram> {
        Self::from_ranked(&RankedRecords::rank(scores, is_member), bins)
    }

    /// [`new`](Self::new) from records already laid out in rank order.
    pub fn from_ranked(r: &RankedRecords, bins: usize) -> Option<ScoreHistogram> {
        let n = r.len();
        if n == 0 || bins == 0 {
            return None;
        }
        let (mut lo, mut hi) = if n >= 200 {
            (r.percentile(0.5)?, r.percentile(99.5)?)
        } else {
            (r.scores[n - 1], r.scores[0])
        };
        if hi <= lo {
            // All scores (nearly) equal: centre a unit-wide range on them.
            lo -= 0.5;
            hi += 0.5;
        }
        let mut h = ScoreHistogram {
            lo,
            hi,
            members: vec![0; bins],
            nonmembers: vec![0; bins],
            n_below: 0,
            n_above: 0,
        };
        h.count(r.members.iter().copied().zip(r.scores.iter().copied()));
        Some(h)
    }

    /// Counts over the fixed range `[lo, hi]` (a share from 0 to 1, say): every score outside
    /// it in the end bins, counted in `n_below` / `n_above`. `None` when `bins` is 0 or the
    /// range is empty.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::attack::histogram::ScoreHistogram;
    /// let h = ScoreHistogram::over(&[true, false, false], &[1.0, 0.0, 0.3], 2, 0.0, 1.0).unwrap();
    /// assert_eq!((h.members.clone(), h.nonmembers.clone()), (vec![0, 1], vec![2, 0]));
    /// ```
    pub fn over(
        is_member: &[bool],
        scores: &[f64],
        bins: usize,
        lo: f64,
        hi: f64,
    ) -> Option<ScoreHistogram> {
        if bins == 0 || hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
            return None;
        }
        let mut h = ScoreHistogram {
            lo,
            hi,
            members: vec![0; bins],
            nonmembers: vec![0; bins],
            n_below: 0,
            n_above: 0,
        };
        h.count(is_member.iter().copied().zip(scores.iter().copied()));
        Some(h)
    }

    fn count(&mut self, records: impl Iterator<Item = (bool, f64)>) {
        let (lo, hi, bins) = (self.lo, self.hi, self.bins());
        let width = (hi - lo) / bins as f64;
        let h = self;
        for (m, s) in records {
            if s < lo {
                h.n_below += 1;
            } else if s > hi {
                h.n_above += 1;
            }
            let b = (((s - lo) / width).floor().max(0.0) as usize).min(bins - 1);
            if m {
                h.members[b] += 1;
            } else {
                h.nonmembers[b] += 1;
            }
        }
    }

    /// Number of bins.
    pub fn bins(&self) -> usize {
        self.members.len()
    }

    /// Left edge of bin `i` (`i == bins()` gives the right edge of the last bin).
    pub fn edge(&self, i: usize) -> f64 {
        self.lo + (self.hi - self.lo) * i as f64 / self.bins() as f64
    }
}
