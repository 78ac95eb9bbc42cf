//! The audit worker's message loop. Each page's bridge gets a reactor of its own, so one page's
//! job never stops another's: they share the worker's thread, taking turns at every checkpoint.
//! A newer request from the same page replaces its running job.
//!
//! The bundled samples are compiled into the worker, so loading one makes no network request.

use yew_agent::prelude::*;

use crate::protocol::job::{EventKind, JobRequest, WorkerEvent, WorkerRequest};
use crate::worker::jobs;
use crate::worker::pacing::{JobResult, Scope, Stop};

thread_local! {
    /// Whether a reactor of this worker has started the warm-up.
    static WARMED_UP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// What one page's reactor keeps between its jobs.
#[derive(Default)]
struct Caches {
    sweep: jobs::simulate::SweepCache,
    restrict: jobs::restrict::RestrictCache,
}

async fn run_job(
    scope: &mut Scope,
    job: u32,
    request: JobRequest,
    caches: &mut Caches,
) -> Result<JobResult, Stop> {
    match request {
        JobRequest::Audit(r) => jobs::audit::run(scope, job, r).await,
        JobRequest::Simulate(p) => jobs::simulate::run(scope, job, p, &mut caches.sweep).await,
        JobRequest::Shadow(r) => jobs::shadow::run(scope, job, r).await,
        JobRequest::Lira(r) => jobs::lira::run(scope, job, r).await,
        JobRequest::Restrict(r) => jobs::restrict::run(scope, job, r, &mut caches.restrict).await,
        JobRequest::Train(r) => jobs::train::run(scope, job, *r).await,
        JobRequest::Unlearn(r) => jobs::unlearn::run(scope, job, r).await,
        JobRequest::Text(r) => jobs::text::run(scope, job, r).await,
        JobRequest::Monitor(r) => jobs::monitor::run(scope, job, r).await,
    }
}

/// The worker's message loop, one per page.
#[reactor]
pub async fn AuditReactor(mut scope: ReactorScope<WorkerRequest, WorkerEvent>) {
    let mut caches = Caches::default();
    let mut next = futures::StreamExt::next(&mut scope).await;
    while let Some(req) = next.take() {
        let WorkerRequest::Run { job, request } = req else {
            // A cancel, pause or resume for a job that has ended.
            next = futures::StreamExt::next(&mut scope).await;
            continue;
        };
        let kind = match run_job(&mut scope, job, request, &mut caches).await {
            Ok(Ok(outcome)) => EventKind::Finished(outcome),
            Ok(Err(error)) => EventKind::Failed(error),
            Err(Stop::Cancelled) => EventKind::Cancelled,
            Err(Stop::Superseded(req)) => {
                next = Some(*req);
                continue;
            }
            Err(Stop::Closed) => return,
        };
        let loaded = crate::worker::pacing::send(&mut scope, job, kind).await;
        // The page locks its connections down once the worker says its own loads have ended:
        // if they had not when the job ended, say so when they do.
        // (A request that comes first is taken at once: its own events will say it.)
        if !loaded {
            let settled = Box::pin(crate::worker::part::own_loads(10_000));
            match futures::future::select(settled, futures::StreamExt::next(&mut scope)).await {
                futures::future::Either::Left((true, _)) => {
                    crate::worker::pacing::send(&mut scope, job, EventKind::Loaded).await;
                }
                futures::future::Either::Left((false, _)) => {}
                futures::future::Either::Right((req, _)) => {
                    next = req;
                    continue;
                }
            }
        }
        // Once per worker, after the first answer (the page is showing it): see
        // `crate::worker::warm_up`.
        if !WARMED_UP.replace(true) {
            match crate::worker::warm_up::warm_up(&mut scope).await {
                Ok(()) | Err(Stop::Cancelled) => {}
                Err(Stop::Superseded(req)) => {
                    next = Some(*req);
                    continue;
                }
                Err(Stop::Closed) => return,
            }
        }
        next = futures::StreamExt::next(&mut scope).await;
    }
}
