//! The unlearning view: verify an unlearning from a model's outputs before and after. A bundled
//! sample at once; a picked file (with `after_` columns), or a before file and an after file
//! joined on `id`, read by the worker.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::hooks::use_worker_job;
use crate::pages::unlearn::results::UnlearnResults;
use crate::protocol::{JobRequest, Stage, UnlearnOutcome, UnlearnRequest, Upload};
use crate::route::unlearn::UnlearnQuery;
use crate::route::{self, UrlState, View, ViewQuery};
use crate::samples::UNLEARN_SAMPLES;
use crate::widgets::chart_canvas::chart_width;
use crate::widgets::progress_bar::ProgressBar;
use crate::widgets::sample_list::sample_item;

#[derive(Properties, PartialEq)]
pub struct UnlearnPageProps {
    pub visible: bool,
    pub window_width: f64,
    pub url: Rc<UrlState>,
    /// Each finished verification, for the checklist and the review report.
    #[prop_or_default]
    pub on_outcome: Callback<Rc<UnlearnOutcome>>,
}

/// The files picked: the outputs before (or both, with `after_` columns), and after.
#[derive(Default)]
struct Picked {
    before: Option<web_sys::File>,
    after: Option<web_sys::File>,
}

fn first_file(e: &Event) -> Option<web_sys::File> {
    let input: HtmlInputElement = e.target_unchecked_into();
    input.files().and_then(|l| l.get(0))
}

#[component]
pub fn UnlearnPage(props: &UnlearnPageProps) -> Html {
    let query = use_state(|| props.url.unlearn.clone());
    let outcome = use_state(|| None::<Rc<UnlearnOutcome>>);
    let picked = use_mut_ref(Picked::default);
    let names = use_state(|| (None::<String>, None::<String>));
    let started = use_mut_ref(|| false);
    let window_width = chart_width(props.visible, props.window_width);
    let job = {
        let outcome = outcome.clone();
        let on_outcome = props.on_outcome.clone();
        use_worker_job(Callback::from(move |o: Box<UnlearnOutcome>| {
            let o: Rc<UnlearnOutcome> = Rc::from(o);
            on_outcome.emit(o.clone());
            outcome.set(Some(o))
        }))
    };
    {
        let q = (*query).clone();
        use_effect_with((q, props.visible), |(q, visible)| {
            if *visible {
                route::write(View::Unlearn, &q.pairs());
            }
        });
    }
    let run_sample = {
        let job = job.clone();
        let query = query.clone();
        Callback::from(move |id: String| {
            query.set(UnlearnQuery {
                sample: Some(id.clone()),
                ..(*query).clone()
            });
            let name = crate::samples::unlearn_sample_title(&id).to_string();
            job.run(
                JobRequest::Unlearn(UnlearnRequest::Sample { id }),
                name,
                Stage::Reading,
            );
        })
    };
    let run_files = {
        let job = job.clone();
        let query = query.clone();
        let picked = picked.clone();
        Callback::from(move |_: ()| {
            let p = picked.borrow();
            let Some(before) = p.before.clone() else {
                return;
            };
            query.set(UnlearnQuery {
                sample: None,
                ..(*query).clone()
            });
            let name = before.name();
            let request = UnlearnRequest::Upload {
                before: Upload::attach(before),
                after: p.after.clone().map(Upload::attach),
            };
            job.run(JobRequest::Unlearn(request), name, Stage::Reading);
        })
    };
    // The sample the link names, when the view is first shown.
    {
        let run_sample = run_sample.clone();
        let started = started.clone();
        let sample = query.sample.clone();
        use_effect_with(props.visible, move |visible| {
            if *visible && !*started.borrow() {
                *started.borrow_mut() = true;
                if let Some(s) = sample {
                    run_sample.emit(s);
                }
            }
        });
    }
    let pick = |after: bool| {
        let picked = picked.clone();
        let names = names.clone();
        let run_files = run_files.clone();
        Callback::from(move |e: Event| {
            let f = first_file(&e);
            let (mut b, mut a) = (*names).clone();
            {
                let mut p = picked.borrow_mut();
                if after {
                    a = f.as_ref().map(|f| f.name());
                    p.after = f;
                } else {
                    b = f.as_ref().map(|f| f.name());
                    p.before = f;
                }
            }
            names.set((b, a));
            run_files.emit(());
        })
    };
    let on_log = {
        let query = query.clone();
        Callback::from(move |log: bool| {
            query.set(UnlearnQuery {
                log_roc: log,
                ..(*query).clone()
            })
        })
    };
    let samples = UNLEARN_SAMPLES.iter().map(|s| {
        let current = query.sample.as_deref() == Some(s.id);
        sample_item(
            s,
            format!("unlearn-sample-{}", s.id),
            current,
            false,
            &run_sample,
        )
    });
    let busy = job.busy().cloned();
    html! {
        <div class="layout" hidden={!props.visible}>
            <aside class="side">
                <section class="panel controls" aria-label="Outputs to verify">
                    <h2>{"Unlearning"}</h2>
                    <p class="muted small">{"Someone asked for their records to be erased (GDPR Art. 17, CCPA). Did the model forget them? Give its outputs before and after the unlearning, on the records to forget, on records it keeps and on records it never saw."}</p>
                    <label class="control">
                        <span class="control-head"><span>{"Outputs (CSV)"}</span></span>
                        <small>{"One row per record: set (forget, retain or held_out), label, and the outputs before (confidence, prob_*, logit_*) and after unlearning (the same columns prefixed after_). Read here, in the worker: nothing is sent."}</small>
                        <input type="file" accept=".csv,text/csv" onchange={pick(false)} data-testid="unlearn-input" />
                        if let Some(n) = &names.0 { <small>{n.clone()}</small> }
                    </label>
                    <label class="control">
                        <span class="control-head"><span>{"After-model outputs (optional)"}</span></span>
                        <small>{"Or the outputs after unlearning as a second file with the same columns, joined on id."}</small>
                        <input type="file" accept=".csv,text/csv" onchange={pick(true)} data-testid="unlearn-after" />
                        if let Some(n) = &names.1 { <small>{n.clone()}</small> }
                    </label>
                    <h3>{"Or a sample"}</h3>
                    <ul class="samples">{ for samples }</ul>
                </section>
                if let Some(b) = busy { <ProgressBar busy={b} on_cancel={job.on_cancel()} /> }
                <section class="panel explain">
                    <h3>{"Two tests"}</h3>
                    <ol class="small">
                        <li>{"The seed design's: the forget set's mean confidence minus the held-out mean. Verified when the gap after unlearning is below 0.05."}</li>
                        <li>{"A stronger one, because a mean can hide a tail: the threshold attack with every signal, forget set against held-out records. Verified when the attack on the confidence does no better than chance."}</li>
                    </ol>
                </section>
            </aside>
            <main class="main">
                if let Some(e) = job.failure() {
                    <div class="load-error" role="alert" data-testid="unlearn-error"><strong>{"The outputs could not be verified. "}</strong>{e.to_string()}</div>
                }
                if job.status().cancelled { <p class="notice">{"Stopped. Pick the files again or a sample."}</p> }
                if let Some(o) = (*outcome).clone() {
                    <UnlearnResults outcome={o} window_width={window_width} log_roc={query.log_roc} on_log={on_log} />
                } else {
                    <div class="placeholder">{"Pick a sample or your outputs. The verification runs in a background worker."}</div>
                }
            </main>
        </div>
    }
}
