//! Every settings check of the engine, table-driven: each value inside its domain, on each
//! boundary and outside it, with the typed error and its exact message (the page and the CLI
//! show the message as it is). Then the errors' trip through bincode (the worker sends them to
//! the page) and the CLI's use of the same checks.

mod common;

use common::{assert_usage_error, conformance, dataset, run_mia};
use mia_engine::checklist::{Fact, FactError, FactValue};
use mia_engine::dp::{DpClaim, DpClaimError};
use mia_engine::restriction::{RestrictionSetting, RestrictionSettingError};
use mia_engine::shadow::{ModelKind, ShadowConfig, ShadowConfigError};

fn restriction(t: f64, cap: Option<f64>, precision: Option<u32>) -> RestrictionSetting {
    RestrictionSetting {
        temperature: t,
        max_confidence: cap,
        precision,
        label_only: false,
    }
}

#[test]
fn restriction_setting_check() {
    use RestrictionSettingError as E;
    let cases: [(RestrictionSetting, Option<E>); 16] = [
        (RestrictionSetting::default(), None),
        (restriction(f64::MIN_POSITIVE, None, None), None),
        (restriction(1e300, Some(1.0), Some(15)), None),
        (restriction(0.5, Some(1e-12), Some(0)), None),
        (restriction(0.0, None, None), Some(E::Temperature(0.0))),
        (restriction(-1.0, None, None), Some(E::Temperature(-1.0))),
        (
            restriction(f64::INFINITY, None, None),
            Some(E::Temperature(f64::INFINITY)),
        ),
        (restriction(1.0, Some(0.0), None), Some(E::Cap(0.0))),
        (restriction(1.0, Some(-0.5), None), Some(E::Cap(-0.5))),
        (
            restriction(1.0, Some(1.000_000_1), None),
            Some(E::Cap(1.000_000_1)),
        ),
        (
            restriction(1.0, Some(f64::INFINITY), None),
            Some(E::Cap(f64::INFINITY)),
        ),
        (restriction(1.0, None, Some(16)), Some(E::Precision(16))),
        (
            restriction(1.0, None, Some(u32::MAX)),
            Some(E::Precision(u32::MAX)),
        ),
        // The first field out of its domain is the one named.
        (
            restriction(0.0, Some(2.0), Some(99)),
            Some(E::Temperature(0.0)),
        ),
        (restriction(1.0, Some(2.0), Some(99)), Some(E::Cap(2.0))),
        (
            RestrictionSetting {
                label_only: true,
                ..restriction(8.0, Some(0.7), Some(1))
            },
            None,
        ),
    ];
    for (s, expected) in cases {
        assert_eq!(s.check(), expected.map_or(Ok(s), Err), "{s:?}");
    }
    for t in [f64::NAN, f64::NEG_INFINITY] {
        assert!(matches!(
            restriction(t, None, None).check(),
            Err(E::Temperature(_))
        ));
    }
    assert!(matches!(
        restriction(1.0, Some(f64::NAN), None).check(),
        Err(E::Cap(_))
    ));
    // Today's messages, word for word (the CLI printed the first two before this check existed).
    for (e, message) in [
        (
            E::Temperature(0.0),
            "the temperature must be positive (and finite)",
        ),
        (E::Cap(2.0), "the cap must be in (0, 1]"),
        (
            E::Precision(16),
            "the precision must be a whole number of decimals from 0 to 15",
        ),
    ] {
        assert_eq!(e.to_string(), message);
    }
    // Every setting of the frontier's grid is in the domain.
    for s in mia_engine::restriction::frontier::grid() {
        assert_eq!(s.check(), Ok(s));
    }
}

fn mlp(n_shadows: usize, hidden: usize, epochs: usize) -> ShadowConfig {
    ShadowConfig {
        n_shadows,
        model: ModelKind::Mlp { hidden, epochs },
        ..ShadowConfig::default()
    }
}

#[test]
fn shadow_config_check() {
    use ShadowConfigError as E;
    let logreg = |n| ShadowConfig {
        n_shadows: n,
        ..ShadowConfig::default()
    };
    let cases = [
        (ShadowConfig::default(), None),
        (logreg(1), None),
        (logreg(16), None),
        (logreg(0), Some(E::NShadows(0))),
        (logreg(17), Some(E::NShadows(17))),
        (logreg(usize::MAX), Some(E::NShadows(usize::MAX))),
        (mlp(4, 1, 1), None),
        (mlp(4, 512, 2000), None),
        (mlp(4, 0, 100), Some(E::MlpHidden(0))),
        (mlp(4, 513, 100), Some(E::MlpHidden(513))),
        (mlp(4, 64, 0), Some(E::MlpEpochs(0))),
        (mlp(4, 64, 2001), Some(E::MlpEpochs(2001))),
        // The first setting out of range is the one named.
        (mlp(0, 0, 0), Some(E::NShadows(0))),
        (mlp(4, 0, 0), Some(E::MlpHidden(0))),
    ];
    for (c, expected) in cases {
        assert_eq!(c.check(), expected.map_or(Ok(c), Err), "{c:?}");
    }
    for (e, message) in [
        (
            E::NShadows(17),
            "The number of shadow models must be 1 to 16, not 17.",
        ),
        (
            E::MlpHidden(0),
            "The MLP's hidden units must be 1 to 512, not 0.",
        ),
        (
            E::MlpEpochs(2001),
            "The MLP's training epochs must be 1 to 2000, not 2001.",
        ),
    ] {
        assert_eq!(e.to_string(), message);
    }
}

#[test]
fn dp_claim_new() {
    use DpClaimError as E;
    let cases = [
        ((1.0, 1e-5), None),
        ((f64::MIN_POSITIVE, 0.0), None),
        ((1e6, 0.999_999), None),
        ((0.0, 1e-5), Some(E::Epsilon(0.0))),
        ((-1.0, 1e-5), Some(E::Epsilon(-1.0))),
        ((f64::INFINITY, 1e-5), Some(E::Epsilon(f64::INFINITY))),
        ((1.0, 1.0), Some(E::Delta(1.0))),
        ((1.0, -1e-9), Some(E::Delta(-1e-9))),
        ((0.0, 2.0), Some(E::Epsilon(0.0))),
    ];
    for ((epsilon, delta), expected) in cases {
        let want = expected.map_or(Ok(DpClaim { epsilon, delta }), Err);
        assert_eq!(DpClaim::new(epsilon, delta), want, "ε {epsilon}, δ {delta}");
    }
    assert!(matches!(DpClaim::new(f64::NAN, 1e-5), Err(E::Epsilon(_))));
    assert!(matches!(DpClaim::new(1.0, f64::NAN), Err(E::Delta(_))));
    assert_eq!(
        E::Epsilon(0.0).to_string(),
        "Claimed ε: use a positive number."
    );
    assert_eq!(
        E::Delta(1.0).to_string(),
        "Claimed δ: use a number from 0 to below 1, e.g. 1e-5."
    );
}

#[test]
fn fact_value_parse() {
    use FactError as E;
    let t = |s: &str| s.to_string();
    let ok = [
        (
            Fact::Sensitivity,
            " Medical ",
            FactValue::Sensitivity(mia_engine::checklist::DataSensitivity::Medical),
        ),
        (
            Fact::GeneralizationGap,
            "",
            FactValue::GeneralizationGap(None),
        ),
        (
            Fact::GeneralizationGap,
            "-1",
            FactValue::GeneralizationGap(Some(-1.0)),
        ),
        (
            Fact::GeneralizationGap,
            "1",
            FactValue::GeneralizationGap(Some(1.0)),
        ),
        (
            Fact::TrainingExamples,
            "1_000 000",
            FactValue::TrainingExamples(1_000_000),
        ),
        (
            Fact::ReturnsLogprobs,
            "TRUE",
            FactValue::ReturnsLogprobs(true),
        ),
        (Fact::EuResidents, "0", FactValue::EuResidents(false)),
        (
            Fact::Training,
            "dp_sgd",
            FactValue::Training(mia_engine::checklist::TrainingApproach::DpSgd),
        ),
        (
            Fact::ModelSize,
            "xlarge",
            FactValue::ModelSize(mia_engine::checklist::ModelSize::Xlarge),
        ),
    ];
    for (fact, text, value) in ok {
        assert_eq!(FactValue::parse(fact, text), Ok(value), "{text}");
    }
    let refused = [
        (
            Fact::Sensitivity,
            "genetic",
            E::Sensitivity { text: t("genetic") },
            "use medical, financial, legal, biometric or general, not `genetic`",
        ),
        (
            Fact::GeneralizationGap,
            " 1.5 ",
            E::GapOutOfRange { text: t("1.5") },
            "the gap is train accuracy − test accuracy, between −1 and 1; `1.5` is outside",
        ),
        (
            Fact::GeneralizationGap,
            "-1.0001",
            E::GapOutOfRange { text: t("-1.0001") },
            "the gap is train accuracy − test accuracy, between −1 and 1; `-1.0001` is outside",
        ),
        (
            Fact::GeneralizationGap,
            "big",
            E::GapNotANumber { text: t("big") },
            "`big` is not a number (write e.g. 0.12, or leave it empty if unknown)",
        ),
        (
            Fact::TrainingExamples,
            "-5",
            E::TrainingExamples { text: t("-5") },
            "`-5` is not a whole number of examples",
        ),
        (
            Fact::ReturnsLogprobs,
            "maybe",
            E::YesNo { text: t("maybe") },
            "use yes or no, not `maybe`",
        ),
        (
            Fact::EuResidents,
            "",
            E::YesNo { text: t("") },
            "use yes or no, not ``",
        ),
        (
            Fact::Training,
            "sgd",
            E::Training { text: t("sgd") },
            "use standard, dp_sgd or federated, not `sgd`",
        ),
        (
            Fact::ModelSize,
            "huge",
            E::ModelSize { text: t("huge") },
            "use small, medium, large or xlarge, not `huge`",
        ),
    ];
    for (fact, text, error, message) in refused {
        let got = FactValue::parse(fact, text);
        assert_eq!(got, Err(error), "{text}");
        assert_eq!(got.unwrap_err().to_string(), message);
    }
}

#[test]
fn typed_errors_survive_the_trip_from_worker_to_page() {
    fn round_trip<E>(e: E)
    where
        E: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let bytes = bincode::serialize(&e).unwrap();
        assert_eq!(bincode::deserialize::<E>(&bytes).unwrap(), e);
    }
    use mia_engine::models::fit_error::FitError;
    use mia_engine::shadow::from_outputs::OutputShape;
    use mia_engine::shadow::{DatasetError, ShadowError};
    round_trip(RestrictionSettingError::Cap(2.0));
    round_trip(mia_engine::restriction::RestrictionError::NoClassColumns);
    round_trip(ShadowError::Config(ShadowConfigError::MlpEpochs(0)));
    round_trip(ShadowError::Training(FitError::OneClass { class: 1 }));
    round_trip(ShadowError::ShapeMismatch {
        name: "s.csv".into(),
        shadow: OutputShape::Classes(3),
        target: OutputShape::ConfidenceOnly,
    });
    round_trip(DatasetError::NotANumber {
        row: 3,
        column: "b".into(),
        value: "x".into(),
    });
    round_trip(DpClaimError::Delta(1.0));
    round_trip(FactError::YesNo {
        text: "maybe".into(),
    });
}

#[test]
fn the_cli_uses_the_same_checks() {
    let case = conformance("case01_digits_mlp_overfit.csv");
    let f = case.to_str().unwrap();
    for (args, message) in [
        (
            &["restrict", f, "--precision", "16"][..],
            "error: invalid value '16' for '--precision <P>': the precision must be a whole number of decimals from 0 to 15",
        ),
        (
            &["restrict", f, "--temperature", "0"],
            "error: invalid value '0' for '--temperature <T>': the temperature must be positive (and finite)",
        ),
        (
            &["restrict", f, "--cap", "1.5"],
            "error: invalid value '1.5' for '--cap <C>': the cap must be in (0, 1]",
        ),
    ] {
        assert_usage_error(&run_mia(args), message);
    }
    let data = dataset("breast_cancer.csv");
    let d = data.to_str().unwrap();
    for (args, message) in [
        (
            &["shadow", d, "--shadows", "17"][..],
            "--shadows: The number of shadow models must be 1 to 16, not 17.",
        ),
        (
            &["shadow", d, "--model", "mlp", "--hidden", "0"],
            "--hidden: The MLP's hidden units must be 1 to 512, not 0.",
        ),
        (
            &["shadow", d, "--model", "mlp", "--epochs", "2001"],
            "--epochs: The MLP's training epochs must be 1 to 2000, not 2001.",
        ),
    ] {
        let out = run_mia(args);
        assert_usage_error(&out, &format!("error: {d}: {message}"));
    }
    // An MLP's settings do not concern logistic regression (as before).
    let out = run_mia(["shadow", d, "--shadows", "1", "--hidden", "0", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
}
