//! One restriction setting, its valid domain and the JSON a deployment reads.
//!
//! The domain is checked once, here ([`RestrictionSetting::check`], after linfa's `ParamGuard`
//! in `algorithms/linfa-logistic/src/hyperparams.rs`): the CLI's option parsers and the page's
//! link parser both call it, so they cannot disagree. The page's sliders keep narrower ranges of
//! their own (temperature 0.5–10, cap 0.5–1, 1–6 decimals); those are what a slider can reach,
//! not what the pipeline accepts.

use serde::{Deserialize, Serialize, Serializer};

use super::error::RestrictionSettingError;

/// The most decimals rounding keeps: `f64::DIGITS` (15), the decimal digits an `f64` holds
/// exactly. Beyond it rounding changes nothing a reader can see, and from 309 decimals on
/// `10^d` overflows and every output would turn uniform.
pub const MAX_PRECISION: u32 = f64::DIGITS;

/// One restriction setting.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RestrictionSetting {
    /// Softmax temperature T (> 0); 1 leaves the probabilities as they are.
    pub temperature: f64,
    /// Cap every probability at this value, then renormalise.
    pub max_confidence: Option<f64>,
    /// Round to this many decimals (half to even, as numpy), then renormalise.
    pub precision: Option<u32>,
    /// Return only the top-1 label (a one-hot vector): the extreme restriction.
    pub label_only: bool,
}

impl Default for RestrictionSetting {
    fn default() -> Self {
        RestrictionSetting {
            temperature: 1.0,
            max_confidence: None,
            precision: None,
            label_only: false,
        }
    }
}

impl RestrictionSetting {
    /// The setting if the pipeline can apply it: temperature positive and finite, cap in
    /// `(0, 1]`, at most [`MAX_PRECISION`] decimals. The first field out of its domain is named.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::restriction::{RestrictionSetting, RestrictionSettingError};
    /// let s = RestrictionSetting { temperature: 4.0, max_confidence: Some(0.95), ..Default::default() };
    /// assert_eq!(s.check(), Ok(s));
    /// let hot = RestrictionSetting { temperature: 0.0, ..s };
    /// assert_eq!(hot.check(), Err(RestrictionSettingError::Temperature(0.0)));
    /// assert_eq!(hot.check().unwrap_err().to_string(), "the temperature must be positive (and finite)");
    /// ```
    pub fn check(self) -> Result<RestrictionSetting, RestrictionSettingError> {
        let t = self.temperature;
        if !(t > 0.0 && t.is_finite()) {
            return Err(RestrictionSettingError::Temperature(t));
        }
        if let Some(c) = self.max_confidence {
            if !(c > 0.0 && c <= 1.0) {
                return Err(RestrictionSettingError::Cap(c));
            }
        }
        if let Some(p) = self.precision {
            if p > MAX_PRECISION {
                return Err(RestrictionSettingError::Precision(p));
            }
        }
        Ok(self)
    }

    /// The setting as the JSON a deployment reads (the page's "Export setting" file):
    /// `{"temperature":4,"max_confidence":0.95,"precision":2,"label_only":false}`, fields in
    /// declaration order, a whole number written without `.0` (as the page always wrote it).
    ///
    /// # Examples
    /// ```
    /// use mia_engine::restriction::RestrictionSetting;
    /// let s = RestrictionSetting { temperature: 8.0, precision: Some(1), ..Default::default() };
    /// assert_eq!(s.to_json(), r#"{"temperature":8,"max_confidence":null,"precision":1,"label_only":false}"#);
    /// ```
    pub fn to_json(&self) -> String {
        let out = SettingJson {
            temperature: Decimal(self.temperature),
            max_confidence: self.max_confidence.map(Decimal),
            precision: self.precision,
            label_only: self.label_only,
        };
        // Numbers, `null` and booleans only: serde_json cannot fail on them.
        serde_json::to_string(&out).unwrap_or_default()
    }
}

/// [`RestrictionSetting`] as exported: the same fields, numbers written as Rust prints them.
#[derive(Serialize)]
struct SettingJson {
    temperature: Decimal,
    max_confidence: Option<Decimal>,
    precision: Option<u32>,
    label_only: bool,
}

/// A number written as Rust's `Display` writes it, as the page's hand-written JSON did: a whole
/// number without `.0` (serde_json writes `4.0`), any other in its shortest round-trip digits
/// (the same digits in both). Only below 1e-5 do the two differ: serde_json writes `1e-7` where
/// `Display` wrote `0.0000001`, the same number (the page's sliders never reach such values).
struct Decimal(f64);

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        // Every whole f64 of magnitude below 2^63 is an exact i64; -0 keeps its sign as a float.
        let whole = v.fract() == 0.0 && v.abs() < 2f64.powi(63);
        if whole && !(v == 0.0 && v.is_sign_negative()) {
            s.serialize_i64(v as i64)
        } else {
            s.serialize_f64(v)
        }
    }
}
