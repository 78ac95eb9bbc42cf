//! The Rényi-DP accountant for DP-SGD: the Poisson-subsampled Gaussian mechanism (Mironov, Talwar
//! & Zhang 2019, "Rényi Differential Privacy of the Sampled Gaussian Mechanism"), composed over
//! the training steps, converted to (ε, δ) with the bound of Balle et al. 2020 ("Hypothesis
//! testing interpretations and Rényi differential privacy", also Canonne, Kamath & Steinke 2020,
//! Prop. 12), as Google's dp_accounting and Opacus compute it.

use serde::{Deserialize, Serialize};

use super::error::DpError;
use super::log_space::{log_add, log_comb, log_erfc};
use crate::models::portable_math::{exp_m1, ln, ln_1p};

/// The orders dp_accounting's `RdpAccountant` uses: 1.1 to 10.9 by 0.1, 11 to 63, 128, 256, 512,
/// 1024 (156 orders).
pub const DEFAULT_RDP_ORDERS: [f64; 156] = {
    let mut o = [0.0; 156];
    let mut i = 0;
    while i < 99 {
        o[i] = 1.0 + (i + 1) as f64 / 10.0;
        i += 1;
    }
    while i < 152 {
        o[i] = (i - 99 + 11) as f64;
        i += 1;
    }
    o[152] = 128.0;
    o[153] = 256.0;
    o[154] = 512.0;
    o[155] = 1024.0;
    o
};

/// Terms after which the fractional-order series is given up (dp_accounting's cap): that order
/// is then left out of the minimum.
const MAX_TERMS_FRACTIONAL: usize = 1000;

/// `ln A_α` for integer α (the binomial expansion of Mironov et al. 2019, §3.2).
fn log_a_integer(q: f64, sigma: f64, alpha: u64) -> f64 {
    let mut log_a = f64::NEG_INFINITY;
    let (ln_q, ln_1mq) = (ln(q), ln_1p(-q));
    let a = alpha as f64;
    for i in 0..=alpha {
        let i = i as f64;
        let log_coef = log_comb(a, i) + i * ln_q + (a - i) * ln_1mq;
        log_a = log_add(log_a, log_coef + (i * i - i) / (2.0 * sigma * sigma));
    }
    log_a
}

/// `ln A_α` for fractional α (the two-sided series of Mironov et al. 2019, §3.3); infinite when
/// the series has not converged after [`MAX_TERMS_FRACTIONAL`] terms.
fn log_a_fractional(q: f64, sigma: f64, alpha: f64) -> f64 {
    let (mut log_a0, mut log_a1) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    let z0 = sigma * sigma * ln(1.0 / q - 1.0) + 0.5;
    let (ln_q, ln_1mq) = (ln(q), ln_1p(-q));
    let (mut last_s0, mut last_s1) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    let s2 = std::f64::consts::SQRT_2 * sigma;
    for i in 0..MAX_TERMS_FRACTIONAL {
        let i = i as f64;
        let log_coef = log_comb(alpha, i);
        let j = alpha - i;
        let log_t0 = log_coef + i * ln_q + j * ln_1mq;
        let log_t1 = log_coef + j * ln_q + i * ln_1mq;
        let log_e0 = ln(0.5) + log_erfc((i - z0) / s2);
        let log_e1 = ln(0.5) + log_erfc((z0 - j) / s2);
        let log_s0 = log_t0 + (i * i - i) / (2.0 * sigma * sigma) + log_e0;
        let log_s1 = log_t1 + (j * j - j) / (2.0 * sigma * sigma) + log_e1;
        log_a0 = log_add(log_a0, log_s0);
        log_a1 = log_add(log_a1, log_s1);
        let total = log_add(log_a0, log_a1);
        if log_s0 < last_s0 && log_s1 < last_s1 && log_s0.max(log_s1) < total - 30.0 {
            return total;
        }
        last_s0 = log_s0;
        last_s1 = log_s1;
    }
    f64::INFINITY
}

/// RDP of one step of the Poisson-subsampled Gaussian mechanism at order `alpha` (infinite when
/// the order cannot be evaluated).
///
/// # Examples
/// ```
/// use mia_engine::dp::rdp_accountant::rdp_subsampled_gaussian;
/// // q = 1 is the plain Gaussian mechanism: α / (2σ²).
/// assert_eq!(rdp_subsampled_gaussian(1.0, 2.0, 8.0), 1.0);
/// assert_eq!(rdp_subsampled_gaussian(0.0, 2.0, 8.0), 0.0);
/// ```
pub fn rdp_subsampled_gaussian(q: f64, sigma: f64, alpha: f64) -> f64 {
    if q == 0.0 {
        return 0.0;
    }
    if alpha.is_infinite() || sigma == 0.0 {
        return f64::INFINITY;
    }
    if q == 1.0 {
        return alpha / (2.0 * sigma * sigma);
    }
    let log_a = if alpha.fract() == 0.0 {
        log_a_integer(q, sigma, alpha as u64)
    } else {
        log_a_fractional(q, sigma, alpha)
    };
    log_a / (alpha - 1.0)
}

/// ε from RDP values at `orders` for `delta`: `min_α [rdp_α + ln(1 − 1/α) − ln(δ·α)/(α − 1)]`,
/// floored at 0 (orders ≤ 1.01 give no bound; an RDP so small that `δ² + e^{−rdp} > 1` gives 0 by
/// the KL bound). Returns (ε, optimal order).
pub fn epsilon_from_rdp(orders: &[f64], rdp: &[f64], delta: f64) -> (f64, f64) {
    let mut best = (f64::INFINITY, orders.first().copied().unwrap_or(0.0));
    for (&a, &r) in orders.iter().zip(rdp) {
        let eps = if r < 0.0 || delta * delta + exp_m1(-r) > 0.0 {
            0.0
        } else if a > 1.01 {
            r + ln_1p(-1.0 / a) - ln(delta * a) / (a - 1.0)
        } else {
            f64::INFINITY
        };
        if eps < best.0 {
            best = (eps, a);
        }
    }
    (best.0.max(0.0), best.1)
}

/// A DP-SGD training run: sampling rate, noise multiplier, number of steps.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DpSgdSchedule {
    /// Poisson sampling rate `q = batch / dataset`.
    pub sampling_rate: f64,
    pub noise_multiplier: f64,
    pub steps: u64,
}

impl DpSgdSchedule {
    /// From dataset size N, expected batch size B and epochs: q = B / N and, as Opacus counts them,
    /// steps = ⌊epochs / q⌋.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::dp::DpSgdSchedule;
    /// let s = DpSgdSchedule::from_epochs(60_000, 256, 60.0, 1.1).unwrap();
    /// assert_eq!(s.steps, 14_062);
    /// ```
    pub fn from_epochs(
        dataset: u64,
        batch: u64,
        epochs: f64,
        noise_multiplier: f64,
    ) -> Result<DpSgdSchedule, DpError> {
        if dataset == 0 || batch == 0 || batch > dataset {
            return Err(DpError::Sizes { dataset, batch });
        }
        let q = batch as f64 / dataset as f64;
        Ok(DpSgdSchedule {
            sampling_rate: q,
            noise_multiplier,
            steps: (epochs.max(0.0) * dataset as f64 / batch as f64).floor() as u64,
        })
    }

    /// The epochs these steps make: steps × q.
    pub fn epochs(&self) -> f64 {
        self.steps as f64 * self.sampling_rate
    }
}

/// The privacy of a DP-SGD run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DpSgdEpsilon {
    pub epsilon: f64,
    pub delta: f64,
    /// The Rényi order that gave the smallest ε.
    pub optimal_order: f64,
    /// True when the optimum lies at the smallest or largest order of the grid (a wider grid
    /// might give a smaller ε).
    pub order_at_grid_edge: bool,
    /// Orders whose series did not converge and were left out.
    pub excluded_orders: Vec<f64>,
}

fn check(schedule: &DpSgdSchedule, delta: f64) -> Result<(), DpError> {
    let q = schedule.sampling_rate;
    if !(0.0..=1.0).contains(&q) {
        return Err(DpError::SamplingRate(q));
    }
    let s = schedule.noise_multiplier;
    if !(s > 0.0 && s.is_finite()) {
        return Err(DpError::NoiseMultiplier(s));
    }
    if !(delta > 0.0 && delta < 1.0) {
        return Err(DpError::Delta(delta));
    }
    Ok(())
}

/// RDP of the whole run at each of [`DEFAULT_RDP_ORDERS`].
pub fn dp_sgd_rdp(schedule: &DpSgdSchedule) -> Vec<f64> {
    DEFAULT_RDP_ORDERS
        .iter()
        .map(|&a| {
            schedule.steps as f64
                * rdp_subsampled_gaussian(schedule.sampling_rate, schedule.noise_multiplier, a)
        })
        .collect()
}

/// ε of a DP-SGD run at `delta`, with dp_accounting's orders and conversion.
///
/// # Examples
/// ```
/// use mia_engine::dp::{dp_sgd_epsilon, DpSgdSchedule};
/// // The Opacus README's figure: q = 0.04, σ = 1.5, 2,250 steps, δ = 1e-5 → ε ≈ 7.329.
/// let s = DpSgdSchedule { sampling_rate: 0.04, noise_multiplier: 1.5, steps: 2250 };
/// let e = dp_sgd_epsilon(&s, 1e-5).unwrap();
/// assert!((e.epsilon - 7.329334702381698).abs() < 1e-6);
/// assert_eq!(e.optimal_order, 3.9);
/// ```
pub fn dp_sgd_epsilon(schedule: &DpSgdSchedule, delta: f64) -> Result<DpSgdEpsilon, DpError> {
    check(schedule, delta)?;
    let rdp = dp_sgd_rdp(schedule);
    let (epsilon, optimal_order) = epsilon_from_rdp(&DEFAULT_RDP_ORDERS, &rdp, delta);
    let excluded_orders = DEFAULT_RDP_ORDERS
        .iter()
        .zip(&rdp)
        .filter(|(_, r)| r.is_infinite())
        .map(|(a, _)| *a)
        .collect();
    Ok(DpSgdEpsilon {
        epsilon,
        delta,
        optimal_order,
        order_at_grid_edge: epsilon > 0.0
            && (optimal_order == DEFAULT_RDP_ORDERS[0]
                || optimal_order == DEFAULT_RDP_ORDERS[DEFAULT_RDP_ORDERS.len() - 1]),
        excluded_orders,
    })
}
