//! How many IN and OUT references each record has. LiRA's per-record Gaussians need at least two
//! values on a side; with fewer, the record falls back to the pooled global spread, and with none
//! to the mean centre (`conformance/lira/README.md` §3). This says how often that happened.

use serde::{Deserialize, Serialize};

use super::lira::{Side, SideFit};

/// A warning is given when more than this share of records has fewer than 2 references on a side.
pub const FEW_REFERENCES_SHARE: f64 = 0.05;

/// The distribution of IN and OUT references per record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferenceCounts {
    /// `n_in[k]` = records with k IN references, k = 0..=M.
    pub n_in: Vec<u64>,
    /// `n_out[k]` = records with k OUT references.
    pub n_out: Vec<u64>,
    /// Records with ≥ 2 values but zero spread on the IN / OUT side.
    pub zero_spread_in: u64,
    pub zero_spread_out: u64,
}

impl ReferenceCounts {
    /// Counts from the fitted sides of M references.
    pub fn of(fits: &[SideFit; 2], m: usize) -> ReferenceCounts {
        let histogram = |fit: &SideFit| {
            let mut h = vec![0u64; m + 1];
            for &k in &fit.n {
                h[(k as usize).min(m)] += 1;
            }
            h
        };
        ReferenceCounts {
            n_in: histogram(&fits[0]),
            n_out: histogram(&fits[1]),
            zero_spread_in: fits[0].n_zero_spread,
            zero_spread_out: fits[1].n_zero_spread,
        }
    }

    /// The histogram of one side.
    pub fn side(&self, side: Side) -> &[u64] {
        match side {
            Side::In => &self.n_in,
            Side::Out => &self.n_out,
        }
    }

    /// Records with exactly `k` references on `side`.
    pub fn with(&self, side: Side, k: usize) -> u64 {
        self.side(side).get(k).copied().unwrap_or(0)
    }

    /// The smallest and largest count on `side` that some record has.
    pub fn range(&self, side: Side) -> (usize, usize) {
        let h = self.side(side);
        let lo = h.iter().position(|&c| c > 0).unwrap_or(0);
        let hi = h.iter().rposition(|&c| c > 0).unwrap_or(0);
        (lo, hi)
    }

    /// What the fallbacks did, for each side where more than [`FEW_REFERENCES_SHARE`] of the
    /// records have fewer than 2 references, or some have zero spread.
    pub fn warnings(&self, fits: &[SideFit; 2]) -> Vec<String> {
        let mut out = Vec::new();
        for fit in fits {
            let side = fit.side;
            let total: u64 = self.side(side).iter().sum();
            let (none, one) = (self.with(side, 0), self.with(side, 1));
            let few = none + one;
            let name = side.name().to_uppercase();
            if total > 0 && few as f64 / total as f64 > FEW_REFERENCES_SHARE {
                let mut s = format!(
                    "{few} of {total} records ({:.1} %) have fewer than 2 {name} references: their own spread cannot be estimated, so LiRA uses the global {name} spread ({}) for them.",
                    100.0 * few as f64 / total as f64,
                    fit.global_spread.map_or("none".into(), |g| format!("{g:.4}")),
                );
                if none > 0 {
                    s.push_str(&format!(
                        " {none} have none at all: their {name} centre is the mean centre of the others ({})",
                        fit.fallback_centre.map_or("none".into(), |c| format!("{c:.4}")),
                    ));
                    s.push_str(if side == Side::In {
                        ", so online LiRA says little about them."
                    } else {
                        ", so offline LiRA says little about them."
                    });
                }
                s.push_str(
                    " Train more reference models so every record has several on both sides.",
                );
                out.push(s);
            }
            let zero = match side {
                Side::In => self.zero_spread_in,
                Side::Out => self.zero_spread_out,
            };
            if zero > 0 {
                out.push(format!(
                    "{zero} records have identical φ under all their {name} references (zero spread); LiRA uses the global {name} spread for them."
                ));
            }
        }
        out
    }
}
