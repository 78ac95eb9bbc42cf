//! The training lab's query: the dataset and every training setting, as the link carries them
//! (`?view=train&dataset=digits_noisy&model=mlp&hidden=128&epochs=60&…&dp=false&seed=0`). The keys
//! are `mia train`'s flags with underscores. A value the engine's one check
//! ([`TrainSettings::check`]) refuses is listed, not used.

use mia_engine::training::datasets::DATASET_IDS;
use mia_engine::training::settings::{
    DpSettings, EarlyStop, ModelKind, NoiseChoice, OptimizerChoice, TrainSettings,
};
use mia_engine::unlearning::lab::{ForgetChoice, LabUnlearningSettings, MethodKind};

/// The dataset value of an uploaded file.
pub const FILE_DATASET: &str = "file";

/// The view's controls.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainQuery {
    /// A bundled dataset id, or [`FILE_DATASET`].
    pub dataset: String,
    /// Every setting but DP's, which `dp_on` switches.
    pub settings: TrainSettings,
    pub dp_on: bool,
    /// DP-SGD's settings, kept while DP is off so that switching it back on restores them.
    pub dp: DpSettings,
    /// Log-log ROC axes.
    pub log_roc: bool,
    /// Unlearning in the lab: shown in the link (and run when the link is opened) once any of
    /// its keys is set.
    pub unlearn_on: bool,
    pub unlearning: LabUnlearningSettings,
}

impl Default for TrainQuery {
    fn default() -> Self {
        TrainQuery {
            dataset: "digits_noisy".into(),
            settings: TrainSettings::default(),
            dp_on: false,
            dp: DpSettings::default(),
            log_roc: true,
            unlearn_on: false,
            unlearning: LabUnlearningSettings::default(),
        }
    }
}

impl TrainQuery {
    /// The settings a run uses.
    pub fn train_settings(&self) -> TrainSettings {
        TrainSettings {
            dp: self.dp_on.then_some(self.dp),
            ..self.settings.clone()
        }
    }

    /// The settings if the engine's check accepts them (for any number of members: the batch is
    /// checked against the data when the run starts).
    pub fn check(&self) -> Result<(), String> {
        self.train_settings()
            .check(usize::MAX)
            .map_err(|e| e.to_string())?;
        self.unlearning.check()
    }
}

pub fn model_key(m: ModelKind) -> &'static str {
    match m {
        ModelKind::LogReg => "logreg",
        ModelKind::Mlp => "mlp",
    }
}

pub fn optimizer_key(o: OptimizerChoice) -> &'static str {
    match o {
        OptimizerChoice::Sgd => "sgd",
        OptimizerChoice::Adam => "adam",
    }
}

pub fn early_stop_key(e: EarlyStop) -> &'static str {
    match e {
        EarlyStop::None => "none",
        EarlyStop::Patience => "patience",
        EarlyStop::Gap => "gap",
    }
}

/// `128` or `128,64`.
pub fn hidden_text(hidden: &[usize]) -> String {
    hidden
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The layer sizes in `text`, if it is one or two whole numbers separated by a comma.
pub fn parse_hidden(text: &str) -> Option<Vec<usize>> {
    text.split(',')
        .map(|h| h.trim().parse::<usize>().ok())
        .collect()
}

/// Applies `set` with the link's value of `key` if it parses and the check accepts the result.
fn take<T: std::str::FromStr>(
    q: &super::Query,
    key: &str,
    t: &mut TrainQuery,
    ignored: &mut Vec<String>,
    set: fn(&mut TrainQuery, T),
) {
    let Some(v) = q.get(key) else { return };
    let Ok(x) = v.parse::<T>() else {
        ignored.push(format!("{key}={v} (not a number)"));
        return;
    };
    let mut candidate = t.clone();
    set(&mut candidate, x);
    match candidate.check() {
        Ok(()) => *t = candidate,
        Err(why) => ignored.push(format!("{key}={v} ({why})")),
    }
}

/// Applies the choice the link names for `key`, one of `options`.
fn choose<T: Copy>(
    q: &super::Query,
    key: &str,
    options: &[(&str, T)],
    ignored: &mut Vec<String>,
) -> Option<T> {
    let v = q.get(key)?;
    let found = options.iter().find(|(k, _)| *k == v).map(|&(_, x)| x);
    if found.is_none() {
        let names: Vec<&str> = options.iter().map(|(k, _)| *k).collect();
        ignored.push(format!("{key}={v} (use {})", names.join(" or ")));
    }
    found
}

/// The unlearning keys (`mia train`'s `--unlearn-*` flags with underscores); any of them turns
/// unlearning on.
pub const UNLEARN_KEYS: [&str; 6] = [
    "unlearn_forget",
    "unlearn_methods",
    "unlearn_lr",
    "unlearn_steps",
    "retain_regularization",
    "finetune_epochs",
];

fn parse_unlearning(q: &super::Query, t: &mut TrainQuery, ignored: &mut Vec<String>) {
    t.unlearn_on = UNLEARN_KEYS.iter().any(|k| q.get(k).is_some());
    if let Some(v) = q.get("unlearn_forget") {
        match ForgetChoice::parse(v) {
            Ok(f) => t.unlearning.forget = f,
            Err(why) => ignored.push(format!("unlearn_forget={v} ({why})")),
        }
    }
    if let Some(v) = q.get("unlearn_methods") {
        match MethodKind::parse_list(v) {
            Ok(m) => t.unlearning.methods = m,
            Err(why) => ignored.push(format!("unlearn_methods={v} ({why})")),
        }
    }
    take(q, "unlearn_lr", t, ignored, |t, x: f64| {
        t.unlearning.ascent.unlearn_lr = x
    });
    take(q, "unlearn_steps", t, ignored, |t, x: usize| {
        t.unlearning.ascent.unlearn_steps = x
    });
    take(q, "retain_regularization", t, ignored, |t, x: f64| {
        t.unlearning.ascent.retain_regularization = x
    });
    take(q, "finetune_epochs", t, ignored, |t, x: usize| {
        t.unlearning.finetune_epochs = x
    });
}

impl super::ViewQuery for TrainQuery {
    fn parse(q: &super::Query, ignored: &mut Vec<String>) -> Self {
        let mut t = TrainQuery::default();
        if let Some(d) = q.get("dataset") {
            if d == FILE_DATASET || DATASET_IDS.contains(&d) {
                t.dataset = d.to_string();
            } else {
                ignored.push(format!(
                    "dataset={d} (use {} or file)",
                    DATASET_IDS.join(", ")
                ));
            }
        }
        let models = [("mlp", ModelKind::Mlp), ("logreg", ModelKind::LogReg)];
        if let Some(m) = choose(q, "model", &models, ignored) {
            t.settings.model = m;
        }
        if let Some(h) = q.get("hidden") {
            match parse_hidden(h) {
                Some(hidden) => {
                    let mut c = t.clone();
                    c.settings.hidden = hidden;
                    c.settings.model = ModelKind::Mlp;
                    match c.check() {
                        Ok(()) => t.settings.hidden = c.settings.hidden,
                        Err(why) => ignored.push(format!("hidden={h} ({why})")),
                    }
                }
                None => ignored.push(format!("hidden={h} (one number, or two with a comma)")),
            }
        }
        take(q, "epochs", &mut t, ignored, |t, x: usize| {
            t.settings.epochs = x
        });
        take(q, "batch", &mut t, ignored, |t, x: usize| {
            t.settings.batch = x
        });
        take(q, "lr", &mut t, ignored, |t, x: f64| t.settings.lr = x);
        let optimizers = [
            ("adam", OptimizerChoice::Adam),
            ("sgd", OptimizerChoice::Sgd),
        ];
        if let Some(o) = choose(q, "optimizer", &optimizers, ignored) {
            t.settings.optimizer = o;
        }
        take(q, "l2", &mut t, ignored, |t, x: f64| t.settings.l2 = x);
        take(q, "dropout", &mut t, ignored, |t, x: f64| {
            t.settings.dropout = x
        });
        take(q, "label_smoothing", &mut t, ignored, |t, x: f64| {
            t.settings.label_smoothing = x
        });
        take(q, "clip", &mut t, ignored, |t, x: f64| t.settings.clip = x);
        let stops = [
            ("none", EarlyStop::None),
            ("patience", EarlyStop::Patience),
            ("gap", EarlyStop::Gap),
        ];
        if let Some(e) = choose(q, "early_stop", &stops, ignored) {
            t.settings.early_stop = e;
        }
        take(q, "target_gap", &mut t, ignored, |t, x: f64| {
            t.settings.target_gap = x
        });
        if let Some(on) = choose(q, "dp", &[("true", true), ("false", false)], ignored) {
            t.dp_on = on;
        }
        // DP's values are checked as if DP were on, so that switching it on never meets them.
        let dp_on = t.dp_on;
        t.dp_on = true;
        take(q, "noise_multiplier", &mut t, ignored, |t, x: f64| {
            t.dp.noise = NoiseChoice::NoiseMultiplier(x)
        });
        take(q, "target_epsilon", &mut t, ignored, |t, x: f64| {
            t.dp.noise = NoiseChoice::TargetEpsilon(x)
        });
        take(q, "max_grad_norm", &mut t, ignored, |t, x: f64| {
            t.dp.max_grad_norm = x
        });
        take(q, "delta", &mut t, ignored, |t, x: f64| {
            t.dp.delta = Some(x)
        });
        t.dp_on = dp_on;
        take(q, "seed", &mut t, ignored, |t, x: u64| t.settings.seed = x);
        t.log_roc = q.get("roc") != Some("linear");
        parse_unlearning(q, &mut t, ignored);
        t
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let s = &self.settings;
        let shown = |key: &str| match key {
            "hidden" => s.model == ModelKind::Mlp,
            "target_gap" => s.early_stop == EarlyStop::Gap,
            "noise_multiplier" | "target_epsilon" | "max_grad_norm" | "delta" => self.dp_on,
            _ => true,
        };
        self.all_pairs()
            .into_iter()
            .filter(|(k, _)| shown(k))
            .collect()
    }
}

impl TrainQuery {
    /// Every control as a query pair, those the link leaves out (DP's while DP is off, say)
    /// included.
    fn all_pairs(&self) -> Vec<(&'static str, String)> {
        let s = &self.settings;
        let mut p = vec![
            ("dataset", self.dataset.clone()),
            ("model", model_key(s.model).into()),
            ("hidden", hidden_text(&s.hidden)),
            ("epochs", s.epochs.to_string()),
            ("batch", s.batch.to_string()),
            ("lr", s.lr.to_string()),
            ("optimizer", optimizer_key(s.optimizer).into()),
            ("l2", s.l2.to_string()),
            ("dropout", s.dropout.to_string()),
            ("label_smoothing", s.label_smoothing.to_string()),
            ("clip", s.clip.to_string()),
            ("early_stop", early_stop_key(s.early_stop).into()),
            ("target_gap", s.target_gap.to_string()),
            ("dp", self.dp_on.to_string()),
        ];
        match self.dp.noise {
            NoiseChoice::NoiseMultiplier(x) => p.push(("noise_multiplier", x.to_string())),
            NoiseChoice::TargetEpsilon(x) => p.push(("target_epsilon", x.to_string())),
        }
        p.push(("max_grad_norm", self.dp.max_grad_norm.to_string()));
        if let Some(d) = self.dp.delta {
            p.push(("delta", d.to_string()));
        }
        p.push(("seed", s.seed.to_string()));
        p.push(("roc", if self.log_roc { "log" } else { "linear" }.into()));
        if self.unlearn_on {
            let u = &self.unlearning;
            p.push(("unlearn_forget", u.forget.to_string()));
            p.push(("unlearn_methods", MethodKind::list_text(&u.methods)));
            p.push(("unlearn_lr", u.ascent.unlearn_lr.to_string()));
            p.push(("unlearn_steps", u.ascent.unlearn_steps.to_string()));
            p.push((
                "retain_regularization",
                u.ascent.retain_regularization.to_string(),
            ));
            p.push(("finetune_epochs", u.finetune_epochs.to_string()));
        }
        p
    }

    /// These controls with `key` set to `value` (an empty `value` removes an optional key such
    /// as `delta`), read as a link is: the same parsing and the engine's one check. `Err` says
    /// why the value cannot be used.
    pub fn with(&self, key: &str, value: &str) -> Result<TrainQuery, String> {
        use super::ViewQuery;
        let value = value.trim();
        let mut pairs: Vec<(String, String)> = self
            .all_pairs()
            .into_iter()
            .filter(|(k, _)| *k != key)
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        // σ and a target ε are one choice: setting one drops the other.
        if matches!(key, "noise_multiplier" | "target_epsilon") {
            pairs.retain(|(k, _)| !matches!(k.as_str(), "noise_multiplier" | "target_epsilon"));
        }
        if !value.is_empty() {
            pairs.push((key.to_string(), value.to_string()));
        }
        let link: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", super::query::encode_value(v)))
            .collect();
        let mut ignored = Vec::new();
        let q = TrainQuery::parse(&super::Query::parse(&link.join("&")), &mut ignored);
        if ignored.is_empty() {
            Ok(q)
        } else {
            Err(ignored.join("; "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Query, ViewQuery};
    use super::*;

    #[test]
    fn the_issue_link_round_trips() {
        let link = "dataset=digits_noisy&model=mlp&hidden=128&epochs=60&batch=32&lr=0.001&optimizer=adam&l2=0&dropout=0&label_smoothing=0&clip=0&early_stop=none&dp=false&seed=0";
        let mut ignored = Vec::new();
        let t = TrainQuery::parse(&Query::parse(link), &mut ignored);
        assert!(ignored.is_empty(), "{ignored:?}");
        assert_eq!(t, TrainQuery::default());
        let link = "dataset=wine&model=mlp&hidden=64,32&epochs=20&batch=16&lr=0.05&optimizer=sgd&l2=0.01&dropout=0.3&label_smoothing=0.1&clip=1&early_stop=gap&target_gap=0.2&dp=true&target_epsilon=2&max_grad_norm=0.5&delta=0.0001&seed=7&roc=linear";
        let t = TrainQuery::parse(&Query::parse(link), &mut ignored);
        assert!(ignored.is_empty(), "{ignored:?}");
        assert_eq!(t.settings.hidden, vec![64, 32]);
        assert_eq!(t.dp.noise, NoiseChoice::TargetEpsilon(2.0));
        assert_eq!(t.train_settings().dp.map(|d| d.delta), Some(Some(0.0001)));
        let pairs: Vec<String> = t.pairs().iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(pairs.join("&"), link);
    }

    #[test]
    fn refused_values_are_listed_with_the_engine_s_reason() {
        let mut ignored = Vec::new();
        let t = TrainQuery::parse(
            &Query::parse("lr=0&batch=x&dropout=1&model=cnn&dataset=mnist&noise_multiplier=-1"),
            &mut ignored,
        );
        assert_eq!(t, TrainQuery::default());
        assert_eq!(ignored.len(), 6, "{ignored:?}");
        assert!(ignored[0].starts_with("dataset=mnist (use digits"));
        assert_eq!(ignored[1], "model=cnn (use mlp or logreg)");
        assert_eq!(ignored[2], "batch=x (not a number)");
        assert!(ignored[3].starts_with("lr=0 (lr = 0: the learning rate"));
        assert!(ignored[4].starts_with("dropout=1 (dropout = 1"));
        assert!(ignored[5].starts_with("noise_multiplier=-1 (noise_multiplier = -1"));
    }

    #[test]
    fn unlearning_is_in_the_link_once_asked_for() {
        let mut ignored = Vec::new();
        let t = TrainQuery::parse(&Query::parse("dataset=wine&epochs=5"), &mut ignored);
        assert!(!t.unlearn_on);
        assert!(!t.pairs().iter().any(|(k, _)| k.starts_with("unlearn")));
        // Another control's change leaves it off.
        assert!(!t.with("lr", "0.01").unwrap().unlearn_on);
        let on = t.with("unlearn_forget", "class:2").unwrap();
        assert!(on.unlearn_on);
        assert_eq!(on.unlearning.forget, ForgetChoice::Class { class: 2 });
        let link: Vec<String> = on.pairs().iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert!(link.join("&").ends_with("unlearn_forget=class:2&unlearn_methods=gradient_ascent,fine_tune,retrain&unlearn_lr=0.0001&unlearn_steps=100&retain_regularization=0.5&finetune_epochs=5"), "{link:?}");
        // Kept through another control's change, and read back from the link.
        let again = on.with("epochs", "7").unwrap();
        assert_eq!(again.unlearning, on.unlearning);
        assert!(again.unlearn_on);
        let link =
            "unlearn_forget=rows:3,8&unlearn_methods=retrain,gradient_ascent&unlearn_steps=20";
        let t = TrainQuery::parse(&Query::parse(link), &mut ignored);
        assert!(ignored.is_empty(), "{ignored:?}");
        assert_eq!(t.unlearning.forget, ForgetChoice::Rows(vec![3, 8]));
        assert_eq!(
            t.unlearning.methods,
            vec![MethodKind::Retrain, MethodKind::GradientAscent]
        );
        assert_eq!(t.unlearning.ascent.unlearn_steps, 20);
        // Refused values are named, and the rest still apply.
        let t = TrainQuery::parse(
            &Query::parse(
                "unlearn_forget=half&unlearn_lr=-1&unlearn_methods=sisa&finetune_epochs=0",
            ),
            &mut ignored,
        );
        assert!(t.unlearn_on);
        assert_eq!(t.unlearning, LabUnlearningSettings::default());
        assert_eq!(ignored.len(), 4, "{ignored:?}");
        assert!(ignored[0].starts_with("unlearn_forget=half (`half`: give"));
        assert!(ignored[1].starts_with("unlearn_methods=sisa (`sisa` is not a method"));
        assert!(ignored[2].starts_with("unlearn_lr=-1 (unlearn_lr = -1"));
        assert!(ignored[3].starts_with("finetune_epochs=0 (finetune_epochs = 0"));
    }

    #[test]
    fn a_control_change_is_checked_like_a_link() {
        let t = TrainQuery::default();
        let dp = t
            .with("dp", "true")
            .and_then(|t| t.with("target_epsilon", "2"));
        let dp = dp.expect("valid");
        assert_eq!(
            dp.train_settings().dp.map(|d| d.noise),
            Some(NoiseChoice::TargetEpsilon(2.0))
        );
        // Off and on again: DP's values are kept.
        let again = dp.with("dp", "false").and_then(|t| t.with("dp", "true"));
        assert_eq!(again, Ok(dp.clone()));
        assert_eq!(
            t.with("lr", "-1").map(|_| ()),
            Err("lr=-1 (lr = -1: the learning rate must be a number above 0.)".to_string())
        );
        assert_eq!(
            t.with("hidden", "64,32").map(|t| t.settings.hidden),
            Ok(vec![64, 32])
        );
        assert_eq!(
            dp.with("delta", "1e-4")
                .and_then(|t| t.with("delta", ""))
                .map(|t| t.dp.delta),
            Ok(None)
        );
    }
}
