//! Would more reference models help? Online LiRA is run again with a quarter and a half of the
//! references (the same seeded subset for every record) and its AUC and TPR at 0.1 % FPR are set
//! beside the full run's: a curve still rising at M says more references would find more members.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::lira::{fit_sides, online_scores, Spread};
use super::settings::Center;
use super::table::ReferenceTable;
use crate::attack::metrics::AttackMetrics;
use crate::attack::ranking::RankedRecords;
use crate::attack::roc::roc_from_ranked;
use crate::{auc, tpr_at_fpr};

/// Seed of the reference subsets.
pub const TREND_SEED: u64 = 0;

/// Online LiRA's figures with some of the references.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrendFigures {
    pub auc: f64,
    /// TPR at 0.1 % FPR.
    pub tpr_at_0_1_percent: f64,
}

impl TrendFigures {
    pub fn of(m: &AttackMetrics) -> TrendFigures {
        TrendFigures {
            auc: m.auc,
            tpr_at_0_1_percent: m.tpr_at(0.001).unwrap_or(0.0),
        }
    }
}

/// One point of the trend: the references used and the two online variants' figures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    pub m: usize,
    pub online: Option<TrendFigures>,
    pub online_global: Option<TrendFigures>,
}

/// The subset sizes below M: M/4 and M/2 where they are at least 1 (and distinct).
pub fn subset_sizes(m: usize) -> Vec<usize> {
    let mut v: Vec<usize> = [m / 4, m / 2]
        .into_iter()
        .filter(|&k| k >= 1 && k < m)
        .collect();
    v.dedup();
    v
}

/// The first `k` of the references shuffled with [`TREND_SEED`], in increasing order: the subset
/// of size k is part of the one of size 2k.
pub fn reference_subset(m: usize, k: usize) -> Vec<usize> {
    let mut all: Vec<usize> = (0..m).collect();
    all.shuffle(&mut ChaCha8Rng::seed_from_u64(TREND_SEED));
    let mut s = all[..k.min(m)].to_vec();
    s.sort_unstable();
    s
}

/// Online LiRA with `k` of the references.
pub fn trend_point(table: &ReferenceTable, k: usize, center: Center) -> TrendPoint {
    let refs = reference_subset(table.m, k);
    let fits = fit_sides(table, &refs, center);
    // The two figures only: no interval, no other rates.
    let figures = |spread| {
        let scores = online_scores(&table.target_phi, &fits, spread)?;
        if scores.iter().any(|s| s.is_nan()) {
            return None;
        }
        let roc = roc_from_ranked(&RankedRecords::rank(&scores, &table.member)).ok()?;
        Some(TrendFigures {
            auc: auc(&roc),
            tpr_at_0_1_percent: tpr_at_fpr(&roc, 0.001).tpr,
        })
    };
    TrendPoint {
        m: k,
        online: figures(Spread::PerRecord),
        online_global: figures(Spread::Global),
    }
}

/// How online LiRA's figures moved from M/2 to M references: still rising means a
/// better-equipped attacker (more reference models) would likely find more members, so the
/// figures are a lower bound.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum TrendReading {
    /// Fewer than two points: M < 2.
    Single,
    /// Online LiRA ran at fewer than two of the points.
    NoFigures,
    Rising(TrendFigures, TrendFigures),
    Flat(TrendFigures, TrendFigures),
}

/// AUC gains from M/2 to M at or above this are read as rising…
pub const RISING_AUC: f64 = 0.005;
/// … and so are TPR at 0.1 % FPR gains at or above this (one percentage point).
pub const RISING_TPR: f64 = 0.01;

impl TrendReading {
    /// Reads the last two points of `trend`: per-record online LiRA where it ran at both, else
    /// the global-spread one.
    pub fn of(trend: &[TrendPoint]) -> TrendReading {
        let [.., before, last] = trend else {
            return TrendReading::Single;
        };
        let pair = match (before.online, last.online) {
            (Some(a), Some(b)) => Some((a, b)),
            _ => before.online_global.zip(last.online_global),
        };
        match pair {
            None => TrendReading::NoFigures,
            Some((a, b))
                if b.auc - a.auc >= RISING_AUC
                    || b.tpr_at_0_1_percent - a.tpr_at_0_1_percent >= RISING_TPR =>
            {
                TrendReading::Rising(a, b)
            }
            Some((a, b)) => TrendReading::Flat(a, b),
        }
    }

    /// Its name: `single`, `none`, `rising` or `flat`.
    pub fn key(&self) -> &'static str {
        match self {
            TrendReading::Single => "single",
            TrendReading::NoFigures => "none",
            TrendReading::Rising(..) => "rising",
            TrendReading::Flat(..) => "flat",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(m: usize, auc: f64, tpr: f64) -> TrendPoint {
        let f = TrendFigures {
            auc,
            tpr_at_0_1_percent: tpr,
        };
        TrendPoint {
            m,
            online: Some(f),
            online_global: Some(f),
        }
    }

    #[test]
    fn the_trend_is_read_from_its_last_two_points() {
        let key = |t: &[TrendPoint]| TrendReading::of(t).key();
        for (points, expected) in [
            (vec![point(1, 0.6, 0.01)], "single"),
            (
                vec![
                    point(2, 0.6, 0.01),
                    point(4, 0.6, 0.01),
                    point(8, 0.62, 0.01),
                ],
                "rising",
            ),
            (vec![point(4, 0.7, 0.01), point(8, 0.7, 0.03)], "rising"),
            (vec![point(4, 0.6, 0.01), point(8, 0.603, 0.015)], "flat"),
            (vec![point(4, 0.7, 0.05), point(8, 0.68, 0.04)], "flat"),
            (
                vec![
                    TrendPoint {
                        m: 4,
                        online: None,
                        online_global: None,
                    },
                    point(8, 0.7, 0.0),
                ],
                "none",
            ),
        ] {
            assert_eq!(key(&points), expected, "{points:?}");
        }
    }
}
