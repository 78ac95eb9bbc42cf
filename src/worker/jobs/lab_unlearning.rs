//! The training lab's unlearning job: train the model as the lab's run does (the same seed, so
//! the same model), choose the forget set, then run each method step by step with the engine's
//! [`LabUnlearning`], sending each method's course live and its verification as it finishes.
//! `mia train --unlearn-forget` gives the same figures.

use mia_engine::training::settings::TrainSettings;
use mia_engine::unlearning::lab::{
    ForgetSet, LabUnlearning, LabUnlearningError, LabUnlearningSettings, MethodResult,
};

use super::train::start_run;
use super::unlearn::thin_report;
use crate::protocol::job::{JobError, JobId, JobOutcome, Stage};
use crate::protocol::{DatasetSource, LabUnlearnSnapshot};
use crate::worker::pacing::{
    checkpoint, interim, progress, JobResult, Scope, Stop, PROGRESS_EVERY_MS, YIELD_EVERY_MS,
};

/// `r` with its ROC curves thinned for sending (the figures come from the full curves).
fn thinned(mut r: MethodResult) -> MethodResult {
    thin_report(&mut r.verification);
    r
}

pub async fn run(
    scope: &mut Scope,
    job: JobId,
    dataset: DatasetSource,
    settings: TrainSettings,
    unlearning: LabUnlearningSettings,
) -> Result<JobResult, Stop> {
    let (name, mut run) = match start_run(scope, job, &dataset, settings).await? {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    let methods = unlearning.methods();
    let mut snap = LabUnlearnSnapshot {
        dataset: name.clone(),
        settings: run.settings().clone(),
        unlearning: unlearning.clone(),
        class_names: run.data().class_names.clone(),
        n_held_out: run.data().held_out.len(),
        trained_epochs: 0,
        trained: None,
        forget: Vec::new(),
        n_retain: 0,
        courses: Vec::new(),
        results: Vec::new(),
        finished: false,
    };
    // Training and unlearning share the bar by their steps.
    let epochs = run.settings().epochs;
    let unlearn_steps: usize = methods.iter().map(|m| m.planned(epochs)).sum();
    let train_share = epochs as f64 / (epochs + unlearn_steps).max(1) as f64;
    interim(
        scope,
        job,
        JobOutcome::LabUnlearning(Box::new(snap.clone())),
    )
    .await;
    loop {
        let stage = Stage::TrainingEpoch {
            epoch: run.history().len() + 1,
            epochs,
        };
        progress(scope, job, stage, train_share * run.fraction_done()).await?;
        let ended = run.step();
        snap.trained_epochs = run.history().len();
        if ended {
            break;
        }
    }
    // The last epoch's measurement is the trained model's: held-out accuracy and the attack.
    snap.trained = run
        .history()
        .last()
        .map(|r| (r.held_out_accuracy, r.attack_auc));
    let set = match ForgetSet::choose(run.data(), &unlearning.forget, run.settings().seed) {
        Ok(s) => s,
        Err(e) => {
            return Ok(Err(JobError::LabUnlearning {
                input: name,
                error: LabUnlearningError::Forget(format!(
                    "unlearn_forget = {}: {e}",
                    unlearning.forget
                )),
            }))
        }
    };
    snap.forget = set.forget.clone();
    snap.n_retain = set.retain.len();
    let mut u = LabUnlearning::new(&run, set, &methods);
    interim(
        scope,
        job,
        JobOutcome::LabUnlearning(Box::new(snap.clone())),
    )
    .await;
    let mut sent = js_sys::Date::now();
    // A gradient-ascent step can take microseconds: progress goes out at most every
    // PROGRESS_EVERY_MS, and the job looks for a cancel every YIELD_EVERY_MS.
    let (mut reported, mut looked) = (f64::NEG_INFINITY, js_sys::Date::now());
    loop {
        let now = js_sys::Date::now();
        if now - reported >= PROGRESS_EVERY_MS {
            if let Some((method, step, steps)) = u.current() {
                let stage = Stage::Unlearning {
                    method: method.kind(),
                    step,
                    steps,
                };
                let fraction = train_share + (1.0 - train_share) * u.fraction_done();
                progress(scope, job, stage, fraction).await?;
            }
            (reported, looked) = (now, now);
        } else if now - looked >= YIELD_EVERY_MS {
            checkpoint(scope, job).await?;
            looked = now;
        }
        let finished_before = u.results().len();
        let ended = match u.step() {
            Ok(e) => e,
            Err(error) => return Ok(Err(JobError::LabUnlearning { input: name, error })),
        };
        if ended {
            break;
        }
        let new_result = u.results().len() > finished_before;
        if new_result || js_sys::Date::now() - sent >= PROGRESS_EVERY_MS {
            snap.courses = u.courses().to_vec();
            if let Some(r) = u.results().last().filter(|_| new_result) {
                snap.results.push(thinned(r.clone()));
            }
            interim(
                scope,
                job,
                JobOutcome::LabUnlearning(Box::new(snap.clone())),
            )
            .await;
            sent = js_sys::Date::now();
        }
    }
    snap.courses = u.courses().to_vec();
    snap.results = u.into_results().into_iter().map(thinned).collect();
    snap.finished = true;
    Ok(Ok(JobOutcome::LabUnlearning(Box::new(snap))))
}
