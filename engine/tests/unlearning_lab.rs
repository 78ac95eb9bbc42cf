//! Unlearning in the training lab, on noisy digits: retraining without the forget set passes the
//! attack test (the AUC's interval contains 0.5), gradient ascent run for too few steps is not
//! verified and the report says which test failed, and every method is compared with retraining.

use mia_engine::training::datasets::bundled_dataset;
use mia_engine::training::run::TrainingRun;
use mia_engine::training::settings::TrainSettings;
use mia_engine::unlearning::gradient_ascent::AscentSettings;
use mia_engine::unlearning::lab::{
    unlearn_in_lab, ForgetChoice, ForgetSet, LabUnlearning, LabUnlearningSettings, UnlearnMethod,
};

#[test]
fn retraining_verifies_and_a_short_gradient_ascent_does_not() {
    let data = bundled_dataset("digits_noisy").unwrap();
    let settings = TrainSettings {
        epochs: 30,
        ..TrainSettings::default()
    };
    let mut run = TrainingRun::new(&data, settings).unwrap();
    while !run.step() {}
    let set = ForgetSet::choose(run.data(), &ForgetChoice::Random { k: 100 }, 0).unwrap();
    assert_eq!(set.forget.len(), 100);
    assert_eq!(
        set.forget.len() + set.retain.len(),
        run.data().members.len()
    );
    let short = AscentSettings {
        unlearn_steps: 5,
        ..AscentSettings::default()
    };
    let methods = [
        UnlearnMethod::GradientAscent(short),
        UnlearnMethod::FineTune { epochs: 2 },
        UnlearnMethod::Retrain,
    ];
    let results = unlearn_in_lab(&run, &set, &methods).unwrap();
    assert_eq!(
        results.iter().map(|r| r.method).collect::<Vec<_>>(),
        methods.to_vec()
    );
    let (ga, ft, re) = (&results[0], &results[1], &results[2]);
    for r in &results {
        let v = &r.verification;
        eprintln!(
            "{}: gap after {:?}, confidence AUC after {:.4} ({:?}), verified {}, KL {:?}, AUC vs retrained {:?}",
            r.method.key(),
            v.seed.as_ref().map(|s| s.membership_gap_after),
            v.mi.auc_after,
            v.after
                .signals
                .iter()
                .find(|s| s.signal == v.mi.tested)
                .and_then(|s| s.auc_interval)
                .map(|i| (i.lower, i.upper)),
            v.verified,
            r.kl_to_retrained,
            r.auc_vs_retrained
        );
    }

    // Retraining: the attack cannot tell the forget set from records never trained on.
    let v = &re.verification;
    assert!(v.mi.auc_consistent, "retrained AUC {}", v.mi.auc_after);
    assert!(v.seed.as_ref().unwrap().unlearning_verified);
    assert_eq!(re.kl_to_retrained, None);

    // Five steps of gradient ascent at the seed's rate barely move the model.
    let g = &ga.verification;
    assert!(!g.verified);
    assert!(
        g.failed[0].starts_with("The seed design's test"),
        "{:?}",
        g.failed
    );
    let ascent = ga.ascent.as_ref().unwrap();
    assert!(!ascent.unlearning_successful);
    assert_eq!(
        ascent.recommendation,
        "Increase unlearn_steps or lr and retry"
    );
    assert_eq!(ga.forget_losses.len(), 5);

    // Compared with retraining: the short ascent is far from it, retraining itself is not listed.
    let kl = ga.kl_to_retrained.unwrap();
    let auc = ga.auc_vs_retrained.unwrap();
    assert!(kl > 0.1, "KL {kl}");
    // Its forget-set losses stay lower than the retrained model's (0.30 here): told apart.
    assert!((auc - 0.5).abs() > 0.15, "AUC {auc}");
    assert!(ft.kl_to_retrained.is_some());
    assert_eq!(ft.forget_losses.len(), 2);

    // The live course's last accuracy (the network evaluated directly) is the verification's
    // utility after (read back from the outputs): two ways to the same figure.
    for r in &results {
        let last = r.accuracy.last().unwrap();
        let u = &r.verification.utility;
        assert_eq!(
            Some(last.retain),
            u.retain_accuracy_after,
            "{}",
            r.method.key()
        );
        assert_eq!(
            Some(last.held_out),
            u.held_out_accuracy_after,
            "{}",
            r.method.key()
        );
        assert_eq!(last.step, r.forget_losses.len());
        // Gradient ascent and fine-tuning start from the trained model.
        if r.method != UnlearnMethod::Retrain {
            let first = r.accuracy[0];
            assert_eq!(first.step, 0);
            assert_eq!(Some(first.held_out), u.held_out_accuracy_before);
        }
    }
}

#[test]
fn step_by_step_the_courses_grow_and_the_fraction_rises_to_one() {
    let data = bundled_dataset("wine").unwrap();
    let settings = TrainSettings {
        epochs: 6,
        ..TrainSettings::default()
    };
    let mut run = TrainingRun::new(&data, settings).unwrap();
    while !run.step() {}
    let set = ForgetSet::choose(run.data(), &ForgetChoice::Random { k: 12 }, 0).unwrap();
    let methods = LabUnlearningSettings {
        ascent: AscentSettings {
            unlearn_steps: 45,
            ..AscentSettings::default()
        },
        finetune_epochs: 3,
        ..LabUnlearningSettings::default()
    }
    .methods();
    let mut u = LabUnlearning::new(&run, set.clone(), &methods);
    // Retraining runs first.
    assert_eq!(u.current().map(|c| c.0), Some(UnlearnMethod::Retrain));
    let mut last = 0.0;
    let mut steps = 0;
    while !u.step().unwrap() {
        let f = u.fraction_done();
        assert!(f >= last && f <= 1.0, "{f} after {last}");
        last = f;
        steps += 1;
    }
    assert_eq!(u.fraction_done(), 1.0);
    assert_eq!(steps + 1, 6 + 45 + 3);
    let courses = u.courses().to_vec();
    assert_eq!(
        courses.iter().map(|c| c.method.key()).collect::<Vec<_>>(),
        ["retrain", "gradient_ascent", "fine_tune"]
    );
    // 45 steps at a stride of 3: the start, every third step.
    assert_eq!(courses[1].accuracy.len(), 1 + 15);
    assert_eq!(courses[2].accuracy.len(), 1 + 3);
    assert!(courses.iter().all(|c| c.done));
    assert_eq!(
        u.into_results(),
        unlearn_in_lab(&run, &set, &methods).unwrap()
    );
}

#[test]
fn a_forget_choice_the_members_cannot_give_is_named() {
    let data = bundled_dataset("wine").unwrap();
    let run = TrainingRun::new(&data, TrainSettings::default()).unwrap();
    let lab = run.data();
    let held = lab.held_out[0];
    let e = ForgetSet::choose(lab, &ForgetChoice::Rows(vec![held]), 0).unwrap_err();
    assert_eq!(
        e,
        format!("row {held} is not a member (a record the model trained on): only members can be forgotten.")
    );
    let n = lab.members.len();
    assert_eq!(
        ForgetSet::choose(lab, &ForgetChoice::Random { k: n }, 0).unwrap_err(),
        format!("the model has {n} members: forget 1 to {} of them.", n - 1)
    );
    let class0 = ForgetSet::choose(lab, &ForgetChoice::Class { class: 0 }, 0).unwrap();
    assert_eq!(
        ForgetSet::choose(lab, &ForgetChoice::Class { class: 3 }, 0).unwrap_err(),
        format!(
            "class 3: the classes are numbered 0 to 2 ({}).",
            lab.class_names.join(", ")
        )
    );
    assert!(class0.forget.iter().all(|&i| lab.y[i] == 0));
}
