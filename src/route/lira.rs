//! The reference-attack view's query: where the input comes from, the training settings and the
//! attacks' parameters, as the link carries them. Values the engine refuses
//! ([`ReferenceSettings::check`], [`TrainingConfig::check`]) are listed, not used.

use mia_engine::reference_attack::training::{TrainingConfig, REFERENCE_COUNTS};
use mia_engine::reference_attack::{Center, OfflineTest, ReferenceSettings};
use mia_engine::shadow::ModelKind;

/// Where the reference-attack CSV comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiraInput {
    /// A bundled case (`sample=`).
    Sample,
    /// A file the user picks.
    File,
    /// Models trained in the page.
    Train,
}

impl LiraInput {
    pub fn key(self) -> &'static str {
        match self {
            LiraInput::Sample => "sample",
            LiraInput::File => "file",
            LiraInput::Train => "train",
        }
    }
}

/// The view's controls.
#[derive(Debug, Clone, PartialEq)]
pub struct LiraQuery {
    pub input: LiraInput,
    pub sample: String,
    /// A bundled dataset for training.
    pub dataset: String,
    pub mlp: bool,
    pub hidden: usize,
    pub epochs: usize,
    pub m: usize,
    pub noise: f64,
    pub seed: u64,
    pub settings: ReferenceSettings,
    /// Log-log ROC axes (the default: the low-FPR region is where the attacks differ).
    pub log_roc: bool,
}

impl Default for LiraQuery {
    fn default() -> Self {
        let t = TrainingConfig::default();
        let (hidden, epochs) = match t.model {
            ModelKind::Mlp { hidden, epochs } => (hidden, epochs),
            ModelKind::LogisticRegression { .. } => (128, 300),
        };
        LiraQuery {
            input: LiraInput::Sample,
            sample: crate::samples::DEFAULT_REFERENCE_SAMPLE.into(),
            dataset: "digits".into(),
            mlp: true,
            hidden,
            epochs,
            m: t.m,
            noise: t.noise,
            seed: t.seed,
            settings: ReferenceSettings::default(),
            log_roc: true,
        }
    }
}

impl LiraQuery {
    /// The engine's training configuration for these controls.
    pub fn training(&self) -> TrainingConfig {
        TrainingConfig {
            m: self.m,
            model: if self.mlp {
                ModelKind::Mlp {
                    hidden: self.hidden,
                    epochs: self.epochs,
                }
            } else {
                ModelKind::LogisticRegression { c: 1.0 }
            },
            noise: self.noise,
            seed: self.seed,
        }
    }
}

/// Sets a training number from the link if the engine's check accepts it (as an MLP's).
fn take<T: std::str::FromStr + std::fmt::Display + Copy>(
    q: &super::Query,
    key: &str,
    l: &mut LiraQuery,
    ignored: &mut Vec<String>,
    hint: &str,
    set: fn(&mut LiraQuery, T),
) {
    let Some(v) = q.get(key) else { return };
    if let Ok(x) = v.parse::<T>() {
        let mut candidate = LiraQuery {
            mlp: true,
            ..l.clone()
        };
        set(&mut candidate, x);
        if candidate.training().check().is_ok() && candidate.settings.check().is_ok() {
            set(l, x);
            return;
        }
    }
    ignored.push(format!("{key}={v} ({hint})"));
}

impl super::ViewQuery for LiraQuery {
    fn parse(q: &super::Query, ignored: &mut Vec<String>) -> Self {
        let mut l = LiraQuery::default();
        match q.get("source") {
            Some("file") => l.input = LiraInput::File,
            Some("train") => l.input = LiraInput::Train,
            Some("sample") | None => {}
            Some(other) => ignored.push(format!("source={other} (use sample, file or train)")),
        }
        if let Some(s) = q.get("sample") {
            if crate::samples::REFERENCE_SAMPLES.iter().any(|x| x.id == s) {
                l.sample = s.to_string();
            } else {
                ignored.push(format!("sample={s} (no such bundled case)"));
            }
        }
        if let Some(d) = q.get("dataset") {
            if crate::samples::DATASETS.iter().any(|(id, _)| *id == d) {
                l.dataset = d.to_string();
            } else {
                ignored.push(format!("dataset={d} (use digits or breast_cancer)"));
            }
        }
        match q.get("model") {
            Some("logreg") => l.mlp = false,
            Some("mlp") | None => {}
            Some(other) => ignored.push(format!("model={other} (use mlp or logreg)")),
        }
        let counts: Vec<String> = REFERENCE_COUNTS.iter().map(|m| m.to_string()).collect();
        take(
            q,
            "m",
            &mut l,
            ignored,
            &format!("use {}", counts.join(", ")),
            |l, x: usize| l.m = x,
        );
        take(
            q,
            "hidden",
            &mut l,
            ignored,
            "use 1 to 512",
            |l, x: usize| l.hidden = x,
        );
        take(
            q,
            "epochs",
            &mut l,
            ignored,
            "use 1 to 2000",
            |l, x: usize| l.epochs = x,
        );
        take(q, "noise", &mut l, ignored, "use 0 to 32", |l, x: f64| {
            l.noise = x
        });
        take(
            q,
            "seed",
            &mut l,
            ignored,
            "use a whole number",
            |l, x: u64| l.seed = x,
        );
        take(
            q,
            "gamma",
            &mut l,
            ignored,
            "use 0.01 to 100",
            |l, x: f64| l.settings.gamma = x,
        );
        take(q, "a", &mut l, ignored, "use 0 to 1", |l, x: f64| {
            l.settings.offline_a = x
        });
        if let Some(c) = q.get("center") {
            match Center::parse(c) {
                Some(c) => l.settings.center = c,
                None => ignored.push(format!("center={c} (use median or mean)")),
            }
        }
        if let Some(t) = q.get("test") {
            match OfflineTest::parse(t) {
                Some(t) => l.settings.offline_test = t,
                None => ignored.push(format!("test={t} (use one-sided or two-sided)")),
            }
        }
        l.log_roc = q.get("roc") != Some("linear");
        l
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut p = vec![("source", self.input.key().to_string())];
        match self.input {
            LiraInput::Sample => p.push(("sample", self.sample.clone())),
            LiraInput::File => {}
            LiraInput::Train => {
                p.push(("dataset", self.dataset.clone()));
                p.push(("model", if self.mlp { "mlp" } else { "logreg" }.into()));
                if self.mlp {
                    p.push(("hidden", self.hidden.to_string()));
                    p.push(("epochs", self.epochs.to_string()));
                }
                p.push(("m", self.m.to_string()));
                p.push(("noise", self.noise.to_string()));
                p.push(("seed", self.seed.to_string()));
            }
        }
        let s = &self.settings;
        p.push(("gamma", s.gamma.to_string()));
        p.push(("a", s.offline_a.to_string()));
        p.push(("center", s.center.name().into()));
        p.push(("test", s.offline_test.name().into()));
        p.push(("roc", if self.log_roc { "log" } else { "linear" }.into()));
        p
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Query, ViewQuery};
    use super::*;

    #[test]
    fn the_link_round_trips_and_refused_values_are_listed() {
        let mut ignored = Vec::new();
        let link = "source=train&dataset=breast_cancer&model=mlp&hidden=32&epochs=50&m=16&noise=0&seed=3&gamma=2&a=0.5&center=mean&test=two-sided&roc=linear";
        let l = LiraQuery::parse(&Query::parse(link), &mut ignored);
        assert!(ignored.is_empty(), "{ignored:?}");
        assert_eq!(
            (l.input, l.m, l.hidden, l.epochs, l.seed),
            (LiraInput::Train, 16, 32, 50, 3)
        );
        assert_eq!((l.settings.gamma, l.settings.offline_a), (2.0, 0.5));
        assert_eq!(l.settings.center, Center::Mean);
        assert!(!l.log_roc);
        let again = LiraQuery::parse(&Query::parse(&pairs_to_link(&l.pairs())), &mut ignored);
        assert_eq!(again, l);

        let mut ignored = Vec::new();
        let l = LiraQuery::parse(
            &Query::parse("m=5&gamma=0&a=2&noise=-1&center=mode&sample=nope"),
            &mut ignored,
        );
        assert_eq!(
            ignored,
            vec![
                "sample=nope (no such bundled case)",
                "m=5 (use 4, 8, 16, 32, 64)",
                "noise=-1 (use 0 to 32)",
                "gamma=0 (use 0.01 to 100)",
                "a=2 (use 0 to 1)",
                "center=mode (use median or mean)",
            ]
        );
        assert_eq!(l, LiraQuery::default());
    }

    fn pairs_to_link(p: &[(&str, String)]) -> String {
        p.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }
}
