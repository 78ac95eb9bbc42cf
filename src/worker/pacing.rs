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

/// Yields to the worker's event loop, then looks at what the page sent meanwhile.
pub async fn checkpoint(scope: &mut Scope, job: JobId) -> Result<(), Stop> {
    crate::worker::event_loop::yield_to_event_loop().await;
    if take_injected_fault() {
        panic!("fault injected by the recovery test");
    }
    match scope.next().now_or_never() {
        None => Ok(()),
        Some(None) => Err(Stop::Closed),
        Some(Some(WorkerRequest::Cancel { job: j })) if j == job => Err(Stop::Cancelled),
        Some(Some(WorkerRequest::Cancel { .. })) => Ok(()),
        Some(Some(req)) => Err(Stop::Superseded(Box::new(req))),
    }
}

/// Reports progress, then [`checkpoint`]s.
pub async fn progress(
    scope: &mut Scope,
    job: JobId,
    stage: Stage,
    fraction: f64,
) -> Result<(), Stop> {
    let _ = scope
        .send(WorkerEvent {
            job,
            kind: EventKind::Progress { stage, fraction },
            memory: memory_bytes(),
        })
        .await;
    checkpoint(scope, job).await
}
