//! The simulator view's state: the parameters and the latest outcome from the worker (the job's
//! progress and failure are the job hook's).

use std::rc::Rc;

use mia_engine::simulator::SimulationParams;
use yew::Reducible;

use crate::protocol::SimulationOutcome;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SimState {
    pub params: SimulationParams,
    pub outcome: Option<Rc<SimulationOutcome>>,
    pub threshold: Option<f64>,
    pub roc_log: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SimAction {
    SetParams(SimulationParams),
    Finished(Box<SimulationOutcome>),
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
            SimAction::Finished(outcome) => {
                if s.outcome.as_ref().map(|o| o.params.gap) != Some(outcome.params.gap) {
                    s.threshold = None;
                }
                s.outcome = Some(Rc::new(*outcome));
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
