//! Reading the second half of a large upload in a second worker, on the other core.
//!
//! Parsing is the longest part of a large audit, and it splits: the audit worker reads the header
//! and the rows up to a line start near the middle of the file ([`cut_for_two_workers`]), while
//! the part worker reads the rest at the same time; the audit worker then appends that part. The
//! engine checks that the cut was a record boundary, and its tests that the joined read equals a
//! single one (`mia_engine::ingest::split`); when the cut fell inside a quoted field, or the part
//! worker failed, the file is read again in one go.
//!
//! The part worker is the audit worker's own script and wasm, started by the audit worker as it
//! starts (so while the page loads: nothing is fetched after that), from a blob that sets a flag
//! first ([`in_part_worker`]). When the audit worker warms up ([`crate::worker::warm_up`]), it has the
//! part worker warm its code up too, on the same generated files; then it waits for parts.
//!
//! It also runs the reference attack's handed-off tasks, and scores the second half of a text
//! audit's pairs while the audit worker scores the first. For the reference attack's tasks it
//! keeps the part of a reference table it read, and is sent the audit worker's rows as soon as
//! they are read (while it still reads): it joins the two while the audit worker joins them too,
//! so the whole table never crosses between the workers.
//!
//! Its messages are typed ([`crate::protocol::part`]): a read with the `File` handle attached,
//! an attack, a scoring, a cancel and the warm-up one way; progress every 250 ms, the part (its float columns attached
//! as `Float64Array`s, every buffer transferred) or why it failed the other.

pub mod serve;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};

use mia_engine::reference_attack::{AttackTask, ReferenceSettings, ReferenceTable, TaskResult};
use mia_engine::text::pairs::{PairFigures, PairRow};

use crate::protocol::part::{
    decode, encode, float_arrays, float_columns, AttackTable, FromPartWorker, PartJobId, ReadPart,
    ReadPlan, ToPartWorker,
};
use crate::worker::code::WorkerCode;
use crate::worker::io::blob_worker::{field, BlobWorker, Wake};

pub use serve::serve;

/// Bytes `start..end` of `file`, read synchronously (a worker may).
pub(crate) fn read_bytes(file: &web_sys::File, start: u64, end: u64) -> Result<Vec<u8>, JsValue> {
    let blob = file.slice_with_f64_and_f64(start as f64, end as f64)?;
    let buf = web_sys::FileReaderSync::new()?.read_as_array_buffer(&blob)?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

/// The global the blob sets before loading the worker's script.
const FLAG: &str = "MIA_PART_WORKER";

/// The two-part read's limits, the same as the CLI's (the engine's, with their reasons).
use mia_engine::ingest::split::{CUT_WINDOW, SPLIT_MIN_BYTES, SPLIT_MIN_LINE_BYTES};

/// Whether this worker was started as a part worker.
pub fn in_part_worker() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(FLAG))
        .map(|v| v.is_truthy())
        .unwrap_or(false)
}

/// Where a second worker should start reading `file`: just after the first line end from the
/// middle on, when reading in two parts pays. It pays for long lines: the hand-over copies what
/// is kept of each row (a few numbers, the id), while the parsing cost grows with the row's
/// length; on short lines (id, member, confidence, loss) both halves then wait on the file's
/// bytes and the hand-over eats the gain. `None`: one worker reads the file.
pub fn cut_for_two_workers(file: &web_sys::File, size: u64) -> Option<u64> {
    if size < SPLIT_MIN_BYTES {
        return None;
    }
    let mid = size / 2;
    let window = read_bytes(file, mid, (mid + CUT_WINDOW).min(size)).ok()?;
    let lines = window.iter().filter(|&&b| b == b'\n').count();
    if lines == 0 || window.len() / lines < SPLIT_MIN_LINE_BYTES {
        return None;
    }
    mia_engine::ingest::split::line_start_after(&window, mid, size)
}

/// The audit worker's part worker, and what it has sent.
pub struct PartWorker {
    worker: BlobWorker,
    inbox: Rc<RefCell<Inbox>>,
    next_job: Cell<PartJobId>,
}

/// What a job gave.
enum Done {
    Part(ReadPart, js_sys::Array),
    Attacked(Vec<TaskResult>),
    Scored(Vec<PairFigures>),
}

#[derive(Default)]
struct Inbox {
    job: PartJobId,
    done: u64,
    /// The current job's result: a part (its float columns apart) or an attack's results.
    result: Option<Result<Done, String>>,
    /// The worker failed: it is replaced before the next part.
    failed: bool,
    /// The worker has loaded and listens.
    ready: bool,
    /// The audit worker asked for the warm-up before this one listened.
    warm_up_wanted: bool,
    wake: Wake,
}

thread_local! {
    static PART_WORKER: RefCell<Option<Rc<PartWorker>>> = const { RefCell::new(None) };
    /// Part workers that failed: stopped, but their handlers kept (a message or error they
    /// queued before stopping must find a handler).
    static RETIRED: RefCell<Vec<Rc<PartWorker>>> = const { RefCell::new(Vec::new()) };
    /// The worker's code, read while the page loads, to replace a part worker that failed
    /// without fetching anything afterwards.
    static PART_CODE: RefCell<Option<Rc<WorkerCode>>> = const { RefCell::new(None) };
}

/// The URLs of this worker's script and wasm, from the resources it loaded.
fn own_script_urls() -> Option<(String, String)> {
    let scope: web_sys::WorkerGlobalScope = js_sys::global().dyn_into().ok()?;
    let entries = scope
        .performance()?
        .get_entries_by_type("resource")
        .to_vec();
    let wasm = entries.iter().find_map(|e| {
        let name = field(e, "name")?.as_string()?;
        let path = name.split(['?', '#']).next()?.to_string();
        path.ends_with("/worker_bg.wasm").then_some(path)
    })?;
    let js = wasm.strip_suffix("_bg.wasm")?.to_string() + ".js";
    Some((js, wasm))
}

/// Starts the part worker, as the audit worker starts (while the page loads), and keeps the
/// code in memory to replace it; nothing when it cannot start here (then one worker reads every
/// file). An audit worker started from memory (a replacement) has no script URLs to read, so it
/// reads large files alone.
pub fn start_part_worker() {
    if PART_WORKER.with(|w| w.borrow().is_none()) {
        let Some((js, wasm)) = own_script_urls() else {
            return;
        };
        let source = format!("self.{FLAG} = true; importScripts({js:?}); wasm_bindgen({wasm:?});");
        let started = PartWorker::start(|on_message, on_error| {
            BlobWorker::start(&source, on_message, on_error)
        });
        PART_WORKER.with(|w| *w.borrow_mut() = started.map(Rc::new));
        PART_CODE.with(|c| *c.borrow_mut() = Some(WorkerCode::load_pair(&js, &wasm)));
    }
}

/// A part worker started from the code in memory, in place of one that failed.
fn replace_part_worker() {
    let failed = PART_WORKER.with(|w| w.borrow().as_ref().is_some_and(|w| w.inbox.borrow().failed));
    if !failed {
        return;
    }
    let Some(url) = PART_CODE.with(|c| {
        c.borrow()
            .as_ref()?
            .blob_url(&format!("self.{FLAG} = true;\n"))
    }) else {
        return;
    };
    let started =
        PartWorker::start(|on_message, on_error| BlobWorker::start_url(url, on_message, on_error));
    if let Some(started) = started {
        let old = PART_WORKER.with(|w| w.borrow_mut().replace(Rc::new(started)));
        if let Some(old) = old {
            old.worker.terminate();
            RETIRED.with(|r| r.borrow_mut().push(old));
        }
    }
}

/// This worker's own loads have ended: the part worker has loaded its code (or failed), and the
/// code kept to replace it has been read (or could not be). Until then the worker's threads may
/// still fetch the app's own script and wasm, so the page does not yet lock its connections down.
pub fn own_loads_settled() -> bool {
    let part = PART_WORKER.with(|w| {
        w.borrow()
            .as_ref()
            .is_none_or(|w| w.inbox.borrow().ready || w.inbox.borrow().failed)
    });
    part && PART_CODE.with(|c| c.borrow().as_ref().is_none_or(|c| c.is_settled()))
}

/// Waits until [`own_loads_settled`], at most `ms` milliseconds; whether they have.
pub async fn own_loads(ms: i32) -> bool {
    let mut waited = 0;
    while !own_loads_settled() && waited < ms {
        let pause = js_sys::Promise::new(&mut |resolve, _| {
            let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
            let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(pause).await;
        waited += 50;
    }
    own_loads_settled()
}

/// Has the part worker warm its code up (once), now or as soon as it listens.
pub fn warm_up_part_worker() {
    let Some(w) = PART_WORKER.with(|w| w.borrow().clone()) else {
        return;
    };
    let ready = {
        let mut inbox = w.inbox.borrow_mut();
        inbox.warm_up_wanted = !inbox.ready;
        inbox.ready
    };
    if ready {
        let _ = w.send(&ToPartWorker::WarmUp, &JsValue::UNDEFINED);
    }
}

/// How long a large read waits for a replacement part worker that is still loading.
const REPLACEMENT_WAIT_MS: i32 = 3_000;

/// The part worker once it listens: a replacement still loading (the one before failed during
/// an earlier read) is waited for, up to [`REPLACEMENT_WAIT_MS`], so that the next large file is
/// read by two workers whatever the machine's load.
pub async fn part_worker_when_ready() -> Option<Rc<PartWorker>> {
    if let Some(w) = part_worker() {
        return Some(w);
    }
    let loading = PART_WORKER.with(|w| w.borrow().clone())?;
    let waiting = {
        let mut inbox = loading.inbox.borrow_mut();
        (!inbox.ready && !inbox.failed).then(|| inbox.wake.wait(REPLACEMENT_WAIT_MS))
    };
    if let Some(w) = waiting {
        let _ = w.await;
    }
    part_worker()
}

/// The part worker, when it is running and listening (a replacement still loading is not).
pub fn part_worker() -> Option<Rc<PartWorker>> {
    let current = PART_WORKER.with(|w| w.borrow().clone())?;
    let inbox = current.inbox.borrow();
    if inbox.failed {
        drop(inbox);
        replace_part_worker();
        return None;
    }
    let ready = inbox.ready;
    drop(inbox);
    ready.then_some(current)
}

impl PartWorker {
    fn start(
        launch: impl FnOnce(
            Box<dyn FnMut(web_sys::MessageEvent)>,
            Box<dyn FnMut(web_sys::Event)>,
        ) -> Option<BlobWorker>,
    ) -> Option<PartWorker> {
        let inbox = Rc::new(RefCell::new(Inbox::default()));
        let (delivered, failed) = (inbox.clone(), inbox.clone());
        let on_message = move |e: web_sys::MessageEvent| {
            let mut inbox = delivered.borrow_mut();
            let (message, attachment) = match decode::<FromPartWorker>(&e.data()) {
                Ok(decoded) => decoded,
                Err(e) => {
                    inbox.result = Some(Err(format!("the part arrived damaged: {e}")));
                    inbox.wake.wake();
                    return;
                }
            };
            match message {
                FromPartWorker::Ready => {
                    inbox.ready = true;
                    if inbox.warm_up_wanted {
                        wasm_bindgen_futures::spawn_local(async { warm_up_part_worker() });
                    }
                    // A read waiting for a replacement to load goes on.
                    inbox.wake.wake();
                    return;
                }
                FromPartWorker::Progress { job, done } if job == inbox.job => inbox.done = done,
                FromPartWorker::Part { job, part } if job == inbox.job => {
                    inbox.result = Some(match attachment.dyn_into::<js_sys::Array>() {
                        Ok(floats) => Ok(Done::Part(part, floats)),
                        Err(_) => Err("the part's columns did not arrive".to_string()),
                    });
                }
                FromPartWorker::Attacked { job, results } if job == inbox.job => {
                    inbox.result = Some(with_float_columns(results, &attachment));
                }
                FromPartWorker::Scored { job, pairs } if job == inbox.job => {
                    inbox.result = Some(Ok(Done::Scored(pairs)));
                }
                FromPartWorker::Failed { job, message } if job.is_none_or(|j| j == inbox.job) => {
                    inbox.result = Some(Err(message));
                }
                FromPartWorker::Died { message } => {
                    inbox.failed = true;
                    inbox.result = Some(Err(message));
                    // Replaced at once (after this handler returns), so it has loaded by the
                    // next large file.
                    wasm_bindgen_futures::spawn_local(async {
                        replace_part_worker();
                    });
                }
                _ => return,
            }
            inbox.wake.wake();
        };
        let on_error = move |_: web_sys::Event| {
            let mut inbox = failed.borrow_mut();
            inbox.failed = true;
            inbox.result = Some(Err("the part worker stopped".into()));
            inbox.wake.wake();
        };
        Some(PartWorker {
            worker: launch(Box::new(on_message), Box::new(on_error))?,
            inbox,
            next_job: Cell::new(1),
        })
    }

    /// Sends `message` with `attachment` (a `File`, or `undefined`).
    fn send(&self, message: &ToPartWorker, attachment: &JsValue) -> Result<(), JsValue> {
        let (msg, transfer) = encode(message, attachment).map_err(|e| JsValue::from_str(&e))?;
        self.worker.post_with_transfer(&msg, &transfer)
    }

    /// Sends `message` with `columns` attached as typed arrays (one copy each, their buffers
    /// transferred).
    fn send_with_columns(&self, message: &ToPartWorker, columns: &[&[f64]]) -> Result<(), JsValue> {
        let (floats, buffers) = float_arrays(columns);
        let (msg, transfer) = encode(message, &floats).map_err(|e| JsValue::from_str(&e))?;
        self.worker
            .post_with_transfer(&msg, &transfer.concat(&buffers))
    }

    /// Numbers a new job; the inbox waits for its messages only.
    fn new_job(&self) -> PartJobId {
        let job = self.next_job.get();
        self.next_job.set(job + 1);
        let mut inbox = self.inbox.borrow_mut();
        inbox.job = job;
        inbox.done = 0;
        inbox.result = None;
        job
    }

    /// Has `tasks` of a reference-attack run (its
    /// [hand-off](mia_engine::reference_attack::ReferenceAttackRun::hand_off)) run
    /// on `table`: the part worker's own if it holds it (`held`: the read in two parts whose
    /// rows it was sent with [`hold_rows`](Self::hold_rows)), else a copy: the float columns
    /// cross as typed arrays (one copy, transferred), the rest in bincode without the ids and
    /// row numbers, which no task reads.
    pub fn attack(
        self: &Rc<Self>,
        table: &ReferenceTable,
        held: Option<PartJobId>,
        settings: ReferenceSettings,
        tasks: Vec<AttackTask>,
    ) -> Option<PartAttack> {
        let job = self.new_job();
        let (table, columns) = match held {
            Some(read) => (AttackTable::Joined { read }, Vec::new()),
            None => (
                AttackTable::Sent(Box::new(table.without_float_columns())),
                table.float_columns(),
            ),
        };
        let message = ToPartWorker::Attack {
            job,
            table,
            settings,
            tasks,
        };
        self.send_with_columns(&message, &columns).ok()?;
        Some(PartTask::new(self, job, attacked))
    }

    /// Sends `table`, the rows read here before the part `read` is reading (a reference-attack
    /// table's), for the part worker to keep with its part: a later [`attack`](Self::attack) on
    /// the joined table then sends nothing but the tasks. `false` if it could not be sent.
    pub fn hold_rows(&self, read: &PartRead, table: &ReferenceTable) -> bool {
        let message = ToPartWorker::Rows {
            job: read.job(),
            table: Box::new(table.without_float_columns()),
        };
        self.send_with_columns(&message, &table.float_columns())
            .is_ok()
    }

    /// Has `rows` (a text audit's last pairs) scored with `span` as the extracted length.
    pub fn score_pairs(self: &Rc<Self>, rows: &[PairRow], span: usize) -> Option<PartScoring> {
        let job = self.new_job();
        let message = ToPartWorker::ScorePairs {
            job,
            rows: rows.to_vec(),
            span,
        };
        self.send(&message, &JsValue::UNDEFINED).ok()?;
        Some(PartTask::new(self, job, scored))
    }

    /// Waits at most `ms` for the current job's result and takes it (`None`: not yet).
    async fn wait(&self, ms: i32) -> Option<Result<Done, String>> {
        let waiting = {
            let mut inbox = self.inbox.borrow_mut();
            inbox.result.is_none().then(|| inbox.wake.wait(ms))
        };
        if let Some(w) = waiting {
            let _ = w.await;
        }
        self.inbox.borrow_mut().result.take()
    }

    /// Has `file` read from `start` (a line start) to its end with `plan`.
    pub fn read(
        self: &Rc<Self>,
        file: &web_sys::File,
        start: u64,
        plan: &ReadPlan,
    ) -> Option<PartRead> {
        let job = self.new_job();
        let end = file.size() as u64;
        let read = ToPartWorker::Read {
            job,
            start,
            end,
            plan: plan.clone(),
        };
        self.send(&read, file).ok()?;
        Some(PartRead {
            task: PartTask::new(self, job, read_part),
            end,
        })
    }
}

/// Work handed to the part worker (a read, an attack, a scoring), whose result is a `T`; dropped
/// before its result is taken, it is cancelled.
pub struct PartTask<T> {
    worker: Rc<PartWorker>,
    job: PartJobId,
    finished: Cell<bool>,
    /// The `T` of the job's result, or why there is none.
    result_of: fn(Done) -> Result<T, String>,
}

impl<T> PartTask<T> {
    fn new(
        worker: &Rc<PartWorker>,
        job: PartJobId,
        result_of: fn(Done) -> Result<T, String>,
    ) -> Self {
        PartTask {
            worker: worker.clone(),
            job,
            finished: Cell::new(false),
            result_of,
        }
    }

    /// The result, once there: waits at most `ms` for it (`None`: not yet).
    pub async fn wait(&self, ms: i32) -> Option<Result<T, String>> {
        let result = self.worker.wait(ms).await?;
        self.finished.set(true);
        Some(result.and_then(self.result_of))
    }
}

impl<T> Drop for PartTask<T> {
    fn drop(&mut self) {
        if !self.finished.get() {
            let _ = self
                .worker
                .send(&ToPartWorker::Cancel { job: self.job }, &JsValue::UNDEFINED);
        }
    }
}

/// What another job's result says.
const OTHER_JOB: &str = "the part worker sent another job's result";

/// A part being read by the part worker.
pub struct PartRead {
    task: PartTask<ReadPart>,
    end: u64,
}

impl PartRead {
    /// The read's number.
    pub fn job(&self) -> PartJobId {
        self.task.job
    }

    /// The fraction of the whole file the part worker has read.
    pub fn fraction_of_file(&self) -> f64 {
        let inbox = self.task.worker.inbox.borrow();
        if self.end > 0 {
            inbox.done as f64 / self.end as f64
        } else {
            0.0
        }
    }

    /// The part, once read: waits at most `ms` for it (`None`: not yet).
    pub async fn wait(&self, ms: i32) -> Option<Result<ReadPart, String>> {
        self.task.wait(ms).await
    }
}

/// A part read, its float columns (attached) put back.
fn read_part(done: Done) -> Result<ReadPart, String> {
    let Done::Part(mut part, floats) = done else {
        return Err(OTHER_JOB.into());
    };
    let columns = float_columns(&floats).map_err(|e| format!("the part: {e}"))?;
    if !part.put_float_columns(columns) {
        return Err("the part's columns do not fit its table".into());
    }
    Ok(part)
}

/// An attack's results with their float columns (attached, one array per result) put back.
fn with_float_columns(mut results: Vec<TaskResult>, attachment: &JsValue) -> Result<Done, String> {
    let arrays: &js_sys::Array = attachment
        .dyn_ref()
        .ok_or("the attack's results came without their columns")?;
    if arrays.length() as usize != results.len() {
        return Err("the attack's results came with other columns".into());
    }
    for (r, a) in results.iter_mut().zip(arrays.iter()) {
        let columns = float_columns(&a).map_err(|e| format!("the attack's results: {e}"))?;
        if !r.put_float_columns(columns) {
            return Err("the attack's results do not fit their columns".into());
        }
    }
    Ok(Done::Attacked(results))
}

/// Reference-attack tasks being run by the part worker.
pub type PartAttack = PartTask<Vec<TaskResult>>;

fn attacked(done: Done) -> Result<Vec<TaskResult>, String> {
    match done {
        Done::Attacked(results) => Ok(results),
        _ => Err(OTHER_JOB.into()),
    }
}

/// Pairs being scored by the part worker.
pub type PartScoring = PartTask<Vec<PairFigures>>;

fn scored(done: Done) -> Result<Vec<PairFigures>, String> {
    match done {
        Done::Scored(pairs) => Ok(pairs),
        _ => Err(OTHER_JOB.into()),
    }
}
