//! The facts of a deployment that the checklist judges.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::FactError;

/// What kind of personal data the model was trained on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DataSensitivity {
    Medical,
    Financial,
    Legal,
    Biometric,
    General,
}

/// How the model was trained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TrainingApproach {
    /// Ordinary (non-private) training.
    Standard,
    /// Differentially private SGD (Abadi et al. 2016).
    DpSgd,
    /// Federated learning (the data stays with its owners; no formal guarantee by itself).
    Federated,
}

/// The model's size class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ModelSize {
    Small,
    Medium,
    Large,
    Xlarge,
}

/// Keyed choices: a stable lower-case key (used in URLs, JSON and the CLI) and a title.
macro_rules! keyed {
    ($t:ty, [$(($v:path, $key:literal, $title:literal)),+ $(,)?]) => {
        impl $t {
            /// Every choice, in display order.
            pub const ALL: &'static [$t] = &[$($v),+];

            /// The stable lower-case key.
            pub fn key(self) -> &'static str {
                match self { $($v => $key),+ }
            }

            /// The name shown to people.
            pub fn title(self) -> &'static str {
                match self { $($v => $title),+ }
            }

            /// Parses a [`key`](Self::key), case-insensitively.
            pub fn from_key(s: &str) -> Option<$t> {
                Self::ALL.iter().copied().find(|v| v.key().eq_ignore_ascii_case(s.trim()))
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.key())
            }
        }
    };
}

keyed!(
    DataSensitivity,
    [
        (DataSensitivity::Medical, "medical", "Medical"),
        (DataSensitivity::Financial, "financial", "Financial"),
        (DataSensitivity::Legal, "legal", "Legal"),
        (DataSensitivity::Biometric, "biometric", "Biometric"),
        (DataSensitivity::General, "general", "General"),
    ]
);
keyed!(
    TrainingApproach,
    [
        (TrainingApproach::Standard, "standard", "Standard training"),
        (TrainingApproach::DpSgd, "dp_sgd", "DP-SGD"),
        (
            TrainingApproach::Federated,
            "federated",
            "Federated learning"
        ),
    ]
);
keyed!(
    ModelSize,
    [
        (ModelSize::Small, "small", "Small"),
        (ModelSize::Medium, "medium", "Medium"),
        (ModelSize::Large, "large", "Large"),
        (ModelSize::Xlarge, "xlarge", "Extra large"),
    ]
);

impl DataSensitivity {
    /// Special-category data: medical, financial, legal or biometric.
    pub fn is_sensitive(self) -> bool {
        self != DataSensitivity::General
    }
}

impl ModelSize {
    /// Large or extra large: enough capacity to memorize individual records.
    pub fn is_large(self) -> bool {
        matches!(self, ModelSize::Large | ModelSize::Xlarge)
    }
}

/// The inputs of the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DeploymentFacts {
    pub sensitivity: DataSensitivity,
    /// Train accuracy − test accuracy, when known.
    pub generalization_gap: Option<f64>,
    pub n_training_examples: u64,
    /// The deployed API returns log-probabilities (or full confidence vectors).
    pub returns_logprobs: bool,
    pub includes_eu_residents: bool,
    pub training: TrainingApproach,
    pub model_size: ModelSize,
}

impl Default for DeploymentFacts {
    /// The cautious starting point: general data, no gap known, 10,000 examples, no logprobs.
    fn default() -> Self {
        DeploymentFacts {
            sensitivity: DataSensitivity::General,
            generalization_gap: None,
            n_training_examples: 10_000,
            returns_logprobs: false,
            includes_eu_residents: false,
            training: TrainingApproach::Standard,
            model_size: ModelSize::Small,
        }
    }
}

/// One input of the checklist, to say where its value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Fact {
    Sensitivity,
    GeneralizationGap,
    TrainingExamples,
    ReturnsLogprobs,
    EuResidents,
    Training,
    ModelSize,
}

impl Fact {
    pub const ALL: [Fact; 7] = [
        Fact::Sensitivity,
        Fact::GeneralizationGap,
        Fact::TrainingExamples,
        Fact::ReturnsLogprobs,
        Fact::EuResidents,
        Fact::Training,
        Fact::ModelSize,
    ];

    /// The stable key (JSON, URL).
    pub fn key(self) -> &'static str {
        match self {
            Fact::Sensitivity => "sensitivity",
            Fact::GeneralizationGap => "generalization_gap",
            Fact::TrainingExamples => "n_training_examples",
            Fact::ReturnsLogprobs => "returns_logprobs",
            Fact::EuResidents => "includes_eu_residents",
            Fact::Training => "training",
            Fact::ModelSize => "model_size",
        }
    }

    /// The question as the form asks it.
    pub fn title(self) -> &'static str {
        match self {
            Fact::Sensitivity => "Data sensitivity",
            Fact::GeneralizationGap => "Generalization gap (train − test accuracy)",
            Fact::TrainingExamples => "Training examples",
            Fact::ReturnsLogprobs => "API returns log-probabilities",
            Fact::EuResidents => "Data includes EU residents",
            Fact::Training => "Training approach",
            Fact::ModelSize => "Model size",
        }
    }
}

impl DeploymentFacts {
    /// The value of `fact` as shown in a report.
    pub fn value_text(&self, fact: Fact) -> String {
        let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
        match fact {
            Fact::Sensitivity => self.sensitivity.title().to_string(),
            Fact::GeneralizationGap => self
                .generalization_gap
                .map_or_else(|| "not known".to_string(), |g| format!("{g:.4}")),
            Fact::TrainingExamples => crate::output::number_format::count(self.n_training_examples),
            Fact::ReturnsLogprobs => yes_no(self.returns_logprobs),
            Fact::EuResidents => yes_no(self.includes_eu_residents),
            Fact::Training => self.training.title().to_string(),
            Fact::ModelSize => self.model_size.title().to_string(),
        }
    }
}

/// One fact's value: what a form field, a URL parameter or a command-line option sets.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum FactValue {
    Sensitivity(DataSensitivity),
    GeneralizationGap(Option<f64>),
    TrainingExamples(u64),
    ReturnsLogprobs(bool),
    EuResidents(bool),
    Training(TrainingApproach),
    ModelSize(ModelSize),
}

impl FactValue {
    /// The input this value is for.
    pub fn fact(&self) -> Fact {
        match self {
            FactValue::Sensitivity(_) => Fact::Sensitivity,
            FactValue::GeneralizationGap(_) => Fact::GeneralizationGap,
            FactValue::TrainingExamples(_) => Fact::TrainingExamples,
            FactValue::ReturnsLogprobs(_) => Fact::ReturnsLogprobs,
            FactValue::EuResidents(_) => Fact::EuResidents,
            FactValue::Training(_) => Fact::Training,
            FactValue::ModelSize(_) => Fact::ModelSize,
        }
    }

    /// Writes the value into `facts`.
    pub fn apply(&self, facts: &mut DeploymentFacts) {
        match *self {
            FactValue::Sensitivity(v) => facts.sensitivity = v,
            FactValue::GeneralizationGap(v) => facts.generalization_gap = v,
            FactValue::TrainingExamples(v) => facts.n_training_examples = v,
            FactValue::ReturnsLogprobs(v) => facts.returns_logprobs = v,
            FactValue::EuResidents(v) => facts.includes_eu_residents = v,
            FactValue::Training(v) => facts.training = v,
            FactValue::ModelSize(v) => facts.model_size = v,
        }
    }

    /// The value as text that [`parse`](Self::parse) reads back (keys, `yes`/`no`, numbers;
    /// an unknown gap is the empty string).
    pub fn to_text(&self) -> String {
        let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
        match *self {
            FactValue::Sensitivity(v) => v.key().to_string(),
            FactValue::GeneralizationGap(v) => v.map_or_else(String::new, |g| g.to_string()),
            FactValue::TrainingExamples(v) => v.to_string(),
            FactValue::ReturnsLogprobs(v) | FactValue::EuResidents(v) => yes_no(v),
            FactValue::Training(v) => v.key().to_string(),
            FactValue::ModelSize(v) => v.key().to_string(),
        }
    }

    /// Reads `text` as a value of `fact`, with a message saying what is accepted.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::checklist::{Fact, FactValue};
    /// assert_eq!(FactValue::parse(Fact::TrainingExamples, "12,000"), Ok(FactValue::TrainingExamples(12_000)));
    /// assert_eq!(FactValue::parse(Fact::GeneralizationGap, ""), Ok(FactValue::GeneralizationGap(None)));
    /// assert!(FactValue::parse(Fact::GeneralizationGap, "1.5").is_err());
    /// ```
    pub fn parse(fact: Fact, text: &str) -> Result<FactValue, FactError> {
        let t = text.trim();
        let text = || t.to_string();
        let yes_no = || match t.to_ascii_lowercase().as_str() {
            "yes" | "true" | "1" => Ok(true),
            "no" | "false" | "0" => Ok(false),
            _ => Err(FactError::YesNo { text: text() }),
        };
        match fact {
            Fact::Sensitivity => DataSensitivity::from_key(t)
                .map(FactValue::Sensitivity)
                .ok_or_else(|| FactError::Sensitivity { text: text() }),
            Fact::GeneralizationGap if t.is_empty() => Ok(FactValue::GeneralizationGap(None)),
            Fact::GeneralizationGap => match t.parse::<f64>() {
                Ok(g) if (-1.0..=1.0).contains(&g) => Ok(FactValue::GeneralizationGap(Some(g))),
                Ok(_) => Err(FactError::GapOutOfRange { text: text() }),
                Err(_) => Err(FactError::GapNotANumber { text: text() }),
            },
            Fact::TrainingExamples => t
                .replace([',', '_', ' '], "")
                .parse::<u64>()
                .map(FactValue::TrainingExamples)
                .map_err(|_| FactError::TrainingExamples { text: text() }),
            Fact::ReturnsLogprobs => yes_no().map(FactValue::ReturnsLogprobs),
            Fact::EuResidents => yes_no().map(FactValue::EuResidents),
            Fact::Training => TrainingApproach::from_key(t)
                .map(FactValue::Training)
                .ok_or_else(|| FactError::Training { text: text() }),
            Fact::ModelSize => ModelSize::from_key(t)
                .map(FactValue::ModelSize)
                .ok_or_else(|| FactError::ModelSize { text: text() }),
        }
    }
}

impl DeploymentFacts {
    /// The current value of `fact`.
    pub fn value(&self, fact: Fact) -> FactValue {
        match fact {
            Fact::Sensitivity => FactValue::Sensitivity(self.sensitivity),
            Fact::GeneralizationGap => FactValue::GeneralizationGap(self.generalization_gap),
            Fact::TrainingExamples => FactValue::TrainingExamples(self.n_training_examples),
            Fact::ReturnsLogprobs => FactValue::ReturnsLogprobs(self.returns_logprobs),
            Fact::EuResidents => FactValue::EuResidents(self.includes_eu_residents),
            Fact::Training => FactValue::Training(self.training),
            Fact::ModelSize => FactValue::ModelSize(self.model_size),
        }
    }
}

/// Where a fact's value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FactOrigin {
    /// Measured by the audit in this page; `detail` says from what.
    Audit { detail: String },
    /// Entered by the reviewer.
    Entered,
    /// The form's starting value, not yet confirmed.
    Default,
}

impl FactOrigin {
    /// A short description for the report.
    pub fn describe(&self) -> String {
        match self {
            FactOrigin::Audit { detail } => format!("from the audit: {detail}"),
            FactOrigin::Entered => "entered by the reviewer".to_string(),
            FactOrigin::Default => "default, not confirmed".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_through_text() {
        let f = DeploymentFacts {
            sensitivity: DataSensitivity::Biometric,
            generalization_gap: Some(0.125),
            n_training_examples: 4321,
            returns_logprobs: true,
            includes_eu_residents: true,
            training: TrainingApproach::DpSgd,
            model_size: ModelSize::Xlarge,
        };
        let mut back = DeploymentFacts::default();
        for fact in Fact::ALL {
            let v = f.value(fact);
            FactValue::parse(fact, &v.to_text())
                .unwrap()
                .apply(&mut back);
        }
        assert_eq!(back, f);
    }

    #[test]
    fn keys_round_trip() {
        for s in DataSensitivity::ALL {
            assert_eq!(DataSensitivity::from_key(s.key()), Some(*s));
        }
        for t in TrainingApproach::ALL {
            assert_eq!(TrainingApproach::from_key(t.key()), Some(*t));
        }
        for m in ModelSize::ALL {
            assert_eq!(ModelSize::from_key(m.key()), Some(*m));
        }
        assert_eq!(ModelSize::from_key(" XLarge "), Some(ModelSize::Xlarge));
        assert_eq!(DataSensitivity::from_key("genetic"), None);
    }
}
