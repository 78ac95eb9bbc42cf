//! The inverse of the accountant: the smallest noise multiplier that reaches a target ε, by
//! bisection (ε decreases as σ grows), as Opacus's `get_noise_multiplier` finds it.

use super::error::DpError;
use super::rdp_accountant::{dp_sgd_epsilon, DpSgdSchedule};

/// Largest σ searched.
const SIGMA_MAX: f64 = 1000.0;

/// The smallest σ (to relative precision 1e-6) whose run of `steps` steps at sampling rate `q`
/// has ε ≤ `target_epsilon` at `delta`.
///
/// # Examples
/// ```
/// use mia_engine::dp::noise_multiplier_for_epsilon;
/// let sigma = noise_multiplier_for_epsilon(0.04, 2250, 1e-5, 7.329334702381698).unwrap();
/// assert!((sigma - 1.5).abs() < 1e-4);
/// ```
pub fn noise_multiplier_for_epsilon(
    q: f64,
    steps: u64,
    delta: f64,
    target_epsilon: f64,
) -> Result<f64, DpError> {
    if !(target_epsilon > 0.0 && target_epsilon.is_finite()) {
        return Err(DpError::Epsilon(target_epsilon));
    }
    let eps = |sigma: f64| {
        dp_sgd_epsilon(
            &DpSgdSchedule {
                sampling_rate: q,
                noise_multiplier: sigma,
                steps,
            },
            delta,
        )
        .map(|e| e.epsilon)
    };
    if eps(SIGMA_MAX)? > target_epsilon {
        return Err(DpError::Unreachable { target_epsilon });
    }
    let (mut lo, mut hi) = (0.0f64, SIGMA_MAX);
    // Bracket quickly from below: most answers are under 20.
    let mut probe = 1.0;
    while probe < SIGMA_MAX {
        if eps(probe)? <= target_epsilon {
            hi = probe;
            break;
        }
        lo = probe;
        probe *= 2.0;
    }
    while hi - lo > 1e-6 * hi {
        let mid = 0.5 * (lo + hi);
        if eps(mid)? <= target_epsilon {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(hi)
}
