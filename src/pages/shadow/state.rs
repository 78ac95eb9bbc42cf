//! The shadow-attack view's state: its settings (mirrored in the URL) and the latest result.

use std::rc::Rc;

use mia_engine::shadow::ShadowReport;

pub use crate::route::shadow::{ShadowMode, ShadowSettings};
use yew::Reducible;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShadowState {
    pub settings: ShadowSettings,
    pub report: Option<Rc<ShadowReport>>,
    /// The settings the shown report was made with.
    pub report_settings: Option<ShadowSettings>,
    /// Why the page could not even send the job (no file chosen); the worker's failures are
    /// the job hook's.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ShadowAction {
    Set(ShadowSettings),
    /// A job was sent: the page's own error is gone.
    Started,
    Finished(Box<ShadowReport>),
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
            ShadowAction::Started => s.error = None,
            ShadowAction::Failed(message) => s.error = Some(message),
            ShadowAction::Finished(report) => {
                s.report = Some(Rc::new(*report));
                s.report_settings = Some(s.settings.clone());
            }
        }
        Rc::new(s)
    }
}
