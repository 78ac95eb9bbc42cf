//! The regulations a membership leak falls under, and which of them the deployment's facts bring
//! into play. A model that reveals whether a person's record was in its training set discloses
//! personal data about that person (Veale, Binns & Edwards 2018, "Algorithms that remember").

use serde::{Deserialize, Serialize};

use super::facts::{DataSensitivity, DeploymentFacts};

/// Whether a regulation is in play for these facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Applicability {
    /// The facts bring it into play.
    Applies,
    /// The facts cannot tell; the reviewer should check.
    Check,
    /// Nothing in the facts points to it.
    NotIndicated,
}

impl Applicability {
    pub fn key(self) -> &'static str {
        match self {
            Applicability::Applies => "applies",
            Applicability::Check => "check",
            Applicability::NotIndicated => "not_indicated",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Applicability::Applies => "Applies",
            Applicability::Check => "Check",
            Applicability::NotIndicated => "Not indicated",
        }
    }
}

/// One row of the regulation table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegulationRow {
    /// Stable key: `gdpr_art17`, `gdpr_art5_1c`, `hipaa`, `ccpa`, `eu_ai_act`.
    pub key: &'static str,
    pub regulation: &'static str,
    pub provision: &'static str,
    /// What it asks of a model trained on personal data.
    pub requirement: &'static str,
    /// What satisfies it.
    pub remedy: &'static str,
    pub applicability: Applicability,
    /// Why it is (or is not) in play, in terms of the facts.
    pub why: String,
}

/// The regulation table for `facts`: GDPR Art. 17 and Art. 5(1)(c), HIPAA, CCPA, the EU AI Act.
///
/// # Examples
/// ```
/// use mia_engine::checklist::{regulations, DeploymentFacts};
/// use mia_engine::checklist::regulation::Applicability;
/// let rows = regulations(&DeploymentFacts { includes_eu_residents: true, ..DeploymentFacts::default() });
/// assert_eq!(rows[0].key, "gdpr_art17");
/// assert_eq!(rows[0].applicability, Applicability::Applies);
/// ```
pub fn regulations(facts: &DeploymentFacts) -> Vec<RegulationRow> {
    use Applicability::*;
    let eu = facts.includes_eu_residents;
    let s = facts.sensitivity;
    let (gdpr, gdpr_why) = if eu {
        (
            Applies,
            "The training data includes EU residents.".to_string(),
        )
    } else {
        (
            NotIndicated,
            "No EU residents in the training data (as entered).".to_string(),
        )
    };
    let (hipaa, hipaa_why) = if s == DataSensitivity::Medical {
        (
            Applies,
            "Medical data: applies to US covered entities and their business associates."
                .to_string(),
        )
    } else {
        (
            NotIndicated,
            format!("The data is {}, not medical.", s.key()),
        )
    };
    let (ai_act, ai_act_why) = match (eu, s.is_sensitive()) {
        (true, true) => (
            Applies,
            format!(
                "EU deployment on {} data: the uses listed as high-risk (Annex III) cover such systems.",
                s.key()
            ),
        ),
        (true, false) => (
            Check,
            "EU deployment: check whether the system's use is listed as high-risk (Annex III)."
                .to_string(),
        ),
        (false, _) => (NotIndicated, "No EU residents in the training data (as entered).".to_string()),
    };
    vec![
        RegulationRow {
            key: "gdpr_art17",
            regulation: "GDPR",
            provision: "Art. 17, right to erasure",
            requirement: "Delete a person's data on request, including what a trained model retains of it.",
            remedy: "Machine unlearning, with verification (a membership test after unlearning).",
            applicability: gdpr,
            why: gdpr_why.clone(),
        },
        RegulationRow {
            key: "gdpr_art5_1c",
            regulation: "GDPR",
            provision: "Art. 5(1)(c), data minimisation",
            requirement: "Process only the personal data adequate, relevant and necessary for the purpose.",
            remedy: "Train on the minimum data needed; DP training limits what the model retains about any one person.",
            applicability: gdpr,
            why: gdpr_why,
        },
        RegulationRow {
            key: "hipaa",
            regulation: "HIPAA",
            provision: "Privacy Rule (45 CFR 164), protected health information",
            requirement: "Do not disclose protected health information; revealing that a person's record trained the model reveals that they are a patient.",
            remedy: "DP-SGD at epsilon < 4, and output filtering (labels or rounded top-1 confidence only).",
            applicability: hipaa,
            why: hipaa_why,
        },
        RegulationRow {
            key: "ccpa",
            regulation: "CCPA",
            provision: "Cal. Civ. Code 1798.105, right to delete",
            requirement: "Delete a California consumer's personal information on request.",
            remedy: "Machine unlearning, and per-user data provenance to find what to delete.",
            applicability: Check,
            why: "The checklist does not ask about California residents: check whether the data includes them.".to_string(),
        },
        RegulationRow {
            key: "eu_ai_act",
            regulation: "EU AI Act",
            provision: "Art. 10 (data governance) for high-risk systems",
            requirement: "High-risk systems need data governance and an assessment of risks to fundamental rights, privacy included.",
            remedy: "DP training, and a membership-inference risk assessment (this audit) in the technical documentation.",
            applicability: ai_act,
            why: ai_act_why,
        },
    ]
}
