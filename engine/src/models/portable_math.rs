//! Math that gives the same bits on every platform, so that a training run from a seed, and the
//! ε the RDP accountant gives it, are the same in the browser (WebAssembly) and in `mia train`
//! (native): `exp`, `ln`, `lgamma`, `erfc` and their kin from the `libm`
//! crate (a pure-Rust port of musl's, the same code on both) rather than the platform's library,
//! and Gaussian draws by Marsaglia's polar method on top of them (Marsaglia & Bray 1964), rather
//! than a ziggurat whose acceptance tests call the platform's `exp`. `sqrt` and the arithmetic are
//! IEEE 754 and exact everywhere.

use rand::Rng;

/// eˣ, the same on every platform.
#[inline]
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// ln x, the same on every platform.
#[inline]
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// ln(1 + x), the same on every platform.
#[inline]
pub fn ln_1p(x: f64) -> f64 {
    libm::log1p(x)
}

/// eˣ − 1, the same on every platform.
#[inline]
pub fn exp_m1(x: f64) -> f64 {
    libm::expm1(x)
}

/// sin x, the same on every platform.
#[inline]
pub fn sin(x: f64) -> f64 {
    libm::sin(x)
}

/// ln |Γ(x)| for x > 0, the same on every platform.
#[inline]
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// The complementary error function, the same on every platform.
#[inline]
pub fn erfc(x: f64) -> f64 {
    libm::erfc(x)
}

/// A standard normal draw (Marsaglia's polar method; the second value of each pair is not kept,
/// so one call uses a whole number of uniform pairs).
pub fn standard_normal(rng: &mut impl Rng) -> f64 {
    loop {
        let u: f64 = 2.0 * rng.random::<f64>() - 1.0;
        let v: f64 = 2.0 * rng.random::<f64>() - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * (-2.0 * ln(s) / s).sqrt();
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    #[test]
    fn draws_are_standard_normal() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let n = 200_000;
        let v: Vec<f64> = (0..n).map(|_| super::standard_normal(&mut rng)).collect();
        let mean = v.iter().sum::<f64>() / n as f64;
        let var = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
        let beyond_2 = v.iter().filter(|x| x.abs() > 2.0).count() as f64 / n as f64;
        // Standard errors: mean 0.0022, variance 0.0032, tail share 0.0005.
        assert!(mean.abs() < 0.01, "{mean}");
        assert!((var - 1.0).abs() < 0.015, "{var}");
        assert!((beyond_2 - 0.0455).abs() < 0.003, "{beyond_2}");
    }

    #[test]
    fn exp_and_ln_agree_with_the_platform_to_an_ulp() {
        for x in [-700.0, -3.5, -1e-9, 0.0, 0.3, 1.0, 2.5, 88.0, 700.0] {
            let (a, b) = (super::exp(x), f64::exp(x));
            assert!(
                (a - b).abs() <= 2.0 * f64::EPSILON * b.abs(),
                "exp({x}): {a} vs {b}"
            );
        }
        for x in [1e-300, 1e-5, 0.5, 1.0, 2.0, 1e10] {
            let (a, b) = (super::ln(x), f64::ln(x));
            assert!(
                (a - b).abs() <= 2.0 * f64::EPSILON * b.abs().max(1.0),
                "ln({x})"
            );
        }
    }
}
