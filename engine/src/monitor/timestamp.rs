//! A query's time, as a log writes it: Unix seconds (`1709294400`, `1709294400.25`) or ISO 8601
//! with a zone (`2024-03-01T12:00:00Z`, `2024-03-01 13:00:00.5+01:00`), both read as Unix seconds
//! in an `f64` (the seed's `time.time()`).
//!
//! ISO times are read as Python's `datetime.fromisoformat(s).timestamp()` reads them (the
//! reference transcription uses it): the fraction is kept to the microsecond (digits after the
//! sixth are dropped) and the value is the whole number of microseconds divided by 10⁶, rounded
//! once; so both give the same `f64` (for years up to 2255, where microseconds still fit in an
//! `f64` exactly). Unix seconds are read with correct rounding, as Python's `float()`.

use crate::ingest::csv::decimal::parse_decimal;

/// Seconds in a day.
const DAY: i64 = 86_400;

/// The Unix seconds of a log's timestamp, or why it cannot be read (the end of a sentence that
/// starts with the value).
///
/// # Examples
/// ```
/// use mia_engine::monitor::parse_timestamp;
/// assert_eq!(parse_timestamp("1709294400.25"), Ok(1709294400.25));
/// assert_eq!(parse_timestamp("2024-03-01T12:00:00Z"), Ok(1709294400.0));
/// assert_eq!(parse_timestamp("2024-03-01 13:00:00.5+01:00"), Ok(1709294400.5));
/// assert_eq!(
///     parse_timestamp("2024-03-01T12:00:00"),
///     Err("has no time zone: end it with Z or an offset such as +01:00")
/// );
/// ```
pub fn parse_timestamp(text: &str) -> Result<f64, &'static str> {
    parse_timestamp_bytes(text.as_bytes())
}

/// [`parse_timestamp`] of a cell's bytes.
#[inline]
pub fn parse_timestamp_bytes(b: &[u8]) -> Result<f64, &'static str> {
    let b = b.trim_ascii();
    if b.is_empty() {
        return Err("is empty");
    }
    if b.len() >= 5 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' {
        return parse_iso(b);
    }
    if let Some(x) = plain_seconds(b).or_else(|| parse_decimal(b)) {
        return Ok(x);
    }
    let numeric = b
        .iter()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'+' | b'-' | b'e' | b'E'))
        && b.iter().any(u8::is_ascii_digit);
    match std::str::from_utf8(b)
        .ok()
        .and_then(|t| t.parse::<f64>().ok())
    {
        Some(x) if numeric && x.is_finite() => Ok(x),
        Some(_) if numeric => Err("is too large"),
        _ => Err("is neither Unix seconds nor an ISO 8601 time"),
    }
}

/// Unix seconds written `[-]digits[.digits]` with at most 22 digits after the point and a
/// mantissa (all the digits) below 2⁵³, read exactly: both the mantissa and the power of ten are
/// exact in an `f64`, so one division rounds correctly (Clinger's fast path). Logs write
/// `1709294400.123456` (16 digits) this way; anything else goes to [`parse_decimal`].
#[inline]
fn plain_seconds(b: &[u8]) -> Option<f64> {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let (negative, digits) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    let (mut mantissa, mut decimals, mut point, mut any) = (0u64, 0usize, false, false);
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
                decimals += usize::from(point);
                any = true;
            }
            b'.' if !point => point = true,
            _ => return None,
        }
    }
    if !any || mantissa >= 1 << 53 {
        return None;
    }
    let x = mantissa as f64 / *POW10.get(decimals)?;
    Some(if negative { -x } else { x })
}

/// Reads `digits` ASCII digits at `at`.
fn number(b: &[u8], at: usize, digits: usize) -> Option<i64> {
    let s = b.get(at..at + digits)?;
    s.iter().try_fold(0i64, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
    })
}

fn parse_iso(b: &[u8]) -> Result<f64, &'static str> {
    const BAD_DATE: &str = "is not a valid ISO 8601 date (YYYY-MM-DD)";
    const BAD_TIME: &str = "is not a valid ISO 8601 time of day (hh:mm or hh:mm:ss)";
    let year = number(b, 0, 4).ok_or(BAD_DATE)?;
    let month = number(b, 5, 2).ok_or(BAD_DATE)?;
    let day = number(b, 8, 2).ok_or(BAD_DATE)?;
    if b.get(7) != Some(&b'-') || year < 1 || !(1..=12).contains(&month) {
        return Err(BAD_DATE);
    }
    if day < 1 || day > days_in_month(year, month) {
        return Err(BAD_DATE);
    }
    match b.get(10) {
        None => return Err("has a date but no time and zone"),
        Some(b'T' | b't' | b' ') => {}
        Some(_) => return Err(BAD_DATE),
    }
    let hour = number(b, 11, 2).ok_or(BAD_TIME)?;
    let minute = number(b, 14, 2).ok_or(BAD_TIME)?;
    if b.get(13) != Some(&b':') || hour > 23 || minute > 59 {
        return Err(BAD_TIME);
    }
    let mut at = 16;
    let (mut second, mut micros) = (0, 0);
    if b.get(at) == Some(&b':') {
        second = number(b, at + 1, 2).ok_or(BAD_TIME)?;
        if second > 59 {
            return Err(BAD_TIME);
        }
        at += 3;
        if matches!(b.get(at), Some(b'.' | b',')) {
            at += 1;
            let digits = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return Err(BAD_TIME);
            }
            for k in 0..6 {
                let d = if k < digits {
                    i64::from(b[at + k] - b'0')
                } else {
                    0
                };
                micros = micros * 10 + d;
            }
            at += digits;
        }
    }
    let offset = match &b[at..] {
        [] => return Err("has no time zone: end it with Z or an offset such as +01:00"),
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (h, m) = match rest.len() {
                5 if rest[2] == b':' => (number(rest, 0, 2), number(rest, 3, 2)),
                4 => (number(rest, 0, 2), number(rest, 2, 2)),
                _ => (None, None),
            };
            match (h, m) {
                (Some(h), Some(m)) if h <= 23 && m <= 59 => {
                    let s = (h * 60 + m) * 60;
                    if *sign == b'-' {
                        -s
                    } else {
                        s
                    }
                }
                _ => return Err("has a zone offset that is not ±hh:mm"),
            }
        }
        _ => return Err("has something after the time that is not a zone (Z or ±hh:mm)"),
    };
    let seconds =
        days_from_civil(year, month, day) * DAY + hour * 3600 + minute * 60 + second - offset;
    Ok((seconds * 1_000_000 + micros) as f64 / 1e6)
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the date (Hinnant's `days_from_civil`, proleptic Gregorian).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count from 1970-01-01 (Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Unix seconds as ISO 8601 in UTC, to the microsecond (`2024-03-01T12:00:00.25Z`), for people.
///
/// # Examples
/// ```
/// use mia_engine::monitor::timestamp::format_utc;
/// assert_eq!(format_utc(1709294400.25), "2024-03-01T12:00:00.25Z");
/// assert_eq!(format_utc(0.0), "1970-01-01T00:00:00Z");
/// ```
pub fn format_utc(seconds: f64) -> String {
    if !seconds.is_finite() || seconds.abs() > 2.5e11 {
        return format!("{seconds}");
    }
    let micros = (seconds * 1e6).round() as i64;
    let (secs, frac) = (micros.div_euclid(1_000_000), micros.rem_euclid(1_000_000));
    let (y, mo, d) = civil_from_days(secs.div_euclid(DAY));
    let s = secs.rem_euclid(DAY);
    let mut out = format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}",
        s / 3600,
        s / 60 % 60,
        s % 60
    );
    if frac != 0 {
        out.push_str(format!(".{frac:06}").trim_end_matches('0'));
    }
    out.push('Z');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_logs_write() {
        for (text, want) in [
            ("0", 0.0),
            (" 1709294400 ", 1709294400.0),
            ("1.7e9", 1.7e9),
            ("-1.5", -1.5),
            ("+2.5", 2.5),
            (".5", 0.5),
            ("5.", 5.0),
            ("1709294400.123456", 1709294400.123456),
            ("-0.000001", -0.000001),
            ("9007199254740993", 9007199254740992.0),
            ("0.1", 0.1),
            ("1.00000000000000000000001", 1.0),
            ("2024-03-01T12:00:00Z", 1709294400.0),
            ("2024-03-01t12:00:00z", 1709294400.0),
            ("2024-03-01T12:00Z", 1709294400.0),
            ("2024-03-01T12:00:00.1234567Z", 1709294400.123456),
            ("2024-03-01T12:00:00,5Z", 1709294400.5),
            ("2024-03-01T14:00:00+02:00", 1709294400.0),
            ("2024-03-01T06:30:00-0530", 1709294400.0),
            ("2024-02-29T00:00:00Z", 1709164800.0),
            ("1969-12-31T23:59:59Z", -1.0),
            ("0001-01-01T00:00:00Z", -62135596800.0),
        ] {
            assert_eq!(parse_timestamp(text), Ok(want), "{text}");
        }
    }

    #[test]
    fn plain_seconds_round_as_the_standard_parser() {
        let mut state = 5u64;
        for _ in 0..100_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let decimals = (state >> 60) as usize;
            let mantissa = (state >> 8) % (1 << 53);
            let digits = mantissa.to_string();
            let text = if decimals == 0 || decimals >= digits.len() {
                format!("0.{digits}")
            } else {
                let (a, b) = digits.split_at(digits.len() - decimals);
                format!("{a}.{b}")
            };
            let want: f64 = text.parse().unwrap();
            assert_eq!(parse_timestamp(&text), Ok(want), "{text}");
        }
    }

    #[test]
    fn says_why_a_time_cannot_be_read() {
        for (text, want) in [
            ("", "is empty"),
            ("yesterday", "is neither Unix seconds nor an ISO 8601 time"),
            ("nan", "is neither Unix seconds nor an ISO 8601 time"),
            ("inf", "is neither Unix seconds nor an ISO 8601 time"),
            ("1e999", "is too large"),
            ("2024-03-01", "has a date but no time and zone"),
            (
                "2024-02-30T00:00:00Z",
                "is not a valid ISO 8601 date (YYYY-MM-DD)",
            ),
            (
                "2023-02-29T00:00:00Z",
                "is not a valid ISO 8601 date (YYYY-MM-DD)",
            ),
            (
                "2024-13-01T00:00:00Z",
                "is not a valid ISO 8601 date (YYYY-MM-DD)",
            ),
            (
                "2024-03-01T24:00:00Z",
                "is not a valid ISO 8601 time of day (hh:mm or hh:mm:ss)",
            ),
            (
                "2024-03-01T12:00:60Z",
                "is not a valid ISO 8601 time of day (hh:mm or hh:mm:ss)",
            ),
            (
                "2024-03-01T12:00:00.Z",
                "is not a valid ISO 8601 time of day (hh:mm or hh:mm:ss)",
            ),
            (
                "2024-03-01T12:00:00+2",
                "has a zone offset that is not ±hh:mm",
            ),
            (
                "2024-03-01T12:00:00 UTC",
                "has something after the time that is not a zone (Z or ±hh:mm)",
            ),
        ] {
            assert_eq!(parse_timestamp(text), Err(want), "{text}");
        }
    }

    #[test]
    fn formats_and_reads_back() {
        for t in [0.0, 1709294400.5, 951782400.0, -86400.25, 4102444800.000001] {
            assert_eq!(parse_timestamp(&format_utc(t)), Ok(t), "{}", format_utc(t));
        }
    }
}
