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
//! Messages are plain objects:
//! - to the part worker: `{job, file, start, end, plan}` (`plan`: a bincode [`PartPlan`]),
//!   `{cancel: job}` and `{warm_up: true}`;
//! - from it: `{job, done}` (bytes read so far, every 250 ms), `{job, part, floats}` (the
//!   [`IngestedPart`]'s float columns as `Float64Array`s, the rest in bincode, every buffer
//!   transferred) or `{job, error}`.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io::Read;
use std::rc::Rc;

use mia_engine::ingest::split::{IngestedPart, PartPlan};
use mia_engine::IngestProgress;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::worker::io::blob_worker::{field, message, BlobWorker, Wake};
use crate::worker::io::file_slices::{FileSlices, SharedSlices};

/// The global the blob sets before loading the worker's script.
const FLAG: &str = "MIA_PART_WORKER";

/// Files smaller than this are read by one worker: below it the second worker's start and the
/// hand-over cost more than they save.
pub const SPLIT_MIN_BYTES: u64 = 16 << 20;

/// Lines shorter than this on average are read by one worker (see [`cut_for_two_workers`]).
pub const SPLIT_MIN_LINE_BYTES: usize = 64;

/// Bytes looked at from the middle of the file for a line end to cut at.
const CUT_WINDOW: u64 = 1 << 20;

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

// ---------------------------------------------------------------------------------------------
// The part worker's side.

/// A part to read.
struct PartJob {
    job: f64,
    file: web_sys::File,
    start: u64,
    end: u64,
    plan: Vec<u8>,
}

thread_local! {
    /// Parts received and not yet read.
    static QUEUE: RefCell<VecDeque<PartJob>> = const { RefCell::new(VecDeque::new()) };
    /// The last job the audit worker cancelled.
    static CANCELLED: Cell<f64> = const { Cell::new(-1.0) };
    /// Whether the audit worker asked for the warm-up.
    static WARM_UP: Cell<bool> = const { Cell::new(false) };
    /// Resolves the wait for the next part.
    static WAKE: RefCell<Wake> = RefCell::new(Wake::default());
}

/// Runs this worker as a part worker: warms up, then reads the parts it is sent.
pub fn serve() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|e: web_sys::MessageEvent| {
            let data = e.data();
            if let Some(job) = field(&data, "cancel").and_then(|v| v.as_f64()) {
                CANCELLED.set(job);
                return;
            }
            if field(&data, "warm_up").is_some() {
                WARM_UP.set(true);
                WAKE.with(|w| w.borrow_mut().wake());
                return;
            }
            let job = (|| {
                Some(PartJob {
                    job: field(&data, "job")?.as_f64()?,
                    file: field(&data, "file")?.dyn_into().ok()?,
                    start: field(&data, "start")?.as_f64()? as u64,
                    end: field(&data, "end")?.as_f64()? as u64,
                    plan: field(&data, "plan")?
                        .dyn_into::<js_sys::Uint8Array>()
                        .ok()?
                        .to_vec(),
                })
            })();
            match job {
                Some(job) => {
                    QUEUE.with(|q| q.borrow_mut().push_back(job));
                    WAKE.with(|w| w.borrow_mut().wake());
                }
                None => post(&message(&[(
                    "error",
                    &JsValue::from_str("the part worker got a message it cannot read"),
                )])),
            }
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    wasm_bindgen_futures::spawn_local(async {
        loop {
            let Some(job) = next_job().await else {
                warm_up().await;
                continue;
            };
            let outcome = read_part(&job, false).await;
            let jid = JsValue::from_f64(job.job);
            match outcome {
                Ok(Some(part)) => {
                    if send_part(&jid, part).is_err() {
                        post(&message(&[
                            ("job", &jid),
                            ("error", &JsValue::from_str("the part could not be sent")),
                        ]));
                    }
                }
                Ok(None) => {}
                Err(problem) => post(&message(&[
                    ("job", &jid),
                    ("error", &JsValue::from_str(&problem)),
                ])),
            }
        }
    });
}

/// Sends a part: its float columns as typed arrays, the rest serialized; every buffer is
/// transferred, not copied.
fn send_part(jid: &JsValue, mut part: IngestedPart) -> Result<(), JsValue> {
    let floats = js_sys::Array::new();
    let transfer = js_sys::Array::new();
    for column in part.take_float_columns() {
        let array = js_sys::Float64Array::from(column.as_slice());
        transfer.push(&array.buffer());
        floats.push(&array);
    }
    let bytes = bincode::serialize(&part).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let rest = js_sys::Uint8Array::from(bytes.as_slice());
    transfer.push(&rest.buffer());
    let msg = message(&[("job", jid), ("part", &rest), ("floats", &floats)]);
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    scope.post_message_with_transfer(&msg, &transfer)
}

fn post(msg: &JsValue) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let _ = scope.post_message(msg);
}

/// The next part to read; `None` once when the warm-up is asked for.
async fn next_job() -> Option<PartJob> {
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
async fn read_part(job: &PartJob, warming_up: bool) -> Result<Option<IngestedPart>, String> {
    let plan: PartPlan = bincode::deserialize(&job.plan)
        .map_err(|e| format!("the part worker could not read its plan: {e}"))?;
    let mut slices = FileSlices::new(job.file.clone(), None)?;
    slices.limit_to(job.start, job.end);
    slices.read_ahead_on_helper();
    let slices = SharedSlices(Rc::new(RefCell::new(slices)));
    // The same reader type as the audit worker's (a head, here empty, then the slices), so the
    // warm-up warms the very code that reads parts.
    let input = std::io::Cursor::new(Vec::new()).chain(slices.clone());
    let bytes = job.end.saturating_sub(job.start);
    let mut reading = IngestProgress::start_part(plan, input, bytes);
    let (mut last_yield, mut last_progress) = (js_sys::Date::now(), js_sys::Date::now());
    loop {
        slices.read_ahead().await;
        match reading.step(crate::worker::pacing::ROWS_PER_STEP) {
            Ok(true) => break,
            Ok(false) => {}
            Err(e) => return Err(e.to_string()),
        }
        let now = js_sys::Date::now();
        if now - last_yield >= crate::worker::pacing::YIELD_EVERY_MS {
            crate::worker::event_loop::yield_to_event_loop().await;
            last_yield = now;
            let stop = if warming_up {
                QUEUE.with(|q| !q.borrow().is_empty())
            } else {
                CANCELLED.get() == job.job
            };
            if stop {
                return Ok(None);
            }
        }
        if !warming_up && now - last_progress >= crate::worker::pacing::PROGRESS_EVERY_MS {
            let done = (reading.fraction_done() * bytes as f64).round();
            post(&message(&[
                ("job", &JsValue::from_f64(job.job)),
                ("done", &JsValue::from_f64(done)),
            ]));
            last_progress = now;
        }
    }
    Ok(Some(reading.finish_part()))
}

/// Reads each generated file (all but its header) as a part, as many rows as the audit worker's
/// warm-up reads; stops when a real part arrives.
async fn warm_up() {
    for file in crate::worker::warm_up::generated_audit_files() {
        if QUEUE.with(|q| !q.borrow().is_empty()) {
            return;
        }
        let size = file.size() as u64;
        let Ok(bytes) = read_bytes(&file, 0, size) else {
            continue;
        };
        let Some(header_end) = bytes.iter().position(|&b| b == b'\n') else {
            continue;
        };
        let Ok(first) = IngestProgress::start(&bytes[..=header_end], None) else {
            continue;
        };
        let plan = first.fold_class_outputs().part_plan();
        let job = PartJob {
            job: -2.0,
            file,
            start: header_end as u64 + 1,
            end: size,
            plan: bincode::serialize(&plan).unwrap_or_default(),
        };
        let _ = read_part(&job, true).await;
    }
}

fn read_bytes(file: &web_sys::File, start: u64, end: u64) -> Result<Vec<u8>, JsValue> {
    let blob = file.slice_with_f64_and_f64(start as f64, end as f64)?;
    let buf = web_sys::FileReaderSync::new()?.read_as_array_buffer(&blob)?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

// ---------------------------------------------------------------------------------------------
// The audit worker's side.

/// The audit worker's part worker, and what it has sent.
pub struct PartWorker {
    worker: BlobWorker,
    inbox: Rc<RefCell<Inbox>>,
    next_job: Cell<f64>,
}

#[derive(Default)]
struct Inbox {
    job: f64,
    done: f64,
    /// The part: serialized, and its float columns apart.
    result: Option<Result<(js_sys::Uint8Array, js_sys::Array), String>>,
    /// The worker failed: it is replaced before the next part.
    failed: bool,
    wake: Wake,
}

thread_local! {
    static PART_WORKER: RefCell<Option<Rc<PartWorker>>> = const { RefCell::new(None) };
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

/// Starts the part worker, as the audit worker starts (while the page loads); nothing when it
/// cannot start here (then one worker reads every file). A part worker that failed is not
/// replaced: that would load the script again after the page has loaded.
pub fn start_part_worker() {
    if PART_WORKER.with(|w| w.borrow().is_none()) {
        let started = PartWorker::start();
        PART_WORKER.with(|w| *w.borrow_mut() = started.map(Rc::new));
    }
}

/// Has the part worker warm its code up (once).
pub fn warm_up_part_worker() {
    if let Some(w) = part_worker() {
        let _ = w.worker.post(&message(&[("warm_up", &JsValue::TRUE)]));
    }
}

/// The part worker, when it is running.
pub fn part_worker() -> Option<Rc<PartWorker>> {
    PART_WORKER
        .with(|w| w.borrow().clone())
        .filter(|w| !w.inbox.borrow().failed)
}

impl PartWorker {
    fn start() -> Option<PartWorker> {
        let (js, wasm) = own_script_urls()?;
        let source = format!("self.{FLAG} = true; importScripts({js:?}); wasm_bindgen({wasm:?});");
        let inbox = Rc::new(RefCell::new(Inbox::default()));
        let (delivered, failed) = (inbox.clone(), inbox.clone());
        let on_message = move |e: web_sys::MessageEvent| {
            let data = e.data();
            let mut inbox = delivered.borrow_mut();
            if field(&data, "job").and_then(|v| v.as_f64()) != Some(inbox.job) {
                return;
            }
            if let Some(done) = field(&data, "done").and_then(|v| v.as_f64()) {
                inbox.done = done;
            } else if let Some(part) = field(&data, "part") {
                let floats =
                    field(&data, "floats").and_then(|v| v.dyn_into::<js_sys::Array>().ok());
                inbox.result = Some(match (part.dyn_into(), floats) {
                    (Ok(part), Some(floats)) => Ok((part, floats)),
                    _ => Err("the part arrived damaged".to_string()),
                });
            } else {
                let message = field(&data, "error").and_then(|v| v.as_string());
                inbox.result = Some(Err(message.unwrap_or_default()));
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
            worker: BlobWorker::start(&source, on_message, on_error)?,
            inbox,
            next_job: Cell::new(1.0),
        })
    }

    /// Has `file` read from `start` (a line start) to its end with `plan`.
    pub fn read(
        self: &Rc<Self>,
        file: &web_sys::File,
        start: u64,
        plan: &PartPlan,
    ) -> Option<PartRead> {
        let job = self.next_job.get();
        self.next_job.set(job + 1.0);
        {
            let mut inbox = self.inbox.borrow_mut();
            inbox.job = job;
            inbox.done = 0.0;
            inbox.result = None;
        }
        let end = file.size();
        let plan = js_sys::Uint8Array::from(bincode::serialize(plan).ok()?.as_slice());
        let msg = message(&[
            ("job", &JsValue::from_f64(job)),
            ("file", file),
            ("start", &JsValue::from_f64(start as f64)),
            ("end", &JsValue::from_f64(end)),
            ("plan", &plan),
        ]);
        self.worker.post(&msg).ok()?;
        Some(PartRead {
            worker: self.clone(),
            job,
            end,
            finished: Cell::new(false),
        })
    }
}

/// A part being read by the part worker; dropped before its result is taken, it is cancelled.
pub struct PartRead {
    worker: Rc<PartWorker>,
    job: f64,
    end: f64,
    finished: Cell<bool>,
}

impl PartRead {
    /// The fraction of the whole file the part worker has read.
    pub fn fraction_of_file(&self) -> f64 {
        let inbox = self.worker.inbox.borrow();
        if self.end > 0.0 {
            inbox.done / self.end
        } else {
            0.0
        }
    }

    /// The part, once read: waits at most `ms` for it (`None`: not yet).
    pub async fn wait(&self, ms: i32) -> Option<Result<IngestedPart, String>> {
        let waiting = {
            let mut inbox = self.worker.inbox.borrow_mut();
            if inbox.result.is_none() {
                Some(inbox.wake.wait(ms))
            } else {
                None
            }
        };
        if let Some(w) = waiting {
            let _ = w.await;
        }
        let result = self.worker.inbox.borrow_mut().result.take()?;
        self.finished.set(true);
        Some(result.and_then(|(rest, floats)| {
            let mut part: IngestedPart = bincode::deserialize(&rest.to_vec())
                .map_err(|e| format!("the part could not be read: {e}"))?;
            let columns = floats
                .iter()
                .map(|a| a.dyn_into::<js_sys::Float64Array>().map(|a| a.to_vec()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| "the part's columns arrived damaged".to_string())?;
            if !part.put_float_columns(columns) {
                return Err("the part's columns do not fit its table".into());
            }
            Ok(part)
        }))
    }
}

impl Drop for PartRead {
    fn drop(&mut self) {
        if !self.finished.get() {
            let _ = self
                .worker
                .worker
                .post(&message(&[("cancel", &JsValue::from_f64(self.job))]));
        }
    }
}
