//! The settings of a reference-model attack and their valid ranges, checked once here
//! ([`ReferenceSettings::check`]): the engine, `mia lira` and the page's link parser all call it.

use serde::{Deserialize, Serialize};

use super::ReferenceSettingsError;

/// Smallest RMIA γ accepted.
pub const GAMMA_MIN: f64 = 0.01;
/// Largest RMIA γ accepted.
pub const GAMMA_MAX: f64 = 100.0;
/// Spread added to every LiRA standard deviation, so that none is zero.
pub const STD_EPS: f64 = 1e-30;

/// The centre of a record's IN or OUT reference values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Center {
    /// The median (mean of the two middle values for an even count): robust to one odd model.
    #[default]
    Median,
    /// The arithmetic mean (tensorflow_privacy's choice).
    Mean,
}

impl Center {
    /// `median` or `mean`.
    pub fn name(self) -> &'static str {
        match self {
            Center::Median => "median",
            Center::Mean => "mean",
        }
    }

    /// Parses `median` or `mean`.
    pub fn parse(s: &str) -> Option<Center> {
        match s {
            "median" => Some(Center::Median),
            "mean" => Some(Center::Mean),
            _ => None,
        }
    }
}

/// The test of offline LiRA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum OfflineTest {
    /// z = (φ − c_OUT) / s_OUT: a member sits above the OUT distribution (the paper, LeakPro).
    #[default]
    OneSided,
    /// −ln N(φ; c_OUT, s_OUT): far from the OUT distribution on either side
    /// (tensorflow_privacy's `advanced_mia`); loses power.
    TwoSided,
}

impl OfflineTest {
    /// `one-sided` or `two-sided`.
    pub fn name(self) -> &'static str {
        match self {
            OfflineTest::OneSided => "one-sided",
            OfflineTest::TwoSided => "two-sided",
        }
    }

    /// Parses `one-sided` or `two-sided`.
    pub fn parse(s: &str) -> Option<OfflineTest> {
        match s {
            "one-sided" => Some(OfflineTest::OneSided),
            "two-sided" => Some(OfflineTest::TwoSided),
            _ => None,
        }
    }
}

/// Parameters of the attacks; the defaults are the specification's.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ReferenceSettings {
    /// RMIA's γ: x beats z when r(x) > γ·r(z).
    pub gamma: f64,
    /// Offline RMIA's a: P(x) = ((1 + a)/2)·P_OUT(x) + (1 − a)/2.
    pub offline_a: f64,
    pub center: Center,
    pub offline_test: OfflineTest,
}

impl Default for ReferenceSettings {
    fn default() -> Self {
        ReferenceSettings {
            gamma: 1.0,
            offline_a: 0.3,
            center: Center::Median,
            offline_test: OfflineTest::OneSided,
        }
    }
}

impl ReferenceSettings {
    /// The settings if the attacks can run them: γ in [[`GAMMA_MIN`], [`GAMMA_MAX`]], a in [0, 1].
    ///
    /// # Examples
    /// ```
    /// use mia_engine::reference_attack::{ReferenceSettings, ReferenceSettingsError};
    /// let s = ReferenceSettings { offline_a: 1.5, ..ReferenceSettings::default() };
    /// assert_eq!(s.check(), Err(ReferenceSettingsError::OfflineA(1.5)));
    /// assert!(ReferenceSettings::default().check().is_ok());
    /// ```
    pub fn check(self) -> Result<ReferenceSettings, ReferenceSettingsError> {
        if !(GAMMA_MIN..=GAMMA_MAX).contains(&self.gamma) {
            return Err(ReferenceSettingsError::Gamma(self.gamma));
        }
        if !(0.0..=1.0).contains(&self.offline_a) {
            return Err(ReferenceSettingsError::OfflineA(self.offline_a));
        }
        Ok(self)
    }
}
