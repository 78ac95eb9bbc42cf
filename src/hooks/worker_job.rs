//! The page-job plumbing, written once: the bridge to the audit worker, job numbers, the filter
//! that drops events of superseded jobs, progress, failure and cancel. A page calls
//! [`use_worker_job`] with a callback for its own outcome type and renders the job's
//! [`JobStatus`]; it never sees another feature's events.

use std::cell::RefCell;
use std::marker::PhantomData;
use std::rc::Rc;

use yew::prelude::*;
use yew_agent::reactor::{use_reactor_bridge, ReactorEvent, UseReactorBridgeHandle};

use crate::protocol::job::{
    EventKind, JobError, JobId, JobOutcome, JobRequest, Outcome, Stage, WorkerEvent, WorkerRequest,
};
use crate::worker::reactor::AuditReactor;

/// A job the worker is running.
#[derive(Debug, Clone, PartialEq)]
pub struct Busy {
    pub source_name: String,
    pub stage: Stage,
    pub fraction: f64,
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

/// What happens to a job's status.
pub enum StatusAction {
    Started {
        job: JobId,
        source_name: String,
        stage: Stage,
    },
    /// An event of job `job`, its outcome taken out.
    Event { job: JobId, kind: EventKind },
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
                });
                s.source_name = source_name;
                s.failure = None;
                s.cancelled = false;
            }
            StatusAction::Event { job, kind } => {
                if job != s.job {
                    return self;
                }
                match kind {
                    EventKind::Progress { stage, fraction } => {
                        if let Some(b) = s.busy.as_mut() {
                            b.stage = stage;
                            b.fraction = fraction;
                        }
                    }
                    EventKind::Failed(error) => {
                        s.busy = None;
                        s.failure = Some(error);
                    }
                    EventKind::Cancelled => {
                        s.cancelled = s.busy.take().is_some();
                    }
                    EventKind::Finished(_) => s.busy = None,
                }
            }
        }
        Rc::new(s)
    }
}

/// A page's handle on its jobs in the audit worker.
pub struct WorkerJob<O> {
    bridge: UseReactorBridgeHandle<AuditReactor>,
    counter: Rc<RefCell<JobId>>,
    status: UseReducerHandle<JobStatus>,
    _outcome: PhantomData<O>,
}

impl<O> Clone for WorkerJob<O> {
    fn clone(&self) -> Self {
        WorkerJob {
            bridge: self.bridge.clone(),
            counter: self.counter.clone(),
            status: self.status.clone(),
            _outcome: PhantomData,
        }
    }
}

impl<O> PartialEq for WorkerJob<O> {
    fn eq(&self, other: &Self) -> bool {
        self.bridge == other.bridge && *self.status == *other.status
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
        self.bridge.send(WorkerRequest::Run { job, request });
        job
    }

    /// Stops the latest job at its next step.
    pub fn cancel(&self) {
        let job = *self.counter.borrow();
        self.bridge.send(WorkerRequest::Cancel { job });
    }

    /// A callback that cancels the latest job, for a progress bar.
    pub fn on_cancel(&self) -> Callback<()> {
        let (bridge, counter) = (self.bridge.clone(), self.counter.clone());
        Callback::from(move |_| {
            let job = *counter.borrow();
            bridge.send(WorkerRequest::Cancel { job });
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

/// Connects a page to the audit worker. `on_finished` gets each outcome of the page's latest
/// job; progress, failure and cancel are kept in the returned handle's [`JobStatus`].
#[hook]
pub fn use_worker_job<O: Outcome>(on_finished: Callback<O>) -> WorkerJob<O> {
    let status = use_reducer(JobStatus::default);
    let counter = use_mut_ref(|| 0 as JobId);
    // The latest callback, read when an outcome arrives (the bridge keeps its first closure).
    let on_finished_now = use_mut_ref(|| on_finished.clone());
    *on_finished_now.borrow_mut() = on_finished;
    let bridge = {
        let dispatcher = status.dispatcher();
        let counter = counter.clone();
        use_reactor_bridge::<AuditReactor, _>(move |ev| {
            let ReactorEvent::Output(ev) = ev else {
                return;
            };
            // The worker has loaded its code: from now on nothing needs the network.
            crate::csp::lock_down_connections();
            if ev.job != *counter.borrow() {
                return;
            }
            let WorkerEvent { job, kind } = ev;
            let (kind, outcome) = match kind {
                EventKind::Finished(o) => {
                    (EventKind::Finished(JobOutcome::Taken), O::from_outcome(o))
                }
                kind => (kind, None),
            };
            dispatcher.dispatch(StatusAction::Event { job, kind });
            if let Some(o) = outcome {
                let cb = on_finished_now.borrow().clone();
                cb.emit(o);
            }
        })
    };
    WorkerJob {
        bridge,
        counter,
        status,
        _outcome: PhantomData,
    }
}
