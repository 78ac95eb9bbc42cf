//! The audit view's state: one struct, changed only by [`Action`]s through [`State::reduce`].
//! The worker job's progress, failure and cancel are the job hook's ([`crate::hooks::use_worker_job`]).

use std::rc::Rc;

use mia_engine::Signal;
use yew::Reducible;

use crate::protocol::{AuditOutcome, InputSource};

/// An input that could not be audited.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadFailure {
    pub source_name: String,
    pub message: String,
    pub headers: Vec<String>,
}

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    pub outcome: Option<Rc<AuditOutcome>>,
    /// A file the page refused before sending it (the worker's failures are the job hook's).
    pub failure: Option<LoadFailure>,
    /// The signal the user picked (falls back to the first available one).
    pub signal: Option<Signal>,
    /// The threshold on the histogram; `None` = the attacker's best (max advantage).
    pub threshold: Option<f64>,
    /// ROC axes: log-log when true.
    pub roc_log: bool,
    /// A threshold from the URL, applied to the first audit that arrives.
    pub url_threshold: Option<f64>,
    /// SHA-256 of uploaded files by file id, from the fingerprint worker (it finishes after the
    /// audit of the same file), or why it could not be computed.
    pub fingerprints: Vec<(u32, Result<String, String>)>,
}

/// What can happen to the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The page sent a job to the worker: its own refusal is gone.
    Started,
    /// The worker finished the latest audit.
    Finished(Box<AuditOutcome>),
    /// The fingerprint worker hashed the upload `file_id` (or says why it could not).
    Fingerprint {
        file_id: u32,
        sha256: Result<String, String>,
    },
    /// The page could not even read the file (before the worker).
    ReadFailed {
        source_name: String,
        message: String,
    },
    SelectSignal(Signal),
    SetThreshold(Option<f64>),
    SetRocLog(bool),
    /// Controls read from the URL at start.
    FromUrl {
        signal: Option<Signal>,
        threshold: Option<f64>,
        roc_log: bool,
    },
}

impl State {
    /// The signal to show: the picked one if the report has it, else the strongest attack (the
    /// highest AUC; the first on a tie), which is what a careful attacker would use.
    pub fn shown_signal(&self) -> Option<Signal> {
        let report = &self.outcome.as_ref()?.report;
        match self.signal {
            Some(s) if report.signal(s).is_some() => Some(s),
            _ => report.strongest().map(|r| r.signal),
        }
    }
}

impl State {
    /// The outcome with the upload's SHA-256 filled in when the fingerprint worker has it (kept
    /// apart from `outcome` so its arrival does not redraw the report).
    pub fn outcome_with_fingerprint(&self) -> Option<Rc<AuditOutcome>> {
        let o = self.outcome.as_ref()?;
        let InputSource::Upload(upload) = &o.source else {
            return Some(o.clone());
        };
        match self
            .fingerprints
            .iter()
            .find(|(id, _)| *id == upload.file_id)
        {
            Some((_, hash)) if o.input.sha256.is_none() => {
                let mut filled = (**o).clone();
                match hash {
                    Ok(sha256) => filled.input.sha256 = Some(sha256.clone()),
                    Err(e) => filled.fingerprint_error = Some(e.clone()),
                }
                Some(Rc::new(filled))
            }
            _ => Some(o.clone()),
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Started => s.failure = None,
            Action::Fingerprint { file_id, sha256 } => {
                s.fingerprints.retain(|(id, _)| *id != file_id);
                s.fingerprints.push((file_id, sha256));
            }
            Action::Finished(outcome) => {
                s.failure = None;
                s.threshold = s.url_threshold.take();
                s.outcome = Some(Rc::new(*outcome));
            }
            Action::ReadFailed {
                source_name,
                message,
            } => {
                s.failure = Some(LoadFailure {
                    source_name,
                    message,
                    headers: Vec::new(),
                });
            }
            Action::SelectSignal(sig) => {
                if s.signal == Some(sig) {
                    return self;
                }
                s.signal = Some(sig);
                s.threshold = None;
            }
            Action::SetRocLog(v) => {
                if s.roc_log == v {
                    return self;
                }
                s.roc_log = v;
            }
            Action::FromUrl {
                signal,
                threshold,
                roc_log,
            } => {
                s.signal = signal;
                s.url_threshold = threshold;
                s.roc_log = roc_log;
            }
            Action::SetThreshold(t) => {
                if s.threshold == t {
                    return self;
                }
                s.threshold = t;
            }
        }
        Rc::new(s)
    }
}
