//! The simulator view's state: the parameters and the latest outcome from the worker.

use std::rc::Rc;

use mia_engine::simulator::SimulationParams;
use yew::Reducible;

use crate::protocol::{SimulationOutcome, Stage, WorkerEvent};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SimState {
    pub params: SimulationParams,
    /// Id of the latest job; events of older jobs are ignored.
    pub job: u32,
    pub busy: Option<(Stage, f64)>,
    pub outcome: Option<Rc<SimulationOutcome>>,
    /// Why the current parameters cannot be simulated.
    pub error: Option<String>,
    pub threshold: Option<f64>,
    pub roc_log: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SimAction {
    SetParams(SimulationParams),
    Started(u32),
    Worker(WorkerEvent),
    SetThreshold(Option<f64>),
    SetRocLog(bool),
}

impl Reducible for SimState {
    type Action = SimAction;

    fn reduce(self: Rc<Self>, action: SimAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            SimAction::SetParams(p) => {
                if s.params == p {
                    return self;
                }
                s.params = p;
            }
            SimAction::Started(job) => {
                s.job = job;
                s.busy = Some((Stage::Simulating, 0.0));
            }
            SimAction::Worker(ev) => {
                if ev.job() != s.job {
                    return self;
                }
                match ev {
                    WorkerEvent::Progress {
                        stage, fraction, ..
                    } => s.busy = Some((stage, fraction)),
                    WorkerEvent::Simulated { outcome, .. } => {
                        s.busy = None;
                        s.error = None;
                        if s.outcome.as_ref().map(|o| o.params.gap) != Some(outcome.params.gap) {
                            s.threshold = None;
                        }
                        s.outcome = Some(Rc::new(*outcome));
                    }
                    WorkerEvent::Failed { message, .. } => {
                        s.busy = None;
                        s.error = Some(message);
                    }
                    WorkerEvent::Cancelled { .. } => s.busy = None,
                    WorkerEvent::Done { .. }
                    | WorkerEvent::ShadowDone { .. }
                    | WorkerEvent::Restricted { .. }
                    | WorkerEvent::RestrictedCsv { .. } => {}
                }
            }
            SimAction::SetThreshold(t) => {
                if s.threshold == t {
                    return self;
                }
                s.threshold = t;
            }
            SimAction::SetRocLog(v) => {
                if s.roc_log == v {
                    return self;
                }
                s.roc_log = v;
            }
        }
        Rc::new(s)
    }
}
