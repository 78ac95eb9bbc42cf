//! How a job shares the worker: the constants and primitives every job uses to yield, report
//! progress and notice a cancel or a newer request from its page, and the two-part read's limits.

use futures::{FutureExt, SinkExt, StreamExt};
use yew_agent::prelude::*;

use crate::protocol::job::{EventKind, JobError, JobId, JobOutcome, Stage, WorkerEvent};
use crate::protocol::WorkerRequest;

/// Rows parsed between two looks at the clock.
pub const ROWS_PER_STEP: usize = 10_000;
/// How long the worker computes between looks at its inbox (cancel), in ms.
pub const YIELD_EVERY_MS: f64 = 50.0;
/// How often a long read reports its progress, in ms: each report costs the page a render,
/// and on two cores that time is taken from the worker.
pub const PROGRESS_EVERY_MS: f64 = 250.0;
/// ROC points sent to the page per signal: enough to draw and to move the threshold smoothly,
/// while the message stays small for millions of records. The headline figures are computed
/// on the full curve before thinning.
pub const ROC_POINTS_SENT: usize = 4_000;

/// One page's channel to the worker (each page's bridge has a reactor of its own).
pub type Scope = ReactorScope<WorkerRequest, WorkerEvent>;

/// What a job gives: its outcome, or why there is none.
pub type JobResult = Result<JobOutcome, JobError>;

/// Why a job stopped early.
pub enum Stop {
    Cancelled,
    /// A newer request from the same page arrived; it replaces this job.
    Superseded(Box<WorkerRequest>),
    /// The page closed its channel.
    Closed,
}

thread_local! {
    static PANIC_AT_CHECKPOINT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Fault injection for the end-to-end recovery test (called from the test's devtools session,
/// never by the page): the running job panics at its next checkpoint, as a worker that fails
/// would, so the test sees the page replace the worker and end the job with a clear error.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn mia_fault_panic_at_next_checkpoint() {
    PANIC_AT_CHECKPOINT.set(true);
}

/// Whether a fault was injected (and clears it); the part worker looks too.
pub fn take_injected_fault() -> bool {
    PANIC_AT_CHECKPOINT.replace(false)
}

/// The worker's WebAssembly memory, in bytes (it only grows).
pub fn memory_bytes() -> u64 {
    use wasm_bindgen::JsCast;
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()
        .and_then(|m| m.buffer().dyn_into::<js_sys::ArrayBuffer>().ok())
        .map_or(0, |b| b.byte_length() as u64)
}

/// What the page asked for at a checkpoint, besides stopping.
enum Asked {
    Nothing,
    Pause,
}

/// Yields to the worker's event loop, then looks at what the page sent meanwhile.
async fn look(scope: &mut Scope, job: JobId) -> Result<Asked, Stop> {
    crate::worker::event_loop::yield_to_event_loop().await;
    if take_injected_fault() {
        panic!("fault injected by the recovery test");
    }
    match scope.next().now_or_never() {
        None => Ok(Asked::Nothing),
        Some(request) => answer(request, job),
    }
}

/// What `request` (the next message from the page, `None` once it closed its channel) means for
/// job `job`.
fn answer(request: Option<WorkerRequest>, job: JobId) -> Result<Asked, Stop> {
    match request {
        None => Err(Stop::Closed),
        Some(WorkerRequest::Cancel { job: j }) if j == job => Err(Stop::Cancelled),
        Some(WorkerRequest::Pause { job: j }) if j == job => Ok(Asked::Pause),
        // Meant for a job that has ended, or a resume of a job that is not held.
        Some(
            WorkerRequest::Cancel { .. }
            | WorkerRequest::Pause { .. }
            | WorkerRequest::Resume { .. },
        ) => Ok(Asked::Nothing),
        Some(req @ WorkerRequest::Run { .. }) => Err(Stop::Superseded(Box::new(req))),
    }
}

/// Yields to the worker's event loop, then looks at what the page sent meanwhile (a pause is
/// ignored here: see [`progress_pausable`]).
pub async fn checkpoint(scope: &mut Scope, job: JobId) -> Result<(), Stop> {
    look(scope, job).await.map(|_| ())
}

/// Sends `kind` for `job` with the worker's memory and whether its own loads have ended; that
/// flag.
pub async fn send(scope: &mut Scope, job: JobId, kind: EventKind) -> bool {
    let loaded = crate::worker::part::own_loads_settled();
    let _ = scope
        .send(WorkerEvent {
            job,
            kind,
            memory: memory_bytes(),
            loaded,
        })
        .await;
    loaded
}

/// Reports progress, then [`checkpoint`]s.
pub async fn progress(
    scope: &mut Scope,
    job: JobId,
    stage: Stage,
    fraction: f64,
) -> Result<(), Stop> {
    send(scope, job, EventKind::Progress { stage, fraction }).await;
    checkpoint(scope, job).await
}

/// Sends what the job has produced so far, for the page to show while the job goes on.
pub async fn interim(scope: &mut Scope, job: JobId, outcome: JobOutcome) {
    send(scope, job, EventKind::Interim(outcome)).await;
}

/// [`progress`] for a job that can be held: when the page asks to pause, the job's state as
/// `snapshot` gives it is sent (so the page shows exactly where it stopped), and the job waits,
/// its state kept, until the page resumes it, cancels it or sends a newer request.
pub async fn progress_pausable(
    scope: &mut Scope,
    job: JobId,
    stage: Stage,
    fraction: f64,
    snapshot: impl FnOnce() -> JobOutcome,
) -> Result<(), Stop> {
    send(scope, job, EventKind::Progress { stage, fraction }).await;
    if let Asked::Nothing = look(scope, job).await? {
        return Ok(());
    }
    interim(scope, job, snapshot()).await;
    send(scope, job, EventKind::Paused(true)).await;
    loop {
        let request = scope.next().await;
        if let Some(WorkerRequest::Resume { job: j }) = request {
            if j == job {
                send(scope, job, EventKind::Paused(false)).await;
                return Ok(());
            }
            continue;
        }
        answer(request, job)?;
    }
}
