//! The skew-normal distribution (Azzalini 1985) that TF Privacy's `exposures.py` fits to the
//! reference candidates' log-perplexities to extrapolate a canary's exposure: its density, its
//! CDF far into the tails, and the maximum-likelihood fit of `scipy.stats.skewnorm.fit`.
//!
//! With z = (x − location)/scale and shape a, the density is 2/scale · φ(z) Φ(a z) and the CDF is
//! F(z; a) = Φ(z) − 2 T(z, a), T being Owen's T function. That difference cancels to nothing in
//! the far left tail (a > 0), where a canary's CDF lives (1e-30 and below), so it is not computed
//! so. Owen's integral T(h, a) = 1/2π ∫₀ᵃ exp(−h²(1+x²)/2)/(1+x²) dx with x = tan θ, and
//! Φ(z) = 2 T(z, ∞) for z ≤ 0, give, with θ₀ = atan a and F(0; a) = (π/2 − θ₀)/π:
//!
//! - z < 0: F = 1/π ∫_a^∞ exp(−z²(1+x²)/2)/(1+x²) dx, a positive integrand: its logarithm is
//!   taken with the integrand's largest value exp(−z²(1 + max(a, 0)²)/2) factored out, so that
//!   log F is right when F is far below the smallest double;
//! - z > 0: F = 1/π [(π/2 − θ₀) + ∫_{−θ₀}^{π/2} (1 − exp(−z²/(2 cos²θ))) dθ], two positive terms
//!   and ln F = ln(1 − F(−z; −a)) when F > ½.
//!
//! Each integral is adaptive Gauss–Kronrod (7/15 points, QUADPACK's QAG scheme) to 1e-14 of its
//! value, from breakpoints spaced geometrically away from the integrand's peak. Against mpmath at
//! 40 digits, over a grid reaching z = −40 and |a| = 30 (log F = −720,000), the log-CDF is within
//! 6e-14 relative and the CDF within 3e-14 (the test `text_canary` checks 1e-12). scipy's own
//! `skewnorm.cdf` integrates the density numerically below 1e-6 for a > 0: it is good to about
//! 1e-9 there, to 1e-4 near 1e-240, and 0 below 1e-308.
//!
//! The fit maximises the likelihood over (location, scale, shape), as scipy's does. For a fixed
//! shape the log-likelihood is strictly concave in (location/scale, 1/scale) (−z²/2 and ln Φ are
//! concave, z is affine in those two), so Newton's method finds that shape's profile likelihood
//! exactly; the shape is searched on a grid of asinh(shape) from −10 to 10 (step 0.4), and the
//! highest local maximum inside it refined by compass search. The likelihood of a few values
//! often rises towards a half-normal as |shape| → ∞, a supremum no skew-normal attains: when it
//! rises there above every finite maximum (or the maximum lies beyond |shape| 1000) there is no
//! fit, where scipy's Nelder–Mead either runs off to a huge shape or stops at the lower, finite
//! maximum, by where the method-of-moments start happens to lie. Otherwise scipy's
//! `optimize.fmin` (xtol 1e-4) stops within 2e-5 of this optimum on the test fixture, its
//! log-likelihood up to 1e-7 lower; on 120 random samples of 5 to 3,000 values, each fit here had
//! a log-likelihood at least scipy's (up to 0.4 above it, where Nelder–Mead stalled). All `exp`,
//! `ln` and `erfc` are `libm`'s, the same on every platform.

use serde::{Deserialize, Serialize};

const LN_2: f64 = std::f64::consts::LN_2;
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;
const PI: f64 = std::f64::consts::PI;
/// The fewest values a fit takes: three parameters need three values.
pub const MIN_FIT_VALUES: usize = 3;
/// A fitted |shape| above this is taken as running off to infinity (the half-normal limit):
/// δ = a/√(1+a²) is then within 5e-7 of ±1.
pub const MAX_SHAPE: f64 = 1000.0;

/// A skew-normal distribution, parameterised as scipy's `skewnorm(shape, location, scale)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SkewNormal {
    pub location: f64,
    pub scale: f64,
    pub shape: f64,
}

/// A maximum-likelihood fit and its log-likelihood (natural log, summed over the values).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SkewNormalFit {
    pub distribution: SkewNormal,
    pub log_likelihood: f64,
}

/// Why no skew-normal is fitted.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[non_exhaustive]
pub enum FitError {
    #[error("{found} reference values; a skew-normal fit (location, scale, shape) needs at least {needed}")]
    TooFewValues { found: usize, needed: usize },
    #[error("a reference value is not a finite number")]
    NotFinite,
    #[error("all reference values are equal, and no skew-normal has zero spread")]
    NoSpread,
    #[error("the likelihood rises higher as the shape runs to {}∞ (towards a half-normal) than at any finite shape, so no skew-normal maximises it (scipy's fit then runs off to a huge shape, or stops at a lower local maximum); more reference values usually give a fit", if *.positive { "+" } else { "−" })]
    Unbounded { positive: bool },
    #[error("the likelihood could not be evaluated (values too far apart for double precision)")]
    NoConvergence,
}

/// ln φ(w), the standard normal log-density.
fn log_phi(w: f64) -> f64 {
    -0.5 * w * w - LN_SQRT_2PI
}

/// Σ (−1)ᵏ (2k−1)!!/w²ᵏ, k = 0‥12: Φ(w) = φ(w)/|w| times this for w < −20 (error below 1e-19).
fn mills_series(w: f64) -> f64 {
    let (w2, mut term, mut sum) = (w * w, 1.0, 1.0);
    for k in 1..=12 {
        term *= -((2 * k - 1) as f64) / w2;
        sum += term;
    }
    sum
}

/// ln Φ(w), accurate in both tails (scipy's `log_ndtr` scheme).
pub fn log_ndtr(w: f64) -> f64 {
    if w > 6.0 {
        libm::log1p(-0.5 * libm::erfc(w / std::f64::consts::SQRT_2))
    } else if w > -20.0 {
        libm::log(0.5 * libm::erfc(-w / std::f64::consts::SQRT_2))
    } else {
        log_phi(w) - libm::log(-w) + libm::log(mills_series(w))
    }
}

/// φ(w)/Φ(w), the inverse Mills ratio.
fn mills(w: f64) -> f64 {
    if w > -20.0 {
        libm::exp(log_phi(w)) / (0.5 * libm::erfc(-w / std::f64::consts::SQRT_2))
    } else {
        -w / mills_series(w)
    }
}

/// QUADPACK's qk15: the Kronrod nodes (the odd ones are Gauss's), their weights, and Gauss's.
#[rustfmt::skip]
const XGK: [f64; 8] = [0.991_455_371_120_812_6, 0.949_107_912_342_758_5, 0.864_864_423_359_769_1,
    0.741_531_185_599_394_4, 0.586_087_235_467_691_1, 0.405_845_151_377_397_2,
    0.207_784_955_007_898_5, 0.0];
#[rustfmt::skip]
const WGK: [f64; 8] = [0.022_935_322_010_529_22, 0.063_092_092_629_978_55, 0.104_790_010_322_250_2,
    0.140_653_259_715_525_9, 0.169_004_726_639_267_9, 0.190_350_578_064_785_4,
    0.204_432_940_075_298_9, 0.209_482_141_084_727_8];
#[rustfmt::skip]
const WG: [f64; 4] = [0.129_484_966_168_869_7, 0.279_705_391_489_276_7, 0.381_830_050_505_118_9,
    0.417_959_183_673_469_4];

/// Gauss–Kronrod 15 on [a, b]: (Kronrod value, |Kronrod − Gauss|).
fn gk15(f: &impl Fn(f64) -> f64, a: f64, b: f64) -> (f64, f64) {
    let (c, h) = (0.5 * (a + b), 0.5 * (b - a));
    let fc = f(c);
    let (mut k, mut g) = (WGK[7] * fc, WG[3] * fc);
    for j in 0..7 {
        let pair = f(c - h * XGK[j]) + f(c + h * XGK[j]);
        k += WGK[j] * pair;
        if j % 2 == 1 {
            g += WG[j / 2] * pair;
        }
    }
    (k * h, ((k - g) * h).abs())
}

/// ∫ f over the pieces between consecutive `breaks`, bisecting the piece of largest error until
/// the errors add up to 1e-14 of the value (or 500 pieces).
fn integrate(f: impl Fn(f64) -> f64, breaks: &[f64]) -> f64 {
    let mut parts: Vec<(f64, f64, f64, f64)> = breaks
        .windows(2)
        .filter(|w| w[1] > w[0])
        .map(|w| {
            let (v, e) = gk15(&f, w[0], w[1]);
            (w[0], w[1], v, e)
        })
        .collect();
    loop {
        let total: f64 = parts.iter().map(|p| p.2).sum();
        let error: f64 = parts.iter().map(|p| p.3).sum();
        let worst = parts
            .iter()
            .enumerate()
            .max_by(|x, y| x.1 .3.total_cmp(&y.1 .3))
            .map(|(i, _)| i);
        let Some(i) = worst else { return 0.0 };
        if error <= 1e-14 * total.abs() || parts.len() >= 500 || !error.is_finite() {
            return total;
        }
        let (a, b, _, _) = parts[i];
        let m = 0.5 * (a + b);
        if m <= a || m >= b {
            return total;
        }
        let (v1, e1) = gk15(&f, a, m);
        let (v2, e2) = gk15(&f, m, b);
        parts[i] = (a, m, v1, e1);
        parts.push((m, b, v2, e2));
    }
}

/// from ± w·4ᵏ towards `to` (breakpoints for a peak of width w at `from`), short of `to`.
fn geometric(from: f64, to: f64, w: f64) -> impl Iterator<Item = f64> {
    let dir = (to - from).signum();
    (0..64)
        .map(move |k| from + dir * w * libm::ldexp(1.0, 2 * k))
        .take_while(move |&x| (x - to) * dir < 0.0)
}

/// ln F(z; a), the standard (location 0, scale 1) skew-normal log-CDF; NaN for a NaN z or a shape
/// that is not finite.
pub fn standard_log_cdf(z: f64, a: f64) -> f64 {
    if z.is_nan() || !a.is_finite() {
        return f64::NAN;
    }
    let h2 = 0.5 * z * z;
    if h2 == 0.0 {
        return libm::log(libm::atan2(1.0, a) / PI);
    }
    if z < 0.0 {
        if h2.is_infinite() {
            return f64::NEG_INFINITY;
        }
        // F = 1/π ∫_a^∞ exp(−h2 (1 + x²))/(1 + x²) dx (x = tan θ), the largest exponential
        // exp(−h2 (1 + b²)) factored out; past x_max the integrand is below e^−750 of it.
        let b = a.max(0.0);
        let x_max = (b * b + 750.0 / h2).sqrt();
        let lo = a.max(-x_max);
        let w = 1.0 / (2.0 * h2 * b + h2.sqrt()).max(1.0);
        let mut breaks: Vec<f64> = geometric(b, lo, w).collect();
        breaks.extend([lo, b, x_max]);
        breaks.extend(geometric(b, x_max, w));
        breaks.sort_by(f64::total_cmp);
        breaks.dedup();
        let scaled = |x: f64| libm::exp(-h2 * ((x - b) * (x + b))) / (1.0 + x * x);
        -h2 * (1.0 + b * b) + libm::log(integrate(scaled, &breaks)) - libm::log(PI)
    } else {
        // F = 1/π [(π/2 − θ₀) + ∫_{−θ₀}^{π/2} (1 − exp(−h2/cos²θ)) dθ], rising to 1 within
        // about z of π/2.
        let (half, theta0) = (PI / 2.0, libm::atan(a));
        let mut breaks: Vec<f64> = geometric(half, -theta0, z).collect();
        breaks.extend([-theta0, half]);
        breaks.sort_by(f64::total_cmp);
        let rise = |t: f64| {
            let c = libm::cos(t);
            -libm::expm1(-h2 / (c * c))
        };
        let f = (libm::atan2(1.0, a) + integrate(rise, &breaks)) / PI;
        if f < 0.5 {
            return libm::log(f);
        }
        // F near 1: ln F = ln(1 − S), S = F(−z; −a) from the tail form.
        libm::log1p(-libm::exp(standard_log_cdf(-z, -a)))
    }
}

impl SkewNormal {
    fn z(&self, x: f64) -> f64 {
        (x - self.location) / self.scale
    }

    /// ln of the density at `x`.
    pub fn log_pdf(&self, x: f64) -> f64 {
        let z = self.z(x);
        LN_2 - libm::log(self.scale) + log_phi(z) + log_ndtr(self.shape * z)
    }

    /// The density at `x`.
    pub fn pdf(&self, x: f64) -> f64 {
        libm::exp(self.log_pdf(x))
    }

    /// ln P(X ≤ x), right far below the smallest double.
    pub fn log_cdf(&self, x: f64) -> f64 {
        standard_log_cdf(self.z(x), self.shape)
    }

    /// P(X ≤ x).
    pub fn cdf(&self, x: f64) -> f64 {
        libm::exp(self.log_cdf(x))
    }

    /// Σ ln pdf over `values` (scipy's `-skewnorm.nnlf`).
    pub fn log_likelihood(&self, values: &[f64]) -> f64 {
        values.iter().map(|&x| self.log_pdf(x)).sum()
    }

    /// The maximum-likelihood skew-normal of `values` (scipy's `skewnorm.fit`, its optimum or a
    /// better one).
    pub fn fit(values: &[f64]) -> Result<SkewNormalFit, FitError> {
        if values.len() < MIN_FIT_VALUES {
            return Err(FitError::TooFewValues {
                found: values.len(),
                needed: MIN_FIT_VALUES,
            });
        }
        if values.iter().any(|v| !v.is_finite()) {
            return Err(FitError::NotFinite);
        }
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
        if !(mean.is_finite() && sd.is_finite()) {
            return Err(FitError::NoConvergence);
        }
        if sd <= 0.0 {
            return Err(FitError::NoSpread);
        }
        let u: Vec<f64> = values.iter().map(|v| (v - mean) / sd).collect();
        let at = |t: f64, from: Option<Profile>| profile(&u, libm::sinh(t), from);
        let value = |p: &Option<Profile>| p.map_or(f64::NEG_INFINITY, |p| p.ll);
        // The grid in t = asinh(shape) (|shape| up to 11,013), walked out from 0 so that each
        // point starts from its neighbour's optimum.
        let (step, half) = (0.4, 25);
        let points = 2 * half + 1;
        let t_of = |k: usize| step * (k as f64 - half as f64);
        let mut grid: Vec<Option<Profile>> = vec![None; points];
        grid[half] = at(0.0, None);
        for k in (half + 1..points).chain((0..half).rev()) {
            grid[k] = at(t_of(k), grid[if k > half { k - 1 } else { k + 1 }]);
        }
        // The highest local maximum inside the grid, unless the likelihood rises above it at an
        // end, towards a half-normal: its supremum is then at shape ±∞, attained by no fit.
        let v = |k: usize| value(&grid[k]);
        let best = (1..points - 1)
            .filter(|&k| v(k) > f64::NEG_INFINITY && v(k) >= v(k - 1) && v(k) >= v(k + 1))
            .max_by(|&i, &j| v(i).total_cmp(&v(j)));
        let edge = v(0).max(v(points - 1));
        let best = match best {
            Some(best) if v(best) >= edge => best,
            _ if edge == f64::NEG_INFINITY => return Err(FitError::NoConvergence),
            _ => {
                return Err(FitError::Unbounded {
                    positive: v(points - 1) >= v(0),
                })
            }
        };
        // Compass search from there, halving the step until 1e-9.
        let (mut t, mut top, mut h) = (t_of(best), grid[best], step / 2.0);
        while h > 1e-9 {
            let better = [t - h, t + h]
                .into_iter()
                .map(|c| (c, at(c, top)))
                .find(|(_, q)| value(q) > value(&top));
            match better {
                Some((c, q)) => (t, top) = (c, q),
                None => h /= 2.0,
            }
        }
        let Some(p) = top else {
            return Err(FitError::NoConvergence);
        };
        let shape = libm::sinh(t);
        if shape.abs() > MAX_SHAPE {
            return Err(FitError::Unbounded {
                positive: shape > 0.0,
            });
        }
        let distribution = SkewNormal {
            location: mean + sd * p.xi / p.eta,
            scale: sd / p.eta,
            shape,
        };
        let log_likelihood = distribution.log_likelihood(values);
        if !log_likelihood.is_finite() {
            return Err(FitError::NoConvergence);
        }
        Ok(SkewNormalFit {
            distribution,
            log_likelihood,
        })
    }
}

/// The best (ξ, η) = (location/scale, 1/scale) of the standardised values for one shape.
#[derive(Clone, Copy)]
struct Profile {
    ll: f64,
    xi: f64,
    eta: f64,
}

/// Σ [ln η − z²/2 + ln Φ(a z)], z = η u − ξ (the log-likelihood less its constants).
fn log_lik(u: &[f64], a: f64, xi: f64, eta: f64) -> f64 {
    let n = u.len() as f64;
    n * libm::log(eta)
        + u.iter()
            .map(|&x| {
                let z = eta * x - xi;
                -0.5 * z * z + log_ndtr(a * z)
            })
            .sum::<f64>()
}

/// Newton's method with backtracking for the profile likelihood of shape `a`, from `from` or else
/// the method-of-moments start for that shape (standardised values have mean 0 and variance 1).
fn profile(u: &[f64], a: f64, from: Option<Profile>) -> Option<Profile> {
    let n = u.len() as f64;
    let d = a / (1.0 + a * a).sqrt();
    let (mut xi, mut eta) = match from {
        Some(p) => (p.xi, p.eta),
        None => (-d * (2.0 / PI).sqrt(), (1.0 - 2.0 * d * d / PI).sqrt()),
    };
    let mut l = log_lik(u, a, xi, eta);
    for _ in 0..100 {
        let (mut s1, mut s1u, mut s2, mut s2u, mut s2uu) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for &x in u {
            let z = eta * x - xi;
            let w = a * z;
            let r = mills(w);
            let dz = -z + a * r;
            let ddz = -1.0 - a * a * (r * (w + r)).clamp(0.0, 1.0);
            (s1, s1u) = (s1 + dz, s1u + dz * x);
            (s2, s2u, s2uu) = (s2 + ddz, s2u + ddz * x, s2uu + ddz * x * x);
        }
        let (g1, g2) = (-s1, n / eta + s1u);
        let (h11, h12, h22) = (s2, -s2u, -n / (eta * eta) + s2uu);
        let det = h11 * h22 - h12 * h12;
        let (d1, d2) = ((-h22 * g1 + h12 * g2) / det, (h12 * g1 - h11 * g2) / det);
        let decrement = g1 * d1 + g2 * d2;
        if !(decrement.is_finite() && l.is_finite()) {
            return None;
        }
        // Within rounding of the optimum: one last full step if it does no harm, then stop.
        let last = decrement <= 1e-10 * (1.0 + l.abs());
        let mut s = 1.0;
        while eta + s * d2 <= 0.0 {
            s *= 0.5;
        }
        loop {
            let next = log_lik(u, a, xi + s * d1, eta + s * d2);
            if next >= l + 1e-4 * s * decrement || (last && next >= l) {
                (xi, eta, l) = (xi + s * d1, eta + s * d2, next);
                break;
            }
            if last || s < 1e-10 {
                return Some(Profile { ll: l, xi, eta });
            }
            s *= 0.5;
        }
        if last {
            break;
        }
    }
    Some(Profile { ll: l, xi, eta })
}
