//! Reading decimal numbers from CSV cells exactly, without going through `str`.
//!
//! A plain decimal with at most 19 significant digits, a mantissa below 2^53 and a power of ten
//! within ±22 is the exact quotient (or product) of two exactly representable doubles, so one IEEE
//! division (or multiplication) rounds it correctly: W. D. Clinger, "How to Read Floating Point
//! Numbers Accurately", PLDI 1990 (the "fast path" also used by Eisel–Lemire parsers). Plain
//! decimals beyond it (the 16 to 17 significant digits a full-precision `repr` of a double writes)
//! go to the Eisel–Lemire algorithm (D. Lemire, "Number Parsing at a Gigabyte per Second",
//! Software: Practice and Experience 51(8), 2021) of the `fast-float2` crate, straight from the
//! bytes. Both round correctly, so the result is the same double `str::parse::<f64>` gives;
//! anything else (spaces, decimal commas, words, non-finite values) returns `None` and the caller
//! falls back to the standard library and its messages.

/// Powers of ten that are exact doubles.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Powers of ten up to 10^7 as integers.
const POW10_U64: [u64; 8] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];

/// The value of a plain decimal cell (`[+-]digits[.digits][(e|E)[+-]digits]`, no spaces),
/// correctly rounded; `None` for anything else (the caller then uses `str::parse`).
///
/// # Examples
/// ```
/// use mia_engine::ingest::csv::decimal::parse_decimal;
/// assert_eq!(parse_decimal(b"0.930000"), Some(0.93));
/// assert_eq!(parse_decimal(b"-1.5e-3"), Some(-0.0015));
/// assert_eq!(parse_decimal(b"12"), Some(12.0));
/// assert_eq!(parse_decimal(b" 1"), None); // spaces: the slow path trims
/// assert_eq!(parse_decimal(b"0.12345678901234567890123"), Some(0.12345678901234568)); // Eisel–Lemire
/// assert_eq!(parse_decimal(b"-2.265239326081226"), Some(-2.265239326081226)); // a full `repr`
/// assert_eq!(parse_decimal(b"nan"), None);
/// ```
#[inline]
pub fn parse_decimal(s: &[u8]) -> Option<f64> {
    // A cell of 16 bytes or more rarely fits the fast path (`repr` of a double writes 16 to 17
    // significant digits): straight to Eisel–Lemire. Both give the correctly rounded double.
    if s.len() >= 16 {
        return eisel_lemire(s);
    }
    clinger_fast_path(s).or_else(|| eisel_lemire(s))
}

/// A plain decimal the fast path cannot round, by Eisel–Lemire; `None` for any other cell and
/// for values that overflow to ±∞.
#[inline(never)]
fn eisel_lemire(s: &[u8]) -> Option<f64> {
    fast_float2::parse::<f64, _>(s)
        .ok()
        .filter(|v| v.is_finite())
}

/// [`parse_decimal`]'s first try: Clinger's fast path.
#[inline]
fn clinger_fast_path(s: &[u8]) -> Option<f64> {
    let mut i = 0;
    let negative = match s.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    let mut m = Mantissa::default();
    let mut scale: i32 = 0; // power of ten from the fraction
    m.read_digits(s, &mut i)?;
    if s.get(i) == Some(&b'.') {
        i += 1;
        // Eight fraction digits at a time while they last (most exported scores have 6 to 8).
        while let Some(chunk) = s.get(i..i + 8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            if !all_eight_digits(word) {
                break;
            }
            // Past 10^11 the number has too many digits for the fast path anyway.
            if m.value >= 100_000_000_000 {
                return None;
            }
            m.any = true;
            let value = eight_digits_value(word);
            if m.value != 0 {
                m.significant += 8;
            } else if value != 0 {
                m.significant += 8 - leading_zero_digits(word);
            }
            if m.significant > 19 {
                return None;
            }
            m.value = m.value * 100_000_000 + value;
            scale -= 8;
            i += 8;
        }
        // One to seven digits ending the cell: one load of the cell's last eight bytes, the
        // bytes before the digits replaced by zeros.
        let r = s.len() - i;
        if (1..8).contains(&r) && s.len() >= 8 && m.value < 100_000_000_000 {
            let last = u64::from_le_bytes(s[s.len() - 8..].try_into().unwrap_or_default());
            let keep = !0u64 << (8 * (8 - r));
            let word = (last & keep) | (0x3030_3030_3030_3030 & !keep);
            if all_eight_digits(word) {
                m.any = true;
                let value = eight_digits_value(word);
                if m.value != 0 {
                    m.significant += r;
                } else if value != 0 {
                    m.significant += 8 - leading_zero_digits(word);
                }
                if m.significant > 19 {
                    return None;
                }
                m.value = m.value * POW10_U64[r] + value;
                scale -= r as i32;
                i = s.len();
            }
        }
        scale -= m.read_digits(s, &mut i)?;
    }
    if !m.any {
        return None;
    }
    if let Some(b'e' | b'E') = s.get(i) {
        i += 1;
        let exp_negative = match s.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let (mut exp, mut exp_digits) = (0i32, 0);
        while let Some(&b) = s.get(i) {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            exp_digits += 1;
            if exp_digits > 4 {
                return None;
            }
            exp = exp * 10 + d as i32;
            i += 1;
        }
        if exp_digits == 0 {
            return None;
        }
        scale += if exp_negative { -exp } else { exp };
    }
    if i != s.len() || m.value > 1 << 53 {
        return None;
    }
    let v = if m.value == 0 {
        0.0
    } else if (0..=22).contains(&scale) {
        m.value as f64 * POW10[scale as usize]
    } else if (-22..0).contains(&scale) {
        m.value as f64 / POW10[(-scale) as usize]
    } else {
        return None;
    };
    Some(if negative { -v } else { v })
}

/// The significant digits of a decimal read so far.
#[derive(Default)]
struct Mantissa {
    value: u64,
    /// Digits in `value` (leading zeros do not count).
    significant: usize,
    /// Whether any digit, zero or not, was read.
    any: bool,
}

impl Mantissa {
    /// Reads the digits at `s[*i..]` one by one: how many were read, or `None` past 19
    /// significant digits (more than the fast path takes).
    #[inline]
    fn read_digits(&mut self, s: &[u8], i: &mut usize) -> Option<i32> {
        let start = *i;
        while let Some(&b) = s.get(*i) {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            self.any = true;
            if self.value != 0 || d != 0 {
                self.significant += 1;
                if self.significant > 19 {
                    return None;
                }
                self.value = self.value * 10 + d as u64;
            }
            *i += 1;
        }
        Some((*i - start) as i32)
    }
}

/// True when all eight bytes of `word` (little-endian) are ASCII digits.
#[inline]
fn all_eight_digits(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Each byte minus '0' must be < 10: no borrow out of `b - 0x30`, and `b + 0x46` stays < 0x80.
    ((word.wrapping_sub(ONES * 0x30)) | (word.wrapping_add(ONES * 0x46))) & (ONES * 0x80) == 0
}

/// The number written by eight ASCII digits (the first byte is the most significant digit).
#[inline]
fn eight_digits_value(word: u64) -> u64 {
    // Lemire's SWAR reduction: pairs, then quadruples, then the eight digits.
    let d = word.wrapping_sub(0x3030_3030_3030_3030);
    let d = (d.wrapping_mul(10) + (d >> 8)) & 0x00FF_00FF_00FF_00FF;
    let d = (d.wrapping_mul(100) + (d >> 16)) & 0x0000_FFFF_0000_FFFF;
    (d.wrapping_mul(10_000) + (d >> 32)) & 0xFFFF_FFFF
}

/// How many of the eight digits are leading zeros (the word's value is not zero).
#[inline]
fn leading_zero_digits(word: u64) -> usize {
    // Little-endian: the first digit is the lowest byte; a '0' byte minus 0x30 is zero.
    (word.wrapping_sub(0x3030_3030_3030_3030).trailing_zeros() / 8) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every accepted cell gives exactly `str::parse`'s double (bit for bit, signed zeros too).
    #[test]
    fn eight_digit_helpers() {
        let w = |s: &[u8]| u64::from_le_bytes(s.try_into().unwrap());
        assert!(all_eight_digits(w(b"01234567")));
        assert!(all_eight_digits(w(b"99999999")));
        for bad in [
            b"0123456/",
            b"0123456:",
            b"e1234567",
            b"-1234567",
            b"0123.567",
        ] {
            assert!(!all_eight_digits(w(bad)));
        }
        assert_eq!(eight_digits_value(w(b"01234567")), 1_234_567);
        assert_eq!(eight_digits_value(w(b"98765432")), 98_765_432);
        assert_eq!(leading_zero_digits(w(b"00012345")), 3);
        assert_eq!(leading_zero_digits(w(b"10000000")), 0);
    }

    #[test]
    fn agrees_with_the_standard_library() {
        let mut cells: Vec<String> = [
            "0",
            "-0",
            "+0",
            "0.0",
            "-0.000",
            "1",
            "1.",
            ".5",
            "-.5",
            "+.5e1",
            "9007199254740992",
            "9007199254740993",
            "1e22",
            "1e23",
            "1e-22",
            "1e-23",
            "123456789012345678e-5",
            "1234567890123456789",
            "12345678901234567890",
            "0.1",
            "0.2",
            "0.3",
            "2.5E+3",
            // Short fraction tails read as one word: logits, leading zeros, zero, exponents.
            "-0.60734",
            "-0.00012",
            "-0.00000",
            "12345.6789012",
            "0.0000001",
            "1234567.1",
            "99999999999.9999999",
            "1.2345e-7",
            "0.12345x7",
            "1e",
            "e5",
            ".",
            "-",
            "+",
            "1.2.3",
            "1,5",
            "0x10",
            "inf",
            "NaN",
            " 1",
            "1 ",
            "00000000000000000000001.5",
            "0.00000000000000000000000001",
            "4.9e-324",
            "1.7976931348623157e308",
            "1e0000",
            "1e00001",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut seed = 11u64;
        for _ in 0..200_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let digits = (seed >> 59) as usize + 1;
            let point = (seed >> 40) as usize % (digits + 1);
            let mut s = String::new();
            if seed & 1 == 1 {
                s.push('-');
            }
            let mut x = seed;
            for k in 0..digits {
                if k == point {
                    s.push('.');
                }
                s.push((b'0' + (x % 10) as u8) as char);
                x = (x / 10) ^ seed.rotate_left(k as u32);
            }
            if seed & 2 == 2 {
                s.push_str(&format!("e{}", (seed >> 20) as i64 % 30 - 15));
            }
            cells.push(s);
        }
        let mut fast = 0;
        for c in &cells {
            let want = c.parse::<f64>().ok();
            // `None` leaves the cell to the caller's slow path.
            if let Some(v) = parse_decimal(c.as_bytes()) {
                fast += 1;
                assert_eq!(Some(v.to_bits()), want.map(f64::to_bits), "{c}");
            }
        }
        assert!(fast > 50_000, "the fast path took only {fast} cells");
    }

    /// What `repr` writes for a double (17 significant digits at most) is always read here, never
    /// left to the slow path, and read exactly.
    #[test]
    fn full_precision_doubles_are_read_exactly() {
        let mut seed = 7u64;
        for _ in 0..100_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let v = f64::from_bits(seed >> 2) * if seed & 1 == 1 { -1.0 } else { 1.0 };
            let scaled = (seed % 1_000_003) as f64 / 97.0 - 5000.0;
            for x in [v, scaled, scaled.exp2(), 1.0 / (1.0 + (-scaled).exp())] {
                if !x.is_finite() {
                    continue;
                }
                for c in [format!("{x}"), format!("{x:e}"), format!("{x:.17}")] {
                    let want = c.parse::<f64>().unwrap();
                    assert_eq!(
                        parse_decimal(c.as_bytes()).map(f64::to_bits),
                        Some(want.to_bits()),
                        "{c}"
                    );
                }
            }
        }
        for c in [
            "1e400",
            "-1e400",
            "1e",
            "1.2.3",
            "--1",
            "1e+-3",
            "inf",
            "+infinity",
            "NaN",
            "1,5",
            "1_000",
            "0x1p3",
            " 1.2345678901234567",
            "1.2345678901234567 ",
        ] {
            assert_eq!(parse_decimal(c.as_bytes()), None, "{c}");
        }
    }
}
