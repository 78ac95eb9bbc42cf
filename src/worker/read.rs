//! The reads a job makes: a bundled CSV from memory, or a picked file in slices (never whole),
//! a large one in two parts at once, the second by the part worker ([`crate::worker::part`]).
//! Every upload, whichever view sent it, is read here, with the same limits and messages.

use mia_engine::checklist::review_report::InputDescription;
use mia_engine::ingest::byte_stream::ByteStream;
use mia_engine::ingest::reader::CsvStart;
use mia_engine::ingest::IngestProgress;
use mia_engine::reference_attack::{ReferenceIngested, ReferenceInputError, ReferenceRead};
use mia_engine::{AuditTable, ColumnMapping, IngestError, IngestReport};

use crate::protocol::job::{JobError, JobId, Stage};
use crate::protocol::Upload;
use crate::worker::io::file_slices::{FileSlices, SharedSlices, StepRows};
use crate::worker::pacing::{
    checkpoint, progress, Scope, Stop, PROGRESS_EVERY_MS, ROWS_PER_STEP, YIELD_EVERY_MS,
};

/// A table read, or why there is none.
pub type TableRead = Result<(AuditTable, IngestReport), JobError>;

/// Bytes of a streamed file read first, to sniff the delimiter (the CLI's too).
const HEAD_BYTES: usize = mia_engine::ingest::split::HEAD_BYTES as usize;

/// Why a read failed, with the file's header where the read got that far.
fn ingest_failed(error: IngestError, read_columns: &[String]) -> JobError {
    let columns = match &error {
        IngestError::HeaderOnly { columns }
        | IngestError::MissingMemberColumn { columns, .. }
        | IngestError::NoSignalColumn { columns }
        | IngestError::BadMapping { columns, .. } => columns.clone(),
        _ => read_columns.to_vec(),
    };
    JobError::Ingest { error, columns }
}

/// Reads a CSV held in memory (a bundled sample) in steps into a table.
pub async fn read_csv(
    scope: &mut Scope,
    job: JobId,
    bytes: &[u8],
    mapping: Option<ColumnMapping>,
) -> Result<TableRead, Stop> {
    let started = IngestProgress::start_with(bytes, mapping, true);
    read_steps(scope, job, started, None).await
}

/// An upload read into a table, its description, and how many workers read it.
pub type UploadRead = Result<(AuditTable, IngestReport, InputDescription, u32), JobError>;

/// What a job reads an audit-format file for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The threshold attack: the per-class columns are folded into their signals as they are
    /// read (all an audit needs of them), and a large file with long rows is read in two parts.
    Audit,
    /// A table whose per-class columns the job uses (restriction, shadow outputs).
    Table,
    /// A shadow attack's target: a member column is optional.
    Target,
}

/// Reads a picked file into an audit-format table, for `purpose`.
pub async fn read_upload(
    scope: &mut Scope,
    job: JobId,
    upload: &Upload,
    mapping: Option<ColumnMapping>,
    purpose: Purpose,
) -> Result<UploadRead, Stop> {
    let two_parts = purpose == Purpose::Audit;
    let Some(file) = crate::protocol::codec::take_file(upload.file_id) else {
        return Ok(Err(JobError::FileGone));
    };
    let input = InputDescription {
        name: file.name(),
        size_bytes: Some(file.size() as u64),
        sha256: None,
    };
    let with = |read: TableRead, workers: u32| {
        read.map(|(table, report)| (table, report, input.clone(), workers))
    };
    let size = file.size() as u64;
    let split = match two_parts.then(|| crate::worker::part::cut_for_two_workers(&file, size)) {
        Some(Some(cut)) => crate::worker::part::part_worker_when_ready()
            .await
            .map(|w| (w, cut)),
        _ => None,
    };
    if let Some((worker, cut)) = split {
        if let Some(read) =
            read_in_two_parts(scope, job, &file, mapping.clone(), &worker, cut).await?
        {
            return Ok(with(read, 2));
        }
        // The cut was inside a quoted field, or the part worker failed: read in one go.
    }
    let (started, slices) = match open_upload(file, mapping, None, purpose) {
        Ok(opened) => opened,
        Err(e) => return Ok(Err(e)),
    };
    Ok(with(
        read_steps(scope, job, started, Some(&slices)).await?,
        1,
    ))
}

/// The slices of a picked file, once its size is checked against every upload's limit.
fn picked_slices(upload: &Upload) -> Result<FileSlices, JobError> {
    let file = crate::protocol::codec::take_file(upload.file_id).ok_or(JobError::FileGone)?;
    file_slices(file, |e| ingest_failed(e, &[]))
}

/// A file's slices, once its size is checked against every upload's limit (`too_large` says
/// how the refusal reaches the view that asked).
fn file_slices(
    file: web_sys::File,
    too_large: impl FnOnce(IngestError) -> JobError,
) -> Result<FileSlices, JobError> {
    let slices = FileSlices::new(file, None).map_err(|message| JobError::Unreadable { message })?;
    mia_engine::ingest::check_input_size(slices.size()).map_err(too_large)?;
    Ok(slices)
}

/// What a streamed read starts from: the head of `slices` (only the bytes before `cut` are
/// read here when another worker reads the rest), the slices with the rest read ahead by the
/// helper worker, and the whole file's size.
fn streamed(
    mut slices: FileSlices,
    cut: Option<u64>,
) -> Result<(Vec<u8>, SharedSlices, u64), JobError> {
    let size = slices.size();
    if let Some(cut) = cut {
        slices.limit_to(0, cut);
    }
    let head = slices.head(HEAD_BYTES).map_err(|e| JobError::Unreadable {
        message: format!("The browser could not read the file: {e}"),
    })?;
    slices.read_ahead_on_helper();
    Ok((
        head,
        SharedSlices(std::rc::Rc::new(std::cell::RefCell::new(slices))),
        size,
    ))
}

/// The slices after the head, as the engine's [`ByteStream`] takes them.
fn rest(slices: &SharedSlices) -> Box<dyn std::io::Read> {
    Box::new(slices.clone())
}

/// Nothing after the head (input held in memory), as a [`ByteStream`]'s rest.
fn no_rest() -> Box<dyn std::io::Read> {
    Box::new(std::io::empty())
}

/// The whole of a picked file, read in slices in the worker (a tabular dataset, which the
/// engine reads whole), with the same size limit as every upload.
pub async fn read_upload_bytes(
    scope: &mut Scope,
    job: JobId,
    upload: &Upload,
) -> Result<Result<Vec<u8>, JobError>, Stop> {
    use std::io::Read;
    let mut slices = match picked_slices(upload) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    let size = slices.size();
    slices.read_ahead_on_helper();
    let mut slices = SharedSlices(std::rc::Rc::new(std::cell::RefCell::new(slices)));
    let mut bytes = Vec::with_capacity(size as usize);
    let mut chunk = vec![0u8; 1 << 20];
    let mut last_progress = js_sys::Date::now();
    loop {
        slices.read_ahead().await;
        let n = match slices.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                return Ok(Err(JobError::Unreadable {
                    message: format!("The browser could not read the file: {e}"),
                }))
            }
        };
        bytes.extend_from_slice(&chunk[..n]);
        let now = js_sys::Date::now();
        if now - last_progress >= PROGRESS_EVERY_MS {
            let fraction = bytes.len() as f64 / size.max(1) as f64;
            progress(scope, job, Stage::Reading, fraction).await?;
            last_progress = now;
        }
    }
    Ok(Ok(bytes))
}

/// Reads `file` up to `cut` here and from `cut` on in the part worker, then joins the parts.
/// `None` when the file must be read in one go instead.
async fn read_in_two_parts(
    scope: &mut Scope,
    job: JobId,
    file: &web_sys::File,
    mapping: Option<ColumnMapping>,
    worker: &std::rc::Rc<crate::worker::part::PartWorker>,
    cut: u64,
) -> Result<Option<TableRead>, Stop> {
    let (started, slices) = match open_upload(file.clone(), mapping, Some(cut), Purpose::Audit) {
        Ok(opened) => opened,
        Err(e) => return Ok(Some(Err(e))),
    };
    // A header the first part cannot read (say, megabytes of blank lines before it) is for the
    // single read to explain.
    let Ok(mut reading) = started else {
        return Ok(None);
    };
    let plan = crate::protocol::part::ReadPlan::Audit(reading.part_plan());
    let Some(part) = worker.read(file, cut, &plan) else {
        return Ok(None);
    };
    if let Err(e) = step_to_end(scope, job, &mut reading, Some(&slices), Some(&part)).await? {
        return Ok(Some(Err(ingest_failed(e, reading.headers()))));
    }
    if !reading.ended_on_line_end() {
        return Ok(None);
    }
    let second = wait_for_part(scope, job, &part, || reading.fraction_done()).await?;
    let Ok(crate::protocol::part::ReadPart::Audit(second)) = second else {
        return Ok(None);
    };
    if reading.append_part(*second).is_err() {
        return Ok(None);
    }
    Ok(Some(finished(reading)))
}

/// An upload being read.
pub type SlicedRead = IngestProgress<ByteStream>;

/// The read of an upload, started: its head read, the rest read ahead by a helper worker while
/// this one parses (for an audit, the per-class columns folded into their signals). Also the
/// slices, to wait on between steps. With `cut`, only the bytes before it are read (the rest is
/// another worker's).
#[allow(clippy::type_complexity)]
pub fn open_upload(
    file: web_sys::File,
    mapping: Option<ColumnMapping>,
    cut: Option<u64>,
    purpose: Purpose,
) -> Result<(Result<SlicedRead, IngestError>, SharedSlices), JobError> {
    let (head, slices, size) = streamed(file_slices(file, |e| ingest_failed(e, &[]))?, cut)?;
    // The whole size, with a cut too: the columns are sized for the whole file.
    let require_member = purpose != Purpose::Target;
    let started = IngestProgress::start_stream(head, rest(&slices), size, mapping, require_member)
        .map(|reading| match purpose {
            Purpose::Audit => reading.fold_class_outputs(),
            Purpose::Table | Purpose::Target => reading,
        });
    Ok((started, slices))
}

/// Steps a started read to the end, with progress and chances to cancel.
async fn read_steps<R: std::io::Read>(
    scope: &mut Scope,
    job: JobId,
    started: Result<IngestProgress<R>, IngestError>,
    file: Option<&SharedSlices>,
) -> Result<TableRead, Stop>
where
    IngestProgress<R>: SteppedRead<Error = IngestError>,
{
    let mut reading = match started {
        Ok(p) => p,
        Err(e) => return Ok(Err(ingest_failed(e, &[]))),
    };
    if let Err(e) = step_to_end(scope, job, &mut reading, file, None).await? {
        return Ok(Err(ingest_failed(e, reading.headers())));
    }
    Ok(finished(reading))
}

/// Ends a read that reached the end of its input: the table, or why there is none.
fn finished<R: std::io::Read>(reading: IngestProgress<R>) -> TableRead {
    let columns = reading.headers().to_vec();
    reading
        .finish()
        .map(|i| (i.table, i.report))
        .map_err(|e| ingest_failed(e, &columns))
}

/// A read that goes row by row: the audit's, the reference attack's and the monitor's.
pub trait SteppedRead: Sized {
    type Error;
    /// What the whole input reads as.
    type Output;
    /// Reads up to `rows` more rows; `true` at the end of the input.
    fn step_rows(&mut self, rows: usize) -> Result<bool, Self::Error>;
    /// Fraction of the input read.
    fn fraction(&self) -> f64;
    /// Ends a read that reached the end of its input.
    fn finish_read(self) -> Result<Self::Output, Self::Error>;
}

/// The [`SteppedRead`] of an engine reader, stepped by `$step`: `step_stream` for the page's
/// input ([`ByteStream`]: the engine's own compiled code, see [`mia_engine::ingest::byte_stream`]),
/// `step` for bytes held in memory (the bundled samples).
macro_rules! stepped_read {
    ($reader:ty, $step:ident, $error:ty, $output:ty) => {
        impl SteppedRead for $reader {
            type Error = $error;
            type Output = $output;
            fn step_rows(&mut self, rows: usize) -> Result<bool, $error> {
                self.$step(rows)
            }
            fn fraction(&self) -> f64 {
                self.fraction_done()
            }
            fn finish_read(self) -> Result<$output, $error> {
                self.finish()
            }
        }
    };
}

stepped_read!(
    IngestProgress<ByteStream>,
    step_stream,
    IngestError,
    mia_engine::Ingested
);
stepped_read!(
    IngestProgress<&[u8]>,
    step,
    IngestError,
    mia_engine::Ingested
);
stepped_read!(
    ReferenceRead<ByteStream>,
    step_stream,
    ReferenceInputError,
    ReferenceIngested
);
stepped_read!(
    ReferenceRead<&[u8]>,
    step,
    ReferenceInputError,
    ReferenceIngested
);
stepped_read!(
    mia_engine::monitor::QueryLogRead<ByteStream>,
    step_stream,
    mia_engine::monitor::MonitorError,
    mia_engine::monitor::QueryLog
);

/// Steps a started read to the end and ends it, with progress and chances to cancel; its
/// errors said as `failed` says them.
async fn read_to_end<S: SteppedRead>(
    scope: &mut Scope,
    job: JobId,
    started: Result<S, S::Error>,
    file: Option<&SharedSlices>,
    failed: impl Fn(S::Error) -> JobError,
) -> Result<Result<S::Output, JobError>, Stop> {
    let mut reading = match started {
        Ok(r) => r,
        Err(e) => return Ok(Err(failed(e))),
    };
    if let Err(e) = step_to_end(scope, job, &mut reading, file, None).await? {
        return Ok(Err(failed(e)));
    }
    Ok(reading.finish_read().map_err(failed))
}

/// Reads to the end of the input, waiting for slices read ahead, with progress (counting what
/// the part worker has read of the same file) and chances to cancel.
async fn step_to_end<S: SteppedRead>(
    scope: &mut Scope,
    job: JobId,
    reading: &mut S,
    file: Option<&SharedSlices>,
    part: Option<&crate::worker::part::PartRead>,
) -> Result<Result<(), S::Error>, Stop> {
    let (mut last_yield, mut last_progress) = (js_sys::Date::now(), js_sys::Date::now());
    let mut step_rows = StepRows::default();
    loop {
        let rows = match file {
            Some(f) => {
                f.read_ahead().await;
                step_rows.next(f)
            }
            None => ROWS_PER_STEP,
        };
        match reading.step_rows(rows) {
            Ok(true) => return Ok(Ok(())),
            Ok(false) => {}
            Err(e) => return Ok(Err(e)),
        }
        // Yields and reports happen on a clock, not on every step.
        let now = js_sys::Date::now();
        if now - last_progress >= PROGRESS_EVERY_MS {
            let fraction = reading.fraction() + part.map_or(0.0, |p| p.fraction_of_file());
            progress(scope, job, Stage::Reading, fraction).await?;
            (last_yield, last_progress) = (now, now);
        } else if now - last_yield >= YIELD_EVERY_MS {
            checkpoint(scope, job).await?;
            last_yield = now;
        }
    }
}

/// A reference-attack input read, or why there is none.
pub type ReferenceTableRead = Result<ReferenceIngested, JobError>;

/// A reference-attack upload read.
pub struct ReferenceUploadRead {
    pub read: ReferenceTableRead,
    /// How many workers read it.
    pub workers: u32,
    /// The part read (by the part worker) whose worker holds the whole table too, having been
    /// sent the rows read here ([`hold_rows`](crate::worker::part::PartWorker::hold_rows)).
    pub held_by_part_worker: Option<crate::protocol::part::PartJobId>,
    /// Slices this worker read itself without its slice reader.
    pub slices_read_here: u32,
}

impl ReferenceUploadRead {
    /// Read here alone.
    fn by_one(read: ReferenceTableRead) -> Self {
        ReferenceUploadRead {
            read,
            workers: 1,
            held_by_part_worker: None,
            slices_read_here: 0,
        }
    }
}

/// Reads a reference-attack CSV held in memory (a bundled case) in steps.
pub async fn read_reference_bytes(
    scope: &mut Scope,
    job: JobId,
    bytes: &[u8],
) -> Result<ReferenceTableRead, Stop> {
    let started = CsvStart::bytes(bytes)
        .map_err(ReferenceInputError::from)
        .and_then(ReferenceRead::start);
    reference_steps(scope, job, started, None).await
}

/// Reads a picked reference-attack CSV in slices (never whole), with the audit's size limit;
/// a large one in two parts at once, the second by the part worker, as the audit does.
pub async fn read_reference_upload(
    scope: &mut Scope,
    job: JobId,
    upload: &Upload,
) -> Result<ReferenceUploadRead, Stop> {
    let Some(file) = crate::protocol::codec::take_file(upload.file_id) else {
        return Ok(ReferenceUploadRead::by_one(Err(JobError::FileGone)));
    };
    let size = file.size() as u64;
    let split = match crate::worker::part::cut_for_two_workers(&file, size) {
        Some(cut) => crate::worker::part::part_worker_when_ready()
            .await
            .map(|w| (w, cut)),
        None => None,
    };
    if let Some((worker, cut)) = split {
        if let Some(read) = read_reference_in_two_parts(scope, job, &file, &worker, cut).await? {
            return Ok(read);
        }
        // The cut was inside a quoted field, or the part worker failed: read in one go.
    }
    let (started, slices) = match open_reference_upload(file, None) {
        Ok(opened) => opened,
        Err(e) => return Ok(ReferenceUploadRead::by_one(Err(e))),
    };
    let read = reference_steps(scope, job, started, Some(&slices)).await?;
    let slices_read_here = slices.read_here();
    Ok(ReferenceUploadRead {
        slices_read_here,
        ..ReferenceUploadRead::by_one(read)
    })
}

/// The read of a reference-attack upload, started (its head read, the rest read ahead by the
/// helper worker), up to `cut` when another worker reads the rest.
#[allow(clippy::type_complexity)]
pub(crate) fn open_reference_upload(
    file: web_sys::File,
    cut: Option<u64>,
) -> Result<
    (
        Result<ReferenceRead<ByteStream>, ReferenceInputError>,
        SharedSlices,
    ),
    JobError,
> {
    let too_large = |error: IngestError| JobError::ReferenceInput {
        error: error.into(),
    };
    let (head, slices, size) = streamed(file_slices(file, too_large)?, cut)?;
    let started = CsvStart::stream(head, rest(&slices), size)
        .map_err(ReferenceInputError::from)
        .and_then(ReferenceRead::start);
    Ok((started, slices))
}

/// Reads a reference-attack upload up to `cut` here and from `cut` on in the part worker, then
/// joins the parts. A table large enough for the attacks' tasks to be shared is joined in the
/// part worker too: it is sent the rows read here as soon as they are, while it still reads.
/// `None` when the file must be read in one go instead.
async fn read_reference_in_two_parts(
    scope: &mut Scope,
    job: JobId,
    file: &web_sys::File,
    worker: &std::rc::Rc<crate::worker::part::PartWorker>,
    cut: u64,
) -> Result<Option<ReferenceUploadRead>, Stop> {
    use crate::protocol::part::{ReadPart, ReadPlan};
    let failed = |error| JobError::ReferenceInput { error };
    let refused = |e| Ok(Some(ReferenceUploadRead::by_one(Err(e))));
    let (started, slices) = match open_reference_upload(file.clone(), Some(cut)) {
        Ok(opened) => opened,
        Err(e) => return refused(e),
    };
    let mut reading = match started {
        Ok(r) => r,
        // A header that is not a reference-attack input: refused whole, by the one-go read too.
        Err(e) => return refused(failed(e)),
    };
    let Some(part) = worker.read(file, cut, &ReadPlan::Reference(reading.part_plan())) else {
        return Ok(None);
    };
    if let Err(e) = step_to_end(scope, job, &mut reading, Some(&slices), Some(&part)).await? {
        return refused(failed(e));
    }
    if !reading.ended_on_line_end() {
        return Ok(None);
    }
    // About half the rows are here: the whole table is about twice as large.
    let own = reading.table();
    let held = (crate::worker::jobs::lira::shares_tasks(2 * own.len(), own.m)
        && worker.hold_rows(&part, own))
    .then(|| part.job());
    let second = wait_for_part(scope, job, &part, || reading.fraction_done()).await?;
    let Ok(ReadPart::Reference(second)) = second else {
        return Ok(None);
    };
    if reading.append_part(*second).is_err() {
        return Ok(None);
    }
    let slices_read_here = slices.read_here();
    Ok(Some(ReferenceUploadRead {
        read: reading.finish().map_err(failed),
        workers: 2,
        held_by_part_worker: held,
        slices_read_here,
    }))
}

/// Waits for the part worker's part, with progress (both workers' bytes) and chances to cancel.
async fn wait_for_part(
    scope: &mut Scope,
    job: JobId,
    part: &crate::worker::part::PartRead,
    first_fraction: impl Fn() -> f64,
) -> Result<Result<crate::protocol::part::ReadPart, String>, Stop> {
    let mut last_progress = js_sys::Date::now();
    loop {
        if let Some(second) = part.wait(YIELD_EVERY_MS as i32).await {
            return Ok(second);
        }
        let now = js_sys::Date::now();
        if now - last_progress >= PROGRESS_EVERY_MS {
            let fraction = first_fraction() + part.fraction_of_file();
            progress(scope, job, Stage::Reading, fraction).await?;
            last_progress = now;
        } else {
            checkpoint(scope, job).await?;
        }
    }
}

/// Steps a started reference-attack read to the end.
async fn reference_steps<R: std::io::Read>(
    scope: &mut Scope,
    job: JobId,
    started: Result<ReferenceRead<R>, ReferenceInputError>,
    file: Option<&SharedSlices>,
) -> Result<ReferenceTableRead, Stop>
where
    ReferenceRead<R>: SteppedRead<Error = ReferenceInputError, Output = ReferenceIngested>,
{
    read_to_end(scope, job, started, file, |error| {
        JobError::ReferenceInput { error }
    })
    .await
}

/// A query log read, or why there is none.
pub type QueryLogRead = Result<mia_engine::monitor::QueryLog, JobError>;

/// Reads a query log held in memory (a bundled sample) in steps.
pub async fn read_query_log_bytes(
    scope: &mut Scope,
    job: JobId,
    bytes: &[u8],
) -> Result<QueryLogRead, Stop> {
    let size = bytes.len() as u64;
    let started = mia_engine::monitor::QueryLogRead::start_stream(bytes.to_vec(), no_rest(), size);
    query_log_steps(scope, job, started, None).await
}

/// Reads a picked query log in slices (never whole; a 1 GB log streams), with the audit's size
/// limit.
pub async fn read_query_log_upload(
    scope: &mut Scope,
    job: JobId,
    upload: &Upload,
) -> Result<QueryLogRead, Stop> {
    let Some(file) = crate::protocol::codec::take_file(upload.file_id) else {
        return Ok(Err(JobError::FileGone));
    };
    let too_large = |e: IngestError| JobError::Monitor { error: e.into() };
    let (head, slices, size) = match file_slices(file, too_large).and_then(|s| streamed(s, None)) {
        Ok(opened) => opened,
        Err(e) => return Ok(Err(e)),
    };
    let started = mia_engine::monitor::QueryLogRead::start_stream(head, rest(&slices), size);
    query_log_steps(scope, job, started, Some(&slices)).await
}

/// Steps a started query-log read to the end.
async fn query_log_steps<R: std::io::Read>(
    scope: &mut Scope,
    job: JobId,
    started: Result<mia_engine::monitor::QueryLogRead<R>, mia_engine::monitor::MonitorError>,
    file: Option<&SharedSlices>,
) -> Result<QueryLogRead, Stop>
where
    mia_engine::monitor::QueryLogRead<R>: SteppedRead<
        Error = mia_engine::monitor::MonitorError,
        Output = mia_engine::monitor::QueryLog,
    >,
{
    read_to_end(scope, job, started, file, |error| JobError::Monitor {
        error,
    })
    .await
}
