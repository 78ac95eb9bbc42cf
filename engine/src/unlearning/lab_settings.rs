//! What an unlearning in the training lab is asked to do, as `mia train --unlearn-*` and the lab's
//! link (`unlearn_forget`, `unlearn_methods`, `unlearn_lr`, `unlearn_steps`,
//! `retain_regularization`, `finetune_epochs`) both give it, with the one check both use.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::gradient_ascent::AscentSettings;

/// Which members to forget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ForgetChoice {
    /// `k` members drawn at random (seeded).
    Random { k: usize },
    /// Every member of class `class` (its index).
    Class { class: usize },
    /// These dataset rows (each must be a member).
    Rows(Vec<usize>),
}

impl ForgetChoice {
    /// `K`, `class:C` or `rows:R1,R2,...`.
    pub fn parse(spec: &str) -> Result<ForgetChoice, String> {
        let spec = spec.trim();
        let bad = || {
            format!("`{spec}`: give a number of members K, class:C (a class index) or rows:R1,R2,... (dataset rows)")
        };
        if let Some(c) = spec.strip_prefix("class:") {
            return c
                .trim()
                .parse()
                .map(|class| ForgetChoice::Class { class })
                .map_err(|_| bad());
        }
        if let Some(r) = spec.strip_prefix("rows:") {
            return r
                .split(',')
                .map(|x| x.trim().parse::<usize>())
                .collect::<Result<Vec<_>, _>>()
                .map(ForgetChoice::Rows)
                .map_err(|_| bad());
        }
        match spec.parse::<usize>() {
            Ok(0) => Err(format!("`{spec}`: forget at least 1 member")),
            Ok(k) => Ok(ForgetChoice::Random { k }),
            Err(_) => Err(bad()),
        }
    }
}

/// The forget set's ids (dataset rows, the lab's outputs' `id` column) in pasted or uploaded
/// text: a CSV whose header has an `id` column (that column is read: the lab's own outputs file,
/// filtered, works), or ids separated by commas, spaces or new lines. Each id is named with its
/// line when it is not a row number; repeats count once.
pub fn forget_ids_from_text(text: &str) -> Result<Vec<usize>, String> {
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let first = lines.clone().next();
    let id_column = first.and_then(|(_, header)| {
        header
            .split(',')
            .position(|h| h.trim().trim_matches('"').eq_ignore_ascii_case("id"))
    });
    let mut ids = Vec::new();
    let mut push = |token: &str, line: usize| -> Result<(), String> {
        let t = token.trim().trim_matches('"');
        if t.is_empty() {
            return Ok(());
        }
        let id = t.parse::<usize>().map_err(|_| {
            format!("line {line}: `{t}` is not a row number (the lab's ids are its dataset rows: 0, 1, 2, ...)")
        })?;
        if !ids.contains(&id) {
            ids.push(id);
        }
        Ok(())
    };
    match id_column {
        Some(col) => {
            lines.next();
            for (i, l) in lines {
                match l.split(',').nth(col) {
                    Some(token) => push(token, i + 1)?,
                    None => return Err(format!("line {}: no value in the id column", i + 1)),
                }
            }
        }
        None => {
            for (i, l) in lines {
                for token in l.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
                    push(token, i + 1)?;
                }
            }
        }
    }
    if ids.is_empty() {
        return Err("no ids found: paste row numbers, or upload a CSV with an id column".into());
    }
    Ok(ids)
}

/// The form [`ForgetChoice::parse`] reads.
impl fmt::Display for ForgetChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ForgetChoice::Random { k } => write!(f, "{k}"),
            ForgetChoice::Class { class } => write!(f, "class:{class}"),
            ForgetChoice::Rows(rows) => {
                let rows: Vec<String> = rows.iter().map(usize::to_string).collect();
                write!(f, "rows:{}", rows.join(","))
            }
        }
    }
}

/// The three ways of unlearning, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MethodKind {
    GradientAscent,
    FineTune,
    Retrain,
}

impl MethodKind {
    pub const ALL: [MethodKind; 3] = [
        MethodKind::GradientAscent,
        MethodKind::FineTune,
        MethodKind::Retrain,
    ];

    /// The name in `--unlearn-methods`, the link and the JSON.
    pub fn key(self) -> &'static str {
        match self {
            MethodKind::GradientAscent => "gradient_ascent",
            MethodKind::FineTune => "fine_tune",
            MethodKind::Retrain => "retrain",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            MethodKind::GradientAscent => "Gradient ascent",
            MethodKind::FineTune => "Fine-tuning",
            MethodKind::Retrain => "Retraining",
        }
    }

    /// What one of its steps is: a gradient-ascent step, or an epoch of fine-tuning or
    /// retraining.
    pub fn unit(self) -> &'static str {
        match self {
            MethodKind::GradientAscent => "step",
            MethodKind::FineTune | MethodKind::Retrain => "epoch",
        }
    }

    /// `gradient_ascent,fine_tune,retrain` (any of them, in any order, each once).
    pub fn parse_list(text: &str) -> Result<Vec<MethodKind>, String> {
        let mut kinds = Vec::new();
        for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let kind = MethodKind::ALL
                .into_iter()
                .find(|k| k.key() == name)
                .ok_or_else(|| {
                    format!("`{name}` is not a method: use gradient_ascent, fine_tune or retrain")
                })?;
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        if kinds.is_empty() {
            return Err("choose at least one method: gradient_ascent, fine_tune or retrain".into());
        }
        Ok(kinds)
    }

    /// `gradient_ascent,fine_tune`.
    pub fn list_text(kinds: &[MethodKind]) -> String {
        kinds.iter().map(|k| k.key()).collect::<Vec<_>>().join(",")
    }
}

/// An unlearning method with its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum UnlearnMethod {
    GradientAscent(AscentSettings),
    /// Fine-tuning on the retained records for this many epochs.
    FineTune {
        epochs: usize,
    },
    Retrain,
}

impl UnlearnMethod {
    pub fn kind(&self) -> MethodKind {
        match self {
            UnlearnMethod::GradientAscent(_) => MethodKind::GradientAscent,
            UnlearnMethod::FineTune { .. } => MethodKind::FineTune,
            UnlearnMethod::Retrain => MethodKind::Retrain,
        }
    }

    pub fn key(&self) -> &'static str {
        self.kind().key()
    }

    /// The steps (gradient ascent) or epochs it runs, for a model trained for `train_epochs`
    /// (retraining may stop early).
    pub fn planned(&self, train_epochs: usize) -> usize {
        match self {
            UnlearnMethod::GradientAscent(a) => a.unlearn_steps,
            UnlearnMethod::FineTune { epochs } => *epochs,
            UnlearnMethod::Retrain => train_epochs,
        }
    }
}

/// Fine-tuning's epochs when not given.
pub const DEFAULT_FINETUNE_EPOCHS: usize = 5;

/// An unlearning in the lab: the forget set, the methods and their parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabUnlearningSettings {
    pub forget: ForgetChoice,
    pub methods: Vec<MethodKind>,
    /// Gradient ascent's parameters (the seed design's defaults).
    pub ascent: AscentSettings,
    pub finetune_epochs: usize,
}

impl Default for LabUnlearningSettings {
    fn default() -> Self {
        LabUnlearningSettings {
            forget: ForgetChoice::Random { k: 100 },
            methods: MethodKind::ALL.to_vec(),
            ascent: AscentSettings::default(),
            finetune_epochs: DEFAULT_FINETUNE_EPOCHS,
        }
    }
}

impl LabUnlearningSettings {
    /// The settings if they can run, else what is wrong, named by the link's key (the CLI's flag
    /// with underscores). The forget set is checked against the data when it is chosen.
    pub fn check(&self) -> Result<(), String> {
        let a = &self.ascent;
        if !(a.unlearn_lr.is_finite() && a.unlearn_lr > 0.0) {
            return Err(format!(
                "unlearn_lr = {}: the learning rate must be a number above 0.",
                a.unlearn_lr
            ));
        }
        if a.unlearn_steps == 0 || a.unlearn_steps > 100_000 {
            return Err(format!(
                "unlearn_steps = {}: take 1 to 100000 steps.",
                a.unlearn_steps
            ));
        }
        if !(a.retain_regularization.is_finite() && a.retain_regularization >= 0.0) {
            return Err(format!(
                "retain_regularization = {}: the weight of the retain loss must be 0 or more.",
                a.retain_regularization
            ));
        }
        if self.finetune_epochs == 0 || self.finetune_epochs > 10_000 {
            return Err(format!(
                "finetune_epochs = {}: fine-tune for 1 to 10000 epochs.",
                self.finetune_epochs
            ));
        }
        if self.methods.is_empty() {
            return Err("unlearn_methods: choose at least one method.".into());
        }
        if let ForgetChoice::Random { k: 0 } = self.forget {
            return Err("unlearn_forget = 0: forget at least 1 member.".into());
        }
        if let ForgetChoice::Rows(rows) = &self.forget {
            if rows.is_empty() {
                return Err("unlearn_forget: list at least one row.".into());
            }
        }
        Ok(())
    }

    /// The methods with their parameters, in the order asked for.
    pub fn methods(&self) -> Vec<UnlearnMethod> {
        self.methods
            .iter()
            .map(|k| match k {
                MethodKind::GradientAscent => UnlearnMethod::GradientAscent(self.ascent),
                MethodKind::FineTune => UnlearnMethod::FineTune {
                    epochs: self.finetune_epochs,
                },
                MethodKind::Retrain => UnlearnMethod::Retrain,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forget_choices_round_trip_through_their_text() {
        for spec in ["100", "class:3", "rows:4,9,17"] {
            assert_eq!(ForgetChoice::parse(spec).unwrap().to_string(), spec);
        }
        assert_eq!(
            ForgetChoice::parse(" rows: 4 , 9 "),
            Ok(ForgetChoice::Rows(vec![4, 9]))
        );
        assert!(ForgetChoice::parse("0").unwrap_err().contains("at least 1"));
        assert!(ForgetChoice::parse("class:x")
            .unwrap_err()
            .contains("class:C"));
        assert!(ForgetChoice::parse("rows:1,,2").is_err());
    }

    #[test]
    fn ids_are_read_from_lists_and_from_an_id_column() {
        assert_eq!(
            forget_ids_from_text("3, 8\n13 8;21\n"),
            Ok(vec![3, 8, 13, 21])
        );
        let outputs = "id,member,label,prob_0\n17,1,0,0.9\n4,1,1,0.2\n\n";
        assert_eq!(forget_ids_from_text(outputs), Ok(vec![17, 4]));
        assert_eq!(
            forget_ids_from_text("1\n2\nx7"),
            Err("line 3: `x7` is not a row number (the lab's ids are its dataset rows: 0, 1, 2, ...)".into())
        );
        assert_eq!(
            forget_ids_from_text("member,id\n1,5\n1\n"),
            Err("line 3: no value in the id column".into())
        );
        assert!(forget_ids_from_text(" \n")
            .unwrap_err()
            .starts_with("no ids found"));
    }

    #[test]
    fn methods_are_named_once_each_and_checked() {
        assert_eq!(
            MethodKind::parse_list("retrain, gradient_ascent,retrain"),
            Ok(vec![MethodKind::Retrain, MethodKind::GradientAscent])
        );
        assert!(MethodKind::parse_list("sisa")
            .unwrap_err()
            .contains("`sisa`"));
        assert!(MethodKind::parse_list("").is_err());
        let mut s = LabUnlearningSettings::default();
        assert_eq!(s.check(), Ok(()));
        assert_eq!(
            MethodKind::list_text(&s.methods),
            "gradient_ascent,fine_tune,retrain"
        );
        s.ascent.unlearn_lr = 0.0;
        assert!(s.check().unwrap_err().starts_with("unlearn_lr = 0"));
        s.ascent.unlearn_lr = 1e-3;
        s.finetune_epochs = 0;
        assert!(s.check().unwrap_err().starts_with("finetune_epochs = 0"));
    }
}
