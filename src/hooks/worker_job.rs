//! The page-job plumbing, written once: the bridge to the audit worker, job numbers, the filter
//! that drops events of superseded jobs, progress, pause, failure and cancel. A page calls
//! [`use_worker_job`] with a callback for its own outcome type (interim outcomes of a running job
//! and the final one) and renders the job's [`JobStatus`]; it never sees another feature's
//! events.

use std::cell::RefCell;
use std::marker::PhantomData;
use std::rc::Rc;

use futures::StreamExt;
use yew::prelude::*;
use yew_agent::reactor::ReactorBridge;

use super::audit_worker::AuditWorker;
use crate::protocol::job::{
    EventKind, JobError, JobId, JobRequest, Outcome, Stage, WorkerEvent, WorkerRequest,
};
use crate::worker::reactor::AuditReactor;

/// A page's channel to the current worker (with the worker's generation), once it is open.
type Channel = Rc<RefCell<Option<(u32, ReactorBridge<AuditReactor>)>>>;
/// A job the worker is running.
#[derive(Debug, Clone, PartialEq)]
pub struct Busy {
    pub source_name: String,
    pub stage: Stage,
    pub fraction: f64,
    /// The job is held (it keeps its state until resumed or cancelled).
    pub paused: bool,
}

/// Where a page's latest job stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JobStatus {
    /// The latest job's number; events of older jobs are dropped.
    pub job: JobId,
    /// What the latest job is reading, named for the page.
    pub source_name: String,
    /// Set while the latest job runs.
    pub busy: Option<Busy>,
    /// Why the latest job failed.
    pub failure: Option<JobError>,
    /// The latest job was cancelled.
    pub cancelled: bool,
}

/// A job's report as its status sees it: the event without its outcome.
pub enum Update {
    Progress { stage: Stage, fraction: f64 },
    Paused(bool),
    Failed(JobError),
    Cancelled,
    Finished,
}

/// What happens to a job's status.
pub enum StatusAction {
    Started {
        job: JobId,
        source_name: String,
        stage: Stage,
    },
    /// What job `job` reported (its outcome goes to the page, not here).
    Event { job: JobId, update: Update },
    /// The worker was replaced while the latest job ran.
    WorkerLost,
}

impl Reducible for JobStatus {
    type Action = StatusAction;

    fn reduce(self: Rc<Self>, action: StatusAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            StatusAction::Started {
                job,
                source_name,
                stage,
            } => {
                s.job = job;
                s.busy = Some(Busy {
                    source_name: source_name.clone(),
                    stage,
                    fraction: 0.0,
                    paused: false,
                });
                s.source_name = source_name;
                s.failure = None;
                s.cancelled = false;
            }
            StatusAction::Event { job, update } => {
                if job != s.job {
                    return self;
                }
                match update {
                    Update::Progress { stage, fraction } => {
                        if let Some(b) = s.busy.as_mut() {
                            b.stage = stage;
                            b.fraction = fraction;
                        }
                    }
                    Update::Paused(paused) => {
                        if let Some(b) = s.busy.as_mut() {
                            b.paused = paused;
                        }
                    }
                    Update::Failed(error) => {
                        s.busy = None;
                        s.failure = Some(error);
                    }
                    Update::Cancelled => {
                        s.cancelled = s.busy.take().is_some();
                    }
                    Update::Finished => s.busy = None,
                }
            }
            StatusAction::WorkerLost => {
                if s.busy.take().is_none() {
                    return self;
                }
                s.failure = Some(JobError::WorkerLost);
            }
        }
        Rc::new(s)
    }
}

/// A page's handle on its jobs in the audit worker.
pub struct WorkerJob<O> {
    channel: Channel,
    worker: AuditWorker,
    page: usize,
    counter: Rc<RefCell<JobId>>,
    status: UseReducerHandle<JobStatus>,
    _outcome: PhantomData<O>,
}

impl<O> Clone for WorkerJob<O> {
    fn clone(&self) -> Self {
        WorkerJob {
            channel: self.channel.clone(),
            worker: self.worker.clone(),
            page: self.page,
            counter: self.counter.clone(),
            status: self.status.clone(),
            _outcome: PhantomData,
        }
    }
}

impl<O> PartialEq for WorkerJob<O> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.channel, &other.channel)
            && self.worker == other.worker
            && *self.status == *other.status
    }
}

impl<O> WorkerJob<O> {
    /// Sends `request` as this page's newest job (it replaces the page's running one, never
    /// another page's). `source_name` names its input on the progress bar, which starts at
    /// `stage`.
    pub fn run(&self, request: JobRequest, source_name: impl Into<String>, stage: Stage) -> JobId {
        let job = {
            let mut c = self.counter.borrow_mut();
            *c += 1;
            *c
        };
        self.status.dispatch(StatusAction::Started {
            job,
            source_name: source_name.into(),
            stage,
        });
        self.worker.job_started(self.page);
        send(&self.channel, WorkerRequest::Run { job, request });
        job
    }

    /// Stops the latest job at its next step.
    pub fn cancel(&self) {
        let job = *self.counter.borrow();
        send(&self.channel, WorkerRequest::Cancel { job });
    }

    /// Holds (`true`) or resumes the latest job, if it is one that can be held.
    pub fn pause(&self, pause: bool) {
        let job = *self.counter.borrow();
        send(
            &self.channel,
            if pause {
                WorkerRequest::Pause { job }
            } else {
                WorkerRequest::Resume { job }
            },
        );
    }

    /// A callback that cancels the latest job, for a progress bar.
    pub fn on_cancel(&self) -> Callback<()> {
        let (channel, counter) = (self.channel.clone(), self.counter.clone());
        Callback::from(move |_| {
            let job = *counter.borrow();
            send(&channel, WorkerRequest::Cancel { job });
        })
    }

    pub fn status(&self) -> &JobStatus {
        &self.status
    }

    pub fn busy(&self) -> Option<&Busy> {
        self.status.busy.as_ref()
    }

    pub fn failure(&self) -> Option<&JobError> {
        self.status.failure.as_ref()
    }
}

fn send(channel: &Channel, request: WorkerRequest) {
    if let Some((_, bridge)) = channel.borrow().as_ref() {
        bridge.send_input(request);
    }
}

/// Connects a page to the audit worker. `on_finished` gets each outcome of the page's latest
/// job, interim or final; progress, pause, failure and cancel are kept in the returned handle's
/// [`JobStatus`]. When the
/// worker is replaced, the page's channel moves to the new one, and a job that was running ends
/// with [`JobError::WorkerLost`].
#[hook]
pub fn use_worker_job<O: Outcome>(on_finished: Callback<O>) -> WorkerJob<O> {
    let status = use_reducer(JobStatus::default);
    let counter = use_mut_ref(|| 0 as JobId);
    let worker = use_context::<AuditWorker>().expect("use_worker_job needs AuditWorkerProvider");
    let page = *use_memo((), {
        let worker = worker.clone();
        move |_| worker.register_page()
    });
    // The latest callback, read when an outcome arrives (the channel's reader keeps its first).
    let on_finished_now = use_mut_ref(|| on_finished.clone());
    *on_finished_now.borrow_mut() = on_finished;
    let channel: Channel = use_mut_ref(|| None);
    {
        let (channel, dispatcher, counter, worker) = (
            channel.clone(),
            status.dispatcher(),
            counter.clone(),
            worker.clone(),
        );
        use_effect_with(worker.generation, move |generation| {
            if *generation > 0 {
                // A new worker: the job the old one was running is lost.
                dispatcher.dispatch(StatusAction::WorkerLost);
            }
            let generation = *generation;
            *channel.borrow_mut() = Some((generation, worker.fork()));
            let reader = channel.clone();
            wasm_bindgen_futures::spawn_local(async move {
                loop {
                    let next = futures::future::poll_fn(|cx| match reader.borrow_mut().as_mut() {
                        Some((g, bridge)) if *g == generation => bridge.poll_next_unpin(cx),
                        _ => std::task::Poll::Ready(None),
                    })
                    .await;
                    let Some(ev) = next else {
                        break;
                    };
                    // The worker and its own threads have loaded their code: from now on nothing
                    // needs the network.
                    if ev.loaded {
                        worker.answered();
                    }
                    if ev.job != *counter.borrow() {
                        continue;
                    }
                    let WorkerEvent {
                        job, kind, memory, ..
                    } = ev;
                    let (update, outcome) = match kind {
                        EventKind::Progress { stage, fraction } => {
                            (Update::Progress { stage, fraction }, None)
                        }
                        EventKind::Interim(o) => {
                            // A running job's outcome so far: to the page; the job goes on.
                            if let Some(o) = O::from_outcome(o) {
                                let cb = on_finished_now.borrow().clone();
                                cb.emit(o);
                            }
                            continue;
                        }
                        EventKind::Paused(p) => (Update::Paused(p), None),
                        EventKind::Failed(error) => (Update::Failed(error), None),
                        EventKind::Cancelled => (Update::Cancelled, None),
                        EventKind::Finished(o) => (Update::Finished, O::from_outcome(o)),
                        EventKind::Loaded => continue,
                    };
                    if !matches!(update, Update::Progress { .. } | Update::Paused(_)) {
                        worker.job_ended(page, memory);
                    }
                    dispatcher.dispatch(StatusAction::Event { job, update });
                    if let Some(o) = outcome {
                        let cb = on_finished_now.borrow().clone();
                        cb.emit(o);
                    }
                }
            });
            move || {
                // Closing the channel ends its reactor in the worker, and the reader above.
                channel.borrow_mut().take();
            }
        });
    }
    WorkerJob {
        channel,
        worker,
        page,
        counter,
        status,
        _outcome: PhantomData,
    }
}
