//! Number formatting: at least four significant digits. Shared by the page and the engine's
//! review report, so both print the same figures.

/// `v` with `sig` significant digits (never in exponent form for the ranges we show).
///
/// ```
/// use mia_engine::output::number_format::sig;
/// assert_eq!(sig(0.826148, 4), "0.8261");
/// assert_eq!(sig(0.0066815144766, 4), "0.006682");
/// assert_eq!(sig(2.82652, 4), "2.827");
/// assert_eq!(sig(0.0, 4), "0.000");
/// ```
pub fn sig(v: f64, sig: usize) -> String {
    if v == 0.0 {
        return format!("{:.*}", sig.saturating_sub(1), 0.0);
    }
    if !v.is_finite() {
        return format!("{v}");
    }
    let magnitude = v.abs().log10().floor() as i32;
    if !(-7..=9).contains(&magnitude) {
        return format!("{:.*e}", sig.saturating_sub(1), v);
    }
    let decimals = (sig as i32 - 1 - magnitude).max(0) as usize;
    format!("{v:.decimals$}")
}

/// A rate as a percentage with four significant digits: `0.0066815` → `0.6682 %`.
pub fn percent(v: f64) -> String {
    format!("{} %", sig(v * 100.0, 4))
}

/// A count with thousands separators: `1797` → `1,797`.
pub fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A duration given in milliseconds: `412.4` → `412 ms`, `1534.0` → `1.53 s`.
///
/// # Examples
/// ```
/// use mia_engine::output::number_format::duration;
/// assert_eq!(duration(412.4), "412 ms");
/// assert_eq!(duration(1534.0), "1.53 s");
/// ```
pub fn duration(ms: f64) -> String {
    if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

/// An FPR target as a label: `0.001` → `0.1%`.
pub fn fpr_label(t: f64) -> String {
    format!("{}%", t * 100.0)
}

/// A probability like δ as people write it: `1e-5` rather than `0.00001`, `0.01` as is.
///
/// ```
/// use mia_engine::output::number_format::probability;
/// assert_eq!(probability(1e-5), "1e-5");
/// assert_eq!(probability(0.01), "0.01");
/// assert_eq!(probability(0.0), "0");
/// ```
pub fn probability(v: f64) -> String {
    if v != 0.0 && v.abs() < 1e-3 {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}
