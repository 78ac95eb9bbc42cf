//! The audit view: input on the left, the threshold-attack report on the right.

use std::cell::RefCell;
use std::rc::Rc;

use mia_engine::ColumnMapping;
use yew::prelude::*;

use crate::widgets::chart_canvas::chart_width;

use crate::hooks::{use_fingerprint, use_worker_job};
use crate::pages::audit::input_panel::InputPanel;
use crate::pages::audit::load_messages::LoadMessages;
use crate::pages::audit::mapping_panel::MappingPanel;
use crate::pages::audit::state::{Action, LoadFailure, State};
use crate::pages::audit::view::AuditView;
use crate::protocol::{AuditRequest, InputSource, JobRequest, Stage, Upload};
use crate::route;
use crate::route::audit::AuditQuery;
use crate::route::{UrlState, View, ViewQuery};
use crate::samples::DEFAULT_SAMPLE;
use crate::widgets::progress_bar::ProgressBar;

#[derive(Properties, PartialEq)]
pub struct AuditPageProps {
    pub visible: bool,
    pub window_width: f64,
    pub url: Rc<UrlState>,
    /// A source handed over by another view (the simulator's "use these scores"), numbered so
    /// the same hand-over twice runs twice.
    pub handoff: Option<(u32, InputSource)>,
    /// A file handed over by another view (the training lab's "Audit this model"), audited as
    /// if the user had picked it; numbered like `handoff`.
    #[prop_or_default]
    pub file_handoff: Option<(u32, web_sys::File)>,
    /// Each finished audit, for the checklist view.
    pub on_outcome: Callback<Rc<crate::protocol::AuditOutcome>>,
    /// Opens the picked file in the reference-attack view (a file with `ref_in_*` columns).
    #[prop_or_default]
    pub on_open_reference: Callback<(Upload, web_sys::File)>,
}

/// The audit view: input on the left, the report on the right. Owns the audit's state.
#[component]
pub fn AuditPage(props: &AuditPageProps) -> Html {
    let state = use_reducer(State::default);
    let window_width = chart_width(props.visible, props.window_width);
    // The report is drawn once the view has been shown: the sample audit runs at once whatever
    // the view, but rendering its tables and charts while another view works (the training lab
    // training, say) would cost that view a long main-thread task for nothing on screen.
    let shown_once = use_mut_ref(|| false);
    if props.visible {
        *shown_once.borrow_mut() = true;
    }
    let url = props.url.clone();
    // The last source audited, and the last file picked, so a new column mapping can re-run it.
    let last_source: Rc<RefCell<Option<InputSource>>> = use_mut_ref(|| None);
    let last_file: Rc<RefCell<Option<(Upload, web_sys::File)>>> = use_mut_ref(|| None);

    let job = {
        let dispatcher = state.dispatcher();
        use_worker_job(Callback::from(move |o| {
            dispatcher.dispatch(Action::Finished(o))
        }))
    };

    // The fingerprint worker hashes uploads beside the audit (see `crate::worker::fingerprint`).
    let fingerprinter = {
        let dispatcher = state.dispatcher();
        use_fingerprint(Callback::from(move |(file_id, sha256)| {
            dispatcher.dispatch(Action::Fingerprint { file_id, sha256 })
        }))
    };

    let run = {
        let job = job.clone();
        let dispatcher = state.dispatcher();
        let last_source = last_source.clone();
        Callback::from(
            move |(source, mapping): (InputSource, Option<ColumnMapping>)| {
                dispatcher.dispatch(Action::Started);
                *last_source.borrow_mut() = Some(source.clone());
                let name = source.display_name();
                let request = JobRequest::Audit(AuditRequest { source, mapping });
                job.run(request, name, Stage::Reading);
            },
        )
    };

    // First render: audit what the URL names (a sample, or simulated scores), else the default.
    {
        let run = run.clone();
        let url = url.clone();
        use_effect_with((), move |_| {
            let source = match url.audit.simulation {
                Some(params) => InputSource::Simulation { params },
                None => InputSource::Sample {
                    id: url
                        .audit
                        .sample
                        .clone()
                        .unwrap_or_else(|| DEFAULT_SAMPLE.to_string()),
                },
            };
            run.emit((source, None));
        });
    }
    {
        let run = run.clone();
        use_effect_with(props.handoff.clone(), move |h| {
            if let Some((_, source)) = h {
                run.emit((source.clone(), None));
            }
        });
    }
    {
        let url = url.clone();
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            if url.view == View::Audit {
                dispatcher.dispatch(Action::FromUrl {
                    signal: url.audit.signal,
                    threshold: url.audit.threshold,
                    roc_log: url.audit.roc_log,
                });
            }
        });
    }

    // Once an upload's audit is shown, the fingerprint worker hashes the file (after, not beside:
    // on two cores, hashing during the read slowed the read the user waits for).
    {
        let last_file = last_file.clone();
        let fingerprinter = fingerprinter.clone();
        let asked = use_mut_ref(Vec::<u32>::new);
        use_effect_with(state.outcome.clone(), move |o| {
            let wanted = o.as_ref().and_then(|o| match &o.source {
                InputSource::Upload(u) if o.input.sha256.is_none() => Some(u.file_id),
                _ => None,
            });
            if let (Some(id), Some((upload, file))) = (wanted, last_file.borrow().as_ref()) {
                if id == upload.file_id && !asked.borrow().contains(&id) {
                    asked.borrow_mut().push(id);
                    fingerprinter.request(id, file.clone());
                }
            }
        });
    }
    {
        let with_fingerprint = state.outcome_with_fingerprint();
        let on_outcome = props.on_outcome.clone();
        use_effect_with(
            (state.outcome.clone(), state.fingerprints.len()),
            move |_| {
                if let Some(o) = with_fingerprint {
                    on_outcome.emit(o);
                }
            },
        );
    }
    // Keep the URL in step with what is shown (only while this view is the one on screen).
    let shown_signal = state.shown_signal();
    let shown_source = state.outcome.as_ref().map(|o| o.source.clone());
    {
        let threshold = state.threshold.map(f64::to_bits);
        use_effect_with(
            (
                shown_source,
                shown_signal,
                threshold,
                state.roc_log,
                props.visible,
            ),
            |(source, signal, threshold, roc_log, visible)| {
                if !*visible || source.is_none() {
                    return;
                }
                let query = AuditQuery {
                    sample: match source {
                        Some(InputSource::Sample { id }) => Some(id.clone()),
                        _ => None,
                    },
                    simulation: match source {
                        Some(InputSource::Simulation { params }) => Some(*params),
                        _ => None,
                    },
                    signal: *signal,
                    threshold: threshold.map(f64::from_bits),
                    roc_log: *roc_log,
                };
                let pairs = query.pairs();
                route::write(View::Audit, &pairs);
            },
        );
    }
    let on_sample = {
        let run = run.clone();
        Callback::from(move |id: String| run.emit((InputSource::Sample { id }, None)))
    };
    let on_file = {
        let run = run.clone();
        let dispatcher = state.dispatcher();
        let last_file = last_file.clone();
        Callback::from(move |file: web_sys::File| {
            if let Err(e) = mia_engine::ingest::check_input_size(file.size() as u64) {
                dispatcher.dispatch(Action::ReadFailed {
                    source_name: file.name(),
                    message: e.to_string(),
                });
                return;
            }
            // The file goes with the request as a handle; the worker reads it.
            let upload = Upload::attach(file.clone());
            *last_file.borrow_mut() = Some((upload.clone(), file));
            run.emit((InputSource::Upload(upload), None));
        })
    };
    {
        let on_file = on_file.clone();
        use_effect_with(props.file_handoff.clone(), move |h| {
            if let Some((_, file)) = h {
                on_file.emit(file.clone());
            }
        });
    }
    let on_mapping = {
        let run = run.clone();
        let last_source = last_source.clone();
        let last_file = last_file.clone();
        Callback::from(move |mapping: ColumnMapping| {
            // Clone out first: `run` borrows `last_source` mutably.
            let source = last_source.borrow().clone();
            if let Some(source) = source {
                // A picked file is read again: its handle goes with the request again.
                if let (InputSource::Upload(u), Some((picked, file))) =
                    (&source, last_file.borrow().as_ref())
                {
                    if u == picked {
                        u.reattach(file.clone());
                    }
                }
                run.emit((source, Some(mapping)));
            }
        })
    };
    let on_signal = {
        let d = state.dispatcher();
        Callback::from(move |s| d.dispatch(Action::SelectSignal(s)))
    };
    let on_threshold = {
        let d = state.dispatcher();
        Callback::from(move |t| d.dispatch(Action::SetThreshold(t)))
    };
    let on_roc_log = {
        let d = state.dispatcher();
        Callback::from(move |v| d.dispatch(Action::SetRocLog(v)))
    };

    // The page's own refusal, or the worker's failure of the latest job.
    let failure = state.failure.clone().or_else(|| {
        job.failure().map(|e| LoadFailure {
            source_name: job.status().source_name.clone(),
            message: e.to_string(),
            headers: e.columns().to_vec(),
        })
    });
    let notice = job.status().cancelled.then(|| {
        format!(
            "Stopped reading {}. The previous audit is still shown.",
            job.status().source_name
        )
    });
    // The mapping panel works on the failed file's header, or on the audited one's.
    let (headers, mapping) = match (&failure, &state.outcome) {
        (Some(f), _) if !f.headers.is_empty() => (f.headers.clone(), None),
        (_, Some(o)) => (o.headers.clone(), Some(o.mapping.clone())),
        _ => (Vec::new(), None),
    };
    let current_name = state.outcome.as_ref().map(|o| o.source.display_name());
    // A reference-attack CSV (it has `ref_in_*` columns): offer the view that reads all of it.
    let has_references = headers
        .iter()
        .any(|h| h.trim().to_ascii_lowercase().starts_with("ref_in_"));
    let open_reference = has_references
        .then(|| last_file.borrow().clone())
        .flatten()
        .map(|picked| {
            let cb = props.on_open_reference.clone();
            let name = picked.0.name.clone();
            let onclick = Callback::from(move |_: MouseEvent| cb.emit(picked.clone()));
            html! {
                <p class="notice" data-testid="reference-offer">
                    {format!("{name} has reference-model columns (ref_in_*): the audit uses the target's outputs only. ")}
                    <button class="link" onclick={onclick} data-testid="open-in-lira">{"Run LiRA and RMIA on it"}</button>
                </p>
            }
        });

    html! {
        <div class="layout" hidden={!props.visible}>
            <aside class="side">
                <InputPanel on_file={on_file} on_sample={on_sample} current={current_name} busy={job.busy().is_some()} />
                if let Some(b) = job.busy() {
                    <ProgressBar busy={b.clone()} on_cancel={job.on_cancel()} />
                }
                if !headers.is_empty() {
                    <MappingPanel headers={headers} mapping={mapping} on_apply={on_mapping} open={failure.is_some()} />
                }
            </aside>
            <main class="main">
                {open_reference.unwrap_or_default()}
                <LoadMessages failure={failure.clone()} ingest={state.outcome.as_ref().map(|o| o.ingest.clone())} notice={notice} />
                if !*shown_once.borrow() {
                    <div class="placeholder">{"The audit is ready."}</div>
                } else if let (Some(outcome), Some(signal)) = (&state.outcome, shown_signal) {
                    <AuditView outcome={outcome.clone()} signal={signal} threshold={state.threshold}
                        on_signal={on_signal} on_threshold={on_threshold} window_width={window_width}
                        roc_log={state.roc_log} on_roc_log={on_roc_log} />
                } else if failure.is_none() {
                    <div class="placeholder">{"Running the sample audit…"}</div>
                } else {
                    <div class="placeholder">{"Load a CSV or pick a sample to see an audit."}</div>
                }
            </main>
        </div>
    }
}
