//! The reference-attack view's state: its controls (mirrored in the URL), the chosen file and
//! the latest comparison.

use std::rc::Rc;

use yew::Reducible;

use crate::protocol::LiraOutcome;
pub use crate::route::lira::{LiraInput, LiraQuery};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LiraState {
    pub query: LiraQuery,
    pub outcome: Option<Rc<LiraOutcome>>,
    /// Why the page could not even send the job (no file chosen); the worker's failures are
    /// the job hook's.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LiraAction {
    Set(LiraQuery),
    /// A job was sent: the page's own error is gone.
    Started,
    /// The outcome, shared with the views it is handed over to.
    Finished(Rc<LiraOutcome>),
    Failed(String),
}

impl Reducible for LiraState {
    type Action = LiraAction;

    fn reduce(self: Rc<Self>, action: LiraAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            LiraAction::Set(query) => {
                if s.query == query {
                    return self;
                }
                s.query = query;
            }
            LiraAction::Started => s.error = None,
            LiraAction::Failed(message) => s.error = Some(message),
            LiraAction::Finished(outcome) => s.outcome = Some(outcome),
        }
        Rc::new(s)
    }
}
