//! The shadow-attack view's state: its settings (mirrored in the URL) and the latest result.

use std::rc::Rc;

use mia_engine::shadow::{AttackOptions, ModelKind, ShadowConfig, ShadowReport};
use yew::Reducible;

use crate::worker_protocol::{Stage, WorkerEvent};

/// Mode B (train everything here) or mode A (outputs given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShadowMode {
    Train,
    Outputs,
}

impl ShadowMode {
    pub fn key(self) -> &'static str {
        match self {
            ShadowMode::Train => "train",
            ShadowMode::Outputs => "outputs",
        }
    }
}

/// The view's controls.
#[derive(Debug, Clone, PartialEq)]
pub struct ShadowSettings {
    pub mode: ShadowMode,
    /// A bundled dataset id, or `file` for an uploaded one.
    pub dataset: String,
    pub mlp: bool,
    pub hidden: usize,
    pub epochs: usize,
    pub n_shadows: usize,
    pub per_class: bool,
    pub top_k: bool,
    pub seed: u64,
}

impl Default for ShadowSettings {
    fn default() -> Self {
        ShadowSettings {
            mode: ShadowMode::Train,
            dataset: "breast_cancer".into(),
            mlp: false,
            hidden: 64,
            epochs: 100,
            n_shadows: 4,
            per_class: false,
            top_k: false,
            seed: 0,
        }
    }
}

impl ShadowSettings {
    /// The engine's configuration for these settings.
    pub fn config(&self) -> ShadowConfig {
        ShadowConfig {
            n_shadows: self.n_shadows,
            model: if self.mlp {
                ModelKind::Mlp {
                    hidden: self.hidden,
                    epochs: self.epochs,
                }
            } else {
                ModelKind::LogisticRegression { c: 1.0 }
            },
            attack: AttackOptions {
                per_class: self.per_class,
                top_k: self.top_k.then_some(3),
                ..AttackOptions::default()
            },
            seed: self.seed,
        }
    }

    /// The settings as URL query pairs.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("mode", self.mode.key().into()),
            ("dataset", self.dataset.clone()),
            ("model", if self.mlp { "mlp" } else { "logreg" }.into()),
            ("hidden", self.hidden.to_string()),
            ("epochs", self.epochs.to_string()),
            ("shadows", self.n_shadows.to_string()),
            ("per_class", self.per_class.to_string()),
            ("top_k", self.top_k.to_string()),
            ("seed", self.seed.to_string()),
        ]
    }
}

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
