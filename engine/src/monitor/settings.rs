//! The detector's thresholds, each defaulting to the seed design's value
//! (`MembershipInferenceDetector`, `../shared/seeds/004_751ca26da57f8243.txt`), checked once by
//! [`DetectorSettings::check`] for the CLI and the page alike (the linfa "validate once" pattern):
//! the detector only accepts the [`CheckedSettings`] that check returns.

use serde::{Deserialize, Serialize};

use super::error::SettingsError;

/// Which queries the repeat figures (`repeated_inputs`, `max_repeats`) count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepeatScope {
    /// The queries in the sliding window, like `total` and `unique` (the default).
    #[default]
    Window,
    /// Every query the key ever sent: the seed's `repeat_counts`, which `record_query` never
    /// prunes. Memory then grows with the key's distinct inputs.
    AllTime,
}

impl RepeatScope {
    /// The scope's name in reports, links and the CLI (`window`, `all_time`).
    pub fn key(self) -> &'static str {
        match self {
            RepeatScope::Window => "window",
            RepeatScope::AllTime => "all_time",
        }
    }
}

/// The detector's settings as given. Defaults are the seed's.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DetectorSettings {
    /// The sliding window, in seconds (the seed's `window_seconds = 3600`).
    pub window_seconds: f64,
    /// An input counts as repeated when queried MORE than this many times (the seed's `c > 3`).
    pub repeat_threshold: u32,
    /// `suspicious_repeat` when MORE than this many inputs are repeated (`len(repeats) > 10`).
    pub repeated_inputs_threshold: u32,
    /// `suspicious_diversity` needs unique / total ABOVE this (`diversity > 0.9`) …
    pub diversity_threshold: f64,
    /// … and MORE than this many queries in the window (`total > 100`).
    pub min_total: u64,
    /// `block` when the risk is ABOVE this (`risk_score > 0.7`).
    pub block_risk: f64,
    /// `monitor` when the risk is ABOVE this and not above the block level (`risk_score > 0.3`).
    pub monitor_risk: f64,
    /// Which queries the repeat figures count.
    pub repeat_scope: RepeatScope,
}

impl Default for DetectorSettings {
    fn default() -> Self {
        DetectorSettings {
            window_seconds: 3600.0,
            repeat_threshold: 3,
            repeated_inputs_threshold: 10,
            diversity_threshold: 0.9,
            min_total: 100,
            block_risk: 0.7,
            monitor_risk: 0.3,
            repeat_scope: RepeatScope::Window,
        }
    }
}

/// Settings that passed [`DetectorSettings::check`]; the only form the detector accepts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct CheckedSettings(DetectorSettings);

impl CheckedSettings {
    /// The settings.
    pub fn get(&self) -> &DetectorSettings {
        &self.0
    }
}

fn share(name: &'static str, value: f64) -> Result<(), SettingsError> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(SettingsError::Share {
            name: name.to_string(),
            value: format!("{value}"),
        })
    }
}

impl DetectorSettings {
    /// The settings in the form the detector accepts, or what is wrong with them.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::monitor::DetectorSettings;
    /// assert!(DetectorSettings::default().check().is_ok());
    /// let bad = DetectorSettings { window_seconds: 0.0, ..DetectorSettings::default() };
    /// assert_eq!(
    ///     bad.check().unwrap_err().to_string(),
    ///     "window = 0 s: give a positive number of seconds (3600 is one hour)."
    /// );
    /// ```
    pub fn check(&self) -> Result<CheckedSettings, SettingsError> {
        if !(self.window_seconds > 0.0 && self.window_seconds.is_finite()) {
            return Err(SettingsError::Window {
                value: format!("{}", self.window_seconds),
            });
        }
        share("diversity threshold", self.diversity_threshold)?;
        share("block risk", self.block_risk)?;
        share("monitor risk", self.monitor_risk)?;
        if self.monitor_risk > self.block_risk {
            return Err(SettingsError::RiskOrder {
                monitor: format!("{}", self.monitor_risk),
                block: format!("{}", self.block_risk),
            });
        }
        Ok(CheckedSettings(*self))
    }
}
