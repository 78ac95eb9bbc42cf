//! The shadow view's query: its controls, as the link carries them.

use std::ops::RangeInclusive;

use mia_engine::shadow::config::{MLP_EPOCHS, MLP_HIDDEN, N_SHADOWS};
use mia_engine::shadow::{AttackOptions, ModelKind, ShadowConfig};

/// Mode B (train everything here) or mode A (outputs given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShadowMode {
    Train,
    Outputs,
}

impl ShadowMode {
    pub fn key(self) -> &'static str {
        match self {
            ShadowMode::Train => "train",
            ShadowMode::Outputs => "outputs",
        }
    }
}

/// The view's controls.
#[derive(Debug, Clone, PartialEq)]
pub struct ShadowSettings {
    pub mode: ShadowMode,
    /// A bundled dataset id, or `file` for an uploaded one.
    pub dataset: String,
    pub mlp: bool,
    pub hidden: usize,
    pub epochs: usize,
    pub n_shadows: usize,
    pub per_class: bool,
    pub top_k: bool,
    pub seed: u64,
}

impl Default for ShadowSettings {
    fn default() -> Self {
        ShadowSettings {
            mode: ShadowMode::Train,
            dataset: "breast_cancer".into(),
            mlp: false,
            hidden: 64,
            epochs: 100,
            n_shadows: 4,
            per_class: false,
            top_k: false,
            seed: 0,
        }
    }
}

impl ShadowSettings {
    /// The engine's configuration for these settings.
    pub fn config(&self) -> ShadowConfig {
        ShadowConfig {
            n_shadows: self.n_shadows,
            model: if self.mlp {
                ModelKind::Mlp {
                    hidden: self.hidden,
                    epochs: self.epochs,
                }
            } else {
                ModelKind::LogisticRegression { c: 1.0 }
            },
            attack: AttackOptions {
                per_class: self.per_class,
                top_k: self.top_k.then_some(3),
                ..AttackOptions::default()
            },
            seed: self.seed,
        }
    }

    /// The settings as URL query pairs.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("mode", self.mode.key().into()),
            ("dataset", self.dataset.clone()),
            ("model", if self.mlp { "mlp" } else { "logreg" }.into()),
            ("hidden", self.hidden.to_string()),
            ("epochs", self.epochs.to_string()),
            ("shadows", self.n_shadows.to_string()),
            ("per_class", self.per_class.to_string()),
            ("top_k", self.top_k.to_string()),
            ("seed", self.seed.to_string()),
        ]
    }
}

/// Sets a whole-number setting if the link has it, it parses and the engine's
/// [`ShadowConfig::check`] accepts it (hidden units and epochs checked as an MLP's, whichever
/// model the link names); otherwise lists it with the engine's `range`.
fn take_whole(
    q: &super::Query,
    key: &str,
    shadow: &mut ShadowSettings,
    ignored: &mut Vec<String>,
    range: RangeInclusive<usize>,
    set: fn(&mut ShadowSettings, usize),
) {
    let Some(v) = q.get(key) else { return };
    if let Ok(x) = v.parse::<usize>() {
        let mut candidate = ShadowSettings {
            mlp: true,
            ..shadow.clone()
        };
        set(&mut candidate, x);
        if candidate.config().check().is_ok() {
            set(shadow, x);
            return;
        }
    }
    ignored.push(format!(
        "{key}={v} (use {} to {})",
        range.start(),
        range.end()
    ));
}

impl super::ViewQuery for ShadowSettings {
    fn parse(q: &super::Query, ignored: &mut Vec<String>) -> Self {
        let mut shadow = ShadowSettings::default();
        if let Some(m) = q.get("mode") {
            shadow.mode = if m == "outputs" {
                ShadowMode::Outputs
            } else {
                ShadowMode::Train
            };
        }
        if let Some(d) = q.get("dataset") {
            shadow.dataset = d.to_string();
        }
        shadow.mlp = q.get("model") == Some("mlp");
        take_whole(q, "shadows", &mut shadow, ignored, N_SHADOWS, |s, x| {
            s.n_shadows = x
        });
        take_whole(q, "hidden", &mut shadow, ignored, MLP_HIDDEN, |s, x| {
            s.hidden = x
        });
        take_whole(q, "epochs", &mut shadow, ignored, MLP_EPOCHS, |s, x| {
            s.epochs = x
        });
        shadow.per_class = q.get("per_class") == Some("true");
        shadow.top_k = q.get("top_k") == Some("true");
        if let Some(s) = q.get("seed").and_then(|s| s.parse::<u64>().ok()) {
            shadow.seed = s;
        }
        shadow
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        ShadowSettings::pairs(self)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Query, ViewQuery};
    use super::*;

    #[test]
    fn values_out_of_the_engines_ranges_are_listed_with_the_range() {
        let mut ignored = Vec::new();
        let link = "shadows=0&hidden=513&epochs=x";
        let s = ShadowSettings::parse(&Query::parse(link), &mut ignored);
        assert_eq!(
            ignored,
            vec![
                "shadows=0 (use 1 to 16)",
                "hidden=513 (use 1 to 512)",
                "epochs=x (use 1 to 2000)"
            ]
        );
        assert_eq!(s, ShadowSettings::default());
        // The boundaries are accepted, for an MLP or not (the model can change later).
        let mut ignored = Vec::new();
        let link = "shadows=16&hidden=512&epochs=1&model=logreg";
        let s = ShadowSettings::parse(&Query::parse(link), &mut ignored);
        assert!(ignored.is_empty(), "{ignored:?}");
        assert_eq!((s.n_shadows, s.hidden, s.epochs), (16, 512, 1));
        assert_eq!(s.config().check(), Ok(s.config()));
    }
}
