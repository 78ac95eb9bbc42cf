//! The root component: owns the state, talks to the worker, lays out the audit view.

use std::cell::RefCell;
use std::rc::Rc;

use mia_engine::ColumnMapping;
use yew::prelude::*;
use yew_agent::reactor::{use_reactor_bridge, ReactorEvent, ReactorProvider};

use crate::agent::AuditReactor;
use crate::codec::BulkBincode;
use crate::components::audit_view::AuditView;
use crate::components::input_panel::InputPanel;
use crate::components::load_messages::LoadMessages;
use crate::components::mapping_panel::MappingPanel;
use crate::components::progress_bar::ProgressBar;
use crate::samples::DEFAULT_SAMPLE;
use crate::state::{Action, State};
use crate::worker_protocol::{InputSource, WorkerRequest};
use crate::{csp, file_read, url_state};

/// Shows a recoverable message instead of a dead page if a panic happens anyway.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if let Some(el) = doc.get_element_by_id("panic-banner") {
            el.set_class_name("panic-banner shown");
        }
    }));
}

/// The app, with the audit worker available to every component below it.
#[component]
pub fn App() -> Html {
    html! {
        <ReactorProvider<AuditReactor, BulkBincode> path={worker_url()}>
            <AuditPage />
        </ReactorProvider<AuditReactor, BulkBincode>>
    }
}

/// The worker script's absolute URL. The worker is started from a blob, where a relative path
/// would not resolve, and the page may live under any sub-path.
fn worker_url() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|base| web_sys::Url::new_with_base("worker.js", &base).ok())
        .map(|u| u.href())
        .unwrap_or_else(|| "worker.js".to_string())
}

/// Tracks the window width, so charts redraw at the new size.
#[hook]
fn use_window_width() -> f64 {
    let width = use_state(|| {
        web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|v| v.as_f64())
            .unwrap_or(1280.0)
    });
    {
        let width = width.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo_events::EventListener::new(&w, "resize", move |_| {
                    if let Some(v) = web_sys::window()
                        .and_then(|w| w.inner_width().ok())
                        .and_then(|v| v.as_f64())
                    {
                        width.set(v);
                    }
                })
            });
            move || drop(listener)
        });
    }
    *width
}

#[component]
fn AuditPage() -> Html {
    let state = use_reducer(State::default);
    let window_width = use_window_width();
    let url = use_memo((), |_| url_state::read());
    let job_counter = use_mut_ref(|| 0u32);
    // The last source audited (a file's bytes are kept so a new column mapping can re-run it).
    let last_source: Rc<RefCell<Option<InputSource>>> = use_mut_ref(|| None);

    let bridge = {
        let dispatcher = state.dispatcher();
        use_reactor_bridge::<AuditReactor, _>(move |ev| {
            if let ReactorEvent::Output(ev) = ev {
                // The worker has loaded its code: from now on nothing needs the network.
                csp::lock_down_connections();
                dispatcher.dispatch(Action::Worker(ev));
            }
        })
    };

    let run = {
        let bridge = bridge.clone();
        let dispatcher = state.dispatcher();
        let job_counter = job_counter.clone();
        let last_source = last_source.clone();
        Callback::from(
            move |(source, mapping): (InputSource, Option<ColumnMapping>)| {
                let job = {
                    let mut c = job_counter.borrow_mut();
                    *c += 1;
                    *c
                };
                dispatcher.dispatch(Action::Started {
                    job,
                    source_name: source.display_name(),
                });
                *last_source.borrow_mut() = Some(source.clone());
                bridge.send(WorkerRequest::Audit {
                    job,
                    source,
                    mapping,
                });
            },
        )
    };

    // First render: load the sample from the URL (or the default).
    {
        let run = run.clone();
        let url = url.clone();
        use_effect_with((), move |_| {
            let id = url
                .sample
                .clone()
                .unwrap_or_else(|| DEFAULT_SAMPLE.to_string());
            run.emit((InputSource::Sample { id }, None));
        });
    }
    {
        let url = url.clone();
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            dispatcher.dispatch(Action::FromUrl {
                signal: url.signal,
                threshold: url.threshold,
                roc_log: url.roc_log,
            });
        });
    }

    // Keep the URL in step with what is shown.
    let shown_signal = state.shown_signal();
    let shown_sample = state.outcome.as_ref().and_then(|o| match &o.source {
        InputSource::Sample { id } => Some(id.clone()),
        InputSource::File { .. } => None,
    });
    {
        let has_outcome = state.outcome.is_some();
        let threshold = state.threshold.map(f64::to_bits);
        use_effect_with(
            (
                shown_sample.clone(),
                shown_signal,
                threshold,
                state.roc_log,
                has_outcome,
            ),
            |(sample, signal, threshold, roc_log, has)| {
                if *has {
                    url_state::write(
                        sample.as_deref(),
                        *signal,
                        threshold.map(f64::from_bits),
                        *roc_log,
                    );
                }
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
        Callback::from(move |file: web_sys::File| {
            let run = run.clone();
            let dispatcher = dispatcher.clone();
            let name = file.name();
            let size = file.size() as u64;
            if let Err(e) = mia_engine::ingest::check_input_size(size) {
                dispatcher.dispatch(Action::ReadFailed {
                    source_name: name,
                    message: e.to_string(),
                });
                return;
            }
            wasm_bindgen_futures::spawn_local(async move {
                match file_read::read_file(&file).await {
                    Ok(bytes) => run.emit((InputSource::File { name, size, bytes }, None)),
                    Err(message) => dispatcher.dispatch(Action::ReadFailed {
                        source_name: name,
                        message,
                    }),
                }
            });
        })
    };
    let on_cancel = {
        let bridge = bridge.clone();
        let job = state.job;
        Callback::from(move |_| bridge.send(WorkerRequest::Cancel { job }))
    };
    let on_mapping = {
        let run = run.clone();
        let last_source = last_source.clone();
        Callback::from(move |mapping: ColumnMapping| {
            // Clone out first: `run` borrows `last_source` mutably.
            let source = last_source.borrow().clone();
            if let Some(source) = source {
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

    // The mapping panel works on the failed file's header, or on the audited one's.
    let (headers, mapping) = match (&state.failure, &state.outcome) {
        (Some(f), _) if !f.headers.is_empty() => (f.headers.clone(), None),
        (_, Some(o)) => (o.headers.clone(), Some(o.mapping.clone())),
        _ => (Vec::new(), None),
    };
    let current_name = state.outcome.as_ref().map(|o| o.source.display_name());

    html! {
        <>
        <header class="top">
            <div class="brand">
                <h1>{"mia-playground"}</h1>
                <p class="tagline">{"Membership-inference audit: can an attacker tell who was in your training set?"}</p>
            </div>
            <p class="local-badge" title="The page's Content-Security-Policy forbids network connections after load.">
                <svg class="lock" viewBox="0 0 16 16" aria-hidden="true"><rect x="3" y="7" width="10" height="8" rx="1.5"/><path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke-width="1.6"/></svg>
                {"Runs entirely in your browser: no data leaves this page."}
            </p>
        </header>
        if let Some(v) = &url.unknown_view {
            <p class="notice">{format!("There is no view called `{v}` yet; showing the audit.")}</p>
        }
        <div class="layout">
            <aside class="side">
                <InputPanel on_file={on_file} on_sample={on_sample} current={current_name} busy={state.busy.is_some()} />
                if let Some(b) = &state.busy {
                    <ProgressBar busy={b.clone()} on_cancel={on_cancel} />
                }
                if !headers.is_empty() {
                    <MappingPanel headers={headers} mapping={mapping} on_apply={on_mapping} open={state.failure.is_some()} />
                }
            </aside>
            <main class="main">
                <LoadMessages failure={state.failure.clone()} ingest={state.outcome.as_ref().map(|o| o.ingest.clone())} notice={state.notice.clone()} />
                if let (Some(outcome), Some(signal)) = (&state.outcome, shown_signal) {
                    <AuditView outcome={outcome.clone()} signal={signal} threshold={state.threshold}
                        on_signal={on_signal} on_threshold={on_threshold} window_width={window_width}
                        roc_log={state.roc_log} on_roc_log={on_roc_log} />
                } else if state.failure.is_none() {
                    <div class="placeholder">{"Running the sample audit…"}</div>
                } else {
                    <div class="placeholder">{"Load a CSV or pick a sample to see an audit."}</div>
                }
            </main>
        </div>
        <footer class="foot">
            {"mia-playground: threshold attack of Yeom et al. (2018); metrics match scikit-learn. "}
            {"Nothing you load is uploaded, stored or sent anywhere."}
        </footer>
        </>
    }
}
