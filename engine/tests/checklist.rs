//! The privacy risk checklist: every rule, every boundary, the overall-risk logic, approval, the
//! DP-training requirement, de-duplicated recommendations, and the regulation table.

use mia_engine::checklist::assessment::overall_risk;
use mia_engine::checklist::regulation::Applicability;
use mia_engine::checklist::{
    assess, findings, regulations, DataSensitivity, DeploymentFacts, FindingId, ModelSize,
    TrainingApproach,
};
use mia_engine::RiskLevel::{self, *};

/// Facts that raise nothing: general data, no gap, 100,000 examples, small model, no logprobs,
/// no EU residents, standard training.
fn quiet() -> DeploymentFacts {
    DeploymentFacts {
        sensitivity: DataSensitivity::General,
        generalization_gap: None,
        n_training_examples: 100_000,
        returns_logprobs: false,
        includes_eu_residents: false,
        training: TrainingApproach::Standard,
        model_size: ModelSize::Small,
    }
}

/// The rules that fired: (finding id, level).
type Fired = Vec<(&'static str, RiskLevel)>;

fn fired(f: &DeploymentFacts) -> Fired {
    findings(f).iter().map(|x| (x.id.key(), x.level)).collect()
}

#[test]
fn quiet_facts_raise_nothing() {
    let a = assess(&quiet());
    assert!(a.findings.is_empty());
    assert_eq!(a.overall, Low);
    assert!(a.approved);
    assert!(!a.requires_dp_training);
    assert!(a.recommendations.is_empty());
}

#[test]
fn each_rule_and_its_boundaries() {
    use DataSensitivity as S;
    let q = quiet();
    let cases: Vec<(&str, DeploymentFacts, Fired)> = vec![
        // Rule 1: sensitivity (standard training on medical/financial/legal also fires rule 6).
        (
            "medical, dp_sgd",
            DeploymentFacts {
                sensitivity: S::Medical,
                training: TrainingApproach::DpSgd,
                ..q
            },
            vec![("data_sensitivity", Critical)],
        ),
        (
            "financial, federated",
            DeploymentFacts {
                sensitivity: S::Financial,
                training: TrainingApproach::Federated,
                ..q
            },
            vec![("data_sensitivity", Critical)],
        ),
        (
            "legal, dp_sgd",
            DeploymentFacts {
                sensitivity: S::Legal,
                training: TrainingApproach::DpSgd,
                ..q
            },
            vec![("data_sensitivity", Critical)],
        ),
        (
            "biometric, standard",
            DeploymentFacts {
                sensitivity: S::Biometric,
                ..q
            },
            vec![("data_sensitivity", Critical)],
        ),
        ("general", q, vec![]),
        // Rule 2: the gap, at and around 0.1 and 0.3.
        (
            "gap 0.1",
            DeploymentFacts {
                generalization_gap: Some(0.1),
                ..q
            },
            vec![],
        ),
        (
            "gap 0.1000001",
            DeploymentFacts {
                generalization_gap: Some(0.1000001),
                ..q
            },
            vec![("moderate_overfitting", Medium)],
        ),
        (
            "gap 0.3",
            DeploymentFacts {
                generalization_gap: Some(0.3),
                ..q
            },
            vec![("moderate_overfitting", Medium)],
        ),
        (
            "gap 0.3000001",
            DeploymentFacts {
                generalization_gap: Some(0.3000001),
                ..q
            },
            vec![("overfitting", High)],
        ),
        (
            "gap 0",
            DeploymentFacts {
                generalization_gap: Some(0.0),
                ..q
            },
            vec![],
        ),
        (
            "gap negative",
            DeploymentFacts {
                generalization_gap: Some(-0.2),
                ..q
            },
            vec![],
        ),
        // Rule 3: dataset size, at and around 1,000 and 10,000.
        (
            "n 999",
            DeploymentFacts {
                n_training_examples: 999,
                ..q
            },
            vec![("very_small_dataset", Critical)],
        ),
        (
            "n 0",
            DeploymentFacts {
                n_training_examples: 0,
                ..q
            },
            vec![("very_small_dataset", Critical)],
        ),
        (
            "n 1000",
            DeploymentFacts {
                n_training_examples: 1_000,
                ..q
            },
            vec![("small_dataset", Medium)],
        ),
        (
            "n 9999",
            DeploymentFacts {
                n_training_examples: 9_999,
                ..q
            },
            vec![("small_dataset", Medium)],
        ),
        (
            "n 10000",
            DeploymentFacts {
                n_training_examples: 10_000,
                ..q
            },
            vec![],
        ),
        // Rule 4 and 5.
        (
            "logprobs",
            DeploymentFacts {
                returns_logprobs: true,
                ..q
            },
            vec![("logprob_exposure", High)],
        ),
        (
            "eu",
            DeploymentFacts {
                includes_eu_residents: true,
                ..q
            },
            vec![("gdpr_scope", Medium)],
        ),
        // Rule 6: standard training on medical/financial/legal (not biometric, not general).
        (
            "medical, standard",
            DeploymentFacts {
                sensitivity: S::Medical,
                ..q
            },
            vec![
                ("data_sensitivity", Critical),
                ("no_privacy_training", Critical),
            ],
        ),
        (
            "financial, standard",
            DeploymentFacts {
                sensitivity: S::Financial,
                ..q
            },
            vec![
                ("data_sensitivity", Critical),
                ("no_privacy_training", Critical),
            ],
        ),
        (
            "legal, standard",
            DeploymentFacts {
                sensitivity: S::Legal,
                ..q
            },
            vec![
                ("data_sensitivity", Critical),
                ("no_privacy_training", Critical),
            ],
        ),
        // Rule 7: large/xlarge with fewer than 100,000 examples.
        (
            "large 99999",
            DeploymentFacts {
                model_size: ModelSize::Large,
                n_training_examples: 99_999,
                ..q
            },
            vec![("large_model_memorization", High)],
        ),
        (
            "xlarge 99999",
            DeploymentFacts {
                model_size: ModelSize::Xlarge,
                n_training_examples: 99_999,
                ..q
            },
            vec![("large_model_memorization", High)],
        ),
        (
            "xlarge 100000",
            DeploymentFacts {
                model_size: ModelSize::Xlarge,
                n_training_examples: 100_000,
                ..q
            },
            vec![],
        ),
        (
            "medium 10",
            DeploymentFacts {
                model_size: ModelSize::Medium,
                n_training_examples: 10,
                ..q
            },
            vec![("very_small_dataset", Critical)],
        ),
        (
            "large 500: rules 3 and 7",
            DeploymentFacts {
                model_size: ModelSize::Large,
                n_training_examples: 500,
                ..q
            },
            vec![
                ("very_small_dataset", Critical),
                ("large_model_memorization", High),
            ],
        ),
    ];
    for (name, facts, want) in cases {
        assert_eq!(fired(&facts), want, "{name}");
    }
}

#[test]
fn every_rule_is_reachable_in_one_deployment() {
    let f = DeploymentFacts {
        sensitivity: DataSensitivity::Medical,
        generalization_gap: Some(0.5),
        n_training_examples: 500,
        returns_logprobs: true,
        includes_eu_residents: true,
        training: TrainingApproach::Standard,
        model_size: ModelSize::Xlarge,
    };
    let ids: Vec<FindingId> = findings(&f).iter().map(|x| x.id).collect();
    assert_eq!(
        ids,
        [
            FindingId::DataSensitivity,
            FindingId::Overfitting,
            FindingId::VerySmallDataset,
            FindingId::LogprobExposure,
            FindingId::GdprScope,
            FindingId::NoPrivacyTraining,
            FindingId::LargeModelMemorization,
        ]
    );
}

#[test]
fn overall_risk_logic() {
    let cases: &[(&[RiskLevel], RiskLevel)] = &[
        (&[], Low),
        (&[Medium], Medium),
        (&[Medium, Medium, Medium], Medium),
        (&[High], Medium),
        (&[High, Medium], Medium),
        (&[High, High], High),
        (&[High, High, High, Medium], High),
        (&[Critical], Critical),
        (&[Medium, Critical], Critical),
        (&[High, High, Critical], Critical),
    ];
    for (levels, want) in cases {
        assert_eq!(overall_risk(levels), *want, "{levels:?}");
    }
}

#[test]
fn approval_and_dp_requirement() {
    let q = quiet();
    // (facts, overall, approved, requires DP training)
    let cases = [
        (q, Low, true, false),
        // One high: medium overall, approved.
        (
            DeploymentFacts {
                returns_logprobs: true,
                ..q
            },
            Medium,
            true,
            false,
        ),
        // Two highs on general data: high, approved, DP not required (data not sensitive).
        (
            DeploymentFacts {
                returns_logprobs: true,
                generalization_gap: Some(0.4),
                ..q
            },
            High,
            true,
            false,
        ),
        // Critical from the dataset size on general data: not approved, DP not required.
        (
            DeploymentFacts {
                n_training_examples: 10,
                ..q
            },
            Critical,
            false,
            false,
        ),
        // Sensitive data is critical by rule 1: not approved, DP required.
        (
            DeploymentFacts {
                sensitivity: DataSensitivity::Biometric,
                training: TrainingApproach::DpSgd,
                ..q
            },
            Critical,
            false,
            true,
        ),
        (
            DeploymentFacts {
                sensitivity: DataSensitivity::Medical,
                ..q
            },
            Critical,
            false,
            true,
        ),
    ];
    for (facts, overall, approved, dp) in cases {
        let a = assess(&facts);
        assert_eq!(
            (a.overall, a.approved, a.requires_dp_training),
            (overall, approved, dp),
            "{facts:?}"
        );
    }
}

#[test]
fn recommendations_are_deduplicated_in_order() {
    // Rules 1 and 6 both recommend DP-SGD at epsilon < 4 for medical data: it appears once, first.
    let a = assess(&DeploymentFacts {
        sensitivity: DataSensitivity::Medical,
        n_training_examples: 5_000,
        ..quiet()
    });
    let all: Vec<&String> = a.findings.iter().flat_map(|f| &f.recommendations).collect();
    assert_eq!(all.len(), 5);
    assert_eq!(
        a.recommendations,
        [
            "Train with DP-SGD at epsilon < 4 for medical data.",
            "Measure membership-inference risk before deployment (this audit, on held-out members and non-members).",
            "Use data augmentation.",
            "Train with DP-SGD.",
        ]
    );
}

#[test]
fn regulation_table_follows_the_facts() {
    use Applicability::*;
    let table = |f: &DeploymentFacts| -> Vec<(&str, Applicability)> {
        regulations(f)
            .iter()
            .map(|r| (r.key, r.applicability))
            .collect()
    };
    let q = quiet();
    assert_eq!(
        table(&q),
        [
            ("gdpr_art17", NotIndicated),
            ("gdpr_art5_1c", NotIndicated),
            ("hipaa", NotIndicated),
            ("ccpa", Check),
            ("eu_ai_act", NotIndicated)
        ]
    );
    assert_eq!(
        table(&DeploymentFacts {
            includes_eu_residents: true,
            ..q
        }),
        [
            ("gdpr_art17", Applies),
            ("gdpr_art5_1c", Applies),
            ("hipaa", NotIndicated),
            ("ccpa", Check),
            ("eu_ai_act", Check)
        ]
    );
    assert_eq!(
        table(&DeploymentFacts {
            includes_eu_residents: true,
            sensitivity: DataSensitivity::Medical,
            ..q
        }),
        [
            ("gdpr_art17", Applies),
            ("gdpr_art5_1c", Applies),
            ("hipaa", Applies),
            ("ccpa", Check),
            ("eu_ai_act", Applies)
        ]
    );
    assert_eq!(
        table(&DeploymentFacts {
            sensitivity: DataSensitivity::Medical,
            ..q
        })[2],
        ("hipaa", Applies)
    );
}
