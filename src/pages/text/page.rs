//! The Text view: the text and LLM memorisation audit. A bundled sample at once; a picked file
//! or pasted text, read by the worker; the audit the file's columns ask for (the prompt builder,
//! the verbatim test, the log-prob attacks). The model is never called: the user brings its
//! outputs, and nothing leaves the page.

use std::rc::Rc;

use mia_engine::text::pair_metrics::PairMetric;
use mia_engine::text::settings::{parse_prefix_lengths, TextSettings};
use mia_engine::text::summary::TextAuditSummary;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::canaries::CanaryResults;
use super::logprobs::LogprobResults;
use super::pairs::PairsResults;
use super::prompts::PromptsResults;
use crate::format::sig;
use crate::hooks::use_worker_job;
use crate::protocol::{
    JobRequest, Stage, TextOutcome, TextRequest, TextResult, TextSource, Upload,
};
use crate::route::text::TextQuery;
use crate::route::{self, UrlState, View, ViewQuery};
use crate::samples::{text_sample_title, TEXT_SAMPLES};
use crate::widgets::chart_canvas::chart_width;
use crate::widgets::progress_bar::ProgressBar;
use crate::widgets::sample_list::sample_item;
use crate::widgets::text_field::TextField;

#[derive(Properties, PartialEq)]
pub struct TextPageProps {
    pub visible: bool,
    pub window_width: f64,
    pub url: Rc<UrlState>,
    /// Each finished audit's summary, for the checklist and the review report (none for the
    /// prompt builder).
    #[prop_or_default]
    pub on_audit: Callback<Rc<TextAuditSummary>>,
}

/// What the last run read, to run again when a setting changes.
#[derive(Clone, Default)]
enum Last {
    #[default]
    Nothing,
    Sample(String),
    File(web_sys::File),
    Pasted(String),
}

/// The parts of an outcome each result component takes, shared rather than copied.
enum Shown {
    Prompts(Rc<mia_engine::text::prompts::PromptBook>),
    Pairs(
        Rc<mia_engine::text::pairs::VerbatimAudit>,
        Rc<Vec<crate::protocol::text::PairExcerpts>>,
        Rc<Vec<mia_engine::text::pair_metrics::MetricDistribution>>,
    ),
    Logprobs(
        Rc<mia_engine::text::attack::LogprobAudit>,
        Rc<
            Vec<(
                mia_engine::text::attack::TextSignal,
                mia_engine::attack::histogram::ScoreHistogram,
            )>,
        >,
    ),
    Canaries(Rc<mia_engine::text::canary::CanaryAudit>),
}

struct Result {
    source_name: String,
    scoring_ms: f64,
    workers: u32,
    shown: Shown,
}

fn shown_of(o: TextOutcome) -> Result {
    let shown = match o.result {
        TextResult::Prompts(b) => Shown::Prompts(Rc::new(b)),
        TextResult::Pairs {
            audit,
            excerpts,
            distributions,
        } => Shown::Pairs(Rc::new(audit), Rc::new(excerpts), Rc::new(distributions)),
        TextResult::Logprobs { audit, histograms } => {
            Shown::Logprobs(Rc::new(audit), Rc::new(histograms))
        }
        TextResult::Canaries(audit) => Shown::Canaries(Rc::new(audit)),
    };
    Result {
        source_name: o.source_name,
        scoring_ms: o.scoring_ms,
        workers: o.workers,
        shown,
    }
}

fn summary_of(o: &TextOutcome) -> Option<TextAuditSummary> {
    let name = &o.source_name;
    match &o.result {
        TextResult::Prompts(_) => None,
        TextResult::Pairs { audit, .. } => Some(TextAuditSummary::of_pairs(name, audit)),
        TextResult::Logprobs { audit, .. } => Some(TextAuditSummary::of_logprobs(name, audit)),
        TextResult::Canaries(audit) => Some(TextAuditSummary::of_canaries(name, audit)),
    }
}

fn first_file(e: &Event) -> Option<web_sys::File> {
    let input: HtmlInputElement = e.target_unchecked_into();
    input.files().and_then(|l| l.get(0))
}

#[component]
pub fn TextPage(props: &TextPageProps) -> Html {
    let query = use_state(|| props.url.text.clone());
    let result = use_state(|| None::<Rc<Result>>);
    let last = use_mut_ref(Last::default);
    let paste = use_mut_ref(String::new);
    // The field whose typed value was refused, and why (a valid entry elsewhere keeps it).
    let settings_error = use_state(|| None::<(&'static str, String)>);
    let started = use_mut_ref(|| false);
    let window_width = chart_width(props.visible, props.window_width);
    let job = {
        let result = result.clone();
        let on_audit = props.on_audit.clone();
        use_worker_job(Callback::from(move |o: Box<TextOutcome>| {
            if let Some(s) = summary_of(&o) {
                on_audit.emit(Rc::new(s));
            }
            result.set(Some(Rc::new(shown_of(*o))))
        }))
    };
    {
        let q = (*query).clone();
        use_effect_with((q, props.visible), |(q, visible)| {
            if *visible {
                route::write(View::Text, &q.pairs());
            }
        });
    }
    // Runs what `last` holds with `settings`.
    let run = {
        let job = job.clone();
        let last = last.clone();
        Callback::from(move |settings: TextSettings| {
            let (source, name) = match &*last.borrow() {
                Last::Nothing => return,
                Last::Sample(id) => (
                    TextSource::Sample { id: id.clone() },
                    text_sample_title(id).to_string(),
                ),
                Last::File(f) => (TextSource::Upload(Upload::attach(f.clone())), f.name()),
                Last::Pasted(t) => (
                    TextSource::Pasted { text: t.clone() },
                    "pasted text".to_string(),
                ),
            };
            job.run(
                JobRequest::Text(TextRequest { source, settings }),
                name,
                Stage::Reading,
            );
        })
    };
    let run_sample = {
        let (run, query, last) = (run.clone(), query.clone(), last.clone());
        Callback::from(move |id: String| {
            *last.borrow_mut() = Last::Sample(id.clone());
            query.set(TextQuery {
                sample: Some(id),
                ..(*query).clone()
            });
            run.emit(query.settings.clone());
        })
    };
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
    let on_file = {
        let (run, query, last) = (run.clone(), query.clone(), last.clone());
        Callback::from(move |e: Event| {
            let Some(f) = first_file(&e) else { return };
            *last.borrow_mut() = Last::File(f);
            query.set(TextQuery {
                sample: None,
                ..(*query).clone()
            });
            run.emit(query.settings.clone());
        })
    };
    let on_paste_input = {
        let paste = paste.clone();
        Callback::from(move |e: InputEvent| {
            *paste.borrow_mut() = e.target_unchecked_into::<HtmlTextAreaElement>().value();
        })
    };
    let on_paste_run = {
        let (run, query, last, paste) = (run.clone(), query.clone(), last.clone(), paste.clone());
        Callback::from(move |_: MouseEvent| {
            let text = paste.borrow().clone();
            if text.trim().is_empty() {
                return;
            }
            *last.borrow_mut() = Last::Pasted(text);
            query.set(TextQuery {
                sample: None,
                ..(*query).clone()
            });
            run.emit(query.settings.clone());
        })
    };
    // A setting typed: checked by the engine's one check, then the last input runs again.
    let commit =
        |field: &'static str,
         apply: fn(&mut TextSettings, &str) -> std::result::Result<(), String>| {
            let (run, query, settings_error) = (run.clone(), query.clone(), settings_error.clone());
            Callback::from(move |text: String| {
                let mut s = query.settings.clone();
                match apply(&mut s, text.trim()).and_then(|()| s.check().map_err(|e| e.to_string()))
                {
                    Ok(()) => {
                        if settings_error.as_ref().is_some_and(|(f, _)| *f == field) {
                            settings_error.set(None);
                        }
                        query.set(TextQuery {
                            settings: s.clone(),
                            ..(*query).clone()
                        });
                        run.emit(s);
                    }
                    Err(e) => settings_error.set(Some((field, e))),
                }
            })
        };
    let on_prefixes = commit("Prefix lengths", |s, t| {
        s.prefix_lengths = parse_prefix_lengths(t)?;
        Ok(())
    });
    let on_span = commit("Extracted span", |s, t| {
        s.extracted_span = t
            .parse()
            .map_err(|_| format!("`{t}` is not a whole number of characters."))?;
        Ok(())
    });
    let on_k = commit("Min-K% share k", |s, t| {
        s.k = t
            .parse()
            .map_err(|_| format!("`{t}` is not a share such as 0.2."))?;
        Ok(())
    });
    let on_sort = {
        let query = query.clone();
        Callback::from(move |m: PairMetric| {
            query.set(TextQuery {
                sort: m,
                ..(*query).clone()
            })
        })
    };
    let on_log = {
        let query = query.clone();
        Callback::from(move |log: bool| {
            query.set(TextQuery {
                log_roc: log,
                ..(*query).clone()
            })
        })
    };
    let samples = TEXT_SAMPLES.iter().map(|s| {
        let current = query.sample.as_deref() == Some(s.id);
        sample_item(
            s,
            format!("text-sample-{}", s.id),
            current,
            false,
            &run_sample,
        )
    });
    let st = &query.settings;
    let lengths: Vec<String> = st.prefix_lengths.iter().map(|l| l.to_string()).collect();
    let busy = job.busy().cloned();
    let body = (*result).clone().map(|r| {
        let mode = match &r.shown {
            Shown::Prompts(_) => "prompts",
            Shown::Pairs(..) => "pairs",
            Shown::Logprobs(..) => "logprobs",
            Shown::Canaries(_) => "canaries",
        };
        let content = match &r.shown {
            Shown::Prompts(b) => html! { <PromptsResults book={b.clone()} source_name={r.source_name.clone()} /> },
            Shown::Pairs(a, e, d) => html! {
                <PairsResults audit={a.clone()} excerpts={e.clone()} distributions={d.clone()} sort={query.sort}
                    on_sort={on_sort.clone()} window_width={window_width} />
            },
            Shown::Logprobs(a, h) => html! {
                <LogprobResults audit={a.clone()} histograms={h.clone()} log_roc={query.log_roc} on_log={on_log.clone()} window_width={window_width} />
            },
            Shown::Canaries(a) => html! { <CanaryResults audit={a.clone()} /> },
        };
        html! {
            <div data-testid="text-results" data-mode={mode} data-scoring-ms={r.scoring_ms.to_string()} data-scoring-workers={r.workers.to_string()}>
                <p class="muted small">{format!(
                    "{}: audited in {} s in {}.",
                    r.source_name,
                    sig(r.scoring_ms / 1000.0, 2),
                    if r.workers > 1 { "this tab's two workers" } else { "this tab's worker" },
                )}</p>
                {content}
            </div>
        }
    });
    html! {
        <div class="layout" hidden={!props.visible}>
            <aside class="side">
                <section class="panel controls" aria-label="Texts to audit">
                    <h2>{"Text & LLMs"}</h2>
                    <p class="muted small">{"Does a language model reproduce its training texts word for word, and can an attacker tell its training texts from others? Bring the model's outputs as a file: the page never calls a model, and nothing is sent."}</p>
                    <label class="control">
                        <span class="control-head"><span>{"Texts or pairs (CSV)"}</span></span>
                        <small>{"id,text (optional member) to build prompts; or id,reference,model_output (optional member, prefix_length) for the verbatim test."}</small>
                        <input type="file" accept=".csv,text/csv" onchange={on_file.clone()} data-testid="text-input" />
                    </label>
                    <label class="control">
                        <span class="control-head"><span>{"Token log-probs (CSV)"}</span></span>
                        <small>{"id,member,text,token_logprobs (a space-separated or JSON list), optional ref_token_logprobs or ref_loss from a reference model. Or canary candidates: canary_id,log_perplexity,is_canary."}</small>
                        <input type="file" accept=".csv,text/csv" onchange={on_file} data-testid="text-logprob-input" />
                    </label>
                    <label class="control">
                        <span class="control-head"><span>{"Or paste"}</span></span>
                        <small>{"Texts separated by blank lines (to build prompts), or a CSV with its header."}</small>
                        <textarea rows="4" oninput={on_paste_input} data-testid="text-paste" aria-label="Pasted texts" />
                        <button onclick={on_paste_run} data-testid="text-paste-run">{"Audit the pasted text"}</button>
                    </label>
                    <h3>{"Settings"}</h3>
                    <label class="control">
                        <span class="control-head"><span>{"Prefix lengths (characters)"}</span></span>
                        <TextField value={lengths.join(",")} on_commit={on_prefixes} inputmode="text" testid="text-prefixes" label="Prefix lengths in characters" />
                    </label>
                    <label class="control">
                        <span class="control-head"><span>{"Extracted span (characters)"}</span></span>
                        <TextField value={st.extracted_span.to_string()} on_commit={on_span} inputmode="numeric" testid="text-span" label="Extracted span in characters" />
                    </label>
                    <label class="control">
                        <span class="control-head"><span>{"Min-K% share k"}</span></span>
                        <TextField value={format!("{}", st.k)} on_commit={on_k} testid="text-k" label="Min-K% share of tokens" />
                    </label>
                    if let Some((f, e)) = &*settings_error { <p class="field-error" role="alert" data-testid="text-settings-error">{format!("{f}: {e}")}</p> }
                    <h3>{"Or a sample"}</h3>
                    <ul class="samples">{ for samples }</ul>
                </section>
                if let Some(b) = busy { <ProgressBar busy={b} on_cancel={job.on_cancel()} /> }
            </aside>
            <main class="main">
                if let Some(e) = job.failure() {
                    <div class="load-error" role="alert" data-testid="text-error"><strong>{"The text could not be audited. "}</strong>{e.to_string()}</div>
                }
                if job.status().cancelled { <p class="notice">{"Stopped. Pick a file or a sample again."}</p> }
                if let Some(b) = body { {b} } else {
                    <div class="placeholder">{"Pick a sample or a file. The audit runs in a background worker."}</div>
                }
            </main>
        </div>
    }
}
