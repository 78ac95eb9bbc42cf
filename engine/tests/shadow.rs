//! The shadow-model attack: mode B end to end on a real dataset, mode A's checks, dataset parsing.

mod common;

use mia_engine::ingest;
use mia_engine::shadow::from_outputs::attack_from_outputs;
use mia_engine::shadow::{
    AttackOptions, DatasetError, ModelKind, ShadowConfig, ShadowExperiment, TabularDataset,
};

fn dataset(name: &str) -> TabularDataset {
    TabularDataset::from_csv(&common::read(&common::dataset(name))).unwrap()
}

#[test]
fn mode_b_runs_end_to_end_and_is_deterministic() {
    let data = dataset("breast_cancer.csv");
    assert_eq!((data.x.rows, data.x.cols, data.n_classes()), (569, 30, 2));
    let config = ShadowConfig {
        n_shadows: 3,
        seed: 5,
        ..ShadowConfig::default()
    };
    let a = ShadowExperiment::run(data.clone(), config).unwrap();
    let b = ShadowExperiment::run(data.clone(), config).unwrap();
    assert_eq!(a, b, "same seed, same report");
    assert_eq!(a.n_shadows, 3);
    // 284 attacker records, each shadow uses all of them (half in, half out).
    assert_eq!(a.n_shadow_records, 3 * 285);
    assert_eq!(a.verdicts.len(), 284);
    assert!((0.0..=1.0).contains(&a.attack_oof_accuracy));
    let shadow = a.shadow_attack.as_ref().unwrap();
    assert!(shadow.auc > 0.3 && shadow.auc < 0.8, "AUC {}", shadow.auc);
    assert!(a.threshold_attack.is_some());
    assert!(a.target_test_accuracy.unwrap() > 0.9);
    let c = ShadowExperiment::run(data, ShadowConfig { seed: 6, ..config }).unwrap();
    assert_ne!(a.verdicts, c.verdicts, "another seed, another split");
}

#[test]
fn an_overfit_mlp_target_is_attacked_better_than_chance() {
    let data = dataset("digits.csv");
    let config = ShadowConfig {
        n_shadows: 2,
        model: ModelKind::Mlp {
            hidden: 32,
            epochs: 40,
        },
        attack: AttackOptions {
            per_class: true,
            ..AttackOptions::default()
        },
        seed: 1,
    };
    let mut e = ShadowExperiment::new(data, config).unwrap();
    let mut fractions = vec![e.fraction_done()];
    while !e.step().unwrap() {
        fractions.push(e.fraction_done());
    }
    assert!(fractions.windows(2).all(|w| w[0] < w[1]), "{fractions:?}");
    let r = e.into_report().unwrap();
    assert!(r.target_train_accuracy.unwrap() > r.target_test_accuracy.unwrap());
    assert!(r.shadow_attack.unwrap().auc > 0.5);
}

#[test]
fn bad_settings_and_datasets_are_explained() {
    let data = dataset("breast_cancer.csv");
    let e = ShadowExperiment::new(
        data,
        ShadowConfig {
            n_shadows: 17,
            ..ShadowConfig::default()
        },
    );
    assert!(e.err().unwrap().to_string().contains("1 to 16"));
    let bad = TabularDataset::from_csv(b"a,b,class\n1,x,0\n2,3,1\n").unwrap_err();
    assert_eq!(
        bad,
        DatasetError::NotANumber {
            row: 2,
            column: "b".into(),
            value: "x".into()
        }
    );
    assert_eq!(bad.to_string(), "Row 2, column `b`: `x` is not a number. Feature columns must be numeric; encode categories as numbers first.");
    assert!(TabularDataset::from_csv(b"a,class\n1,0\n2,0\n")
        .unwrap_err()
        .to_string()
        .contains("at least two classes"));
    let named = TabularDataset::from_csv(b"class,a\nyes,1\nno,2\nyes,3\n").unwrap();
    assert_eq!(named.class_names, vec!["no", "yes"]);
    assert_eq!(named.y, vec![1, 0, 1]);
}

fn table(csv: &str) -> mia_engine::AuditTable {
    ingest(csv.as_bytes(), None).unwrap().table
}

#[test]
fn mode_a_trains_on_given_outputs_and_checks_them() {
    // Shadow: in-records are confident, out-records less so.
    let mut rows = String::from("member,label,prob_0,prob_1\n");
    for i in 0..200 {
        let inside = i % 2 == 0;
        let c = if inside {
            0.9 + (i % 10) as f64 * 0.009
        } else {
            0.55 + (i % 10) as f64 * 0.04
        };
        let y = (i / 2) % 2;
        let (p0, p1) = if y == 0 { (c, 1.0 - c) } else { (1.0 - c, c) };
        rows.push_str(&format!("{},{y},{p0},{p1}\n", inside as u8));
    }
    let shadow = table(&rows);
    let target = table(&rows);
    let opt = AttackOptions::default();
    let r = attack_from_outputs(&[("s1".into(), shadow.clone())], &target, true, &opt, 0).unwrap();
    // Out-records reach 0.91, in-records start at 0.90: about a tenth overlap.
    assert!(r.attack_oof_accuracy >= 0.85, "{}", r.attack_oof_accuracy);
    assert!(r.shadow_attack.unwrap().auc > 0.9);
    assert_eq!(r.verdicts.len(), 200);

    // (Ingest already refuses a one-class file; the attack checks again for tables built otherwise.)
    let mut only_in = shadow.clone();
    only_in.member = vec![true; only_in.len()].into();
    let e = attack_from_outputs(&[("only-in.csv".into(), only_in)], &target, true, &opt, 0)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("Shadow `only-in.csv` has only training records"),
        "{e}"
    );

    let three = table("member,label,prob_0,prob_1,prob_2\n1,0,0.8,0.1,0.1\n0,1,0.3,0.4,0.3\n");
    let e = attack_from_outputs(&[("three.csv".into(), three)], &target, true, &opt, 0)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("has 3 classes (prob_*/logit_* columns) but the target has 2 classes"),
        "{e}"
    );

    let target3 = table("member,label,prob_0,prob_1\n1,0,0.9,0.1\n0,1,0.3,0.7\n");
    let shadow_one_label =
        table("member,label,prob_0,prob_1\n1,0,0.9,0.1\n0,0,0.6,0.4\n1,0,0.95,0.05\n0,0,0.5,0.5\n");
    let per_class = AttackOptions {
        per_class: true,
        ..opt
    };
    let e = attack_from_outputs(
        &[("s".into(), shadow_one_label)],
        &target3,
        true,
        &per_class,
        0,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("The target has class 1, which no shadow record has"),
        "{e}"
    );
}
