//! The training lab's job: train one model epoch by epoch (pausable), sending the live curves as
//! it goes, or the privacy-utility profile run after run (unlearning in the lab is
//! [`super::lab_unlearning`]). Training (the engine's
//! [`TrainingRun`]) is deterministic from the seed, so `mia train` gives the same figures.

use mia_engine::attack::histogram::ScoreHistogram;
use mia_engine::attack::metrics::AttackMetrics;
use mia_engine::attack::report::HISTOGRAM_BINS;
use mia_engine::shadow::TabularDataset;
use mia_engine::training::datasets::bundled_dataset;
use mia_engine::training::outputs::write_outputs_csv;
use mia_engine::training::profile::{knee, PrivacyProfile, ProfileVariant};
use mia_engine::training::run::TrainingRun;
use mia_engine::training::settings::TrainSettings;

use crate::protocol::job::{JobError, JobId, JobOutcome, Stage};
use crate::protocol::{CurrentAttack, DatasetSource, ProfileSnapshot, TrainRequest, TrainSnapshot};
use crate::worker::pacing::{
    interim, progress, progress_pausable, JobResult, Scope, Stop, PROGRESS_EVERY_MS,
    ROC_POINTS_SENT,
};
use crate::worker::read::read_upload_bytes;

pub async fn run(scope: &mut Scope, job: JobId, request: TrainRequest) -> Result<JobResult, Stop> {
    match request {
        TrainRequest::Run { dataset, settings } => train(scope, job, dataset, settings).await,
        TrainRequest::Profile {
            dataset,
            settings,
            variants,
        } => profile(scope, job, dataset, settings, variants).await,
        TrainRequest::Unlearn {
            dataset,
            settings,
            unlearning,
        } => super::lab_unlearning::run(scope, job, dataset, settings, unlearning).await,
    }
}

/// The dataset and its name, or why it cannot be used.
async fn load(
    scope: &mut Scope,
    job: JobId,
    dataset: &DatasetSource,
) -> Result<Result<(String, TabularDataset), JobError>, Stop> {
    Ok(match dataset {
        DatasetSource::Bundled { id } => match bundled_dataset(id) {
            Some(d) => Ok((id.clone(), d)),
            None => Err(JobError::UnknownDataset { id: id.clone() }),
        },
        DatasetSource::Upload(upload) => match read_upload_bytes(scope, job, upload).await? {
            Ok(bytes) => match TabularDataset::from_csv(&bytes) {
                Ok(d) => Ok((upload.name.clone(), d)),
                Err(error) => Err(JobError::Dataset {
                    input: upload.name.clone(),
                    error,
                }),
            },
            Err(e) => Err(e),
        },
    })
}

/// The run as the page shows it; with the per-record outputs when `with_outputs`.
fn snapshot(name: &str, run: &TrainingRun, epoch_ms: &[f64], with_outputs: bool) -> JobOutcome {
    let (scores, member) = run.loss_scores();
    let attack = match (
        AttackMetrics::of_scores(&scores, &member),
        ScoreHistogram::new(&member, &scores, HISTOGRAM_BINS),
    ) {
        (Ok(m), Some(histogram)) if !run.history().is_empty() => Some(CurrentAttack {
            histogram,
            roc: m.roc.thinned(ROC_POINTS_SENT),
            auc: m.auc,
            tpr_at_fpr: m.tpr_at_fpr,
        }),
        _ => None,
    };
    let outputs_csv = with_outputs.then(|| {
        let mut bytes = Vec::new();
        // Writing to memory cannot fail; the CSV is ASCII.
        let _ = write_outputs_csv(run, &mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    });
    let data = run.data();
    JobOutcome::Training(Box::new(TrainSnapshot {
        dataset: name.to_string(),
        settings: run.settings().clone(),
        n_members: data.members.len(),
        n_held_out: data.held_out.len(),
        class_names: data.class_names.clone(),
        history: run.history().to_vec(),
        stopped: run.stopped(),
        dp: run.dp().copied(),
        attack,
        outputs_csv,
        epoch_ms: epoch_ms.to_vec(),
    }))
}

/// The dataset's name and a run on it with `settings`, or why there is none.
pub(super) async fn start_run(
    scope: &mut Scope,
    job: JobId,
    dataset: &DatasetSource,
    settings: TrainSettings,
) -> Result<Result<(String, TrainingRun), JobError>, Stop> {
    let (name, data) = match load(scope, job, dataset).await? {
        Ok(d) => d,
        Err(e) => return Ok(Err(e)),
    };
    Ok(match TrainingRun::new(&data, settings) {
        Ok(r) => Ok((name, r)),
        Err(error) => Err(JobError::Training { input: name, error }),
    })
}

async fn train(
    scope: &mut Scope,
    job: JobId,
    dataset: DatasetSource,
    settings: TrainSettings,
) -> Result<JobResult, Stop> {
    let (name, mut run) = match start_run(scope, job, &dataset, settings).await? {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    let epochs = run.settings().epochs;
    let mut epoch_ms = Vec::with_capacity(epochs);
    interim(scope, job, snapshot(&name, &run, &epoch_ms, false)).await;
    let mut sent = js_sys::Date::now();
    loop {
        let stage = Stage::TrainingEpoch {
            epoch: run.history().len() + 1,
            epochs,
        };
        progress_pausable(scope, job, stage, run.fraction_done(), || {
            snapshot(&name, &run, &epoch_ms, true)
        })
        .await?;
        let started = now_ms();
        let ended = run.step();
        if run.history().len() > epoch_ms.len() {
            epoch_ms.push(now_ms() - started);
        }
        if ended {
            break;
        }
        // The live curves, at most as often as progress is worth a render.
        if js_sys::Date::now() - sent >= PROGRESS_EVERY_MS {
            interim(scope, job, snapshot(&name, &run, &epoch_ms, false)).await;
            sent = js_sys::Date::now();
        }
    }
    Ok(Ok(snapshot(&name, &run, &epoch_ms, true)))
}

/// The worker's high-resolution clock, in ms.
fn now_ms() -> f64 {
    use wasm_bindgen::JsCast;
    js_sys::global()
        .dyn_into::<web_sys::WorkerGlobalScope>()
        .ok()
        .and_then(|g| g.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

async fn profile(
    scope: &mut Scope,
    job: JobId,
    dataset: DatasetSource,
    settings: TrainSettings,
    variants: Vec<ProfileVariant>,
) -> Result<JobResult, Stop> {
    let (name, data) = match load(scope, job, &dataset).await? {
        Ok(d) => d,
        Err(e) => return Ok(Err(e)),
    };
    let total = variants.len();
    let mut profile = PrivacyProfile::new(data, settings, variants);
    let snapshot = |p: &PrivacyProfile| {
        JobOutcome::Profile(Box::new(ProfileSnapshot {
            dataset: name.clone(),
            rows: p.rows().to_vec(),
            total,
            knee: knee(p.rows()),
            current: p
                .current()
                .zip(p.current_variant())
                .map(|(r, v)| (v.label(), r.history().len())),
        }))
    };
    interim(scope, job, snapshot(&profile)).await;
    loop {
        let stage = Stage::Profiling {
            run: (profile.rows().len() + 1).min(total),
            runs: total,
        };
        progress(scope, job, stage, profile.fraction_done()).await?;
        let before = profile.rows().len();
        match profile.step() {
            Ok(true) => break,
            Ok(false) => {}
            Err(error) => return Ok(Err(JobError::Training { input: name, error })),
        }
        if profile.rows().len() > before {
            interim(scope, job, snapshot(&profile)).await;
        }
    }
    Ok(Ok(snapshot(&profile)))
}
