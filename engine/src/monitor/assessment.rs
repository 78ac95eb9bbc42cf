//! One API key's figures after a query, and the action they call for: the seed's
//! `get_risk_assessment` (with `check_repeated_queries` and `check_perturbation_pattern`), every
//! comparison as the seed writes it.
//!
//! # Formula
//! - `suspicious_repeat` = repeated_inputs > repeated_inputs_threshold (the seed: `len(repeats) > 10`)
//! - `diversity` = unique / total, 0 when total is 0 (`unique / total if total > 0 else 0`); the
//!   seed rounds it to 3 decimals for display only, and so do we: the figure here is unrounded
//! - `suspicious_diversity` = diversity > diversity_threshold and total > min_total
//!   (`diversity > 0.9 and total > 100`)
//! - `risk` = 0.5·suspicious_repeat + 0.5·suspicious_diversity (0, 0.5 or 1)
//! - `action` = block if risk > block_risk, else monitor if risk > monitor_risk, else allow

use serde::{Deserialize, Serialize};

use super::counts::RepeatFigures;
use super::settings::CheckedSettings;

/// What to do with an API key's next query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Allow,
    Monitor,
    Block,
}

impl Action {
    /// `allow`, `monitor` or `block`.
    pub fn key(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Monitor => "monitor",
            Action::Block => "block",
        }
    }

    /// The action for a risk score (`block` above the block level, `monitor` above the monitor
    /// level).
    pub fn for_risk(risk: f64, settings: &CheckedSettings) -> Action {
        let s = settings.get();
        if risk > s.block_risk {
            Action::Block
        } else if risk > s.monitor_risk {
            Action::Monitor
        } else {
            Action::Allow
        }
    }
}

/// One API key's figures over its window, after its latest query.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// Queries in the window.
    pub total: u64,
    /// Distinct inputs in the window.
    pub unique: u64,
    /// Distinct inputs queried more than the repeat threshold (in the window, or ever with
    /// [`RepeatScope::AllTime`](super::RepeatScope::AllTime)).
    pub repeated_inputs: u64,
    /// The most queries of one repeated input; 0 when no input is repeated.
    pub max_repeats: u64,
    /// The queries of the repeated inputs (their counts summed; not in the seed, exported as the
    /// `_sum` of the `inference_input_repeat` summary).
    pub repeated_queries: u64,
    pub suspicious_repeat: bool,
    /// unique / total (0 with no queries).
    pub diversity: f64,
    pub suspicious_diversity: bool,
    /// 0, 0.5 or 1.
    pub risk: f64,
    pub action: Action,
}

impl Assessment {
    /// The figures and the action from the window's counts.
    pub fn from_counts(
        total: u64,
        unique: u64,
        repeats: RepeatFigures,
        settings: &CheckedSettings,
    ) -> Assessment {
        let s = settings.get();
        let suspicious_repeat = repeats.repeated_inputs > u64::from(s.repeated_inputs_threshold);
        let diversity = if total > 0 {
            unique as f64 / total as f64
        } else {
            0.0
        };
        let suspicious_diversity = diversity > s.diversity_threshold && total > s.min_total;
        let mut risk = 0.0;
        if suspicious_repeat {
            risk += 0.5;
        }
        if suspicious_diversity {
            risk += 0.5;
        }
        Assessment {
            total,
            unique,
            repeated_inputs: repeats.repeated_inputs,
            max_repeats: repeats.max_repeats,
            repeated_queries: repeats.repeated_queries,
            suspicious_repeat,
            diversity,
            suspicious_diversity,
            risk,
            action: Action::for_risk(risk, settings),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeds_comparisons_are_strict() {
        let s = CheckedSettings::default();
        // (total, unique, repeated) -> (risk, action)
        for ((total, unique, repeated), (risk, action)) in [
            ((0, 0, 0), (0.0, Action::Allow)),
            ((100, 100, 0), (0.0, Action::Allow)), // total must be > 100
            ((101, 101, 0), (0.5, Action::Monitor)),
            ((1000, 900, 0), (0.0, Action::Allow)), // diversity must be > 0.9
            ((1000, 901, 0), (0.5, Action::Monitor)),
            ((50, 10, 10), (0.0, Action::Allow)), // repeated must be > 10
            ((50, 11, 11), (0.5, Action::Monitor)),
            ((1000, 950, 11), (1.0, Action::Block)),
        ] {
            let repeats = RepeatFigures {
                repeated_inputs: repeated,
                ..RepeatFigures::default()
            };
            let a = Assessment::from_counts(total, unique, repeats, &s);
            assert_eq!(
                (a.risk, a.action),
                (risk, action),
                "{total} {unique} {repeated}"
            );
        }
    }
}
