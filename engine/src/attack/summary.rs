//! Summary statistics used by the report: means and percentiles.

use crate::table::member_flags::Membership;

/// The arithmetic mean, summed with Neumaier's compensated summation so that millions of values
/// lose no precision. Returns `None` for an empty slice.
///
/// # Examples
/// ```
/// assert_eq!(mia_engine::attack::summary::mean(&[1.0, 2.0, 6.0]), Some(3.0));
/// assert_eq!(mia_engine::attack::summary::mean(&[]), None);
/// ```
pub fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    Some(neumaier_sum(values.iter().copied()) / values.len() as f64)
}

/// Mean of the values where `mask` equals `keep`.
pub fn masked_mean<M: Membership + ?Sized>(values: &[f64], mask: &M, keep: bool) -> Option<f64> {
    let mut n = 0usize;
    let s = neumaier_sum(
        values
            .iter()
            .enumerate()
            .filter(|&(i, _)| i < mask.n_records() && mask.is_member(i) == keep)
            .map(|(_, &v)| {
                n += 1;
                v
            }),
    );
    (n > 0).then(|| s / n as f64)
}

/// Compensated sum (Neumaier 1974): exact to a few ulps whatever the order of magnitudes.
pub fn neumaier_sum(values: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut c) = (0.0f64, 0.0f64);
    for v in values {
        let t = sum + v;
        if sum.abs() >= v.abs() {
            c += (sum - t) + v;
        } else {
            c += (v - t) + sum;
        }
        sum = t;
    }
    sum + c
}

/// The `q`-th percentile (`q` in `[0, 100]`) of already **sorted** values, with linear
/// interpolation between closest ranks: numpy's default (`method="linear"`).
///
/// # Formula
/// With `h = q/100 · (n − 1)`, the result is `a[⌊h⌋] + (h − ⌊h⌋)(a[⌊h⌋+1] − a[⌊h⌋])`.
///
/// # Examples
/// ```
/// use mia_engine::attack::summary::percentile_sorted;
/// assert_eq!(percentile_sorted(&[1.0, 2.0, 3.0, 4.0], 50.0), Some(2.5));
/// assert_eq!(percentile_sorted(&[1.0, 2.0, 3.0, 4.0], 25.0), Some(1.75));
/// ```
pub fn percentile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    percentile_by(sorted.len(), |k| sorted[k], q)
}

/// [`percentile_sorted`] of `n` ascending values given by `value(k)`, `k` in `0..n`.
pub fn percentile_by(n: usize, value: impl Fn(usize) -> f64, q: f64) -> Option<f64> {
    if n == 0 || !(0.0..=100.0).contains(&q) {
        return None;
    }
    let h = q / 100.0 * (n - 1) as f64;
    let lo = (h.floor() as usize).min(n - 1);
    let hi = (lo + 1).min(n - 1);
    let t = h - lo as f64;
    let (a, b) = (value(lo), value(hi));
    let diff = b - a;
    // numpy's _lerp: interpolate from the nearer end, so t = 1 gives exactly b.
    Some(if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    })
}

/// The sum exactly as numpy's `sum` computes it for a contiguous float64 array: pairwise
/// summation with 8 accumulators in blocks of up to 128 (`pairwise_sum` in numpy's loops).
/// Matching numpy bit for bit matters where results are compared for exact ties, e.g. after
/// rounding probabilities.
///
/// # Examples
/// ```
/// let v = [0.1; 10];
/// assert_eq!(mia_engine::attack::summary::numpy_sum(&v), 1.0); // numpy.sum gives 1.0 too
/// assert_eq!(v.iter().sum::<f64>(), 0.9999999999999999); // left to right does not
/// ```
pub fn numpy_sum(a: &[f64]) -> f64 {
    numpy_sum_of(a, |v| v)
}

/// [`numpy_sum`] of `f` applied to each element (numpy's `np.sum(f(a))`), without the
/// intermediate array: the same additions in the same order.
///
/// # Examples
/// ```
/// use mia_engine::attack::summary::{numpy_sum, numpy_sum_of};
/// let v: Vec<f64> = (0..300).map(|k| 0.1 * k as f64).collect();
/// let squares: Vec<f64> = v.iter().map(|x| x * x).collect();
/// assert_eq!(numpy_sum_of(&v, |x| x * x), numpy_sum(&squares));
/// ```
#[inline]
pub fn numpy_sum_of(a: &[f64], f: impl Fn(f64) -> f64 + Copy) -> f64 {
    let n = a.len();
    if n < 8 {
        let mut s = 0.0;
        for &v in a {
            s += f(v);
        }
        s
    } else if n <= 128 {
        let mut r = [0.0f64; 8];
        for (r, &v) in r.iter_mut().zip(&a[..8]) {
            *r = f(v);
        }
        let mut i = 8;
        while i < n - n % 8 {
            for j in 0..8 {
                r[j] += f(a[i + j]);
            }
            i += 8;
        }
        let mut s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &v in &a[i..] {
            s += f(v);
        }
        s
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        numpy_sum_of(&a[..n2], f) + numpy_sum_of(&a[n2..], f)
    }
}
