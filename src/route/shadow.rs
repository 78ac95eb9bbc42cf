//! The shadow view's query: its controls, as the link carries them.

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
        let mut whole = |key: &str, target: &mut usize, (lo, hi): (usize, usize)| {
            if let Some(v) = q.get(key) {
                match v.parse::<usize>() {
                    Ok(x) if (lo..=hi).contains(&x) => *target = x,
                    _ => ignored.push(format!("{key}={v} (use {lo} to {hi})")),
                }
            }
        };
        whole("shadows", &mut shadow.n_shadows, (1, 16));
        whole("hidden", &mut shadow.hidden, (1, 512));
        whole("epochs", &mut shadow.epochs, (1, 2000));
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
