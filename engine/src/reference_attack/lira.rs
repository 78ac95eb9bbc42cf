//! LiRA, the likelihood-ratio attack of Carlini et al. 2022 ("Membership Inference Attacks From
//! First Principles", §4): per record, fit a Gaussian to the φ of the reference models that
//! trained on it (IN) and of those that did not (OUT), then ask which one the target's φ fits.
//!
//! Centres and spreads follow `conformance/lira/README.md` §3: centre = median (or mean) of the
//! side's values, spread = population standard deviation around their mean, global spread = the
//! population standard deviation of all within-record residuals of the side pooled; a record with
//! no value on a side takes the mean centre of the records that have one, and one with fewer than
//! two values or zero spread takes the global spread.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::settings::{Center, OfflineTest, STD_EPS};
use super::table::ReferenceTable;
use crate::attack::summary::{neumaier_sum, numpy_sum, numpy_sum_of};

/// IN or OUT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Side {
    In,
    Out,
}

impl Side {
    /// `in` or `out`.
    pub fn name(self) -> &'static str {
        match self {
            Side::In => "in",
            Side::Out => "out",
        }
    }
}

/// One side's Gaussian for every record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SideFit {
    pub side: Side,
    /// n_s(i): references on this side.
    pub n: Vec<u32>,
    /// c_s(i), with the fallback filled in where n_s(i) = 0.
    pub centre: Vec<f64>,
    /// S_s(i): the record's own spread, or the global one where it has fewer than 2 values or
    /// zero spread (before the 1e−30 is added).
    pub spread: Vec<f64>,
    /// G_s: the pooled residuals' population standard deviation (`None` without any value).
    pub global_spread: Option<f64>,
    /// The mean centre given to records with no value on this side.
    pub fallback_centre: Option<f64>,
    /// Records with at least 2 values but zero spread (they took the global spread).
    pub n_zero_spread: u64,
}

impl SideFit {
    /// At least one record has a value on this side.
    pub fn any(&self) -> bool {
        self.global_spread.is_some()
    }
}

/// The population standard deviation around the mean, as `np.std` (ddof 0) computes it.
/// Values that are all equal have spread exactly 0 (the mean of three 0.1 is not exactly 0.1 in
/// floating point, and the rounding would otherwise leave a spread of 1e−17 where there is none).
pub fn population_std(values: &[f64]) -> f64 {
    mean_and_std(values).1
}

/// The mean (numpy's summation) and [`population_std`] of a non-empty slice.
fn mean_and_std(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = numpy_sum(values) / n;
    if values.iter().all(|&v| v == values[0]) {
        return (mean, 0.0);
    }
    let sd = (numpy_sum_of(values, |v| (v - mean) * (v - mean)) / n).sqrt();
    (mean, sd)
}

/// The median of `values` (reordered in place), the mean of the two middle values for an even
/// count: a selection, not a sort.
fn median(values: &mut [f64]) -> f64 {
    let n = values.len();
    // The values are finite (the reader refuses anything else), so `<` orders them.
    let (below, mid, _) =
        values.select_nth_unstable_by(n / 2, |a, b| a.partial_cmp(b).unwrap_or(Ordering::Equal));
    let upper = *mid;
    if n % 2 == 1 {
        upper
    } else {
        let lower = below.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lower + upper) / 2.0
    }
}

/// Fits both sides for every record, using the reference models in `refs` (all of them:
/// `0..M`; fewer for the reference-count trend). One pass over the records.
///
/// The global spread needs no second pass over the n × M values: a side's residuals
/// φ_j(i) − c(i) have, per record, the sum n_i·(m_i − c_i) and the sum of squares about their
/// own mean n_i·σ_i² (m_i the record's mean), so their pooled variance about the overall mean r̄
/// is (Σ n_i·σ_i² + Σ n_i·(m_i − c_i − r̄)²) / Σ n_i.
pub fn fit_sides(table: &ReferenceTable, refs: &[usize], center: Center) -> [SideFit; 2] {
    let n_records = table.len();
    let mut sides = [Side::In, Side::Out].map(|side| SideBuilder::new(side, n_records));
    let (mut vin, mut vout) = (vec![0.0; refs.len()], vec![0.0; refs.len()]);
    for i in 0..n_records {
        let phi = table.row(&table.ref_phi, i);
        let flags = table.row(&table.ref_in, i);
        // Each value is written to both buffers and kept in one: no branch on the flags, which
        // are a coin toss per reference.
        let (mut k_in, mut k_out) = (0, 0);
        for &j in refs {
            let (v, f) = (phi[j], flags[j]);
            vin[k_in] = v;
            vout[k_out] = v;
            k_in += usize::from(f);
            k_out += usize::from(!f);
        }
        sides[0].push(&mut vin[..k_in], center);
        sides[1].push(&mut vout[..k_out], center);
    }
    sides.map(SideBuilder::finish)
}

/// One side's fit being built, record by record.
struct SideBuilder {
    side: Side,
    n: Vec<u32>,
    centre: Vec<f64>,
    /// σ_i where usable (n ≥ 2, σ > 0).
    own: Vec<Option<f64>>,
    /// Per record with values: (n_i, m_i − c_i, n_i·σ_i²).
    moments: Vec<(f64, f64, f64)>,
    n_zero_spread: u64,
}

impl SideBuilder {
    fn new(side: Side, n_records: usize) -> SideBuilder {
        SideBuilder {
            side,
            n: Vec::with_capacity(n_records),
            centre: Vec::with_capacity(n_records),
            own: Vec::with_capacity(n_records),
            moments: Vec::with_capacity(n_records),
            n_zero_spread: 0,
        }
    }

    fn push(&mut self, values: &mut [f64], center: Center) {
        let k = values.len();
        self.n.push(k as u32);
        if k == 0 {
            self.centre.push(f64::NAN);
            self.own.push(None);
            return;
        }
        let (mean, sd) = mean_and_std(values);
        let c = match center {
            Center::Median => median(values),
            Center::Mean => mean,
        };
        self.centre.push(c);
        if k >= 2 && sd == 0.0 {
            self.n_zero_spread += 1;
        }
        self.own.push((k >= 2 && sd > 0.0).then_some(sd));
        self.moments.push((k as f64, mean - c, k as f64 * sd * sd));
    }

    fn finish(self) -> SideFit {
        let SideBuilder {
            side,
            n,
            mut centre,
            own,
            moments,
            n_zero_spread,
        } = self;
        if moments.is_empty() {
            return SideFit {
                side,
                spread: vec![f64::NAN; n.len()],
                n,
                centre,
                global_spread: None,
                fallback_centre: None,
                n_zero_spread,
            };
        }
        let with_values: Vec<f64> = centre.iter().copied().filter(|c| !c.is_nan()).collect();
        let fallback = numpy_sum(&with_values) / with_values.len() as f64;
        let count = neumaier_sum(moments.iter().map(|m| m.0));
        let mean_residual = neumaier_sum(moments.iter().map(|m| m.0 * m.1)) / count;
        let within = neumaier_sum(moments.iter().map(|m| m.2));
        let between = neumaier_sum(
            moments
                .iter()
                .map(|m| m.0 * (m.1 - mean_residual) * (m.1 - mean_residual)),
        );
        let global = ((within + between) / count).sqrt();
        let has_empty = n.contains(&0);
        for (c, &k) in centre.iter_mut().zip(&n) {
            if k == 0 {
                *c = fallback;
            }
        }
        let spread = own.into_iter().map(|s| s.unwrap_or(global)).collect();
        SideFit {
            side,
            n,
            centre,
            spread,
            global_spread: Some(global),
            fallback_centre: has_empty.then_some(fallback),
            n_zero_spread,
        }
    }
}

/// ln N(x; μ, s).
fn log_normal_pdf(x: f64, mu: f64, s: f64) -> f64 {
    const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;
    let z = (x - mu) / s;
    -0.5 * z * z - s.ln() - HALF_LN_2PI
}

/// Which spread a LiRA score uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spread {
    /// S_s(i), the record's own (with its fallback).
    PerRecord,
    /// G_s for every record.
    Global,
}

fn spread_of(fit: &SideFit, i: usize, spread: Spread) -> f64 {
    match spread {
        Spread::PerRecord => fit.spread[i] + STD_EPS,
        Spread::Global => fit.global_spread.unwrap_or(f64::NAN) + STD_EPS,
    }
}

/// Online LiRA: ln N(φ_t; c_IN, s_IN) − ln N(φ_t; c_OUT, s_OUT) for every record. `None` unless
/// some record has an IN and some record an OUT reference.
pub fn online_scores(target_phi: &[f64], fits: &[SideFit; 2], spread: Spread) -> Option<Vec<f64>> {
    let [fin, fout] = fits;
    if !fin.any() || !fout.any() {
        return None;
    }
    Some(
        target_phi
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                log_normal_pdf(x, fin.centre[i], spread_of(fin, i, spread))
                    - log_normal_pdf(x, fout.centre[i], spread_of(fout, i, spread))
            })
            .collect(),
    )
}

/// Offline LiRA against the OUT Gaussian alone: z = (φ_t − c_OUT)/s_OUT (one-sided, ranked by z
/// because Φ(z) rounds to 1 above z ≈ 8.3), or −ln N(φ_t; c_OUT, s_OUT) (two-sided). `None`
/// unless some record has an OUT reference.
pub fn offline_scores(
    target_phi: &[f64],
    out: &SideFit,
    spread: Spread,
    test: OfflineTest,
) -> Option<Vec<f64>> {
    if !out.any() {
        return None;
    }
    Some(
        target_phi
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let s = spread_of(out, i, spread);
                match test {
                    OfflineTest::OneSided => (x - out.centre[i]) / s,
                    OfflineTest::TwoSided => -log_normal_pdf(x, out.centre[i], s),
                }
            })
            .collect(),
    )
}
