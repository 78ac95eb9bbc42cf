//! The restriction view's query: the bundled sample restricted and the setting.

use mia_engine::restriction::RestrictionSetting;

use super::{Query, ViewQuery};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RestrictQuery {
    pub sample: Option<String>,
    pub setting: RestrictionSetting,
}

impl ViewQuery for RestrictQuery {
    /// `temperature`, `cap`, `precision`, `label_only`, clamped to the controls' ranges.
    fn parse(q: &Query, _ignored: &mut Vec<String>) -> Self {
        let num = |k: &str| {
            q.get(k)
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|v| v.is_finite())
        };
        RestrictQuery {
            sample: q.get("sample").map(str::to_string),
            setting: RestrictionSetting {
                temperature: num("temperature").map_or(1.0, |t| t.clamp(0.5, 10.0)),
                max_confidence: num("cap").map(|c| c.clamp(0.5, 1.0)),
                precision: q
                    .get("precision")
                    .and_then(|p| p.parse::<u32>().ok())
                    .map(|p| p.clamp(1, 6)),
                label_only: q.get("label_only") == Some("true"),
            },
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let s = &self.setting;
        let mut v = Vec::new();
        if let Some(id) = &self.sample {
            v.push(("sample", id.clone()));
        }
        v.push(("temperature", s.temperature.to_string()));
        if let Some(c) = s.max_confidence {
            v.push(("cap", c.to_string()));
        }
        if let Some(p) = s.precision {
            v.push(("precision", p.to_string()));
        }
        if s.label_only {
            v.push(("label_only", "true".into()));
        }
        v
    }
}
