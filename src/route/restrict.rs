//! The restriction view's query: the bundled sample restricted and the setting. Each value goes
//! through the engine's [`RestrictionSetting::check`] (the check `mia restrict` uses): a value
//! it refuses is listed in `ignored` and its control keeps its default. The sliders' narrower
//! ranges are the page's; a valid value beyond them is kept as the link gives it.

use mia_engine::restriction::RestrictionSetting;

use super::{Query, ViewQuery};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RestrictQuery {
    pub sample: Option<String>,
    pub setting: RestrictionSetting,
}

/// Sets `key`'s value with `set` if the link has it, it parses and the engine's check accepts
/// it; otherwise lists it with why.
fn take(
    q: &Query,
    key: &str,
    setting: &mut RestrictionSetting,
    ignored: &mut Vec<String>,
    set: impl FnOnce(&str, &mut RestrictionSetting) -> Result<(), &'static str>,
) {
    let Some(v) = q.get(key) else { return };
    let mut candidate = *setting;
    let checked = set(v, &mut candidate)
        .map_err(str::to_string)
        .and_then(|()| candidate.check().map_err(|e| e.to_string()));
    match checked {
        Ok(s) => *setting = s,
        Err(why) => ignored.push(format!("{key}={v} ({why})")),
    }
}

fn number(v: &str) -> Result<f64, &'static str> {
    v.parse::<f64>().map_err(|_| "not a number")
}

impl ViewQuery for RestrictQuery {
    /// `temperature`, `cap`, `precision`, `label_only`.
    fn parse(q: &Query, ignored: &mut Vec<String>) -> Self {
        let mut setting = RestrictionSetting {
            label_only: q.get("label_only") == Some("true"),
            ..RestrictionSetting::default()
        };
        take(q, "temperature", &mut setting, ignored, |v, s| {
            s.temperature = number(v)?;
            Ok(())
        });
        take(q, "cap", &mut setting, ignored, |v, s| {
            s.max_confidence = Some(number(v)?);
            Ok(())
        });
        take(q, "precision", &mut setting, ignored, |v, s| {
            s.precision = Some(v.parse().map_err(|_| "not a whole number")?);
            Ok(())
        });
        RestrictQuery {
            sample: q.get("sample").map(str::to_string),
            setting,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(link: &str) -> (RestrictionSetting, Vec<String>) {
        let mut ignored = Vec::new();
        let q = RestrictQuery::parse(&Query::parse(link), &mut ignored);
        (q.setting, ignored)
    }

    #[test]
    fn values_the_engine_refuses_are_listed_and_keep_their_defaults() {
        let (s, ignored) = parse("temperature=0&cap=1.5&precision=16");
        assert_eq!(s, RestrictionSetting::default());
        assert_eq!(
            ignored,
            vec![
                "temperature=0 (the temperature must be positive (and finite))",
                "cap=1.5 (the cap must be in (0, 1])",
                "precision=16 (the precision must be a whole number of decimals from 0 to 15)",
            ]
        );
        let (s, ignored) = parse("temperature=abc&cap=inf&precision=1.5");
        assert_eq!(s, RestrictionSetting::default());
        assert_eq!(
            ignored,
            vec![
                "temperature=abc (not a number)",
                "cap=inf (the cap must be in (0, 1])",
                "precision=1.5 (not a whole number)",
            ]
        );
    }

    #[test]
    fn values_the_engine_accepts_are_kept_as_given() {
        // Inside the sliders' ranges, as before; beyond them (T 20, cap 0.2, 0 decimals) the
        // link is no longer clamped: the CLI would accept the same setting.
        for (link, expected) in [
            (
                "temperature=0.5&cap=0.5&precision=1",
                (0.5, Some(0.5), Some(1)),
            ),
            (
                "temperature=10&cap=1&precision=6",
                (10.0, Some(1.0), Some(6)),
            ),
            (
                "temperature=20&cap=0.2&precision=0",
                (20.0, Some(0.2), Some(0)),
            ),
            ("precision=15", (1.0, None, Some(15))),
        ] {
            let (s, ignored) = parse(link);
            assert!(ignored.is_empty(), "{link}: {ignored:?}");
            assert_eq!(
                (s.temperature, s.max_confidence, s.precision),
                expected,
                "{link}"
            );
        }
    }
}
