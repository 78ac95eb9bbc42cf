//! The part worker's side: it waits for work, reads each part in steps and sends back the rows
//! it read (their float columns as transferred typed arrays), or runs the reference-attack tasks
//! it is handed and sends back their results; asked to, it first warms its code up on the same
//! generated files as the audit worker.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use mia_engine::ingest::byte_stream::{byte_stream, ByteStream};
use mia_engine::reference_attack::{
    AttackTask, ReferenceAttackRun, ReferenceRead, ReferenceSettings, ReferenceTable, TaskResult,
};
use mia_engine::text::pairs::{PairFigures, PairRow, PairScorer};
use mia_engine::IngestProgress;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::read_bytes;
use crate::protocol::part::{
    decode, encode, float_arrays, float_columns, float_columns_with_room, AttackTable,
    FromPartWorker, PartJobId, ReadPart, ReadPlan, ToPartWorker,
};
use crate::worker::io::blob_worker::Wake;
use crate::worker::io::file_slices::{FileSlices, SharedSlices, StepRows};

/// A part to read (`job` is `None` for the warm-up's own parts).
struct PartJob {
    job: Option<PartJobId>,
    file: web_sys::File,
    start: u64,
    end: u64,
    plan: ReadPlan,
}

/// Reference-attack tasks to run on a copy of the audit worker's table.
struct AttackJob {
    job: PartJobId,
    table: ReferenceTable,
    settings: ReferenceSettings,
    tasks: Vec<AttackTask>,
}

/// Pairs of a text audit to score.
struct ScoreJob {
    job: PartJobId,
    rows: Vec<PairRow>,
    span: usize,
}

/// What the part worker is asked to do.
enum Work {
    Read(PartJob),
    Attack(Box<AttackJob>),
    Score(ScoreJob),
}

/// A part being read: the audit's rows or a reference-attack table's, from the engine's
/// [`ByteStream`] (stepped by the engine's own compiled code).
enum PartReading {
    Audit(IngestProgress<ByteStream>),
    Reference(ReferenceRead<ByteStream>),
}

impl PartReading {
    fn start(plan: ReadPlan, input: ByteStream, bytes: u64) -> Result<Self, String> {
        Ok(match plan {
            ReadPlan::Audit(plan) => {
                PartReading::Audit(IngestProgress::start_part(plan, input, bytes))
            }
            ReadPlan::Reference(plan) => PartReading::Reference(
                ReferenceRead::start_part(plan, input, bytes).map_err(|e| e.to_string())?,
            ),
        })
    }

    fn step(&mut self, rows: usize) -> Result<bool, String> {
        match self {
            PartReading::Audit(r) => r.step_stream(rows).map_err(|e| e.to_string()),
            PartReading::Reference(r) => r.step_stream(rows).map_err(|e| e.to_string()),
        }
    }

    fn fraction_done(&self) -> f64 {
        match self {
            PartReading::Audit(r) => r.fraction_done(),
            PartReading::Reference(r) => r.fraction_done(),
        }
    }

    fn finish(self) -> ReadPart {
        match self {
            PartReading::Audit(r) => ReadPart::Audit(Box::new(r.finish_part())),
            PartReading::Reference(r) => ReadPart::Reference(Box::new(r.finish_part())),
        }
    }
}

/// A reference-attack table gathered here from both sides of a read in two parts, for the
/// tasks of an attack on it ([`AttackTable::Joined`]): kept from the read's start until that
/// attack, or until the next read or a cancel of this one.
#[derive(Default)]
struct Held {
    /// The read (its part's number).
    read: Option<PartJobId>,
    /// The rows read before the part, as sent (their float columns still as typed arrays).
    rows: Option<(ReferenceTable, JsValue)>,
    /// The part read here (without ids and row numbers).
    part: Option<ReferenceTable>,
    /// The two joined, once both are here.
    joined: Option<Result<ReferenceTable, String>>,
}

impl Held {
    /// Joins the rows and the part once both are here (while the audit worker joins them too).
    fn join_when_whole(&mut self) {
        if self.joined.is_some() || self.rows.is_none() || self.part.is_none() {
            return;
        }
        if let (Some((rows, floats)), Some(part)) = (self.rows.take(), self.part.take()) {
            self.joined = Some(joined(rows, &floats, &part));
        }
    }

    /// The joined table of read `read`, if it is here; nothing is held afterwards.
    fn take_joined(&mut self, read: PartJobId) -> Result<ReferenceTable, String> {
        self.join_when_whole();
        let held = std::mem::take(self);
        match (held.read, held.joined) {
            (Some(r), Some(joined)) if r == read => joined,
            _ => Err("the part worker does not hold that table".into()),
        }
    }
}

/// `rows` (their float columns attached as sent) followed by `part`: the float columns are
/// copied in once, with room for the part's.
fn joined(
    mut rows: ReferenceTable,
    floats: &JsValue,
    part: &ReferenceTable,
) -> Result<ReferenceTable, String> {
    let room: Vec<usize> = part.float_columns().iter().map(|c| c.len()).collect();
    let columns =
        float_columns_with_room(floats, &room).map_err(|e| format!("the rows held: {e}"))?;
    if !rows.put_float_columns(columns) || !rows.append(part, 0) {
        return Err("the rows held do not fit the part read here".into());
    }
    Ok(rows)
}

thread_local! {
    /// The reference-attack table being gathered for an attack.
    static HELD: RefCell<Held> = RefCell::new(Held::default());
    /// Work received and not yet done.
    static QUEUE: RefCell<VecDeque<Work>> = const { RefCell::new(VecDeque::new()) };
    /// The last job the audit worker cancelled.
    static CANCELLED: Cell<Option<PartJobId>> = const { Cell::new(None) };
    /// Whether the audit worker asked for the warm-up.
    static WARM_UP: Cell<bool> = const { Cell::new(false) };
    /// Resolves the wait for the next part.
    static WAKE: RefCell<Wake> = RefCell::new(Wake::default());
}

/// Runs this worker as a part worker: warms up, then reads the parts it is sent. A panic is
/// logged and said to the audit worker, which replaces this one.
pub fn serve() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        post(&FromPartWorker::Died {
            message: format!("the part worker stopped: {info}"),
        });
    }));
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|e: web_sys::MessageEvent| {
            match decode::<ToPartWorker>(&e.data()) {
                Ok((ToPartWorker::Cancel { job }, _)) => {
                    CANCELLED.set(Some(job));
                    HELD.with(|h| {
                        let mut h = h.borrow_mut();
                        if h.read == Some(job) {
                            *h = Held::default();
                        }
                    });
                }
                Ok((ToPartWorker::WarmUp, _)) => {
                    WARM_UP.set(true);
                    WAKE.with(|w| w.borrow_mut().wake());
                }
                Ok((
                    ToPartWorker::Read {
                        job,
                        start,
                        end,
                        plan,
                    },
                    file,
                )) => match file.dyn_into() {
                    Ok(file) => {
                        HELD.set(Held {
                            read: Some(job),
                            ..Held::default()
                        });
                        queue(Work::Read(PartJob {
                            job: Some(job),
                            file,
                            start,
                            end,
                            plan,
                        }))
                    }
                    Err(_) => post(&FromPartWorker::Failed {
                        job: Some(job),
                        message: "the part worker got a read without its file".into(),
                    }),
                },
                Ok((
                    ToPartWorker::Attack {
                        job,
                        table,
                        settings,
                        tasks,
                    },
                    floats,
                )) => match attack_table(table, &floats) {
                    Ok(table) => queue(Work::Attack(Box::new(AttackJob {
                        job,
                        table,
                        settings,
                        tasks,
                    }))),
                    Err(message) => post(&FromPartWorker::Failed {
                        job: Some(job),
                        message,
                    }),
                },
                Ok((ToPartWorker::Rows { job, table }, floats)) => HELD.with(|h| {
                    let mut h = h.borrow_mut();
                    if h.read == Some(job) {
                        h.rows = Some((*table, floats));
                        h.join_when_whole();
                    }
                }),
                Ok((ToPartWorker::ScorePairs { job, rows, span }, _)) => {
                    queue(Work::Score(ScoreJob { job, rows, span }))
                }
                Err(e) => post(&FromPartWorker::Failed {
                    job: None,
                    message: format!("the part worker got a message it cannot read: {e}"),
                }),
            }
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&FromPartWorker::Ready);
    wasm_bindgen_futures::spawn_local(async {
        loop {
            let job = match next_job().await {
                None => {
                    warm_up().await;
                    continue;
                }
                Some(Work::Attack(attack)) => {
                    let id = attack.job;
                    if let Some(results) = run_attack(*attack).await {
                        if send_results(id, results).is_err() {
                            post(&FromPartWorker::Failed {
                                job: Some(id),
                                message: "the attack's results could not be sent".into(),
                            });
                        }
                    }
                    continue;
                }
                Some(Work::Score(score)) => {
                    let job = score.job;
                    if let Some(pairs) = score_pairs(score).await {
                        post(&FromPartWorker::Scored { job, pairs });
                    }
                    continue;
                }
                Some(Work::Read(job)) => job,
            };
            let outcome = read_part(&job, false).await;
            let Some(id) = job.job else {
                continue;
            };
            match outcome {
                Ok(Some(part)) => {
                    if send_and_hold(id, part).is_err() {
                        post(&FromPartWorker::Failed {
                            job: Some(id),
                            message: "the part could not be sent".into(),
                        });
                    }
                }
                Ok(None) => {}
                Err(message) => post(&FromPartWorker::Failed {
                    job: Some(id),
                    message,
                }),
            }
        }
    });
}

/// Queues work and wakes the loop.
fn queue(work: Work) {
    QUEUE.with(|q| q.borrow_mut().push_back(work));
    WAKE.with(|w| w.borrow_mut().wake());
}

/// The table of an attack: the one sent, or the one held here.
fn attack_table(table: AttackTable, floats: &JsValue) -> Result<ReferenceTable, String> {
    match table {
        AttackTable::Sent(table) => {
            HELD.take();
            with_float_columns(*table, floats)
        }
        AttackTable::Joined { read } => HELD.with(|h| h.borrow_mut().take_joined(read)),
    }
}

/// The table sent for an attack, with its float columns (attached as typed arrays) put back.
fn with_float_columns(
    mut table: ReferenceTable,
    floats: &JsValue,
) -> Result<ReferenceTable, String> {
    let columns = float_columns(floats).map_err(|e| format!("the table sent to attack: {e}"))?;
    if !table.put_float_columns(columns) {
        return Err("the table sent to attack: its columns do not fit it".into());
    }
    Ok(table)
}

/// Runs the tasks handed off, one per step, yielding between steps so that a cancel is heard;
/// `None` when cancelled.
async fn run_attack(job: AttackJob) -> Option<Vec<TaskResult>> {
    let AttackJob {
        job,
        table,
        settings,
        tasks,
    } = job;
    let mut run = ReferenceAttackRun::of_tasks(&table, settings, tasks);
    loop {
        crate::worker::event_loop::yield_to_event_loop().await;
        if CANCELLED.get() == Some(job) {
            return None;
        }
        if run.step() {
            break;
        }
    }
    Some(run.results())
}

/// Scores the pairs, yielding every [`SCORE_YIELD_MS`] to hear a cancel; `None` if cancelled.
async fn score_pairs(job: ScoreJob) -> Option<Vec<PairFigures>> {
    let mut scorer = PairScorer::default();
    let mut pairs = Vec::with_capacity(job.rows.len());
    let mut yielded = js_sys::Date::now();
    for row in &job.rows {
        pairs.push(scorer.score(row, job.span));
        if js_sys::Date::now() - yielded >= SCORE_YIELD_MS {
            crate::worker::event_loop::yield_to_event_loop().await;
            if CANCELLED.get() == Some(job.job) {
                return None;
            }
            yielded = js_sys::Date::now();
        }
    }
    Some(pairs)
}

/// How long the part worker scores pairs between looks at its messages.
const SCORE_YIELD_MS: f64 = 50.0;

/// Sends a part: its float columns as typed arrays (copied out), the rest serialized; every
/// buffer is transferred. A reference-attack table's part is then kept for an attack on the
/// whole table ([`Held`]).
fn send_and_hold(job: PartJobId, mut part: ReadPart) -> Result<(), JsValue> {
    let columns = part.take_float_columns();
    let (floats, buffers) = float_arrays(&columns);
    let message = FromPartWorker::Part { job, part };
    let (msg, transfer) = encode(&message, &floats).map_err(|e| JsValue::from_str(&e))?;
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    scope.post_message_with_transfer(&msg, &transfer.concat(&buffers))?;
    if let FromPartWorker::Part {
        part: ReadPart::Reference(mut p),
        ..
    } = message
    {
        if p.put_float_columns(columns) {
            HELD.with(|h| {
                let mut h = h.borrow_mut();
                if h.read == Some(job) {
                    p.table.ids = None;
                    p.table.source_rows = Default::default();
                    h.part = Some(p.table);
                    h.join_when_whole();
                }
            });
        }
    }
    Ok(())
}

/// Sends an attack's results: each one's float columns (scores, ROC) as typed arrays, the rest
/// serialized; every buffer is transferred, not copied.
fn send_results(job: PartJobId, mut results: Vec<TaskResult>) -> Result<(), JsValue> {
    let (columns, buffers) = (js_sys::Array::new(), js_sys::Array::new());
    for r in &mut results {
        let (floats, b) = float_arrays(r.take_float_columns());
        columns.push(&floats);
        buffers.push(&b);
    }
    let (msg, transfer) = encode(&FromPartWorker::Attacked { job, results }, &columns)
        .map_err(|e| JsValue::from_str(&e))?;
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let all = buffers.iter().fold(transfer, |t, b| {
        let b: js_sys::Array = b.unchecked_into();
        t.concat(&b)
    });
    scope.post_message_with_transfer(&msg, &all)
}

/// Posts a message without attachment to the audit worker.
fn post(message: &FromPartWorker) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    if let Ok((msg, transfer)) = encode(message, &JsValue::UNDEFINED) {
        let _ = scope.post_message_with_transfer(&msg, &transfer);
    }
}

/// The next work to do; `None` once when the warm-up is asked for.
async fn next_job() -> Option<Work> {
    loop {
        if let Some(job) = QUEUE.with(|q| q.borrow_mut().pop_front()) {
            return Some(job);
        }
        if WARM_UP.replace(false) {
            return None;
        }
        let waiting = WAKE.with(|w| w.borrow_mut().wait(1_000));
        let _ = waiting.await;
    }
}

/// Reads a part in steps; `Ok(None)` when it was cancelled (or, warming up, when a real part
/// arrived).
async fn read_part(job: &PartJob, warming_up: bool) -> Result<Option<ReadPart>, String> {
    let plan = job.plan.clone();
    let mut slices = FileSlices::new(job.file.clone(), None)?;
    slices.limit_to(job.start, job.end);
    slices.read_ahead_on_helper();
    let slices = SharedSlices(Rc::new(RefCell::new(slices)));
    // The same reader type as the audit worker's (a head, here empty, then the slices), so the
    // warm-up warms the very code that reads parts.
    let input = byte_stream(Vec::new(), Box::new(slices.clone()));
    let bytes = job.end.saturating_sub(job.start);
    let mut reading = PartReading::start(plan, input, bytes)?;
    let (mut last_yield, mut last_progress) = (js_sys::Date::now(), js_sys::Date::now());
    let mut step_rows = StepRows::default();
    loop {
        slices.read_ahead().await;
        if !warming_up && crate::worker::pacing::take_injected_fault() {
            panic!("fault injected by the recovery test");
        }
        match reading.step(step_rows.next(&slices)) {
            Ok(true) => break,
            Ok(false) => {}
            Err(e) => return Err(e),
        }
        let now = js_sys::Date::now();
        if now - last_yield >= crate::worker::pacing::YIELD_EVERY_MS {
            crate::worker::event_loop::yield_to_event_loop().await;
            last_yield = now;
            let stop = if warming_up {
                QUEUE.with(|q| !q.borrow().is_empty())
            } else {
                job.job.is_some() && CANCELLED.get() == job.job
            };
            if stop {
                return Ok(None);
            }
        }
        if let (Some(id), false) = (job.job, warming_up) {
            if now - last_progress >= crate::worker::pacing::PROGRESS_EVERY_MS {
                let done = (reading.fraction_done() * bytes as f64).round() as u64;
                post(&FromPartWorker::Progress { job: id, done });
                last_progress = now;
            }
        }
    }
    Ok(Some(reading.finish()))
}

/// Reads each generated file (all but its header) as a part, as many rows as the audit worker's
/// warm-up reads, and runs every reference attack on the reference-attack one; stops when real
/// work arrives.
async fn warm_up() {
    let waiting = || QUEUE.with(|q| !q.borrow().is_empty());
    let files = crate::worker::warm_up::generated_audit_files()
        .into_iter()
        .map(|f| (f, false))
        .chain(crate::worker::warm_up::generated_reference_file().map(|f| (f, true)));
    for (file, reference) in files {
        if waiting() {
            return;
        }
        let size = file.size() as u64;
        let Ok(bytes) = read_bytes(&file, 0, size) else {
            continue;
        };
        let Some(header_end) = bytes.iter().position(|&b| b == b'\n') else {
            continue;
        };
        let head = &bytes[..=header_end];
        let plan = if reference {
            let Ok(first) = mia_engine::ingest::reader::CsvStart::bytes(head)
                .map_err(mia_engine::reference_attack::ReferenceInputError::from)
                .and_then(ReferenceRead::start)
            else {
                continue;
            };
            ReadPlan::Reference(first.part_plan())
        } else {
            let Ok(first) = IngestProgress::start(head, None) else {
                continue;
            };
            ReadPlan::Audit(first.fold_class_outputs().part_plan())
        };
        let job = PartJob {
            job: None,
            file,
            start: header_end as u64 + 1,
            end: size,
            plan,
        };
        if let Ok(Some(ReadPart::Reference(part))) = read_part(&job, true).await {
            let mut run = ReferenceAttackRun::new(&part.table, ReferenceSettings::default());
            while !waiting() && !run.step() {
                crate::worker::event_loop::yield_to_event_loop().await;
            }
        }
    }
}
