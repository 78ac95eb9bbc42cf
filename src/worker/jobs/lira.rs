//! The reference attacks' job (LiRA, Carlini et al. 2022; RMIA, Zarifzadeh et al. 2024): read a
//! bundled case or an upload, or train a target and M references here, then run every variant
//! step by step. A training that is stopped keeps the references trained so far: the attacks run
//! on those and the outcome says how many.

use mia_engine::reference_attack::report::MOST_EXPOSED_ROWS;
use mia_engine::reference_attack::training::{ReferenceTraining, TrainingConfig};
use mia_engine::reference_attack::{
    read_reference_csv, ReferenceAttackRun, ReferenceIngested, ReferenceSettings,
};
use mia_engine::shadow::TabularDataset;

use crate::protocol::job::{JobError, JobId, JobOutcome, Stage};
use crate::protocol::WorkTimings;
use crate::protocol::{LiraOutcome, LiraRequest, LiraSource, TrainedReferences};
use crate::samples::{dataset_bytes, reference_sample_bytes};
use crate::worker::pacing::{progress, JobResult, Scope, Stop};
use crate::worker::read::{read_reference_bytes, read_reference_upload};

/// ROC points sent per variant: seven curves on one chart.
pub const LIRA_ROC_POINTS: usize = 1_000;

/// Tables with at least this many reference values (n × M) share the attacks' tasks with the
/// part worker: below, copying the table there costs more than the tasks save.
pub const SHARE_MIN_VALUES: usize = 1_000_000;

/// A table of `n` records under `m` references shares the attacks' tasks with the part worker.
pub fn shares_tasks(n: usize, m: usize) -> bool {
    n * m.max(1) >= SHARE_MIN_VALUES
}

/// How long each wait for the part worker's results lasts between progress reports.
const PART_WAIT_MS: i32 = 250;

pub async fn run(scope: &mut Scope, job: JobId, request: LiraRequest) -> Result<JobResult, Stop> {
    let LiraRequest { source, settings } = request;
    let started = js_sys::Date::now();
    let (mut workers, mut held, mut slices_read_here) = (1, None, None);
    let (read, training) = match &source {
        LiraSource::Sample { id } => match reference_sample_bytes(id) {
            Some(bytes) => (read_reference_bytes(scope, job, bytes).await?, None),
            None => return Ok(Err(JobError::UnknownSample { id: id.clone() })),
        },
        LiraSource::Upload(upload) => {
            let upload = read_reference_upload(scope, job, upload).await?;
            (workers, held) = (upload.workers, upload.held_by_part_worker);
            slices_read_here = Some(upload.slices_read_here);
            (upload.read, None)
        }
        LiraSource::Generated(t) => (
            read_reference_bytes(scope, job, t.csv.as_bytes()).await?,
            Some(t.clone()),
        ),
        LiraSource::Train { dataset, config } => match train(scope, job, dataset, *config).await? {
            Ok((read, trained)) => (read, Some(trained)),
            Err(e) => return Ok(Err(e)),
        },
    };
    let ingested = match read {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let read_ms = js_sys::Date::now() - started;
    let read = WorkTimings {
        read_ms,
        attack_ms: 0.0,
        read_by_workers: workers,
        attack_by_workers: 1,
        attack_table_joined_there: false,
        slices_read_here,
    };
    let read = Read {
        ingested,
        timings: read,
        held_by_part_worker: held,
    };
    attack(scope, job, source, read, settings, training).await
}

/// A table read, how long it took, and the part read whose worker holds it too.
struct Read {
    ingested: ReferenceIngested,
    timings: WorkTimings,
    held_by_part_worker: Option<crate::protocol::part::PartJobId>,
}

/// Trains the target and the references one model per step; a cancel keeps what is trained
/// (with at least one reference), a newer request or a closed page does not.
async fn train(
    scope: &mut Scope,
    job: JobId,
    dataset: &str,
    config: TrainingConfig,
) -> Result<Result<(Result<ReferenceIngested, JobError>, TrainedReferences), JobError>, Stop> {
    let Some(bytes) = dataset_bytes(dataset) else {
        return Ok(Err(JobError::UnknownDataset {
            id: dataset.to_string(),
        }));
    };
    let data = match TabularDataset::from_csv(bytes) {
        Ok(d) => d,
        Err(error) => {
            return Ok(Err(JobError::Dataset {
                input: dataset.to_string(),
                error,
            }))
        }
    };
    let mut training = match ReferenceTraining::new(data, config) {
        Ok(t) => t,
        Err(error) => return Ok(Err(JobError::ReferenceTraining { error })),
    };
    loop {
        let stage = Stage::TrainingReference(training.models_trained());
        match progress(scope, job, stage, training.fraction_done()).await {
            Ok(()) => {}
            Err(Stop::Cancelled) if training.references_trained() >= 1 => break,
            Err(stop) => return Err(stop),
        }
        match training.step() {
            Ok(true) => break,
            Ok(false) => {}
            Err(error) => return Ok(Err(JobError::ReferenceTraining { error })),
        }
    }
    let csv = training.csv().unwrap_or_default();
    let read = read_reference_csv(&csv).map_err(|error| JobError::ReferenceInput { error });
    Ok(Ok((
        read,
        TrainedReferences {
            trained: training.references_trained(),
            requested: config.m,
            csv: String::from_utf8_lossy(&csv).into_owned(),
        },
    )))
}

/// Runs every variant, one step at a time, and thins what is sent. A stopped training's
/// results are not cancelled again: the run goes to the end.
async fn attack(
    scope: &mut Scope,
    job: JobId,
    source: LiraSource,
    read: Read,
    settings: ReferenceSettings,
    training: Option<TrainedReferences>,
) -> Result<JobResult, Stop> {
    let Read {
        ingested,
        timings: read,
        held_by_part_worker,
    } = read;
    let started = js_sys::Date::now();
    let settings = match settings.check() {
        Ok(s) => s,
        Err(error) => return Ok(Err(JobError::ReferenceSettings { error })),
    };
    let table = &ingested.table;
    let mut run = ReferenceAttackRun::new(table, settings);
    let stopped = training.as_ref().is_some_and(|t| t.trained < t.requested);
    // A large table's tasks are shared with the part worker, on the other core, as its read is:
    // on the table it holds, or a copy.
    let away = match crate::worker::part::part_worker() {
        Some(w) if shares_tasks(table.len(), table.m) => {
            let tasks = run.hand_off();
            w.attack(table, held_by_part_worker, settings, tasks)
        }
        _ => None,
    };
    let mut workers = 1;
    loop {
        if !stopped {
            progress(scope, job, Stage::ReferenceAttacks, run.fraction_done()).await?;
        }
        if run.step() {
            break;
        }
    }
    // The part worker's results; if it failed, `finish` runs its tasks here.
    if let Some(away) = away {
        loop {
            if !stopped {
                progress(scope, job, Stage::ReferenceAttacks, run.fraction_done()).await?;
            }
            match away.wait(PART_WAIT_MS).await {
                Some(Ok(results)) => {
                    if run.receive(results) {
                        workers = 2;
                    }
                    break;
                }
                Some(Err(_)) => break,
                None => {}
            }
        }
    }
    let report = run.finish();
    let most_exposed = report.most_exposed(table, MOST_EXPOSED_ROWS);
    Ok(Ok(JobOutcome::Lira(Box::new(LiraOutcome {
        source,
        report: report.for_sending(LIRA_ROC_POINTS),
        most_exposed,
        ingest: ingested.report,
        training,
        timings: WorkTimings {
            attack_ms: js_sys::Date::now() - started,
            attack_by_workers: workers,
            attack_table_joined_there: workers == 2 && held_by_part_worker.is_some(),
            ..read
        },
    }))))
}
