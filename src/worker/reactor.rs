//! The worker: reads CSVs, runs simulations and computes reports off the main thread, in steps,
//! so it can report progress and be cancelled (or superseded by a newer request) between steps.
//!
//! The bundled samples are compiled into the worker, so loading one makes no network request.

use futures::{FutureExt, SinkExt, StreamExt};
use mia_engine::attack::report::{audit_signal, model_summary, SignalAuditor};
use mia_engine::checklist::review_report::InputDescription;
use mia_engine::ingest::IngestProgress;
use mia_engine::simulator::sweep::{sweep_gaps, sweep_point};
use mia_engine::simulator::{
    analytic_auc, analytic_roc, simulate, simulated_table, Family, SimulationParams, SweepPoint,
};
use mia_engine::{AuditReport, AuditTable, ColumnMapping, IngestReport, Signal};
use yew_agent::prelude::*;

use crate::protocol::{
    AuditOutcome, DatasetSource, InputSource, NamedFile, SimulationOutcome, Stage, WorkTimings,
    WorkerEvent, WorkerRequest,
};
use crate::samples::{dataset_bytes, sample_bytes};

/// Rows parsed between two looks at the clock.
pub(crate) const ROWS_PER_STEP: usize = 10_000;
/// How long the worker computes between looks at its inbox (cancel), in ms.
pub(crate) const YIELD_EVERY_MS: f64 = 50.0;
/// How often a long read reports its progress, in ms: each report costs the page a render,
/// and on two cores that time is taken from the worker.
pub(crate) const PROGRESS_EVERY_MS: f64 = 250.0;
/// ROC points sent to the page per signal: enough to draw and to move the threshold smoothly,
/// while the message stays small for millions of records. The headline figures are computed
/// on the full curve before thinning.
const ROC_POINTS_SENT: usize = 4_000;

type Scope = ReactorScope<WorkerRequest, WorkerEvent>;

/// Why a job stopped early.
enum Stop {
    Cancelled,
    /// A newer request arrived; it replaces this one.
    Superseded(Box<WorkerRequest>),
    Closed,
}

/// Yields to the worker's event loop, then looks at what the page sent meanwhile.
async fn checkpoint(scope: &mut Scope, job: u32) -> Result<(), Stop> {
    crate::worker::event_loop::yield_to_event_loop().await;
    match scope.next().now_or_never() {
        None => Ok(()),
        Some(None) => Err(Stop::Closed),
        Some(Some(WorkerRequest::Cancel { job: j })) if j == job => Err(Stop::Cancelled),
        Some(Some(WorkerRequest::Cancel { .. })) => Ok(()),
        Some(Some(req)) => Err(Stop::Superseded(Box::new(req))),
    }
}

async fn progress(scope: &mut Scope, job: u32, stage: Stage, fraction: f64) -> Result<(), Stop> {
    let _ = scope
        .send(WorkerEvent::Progress {
            job,
            stage,
            fraction,
        })
        .await;
    checkpoint(scope, job).await
}

fn failed(job: u32, message: String, headers: Vec<String>) -> WorkerEvent {
    WorkerEvent::Failed {
        job,
        message,
        headers,
    }
}

/// Reads a CSV in steps into a table.
async fn read_csv(
    scope: &mut Scope,
    job: u32,
    bytes: &[u8],
    mapping: Option<ColumnMapping>,
) -> Result<Result<(AuditTable, IngestReport), WorkerEvent>, Stop> {
    read_csv_with(scope, job, bytes, mapping, true).await
}

/// [`read_csv`], optionally accepting a file without a member column.
async fn read_csv_with(
    scope: &mut Scope,
    job: u32,
    bytes: &[u8],
    mapping: Option<ColumnMapping>,
    require_member: bool,
) -> Result<Result<(AuditTable, IngestReport), WorkerEvent>, Stop> {
    let headers = || mia_engine::ingest::read_headers(bytes).unwrap_or_default();
    let started = IngestProgress::start_with(bytes, mapping, require_member);
    read_steps(scope, job, started, headers, None).await
}

/// Bytes of a streamed file read first, to sniff the delimiter and to list the header on error.
const HEAD_BYTES: usize = 64 << 10;

/// Reads a user's file in slices (never whole); a large one in two parts at once, the second by
/// the part worker ([`crate::worker::part`]). Its SHA-256 comes from the fingerprint worker
/// ([`crate::worker::fingerprint`]), asked for once this audit is shown.
async fn read_upload(
    scope: &mut Scope,
    job: u32,
    file_id: u32,
    mapping: Option<ColumnMapping>,
) -> Result<Result<(AuditTable, IngestReport, InputDescription, u32), WorkerEvent>, Stop> {
    let Some(file) = crate::protocol::codec::take_file(file_id) else {
        return Ok(Err(failed(
            job,
            "The file is no longer available to the page; choose it again.".into(),
            Vec::new(),
        )));
    };
    let input = InputDescription {
        name: file.name(),
        size_bytes: Some(file.size() as u64),
        sha256: None,
    };
    let with = |read: Result<(AuditTable, IngestReport), WorkerEvent>, workers: u32| {
        read.map(|(table, report)| (table, report, input.clone(), workers))
    };
    let size = file.size() as u64;
    let split = crate::worker::part::part_worker()
        .and_then(|w| Some((w, crate::worker::part::cut_for_two_workers(&file, size)?)));
    if let Some((worker, cut)) = split {
        if let Some(read) =
            read_in_two_parts(scope, job, &file, mapping.clone(), &worker, cut).await?
        {
            return Ok(with(read, 2));
        }
        // The cut was inside a quoted field, or the part worker failed: read in one go.
    }
    let (started, slices, head) = match open_upload(file, mapping, None) {
        Ok(opened) => opened,
        Err(message) => return Ok(Err(failed(job, message, Vec::new()))),
    };
    let headers = move || mia_engine::ingest::read_headers(&head).unwrap_or_default();
    Ok(with(
        read_steps(scope, job, started, headers, Some(&slices)).await?,
        1,
    ))
}

/// Reads `file` up to `cut` here and from `cut` on in the part worker, then joins the parts.
/// `None` when the file must be read in one go instead.
async fn read_in_two_parts(
    scope: &mut Scope,
    job: u32,
    file: &web_sys::File,
    mapping: Option<ColumnMapping>,
    worker: &std::rc::Rc<crate::worker::part::PartWorker>,
    cut: u64,
) -> Result<Option<Result<(AuditTable, IngestReport), WorkerEvent>>, Stop> {
    let (started, slices, head) = match open_upload(file.clone(), mapping, Some(cut)) {
        Ok(opened) => opened,
        Err(message) => return Ok(Some(Err(failed(job, message, Vec::new())))),
    };
    let headers = move || mia_engine::ingest::read_headers(&head).unwrap_or_default();
    // A header the first part cannot read (say, megabytes of blank lines before it) is for the
    // single read to explain.
    let Ok(mut reading) = started else {
        return Ok(None);
    };
    let Some(part) = worker.read(file, cut, &reading.part_plan()) else {
        return Ok(None);
    };
    if let Err(e) = step_to_end(scope, job, &mut reading, Some(&slices), Some(&part)).await? {
        return Ok(Some(Err(failed(job, e.to_string(), headers()))));
    }
    if !reading.ended_on_line_end() {
        return Ok(None);
    }
    let mut last_progress = js_sys::Date::now();
    let second = loop {
        if let Some(second) = part.wait(YIELD_EVERY_MS as i32).await {
            break second;
        }
        let now = js_sys::Date::now();
        if now - last_progress >= PROGRESS_EVERY_MS {
            let fraction = reading.fraction_done() + part.fraction_of_file();
            progress(scope, job, Stage::Reading, fraction).await?;
            last_progress = now;
        } else {
            checkpoint(scope, job).await?;
        }
    };
    let Ok(second) = second else {
        return Ok(None);
    };
    let appended = reading.append_part(second);
    if appended.is_err() {
        return Ok(None);
    }
    Ok(Some(finished(job, reading, headers)))
}

/// The read of an upload for an audit, started: its head read, the rest read ahead by a helper
/// worker while this one parses, the per-class columns folded into their signals (all an audit
/// needs of them). Also the slices (to wait on between steps) and the head (to list the header
/// on error). With `cut`, only the bytes before it are read (the rest is another worker's).
#[allow(clippy::type_complexity)]
fn open_upload(
    file: web_sys::File,
    mapping: Option<ColumnMapping>,
    cut: Option<u64>,
) -> Result<
    (
        Result<UploadRead, mia_engine::IngestError>,
        crate::worker::io::file_slices::SharedSlices,
        Vec<u8>,
    ),
    String,
> {
    let mut slices = crate::worker::io::file_slices::FileSlices::new(file, None)?;
    let size = slices.size();
    mia_engine::ingest::check_input_size(size).map_err(|e| e.to_string())?;
    if let Some(cut) = cut {
        slices.limit_to(0, cut);
    }
    let head = slices
        .head(HEAD_BYTES)
        .map_err(|e| format!("The browser could not read the file: {e}"))?;
    slices.read_ahead_on_helper();
    let slices = crate::worker::io::file_slices::SharedSlices(std::rc::Rc::new(
        std::cell::RefCell::new(slices),
    ));
    // The whole size, with a cut too: the columns are sized for the whole file.
    let started = IngestProgress::start_stream(head.clone(), slices.clone(), size, mapping, true)
        .map(IngestProgress::fold_class_outputs);
    Ok((started, slices, head))
}

/// An upload being read.
type UploadRead = IngestProgress<
    std::io::Chain<std::io::Cursor<Vec<u8>>, crate::worker::io::file_slices::SharedSlices>,
>;

/// Steps a started read to the end, with progress and chances to cancel.
async fn read_steps<R: std::io::Read>(
    scope: &mut Scope,
    job: u32,
    started: Result<IngestProgress<R>, mia_engine::IngestError>,
    headers: impl Fn() -> Vec<String>,
    file: Option<&crate::worker::io::file_slices::SharedSlices>,
) -> Result<Result<(AuditTable, IngestReport), WorkerEvent>, Stop> {
    let mut reading = match started {
        Ok(p) => p,
        Err(e) => return Ok(Err(failed(job, e.to_string(), headers()))),
    };
    if let Err(e) = step_to_end(scope, job, &mut reading, file, None).await? {
        return Ok(Err(failed(job, e.to_string(), headers())));
    }
    Ok(finished(job, reading, headers))
}

/// Ends a read that reached the end of its input: the table, or why there is none.
fn finished<R: std::io::Read>(
    job: u32,
    reading: IngestProgress<R>,
    headers: impl Fn() -> Vec<String>,
) -> Result<(AuditTable, IngestReport), WorkerEvent> {
    reading
        .finish()
        .map(|i| (i.table, i.report))
        .map_err(|e| failed(job, e.to_string(), headers()))
}

/// Reads to the end of the input, waiting for slices read ahead, with progress (counting what
/// the part worker has read of the same file) and chances to cancel.
async fn step_to_end<R: std::io::Read>(
    scope: &mut Scope,
    job: u32,
    reading: &mut IngestProgress<R>,
    file: Option<&crate::worker::io::file_slices::SharedSlices>,
    part: Option<&crate::worker::part::PartRead>,
) -> Result<Result<(), mia_engine::IngestError>, Stop> {
    let (mut last_yield, mut last_progress) = (js_sys::Date::now(), js_sys::Date::now());
    loop {
        if let Some(f) = file {
            f.read_ahead().await;
        }
        match reading.step(ROWS_PER_STEP) {
            Ok(true) => return Ok(Ok(())),
            Ok(false) => {}
            Err(e) => return Ok(Err(e)),
        }
        // Yields and reports happen on a clock, not on every step.
        let now = js_sys::Date::now();
        if now - last_progress >= PROGRESS_EVERY_MS {
            let fraction = reading.fraction_done() + part.map_or(0.0, |p| p.fraction_of_file());
            progress(scope, job, Stage::Reading, fraction).await?;
            (last_yield, last_progress) = (now, now);
        } else if now - last_yield >= YIELD_EVERY_MS {
            checkpoint(scope, job).await?;
            last_yield = now;
        }
    }
}

/// The threshold attack with every available signal, one checkpoint per signal.
async fn attack_all(
    scope: &mut Scope,
    job: u32,
    table: &AuditTable,
) -> Result<Result<AuditReport, WorkerEvent>, Stop> {
    let signals = Signal::available(table);
    let mut reports = Vec::with_capacity(signals.len());
    let mut auditor = SignalAuditor::new(table, true);
    for (i, s) in signals.iter().enumerate() {
        progress(
            scope,
            job,
            Stage::Attacking(*s),
            i as f64 / signals.len() as f64,
        )
        .await?;
        match auditor.audit(*s) {
            Ok(Some(mut r)) => {
                r.roc = r.roc.thinned(ROC_POINTS_SENT);
                reports.push(r);
            }
            Ok(None) => {}
            Err(e) => return Ok(Err(failed(job, format!("{}: {e}", s.title()), Vec::new()))),
        }
    }
    Ok(Ok(AuditReport {
        summary: model_summary(table),
        signals: reports,
    }))
}

async fn run_audit(
    scope: &mut Scope,
    job: u32,
    source: InputSource,
    mapping: Option<ColumnMapping>,
) -> Result<WorkerEvent, Stop> {
    let started = js_sys::Date::now();
    let read_bytes: Option<&[u8]> = match &source {
        InputSource::Sample { id } => sample_bytes(id),
        InputSource::File { bytes, .. } => Some(bytes),
        InputSource::Simulation { .. } | InputSource::Upload { .. } => None,
    };
    let mut input = InputDescription {
        name: source.display_name(),
        size_bytes: read_bytes.map(|b| b.len() as u64),
        sha256: read_bytes.map(mia_engine::ingest::fingerprint::sha256_hex),
    };
    let mut read_by_workers = 1;
    let loaded = match &source {
        InputSource::Sample { id } => match sample_bytes(id) {
            Some(b) => read_csv(scope, job, b, mapping).await?,
            None => Err(failed(
                job,
                format!("There is no bundled sample called `{id}`."),
                Vec::new(),
            )),
        },
        InputSource::File { bytes, .. } => read_csv(scope, job, bytes, mapping).await?,
        InputSource::Upload { file_id, .. } => {
            match read_upload(scope, job, *file_id, mapping).await? {
                Ok((table, report, described, workers)) => {
                    input = described;
                    read_by_workers = workers;
                    Ok((table, report))
                }
                Err(ev) => Err(ev),
            }
        }
        InputSource::Simulation { params } => {
            progress(scope, job, Stage::Simulating, 0.0).await?;
            match simulate(params) {
                Ok(s) => {
                    let table = simulated_table(&s);
                    let n = table.len() as u64;
                    let report = IngestReport {
                        n_data_rows: n,
                        n_kept: n,
                        delimiter: b',',
                        ..IngestReport::default()
                    };
                    Ok((table, report))
                }
                Err(e) => Err(failed(job, e.to_string(), Vec::new())),
            }
        }
    };
    let (table, ingest) = match loaded {
        Ok(t) => t,
        Err(ev) => return Ok(ev),
    };
    let read = js_sys::Date::now();
    let report = match attack_all(scope, job, &table).await? {
        Ok(r) => r,
        Err(ev) => return Ok(ev),
    };
    let timings = WorkTimings {
        read_ms: read - started,
        attack_ms: js_sys::Date::now() - read,
        read_by_workers,
    };
    Ok(WorkerEvent::Done {
        job,
        outcome: Box::new(AuditOutcome {
            source: source.without_bytes(),
            input,
            headers: table.headers.clone(),
            mapping: table.mapping.clone(),
            ingest,
            report,
            timings,
            fingerprint_error: None,
        }),
    })
}

/// The sweep depends on every parameter but the gap; it is kept between requests.
type SweepCache = Option<(SimulationParams, Vec<SweepPoint>)>;

fn sweep_key(p: &SimulationParams) -> SimulationParams {
    SimulationParams { gap: 0.0, ..*p }
}

async fn run_simulation(
    scope: &mut Scope,
    job: u32,
    params: SimulationParams,
    cache: &mut SweepCache,
) -> Result<WorkerEvent, Stop> {
    progress(scope, job, Stage::Simulating, 0.0).await?;
    let scores = match simulate(&params) {
        Ok(s) => s,
        Err(e) => return Ok(failed(job, e.to_string(), Vec::new())),
    };
    let table = simulated_table(&scores);
    progress(scope, job, Stage::Attacking(Signal::Confidence), 0.3).await?;
    let report = match audit_signal(&table, Signal::Confidence) {
        Ok(Some(mut r)) => {
            r.roc = r.roc.thinned(ROC_POINTS_SENT);
            r
        }
        Ok(None) => {
            return Ok(failed(
                job,
                "The simulation produced no scores.".into(),
                Vec::new(),
            ))
        }
        Err(e) => return Ok(failed(job, e.to_string(), Vec::new())),
    };
    let key = sweep_key(&params);
    let sweep = match cache {
        Some((k, s)) if *k == key => s.clone(),
        _ => {
            let gaps = sweep_gaps();
            let mut points = Vec::with_capacity(gaps.len());
            for (i, g) in gaps.iter().enumerate() {
                if i % 5 == 0 {
                    progress(scope, job, Stage::Sweeping, i as f64 / gaps.len() as f64).await?;
                }
                if let Ok(p) = sweep_point(&params, *g) {
                    points.push(p);
                }
            }
            *cache = Some((key, points.clone()));
            points
        }
    };
    let normal = params.family == Family::Normal;
    Ok(WorkerEvent::Simulated {
        job,
        outcome: Box::new(SimulationOutcome {
            params,
            summary: model_summary(&table),
            report,
            analytic_auc: normal
                .then(|| analytic_auc(params.gap, params.std))
                .flatten(),
            analytic_roc: normal
                .then(|| analytic_roc(params.gap, params.std))
                .flatten(),
            sweep,
        }),
    })
}

fn thin_report(mut r: mia_engine::shadow::ShadowReport) -> Box<mia_engine::shadow::ShadowReport> {
    for sr in [&mut r.shadow_attack, &mut r.threshold_attack]
        .into_iter()
        .flatten()
    {
        sr.roc = sr.roc.thinned(ROC_POINTS_SENT);
    }
    Box::new(r)
}

async fn run_shadow_training(
    scope: &mut Scope,
    job: u32,
    dataset: DatasetSource,
    config: mia_engine::shadow::ShadowConfig,
) -> Result<WorkerEvent, Stop> {
    use mia_engine::shadow::{ShadowExperiment, TabularDataset};
    let (name, bytes): (String, std::borrow::Cow<[u8]>) = match &dataset {
        DatasetSource::Bundled { id } => match dataset_bytes(id) {
            Some(b) => (id.clone(), b.into()),
            None => {
                return Ok(failed(
                    job,
                    format!("There is no bundled dataset called `{id}`."),
                    Vec::new(),
                ))
            }
        },
        DatasetSource::File(NamedFile { name, bytes }) => (name.clone(), bytes.as_slice().into()),
    };
    let data = match TabularDataset::from_csv(&bytes) {
        Ok(d) => d,
        Err(e) => return Ok(failed(job, format!("{name}: {e}"), Vec::new())),
    };
    let mut experiment = match ShadowExperiment::new(data, config) {
        Ok(e) => e,
        Err(e) => return Ok(failed(job, format!("{name}: {e}"), Vec::new())),
    };
    loop {
        progress(
            scope,
            job,
            Stage::Training(experiment.stage()),
            experiment.fraction_done(),
        )
        .await?;
        match experiment.step() {
            Ok(true) => break,
            Ok(false) => {}
            Err(e) => return Ok(failed(job, format!("{name}: {e}"), Vec::new())),
        }
    }
    Ok(match experiment.into_report() {
        Some(r) => WorkerEvent::ShadowDone {
            job,
            report: thin_report(r),
        },
        None => failed(
            job,
            "The experiment ended without a report.".into(),
            Vec::new(),
        ),
    })
}

async fn run_shadow_from_outputs(
    scope: &mut Scope,
    job: u32,
    shadows: Vec<NamedFile>,
    target: NamedFile,
    config: mia_engine::shadow::ShadowConfig,
) -> Result<WorkerEvent, Stop> {
    let mut tables = Vec::with_capacity(shadows.len());
    for f in &shadows {
        match read_csv(scope, job, &f.bytes, None).await? {
            Ok((t, _)) => tables.extend(mia_engine::shadow::from_outputs::split_by_shadow(
                &f.name, t,
            )),
            Err(WorkerEvent::Failed { message, .. }) => {
                return Ok(failed(
                    job,
                    format!("Shadow file {}: {message}", f.name),
                    Vec::new(),
                ))
            }
            Err(ev) => return Ok(ev),
        }
    }
    let target_table = match read_csv_with(scope, job, &target.bytes, None, false).await? {
        Ok((t, _)) => t,
        Err(WorkerEvent::Failed { message, .. }) => {
            return Ok(failed(
                job,
                format!("Target file {}: {message}", target.name),
                Vec::new(),
            ))
        }
        Err(ev) => return Ok(ev),
    };
    progress(
        scope,
        job,
        Stage::Training(mia_engine::shadow::ShadowStage::TrainAttack),
        0.8,
    )
    .await?;
    // Without a member column the target gets verdicts but no score against the truth.
    let labelled = target_table.mapping.member.is_some();
    match mia_engine::shadow::from_outputs::attack_from_outputs(
        &tables,
        &target_table,
        labelled,
        &config.attack,
        config.seed,
    ) {
        Ok(r) => Ok(WorkerEvent::ShadowDone {
            job,
            report: thin_report(r),
        }),
        Err(e) => Ok(failed(job, e, Vec::new())),
    }
}

/// The last table read for the restriction view, so moving a control does not re-read the file.
type RestrictCache = Option<(InputSource, AuditTable)>;

async fn run_restriction(
    scope: &mut Scope,
    job: u32,
    source: InputSource,
    setting: mia_engine::restriction::RestrictionSetting,
    want_frontier: bool,
    cache: &mut RestrictCache,
) -> Result<WorkerEvent, Stop> {
    use mia_engine::restriction::frontier::{frontier_point, grid, mark_frontier};
    use mia_engine::restriction::{evaluate, restricted_table, RestrictionSetting};
    let key = source.without_bytes();
    // A sample is re-read only when another one is asked for; a file is sent once, then
    // referred to with empty bytes.
    let cached = matches!(cache, Some((k, _)) if *k == key);
    let reuse = cached
        && match &source {
            InputSource::File { bytes, .. } => bytes.is_empty(),
            _ => true,
        };
    if !reuse {
        let loaded = match &source {
            InputSource::Sample { id } => match sample_bytes(id) {
                Some(b) => read_csv(scope, job, b, None).await?,
                None => Err(failed(
                    job,
                    format!("There is no bundled sample called `{id}`."),
                    Vec::new(),
                )),
            },
            InputSource::File { bytes, .. } if !bytes.is_empty() => {
                read_csv(scope, job, bytes, None).await?
            }
            _ => Err(failed(
                job,
                "Choose the file again: the page does not keep it.".into(),
                Vec::new(),
            )),
        };
        match loaded {
            Ok((t, _)) => *cache = Some((key.clone(), t)),
            Err(ev) => return Ok(ev),
        }
    }
    let Some((_, table)) = cache.as_ref() else {
        return Ok(failed(job, "No data to restrict.".into(), Vec::new()));
    };
    progress(scope, job, Stage::Attacking(Signal::Confidence), 0.1).await?;
    let report = match evaluate(table, &setting) {
        Ok(r) => r,
        Err(e) => return Ok(failed(job, e, Vec::new())),
    };
    let roc = |s: &RestrictionSetting| {
        restricted_table(table, s)
            .and_then(|t| audit_signal(&t, Signal::Confidence).ok().flatten())
            .map(|r| r.roc.thinned(ROC_POINTS_SENT))
    };
    let (Some(roc_before), Some(roc_after)) = (roc(&RestrictionSetting::default()), roc(&setting))
    else {
        return Ok(failed(
            job,
            "The confidence signal needs a `label` column.".into(),
            Vec::new(),
        ));
    };
    let frontier = if want_frontier {
        let settings = grid();
        let mut points = Vec::with_capacity(settings.len());
        for (i, s) in settings.iter().enumerate() {
            if i % 8 == 0 {
                progress(
                    scope,
                    job,
                    Stage::Sweeping,
                    i as f64 / settings.len() as f64,
                )
                .await?;
            }
            points.extend(frontier_point(table, s));
        }
        mark_frontier(&mut points);
        Some(points)
    } else {
        None
    };
    Ok(WorkerEvent::Restricted {
        job,
        outcome: Box::new(crate::protocol::RestrictionOutcome {
            source: key,
            report,
            roc_before,
            roc_after,
            frontier,
        }),
    })
}

/// Reads and audits [`crate::worker::warm_up::generated_audit_files`] in steps, looking at the inbox
/// between steps: `Err` with what the page sent, which ends the warm-up.
async fn warm_up(scope: &mut Scope) -> Result<(), Stop> {
    async fn look(scope: &mut Scope) -> Result<(), Stop> {
        crate::worker::event_loop::yield_to_event_loop().await;
        match scope.next().now_or_never() {
            None => Ok(()),
            Some(None) => Err(Stop::Closed),
            Some(Some(req)) => Err(Stop::Superseded(Box::new(req))),
        }
    }
    // The part worker warms itself up meanwhile.
    crate::worker::part::warm_up_part_worker();
    // Read as an upload is (the same compiled code: the reader is generic over its input).
    for file in crate::worker::warm_up::generated_audit_files() {
        let Ok((Ok(mut reading), slices, _)) = open_upload(file, None, None) else {
            continue;
        };
        loop {
            look(scope).await?;
            slices.read_ahead().await;
            match reading.step(5_000) {
                Ok(true) => break,
                Ok(false) => {}
                Err(_) => break,
            }
        }
        let Ok(ingested) = reading.finish() else {
            continue;
        };
        let table = ingested.table;
        let mut auditor = SignalAuditor::new(&table, true);
        for s in Signal::available(&table) {
            look(scope).await?;
            let _ = auditor.audit(s);
        }
        let _ = model_summary(&table);
    }
    Ok(())
}

thread_local! {
    /// Whether a reactor of this worker has started the warm-up.
    static WARMED_UP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The worker's message loop.
#[reactor]
pub async fn AuditReactor(mut scope: ReactorScope<WorkerRequest, WorkerEvent>) {
    let mut sweep_cache: SweepCache = None;
    let mut restrict_cache: RestrictCache = None;
    let mut next = scope.next().await;
    while let Some(req) = next.take() {
        let result = match req {
            WorkerRequest::Cancel { .. } => None,
            WorkerRequest::Audit {
                job,
                source,
                mapping,
            } => Some((job, run_audit(&mut scope, job, source, mapping).await)),
            WorkerRequest::Simulate { job, params } => Some((
                job,
                run_simulation(&mut scope, job, params, &mut sweep_cache).await,
            )),
            WorkerRequest::Restrict {
                job,
                source,
                setting,
                frontier,
            } => Some((
                job,
                run_restriction(
                    &mut scope,
                    job,
                    source,
                    setting,
                    frontier,
                    &mut restrict_cache,
                )
                .await,
            )),
            WorkerRequest::RestrictExport { job, setting } => Some((
                job,
                Ok(match &restrict_cache {
                    Some((_, t)) => WorkerEvent::RestrictedCsv {
                        job,
                        csv: mia_engine::restriction::restricted_csv(t, &setting)
                            .unwrap_or_default(),
                    },
                    None => failed(job, "Load data first.".into(), Vec::new()),
                }),
            )),
            WorkerRequest::ShadowTrain {
                job,
                dataset,
                config,
            } => Some((
                job,
                run_shadow_training(&mut scope, job, dataset, config).await,
            )),
            WorkerRequest::ShadowFromOutputs {
                job,
                shadows,
                target,
                config,
            } => Some((
                job,
                run_shadow_from_outputs(&mut scope, job, shadows, target, config).await,
            )),
        };
        match result {
            None => {}
            Some((_, Ok(ev))) => {
                let _ = scope.send(ev).await;
            }
            Some((job, Err(Stop::Cancelled))) => {
                let _ = scope.send(WorkerEvent::Cancelled { job }).await;
            }
            Some((_, Err(Stop::Superseded(req)))) => {
                next = Some(*req);
                continue;
            }
            Some((_, Err(Stop::Closed))) => return,
        }
        // Once per worker (each page view has a reactor of its own here), after the first answer
        // (the page is showing it): see `crate::worker::warm_up`.
        if !WARMED_UP.replace(true) {
            match warm_up(&mut scope).await {
                Ok(()) => {}
                Err(Stop::Superseded(req)) => {
                    next = Some(*req);
                    continue;
                }
                Err(Stop::Closed) => return,
                Err(Stop::Cancelled) => {}
            }
        }
        next = scope.next().await;
    }
}
