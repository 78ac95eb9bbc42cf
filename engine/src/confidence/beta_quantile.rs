//! The regularized incomplete beta function `I_x(a, b)` and its inverse in `x`, the quantile of
//! the Beta(a, b) distribution (what `scipy.stats.beta.ppf` computes).

use statrs::function::gamma::ln_gamma;

/// Continued fraction of `I_x(a, b)` (modified Lentz, Numerical Recipes §6.4), valid for
/// `x < (a + 1) / (a + b + 2)`.
fn beta_continued_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    const EPS: f64 = 1e-16;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let floor = |v: f64| if v.abs() < TINY { TINY } else { v };
    let mut c = 1.0;
    let mut d = 1.0 / floor(1.0 - qab * x / qap);
    let mut h = d;
    // One Lentz step with coefficient `aa`: returns the factor applied to `h`.
    let mut step = |aa: f64| {
        d = 1.0 / floor(1.0 + aa * d);
        c = floor(1.0 + aa / c);
        d * c
    };
    // Convergence takes O(sqrt(max(a, b))) terms; the cap covers counts in the hundreds of millions.
    for m in 1..200_000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        h *= step(m * (b - m) * x / ((qam + m2) * (a + m2)));
        let del = step(-(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)));
        h *= del;
        if (del - 1.0).abs() < EPS {
            break;
        }
    }
    h
}

/// `I_x(a, b)`, the regularized incomplete beta function, for `a, b > 0` and `x` in `[0, 1]`.
///
/// # Examples
/// ```
/// use mia_engine::confidence::beta_quantile::beta_reg;
/// assert!((beta_reg(2.0, 3.0, 0.4) - 0.5248).abs() < 1e-12);
/// ```
pub fn beta_reg(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (-x).ln_1p();
    if x < (a + 1.0) / (a + b + 2.0) {
        (ln_front - a.ln()).exp() * beta_continued_fraction(a, b, x)
    } else {
        1.0 - (ln_front - b.ln()).exp() * beta_continued_fraction(b, a, 1.0 - x)
    }
}

/// `ln` of the Beta(a, b) density at `x` in `(0, 1)`.
fn ln_beta_pdf(a: f64, b: f64, x: f64) -> f64 {
    ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + (a - 1.0) * x.ln() + (b - 1.0) * (-x).ln_1p()
}

/// The `p`-quantile of Beta(a, b): the `x` with `I_x(a, b) = p`, by Newton's method on the
/// density from a normal approximation, kept inside a shrinking bracket (a step that leaves it
/// bisects instead), to full double precision.
///
/// # Examples
/// ```
/// use mia_engine::confidence::beta_quantile::beta_quantile;
/// // Beta(1, n): closed form 1 − (1 − p)^(1/n).
/// let x = beta_quantile(0.95, 1.0, 20.0);
/// assert!((x - (1.0 - 0.05f64.powf(1.0 / 20.0))).abs() < 1e-14);
/// ```
pub fn beta_quantile(p: f64, a: f64, b: f64) -> f64 {
    if p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    let mean = a / (a + b);
    let sd = (mean * (1.0 - mean) / (a + b + 1.0)).sqrt();
    let z = statrs::distribution::ContinuousCDF::inverse_cdf(
        &statrs::distribution::Normal::standard(),
        p,
    );
    let mut x = (mean + z * sd).clamp(1e-300, 1.0 - 1e-16);
    for _ in 0..200 {
        let f = beta_reg(a, b, x) - p;
        if f == 0.0 {
            return x;
        }
        if f < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let pdf = ln_beta_pdf(a, b, x).exp();
        let newton = x - f / pdf;
        let next = if pdf > 0.0 && newton > lo && newton < hi {
            newton
        } else {
            // Bisect; in log space when the bracket spans orders of magnitude near 0.
            if lo > 0.0 && hi / lo > 1e3 {
                (lo.ln() * 0.5 + hi.ln() * 0.5).exp()
            } else if lo == 0.0 && hi > 1e-300 {
                hi * 1e-3
            } else {
                0.5 * (lo + hi)
            }
        };
        if (next - x).abs() <= 1e-16 * x.abs() || next <= lo || next >= hi {
            return if next > lo && next < hi { next } else { x };
        }
        x = next;
    }
    x
}
