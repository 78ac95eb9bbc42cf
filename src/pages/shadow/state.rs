//! The shadow-attack view's state: its settings (mirrored in the URL) and the latest result.

use std::rc::Rc;

use mia_engine::shadow::ShadowReport;

pub use crate::route::shadow::{ShadowMode, ShadowSettings};
use yew::Reducible;

use crate::protocol::{Stage, WorkerEvent};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShadowState {
    pub settings: ShadowSettings,
    pub job: u32,
    pub busy: Option<(Stage, f64)>,
    pub report: Option<Rc<ShadowReport>>,
    /// The settings the shown report was made with.
    pub report_settings: Option<ShadowSettings>,
    pub error: Option<String>,
    pub notice: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ShadowAction {
    Set(ShadowSettings),
    Started(u32),
    Worker(WorkerEvent),
    Failed(String),
}

impl Reducible for ShadowState {
    type Action = ShadowAction;

    fn reduce(self: Rc<Self>, action: ShadowAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            ShadowAction::Set(settings) => {
                if s.settings == settings {
                    return self;
                }
                s.settings = settings;
            }
            ShadowAction::Started(job) => {
                s.job = job;
                s.busy = Some((Stage::Reading, 0.0));
                s.error = None;
                s.notice = None;
            }
            ShadowAction::Failed(message) => {
                s.busy = None;
                s.error = Some(message);
            }
            ShadowAction::Worker(ev) => {
                if ev.job() != s.job {
                    return self;
                }
                match ev {
                    WorkerEvent::Progress {
                        stage, fraction, ..
                    } => s.busy = Some((stage, fraction)),
                    WorkerEvent::ShadowDone { report, .. } => {
                        s.busy = None;
                        s.report = Some(Rc::new(*report));
                        s.report_settings = Some(s.settings.clone());
                    }
                    WorkerEvent::Failed { message, .. } => {
                        s.busy = None;
                        s.error = Some(message);
                    }
                    WorkerEvent::Cancelled { .. } => {
                        s.busy = None;
                        s.notice =
                            Some("Training stopped. Change the settings or run again.".into());
                    }
                    WorkerEvent::Done { .. }
                    | WorkerEvent::Simulated { .. }
                    | WorkerEvent::Restricted { .. }
                    | WorkerEvent::RestrictedCsv { .. } => {}
                }
            }
        }
        Rc::new(s)
    }
}
