//! The query-log monitor view: a bundled log at once, or a picked one read by the worker in
//! slices; the detector's thresholds (the seed design's by default, each editable); the per-key
//! table, a key's timeline and most repeated inputs; and the exports: the table as CSV, the
//! report as JSON, the seed's alert rules with the thresholds chosen here, and the metrics those
//! rules read in Prometheus' text format.

use std::rc::Rc;

use mia_engine::monitor::export::{key_metrics, keys_csv, report_json};
use mia_engine::monitor::rules::prom_duration;
use mia_engine::monitor::{
    alert_rules_yaml, exposition, DetectorSettings, RepeatScope, RuleSettings,
};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::key_detail::KeyDetail;
use super::key_table::{iso, KeyTable};
use crate::format::{count, sig};
use crate::hooks::use_worker_job;
use crate::protocol::{JobRequest, MonitorOutcome, MonitorRequest, MonitorSource, Stage, Upload};
use crate::route::monitor::MonitorQuery;
use crate::route::{self, UrlState, View, ViewQuery};
use crate::samples::{monitor_sample_title, MONITOR_SAMPLES};
use crate::widgets::chart_canvas::chart_width;
use crate::widgets::download::download_text;
use crate::widgets::headline_metrics::card;
use crate::widgets::progress_bar::ProgressBar;
use crate::widgets::sample_list::sample_item;
use crate::widgets::text_field::TextField;

#[derive(Properties, PartialEq)]
pub struct MonitorPageProps {
    pub visible: bool,
    pub window_width: f64,
    pub url: Rc<UrlState>,
}

/// What the last run read, to run again when a threshold changes.
#[derive(Clone, Default)]
enum Last {
    #[default]
    Nothing,
    Sample(String),
    File(web_sys::File),
}

/// A setting from its text: `Err` names what to type.
type Apply = fn(&mut DetectorSettings, &str) -> Result<(), String>;

fn parse<T: std::str::FromStr>(t: &str, what: &str) -> Result<T, String> {
    t.parse().map_err(|_| format!("`{t}` is not {what}."))
}

#[component]
pub fn MonitorPage(props: &MonitorPageProps) -> Html {
    let query = use_state(|| props.url.monitor.clone());
    let outcome = use_state(|| None::<Rc<MonitorOutcome>>);
    let last = use_mut_ref(Last::default);
    let started = use_mut_ref(|| false);
    // The field whose typed value was refused, and why (a valid entry elsewhere keeps it).
    let settings_error = use_state(|| None::<(String, String)>);
    let rules = use_state(RuleSettings::default);
    let rules_error = use_state(|| None::<String>);
    let window_width = chart_width(props.visible, props.window_width);
    let job = {
        let outcome = outcome.clone();
        use_worker_job(Callback::from(move |o: Box<MonitorOutcome>| {
            outcome.set(Some(Rc::new(*o)))
        }))
    };
    {
        let q = (*query).clone();
        use_effect_with((q, props.visible), |(q, visible)| {
            if *visible {
                route::write(View::Monitor, &q.pairs());
            }
        });
    }
    let run = {
        let (job, last) = (job.clone(), last.clone());
        Callback::from(move |settings: DetectorSettings| {
            let (source, name) = match &*last.borrow() {
                Last::Nothing => return,
                Last::Sample(id) => (
                    MonitorSource::Sample { id: id.clone() },
                    monitor_sample_title(id).to_string(),
                ),
                Last::File(f) => (MonitorSource::Upload(Upload::attach(f.clone())), f.name()),
            };
            job.run(
                JobRequest::Monitor(MonitorRequest { source, settings }),
                name,
                Stage::Reading,
            );
        })
    };
    let run_sample = {
        let (run, query, last) = (run.clone(), query.clone(), last.clone());
        Callback::from(move |id: String| {
            *last.borrow_mut() = Last::Sample(id.clone());
            query.set(MonitorQuery {
                sample: Some(id),
                ..(*query).clone()
            });
            run.emit(query.settings);
        })
    };
    {
        let (run_sample, started, sample) =
            (run_sample.clone(), started.clone(), query.sample.clone());
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
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(f) = input.files().and_then(|l| l.get(0)) else {
                return;
            };
            *last.borrow_mut() = Last::File(f);
            query.set(MonitorQuery {
                sample: None,
                key: None,
                ..(*query).clone()
            });
            run.emit(query.settings);
        })
    };
    // A threshold typed: checked by the engine's one check, then the log is replayed again.
    let commit = |field: &str, apply: Apply| {
        let (run, query, settings_error) = (run.clone(), query.clone(), settings_error.clone());
        let field = field.to_string();
        Callback::from(move |text: String| {
            let mut s = query.settings;
            match apply(&mut s, text.trim())
                .and_then(|()| s.check().map(|_| ()).map_err(|e| e.to_string()))
            {
                Ok(()) => {
                    if settings_error.as_ref().is_some_and(|(f, _)| *f == field) {
                        settings_error.set(None);
                    }
                    query.set(MonitorQuery {
                        settings: s,
                        ..(*query).clone()
                    });
                    run.emit(s);
                }
                Err(e) => settings_error.set(Some((field.clone(), e))),
            }
        })
    };
    let on_scope = {
        let (run, query) = (run.clone(), query.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let mut s = query.settings;
            s.repeat_scope = if v == "all_time" {
                RepeatScope::AllTime
            } else {
                RepeatScope::Window
            };
            query.set(MonitorQuery {
                settings: s,
                ..(*query).clone()
            });
            run.emit(s);
        })
    };
    let rule_commit = |list: fn(&mut RuleSettings, &str) -> Result<(), String>| {
        let (rules, rules_error) = (rules.clone(), rules_error.clone());
        Callback::from(move |text: String| {
            let mut r = (*rules).clone();
            match list(&mut r, text.trim()) {
                Ok(()) => {
                    rules_error.set(None);
                    rules.set(r);
                }
                Err(e) => rules_error.set(Some(e)),
            }
        })
    };
    let on_select = {
        let query = query.clone();
        Callback::from(move |key: String| {
            query.set(MonitorQuery {
                key: Some(key),
                ..(*query).clone()
            })
        })
    };
    let s = query.settings;
    let field = |label: &str, value: String, apply: Apply, testid: &str, help: &str| {
        html! {
            <label class="control">
                <span class="control-head"><span>{label.to_string()}</span></span>
                <TextField value={value} on_commit={commit(label, apply)} testid={testid.to_string()} label={label.to_string()} />
                <small>{help.to_string()}</small>
            </label>
        }
    };
    let samples = MONITOR_SAMPLES.iter().map(|x| {
        let current = query.sample.as_deref() == Some(x.id);
        sample_item(
            x,
            format!("monitor-sample-{}", x.id),
            current,
            false,
            &run_sample,
        )
    });
    let busy = job.busy().cloned();
    let body = (*outcome).clone().map(|o| {
        let r = &o.report;
        // The settings of the replay shown (a new one may still be running with the edited ones).
        let s = &r.settings;
        let selected = query
            .key
            .clone()
            .filter(|k| r.keys.iter().any(|x| &x.api_key == k))
            .or_else(|| {
                r.keys
                    .iter()
                    .filter(|k| k.first_flagged_at.is_some())
                    .max_by(|a, b| a.peak_risk.total_cmp(&b.peak_risk))
                    .map(|k| k.api_key.clone())
            });
        let detail = selected.as_ref().and_then(|k| r.keys.iter().find(|x| &x.api_key == k)).cloned();
        let checked = r.settings.check().ok();
        let downloads = {
            let stem = o.source_name.trim_end_matches(".csv").replace([' ', '/'], "_");
            let (r1, r2, r3) = (o.clone(), o.clone(), o.clone());
            let rules = (*rules).clone();
            let (n1, n2, n3, n4) = (format!("monitor-{stem}.csv"), format!("monitor-{stem}.json"), "membership-inference-rules.yml".to_string(), format!("monitor-{stem}.prom"));
            html! {
                <div class="button-row">
                    <button onclick={Callback::from(move |_: MouseEvent| download_text(&n1, "text/csv", &keys_csv(&r1.report)))} data-testid="monitor-download-csv">{"Table (CSV)"}</button>
                    <button onclick={Callback::from(move |_: MouseEvent| download_text(&n2, "application/json", &report_json(&r2.report)))} data-testid="monitor-download-json">{"Report (JSON)"}</button>
                    if let Some(c) = checked {
                        <button class="primary" onclick={Callback::from(move |_: MouseEvent| download_text(&n3, "application/yaml", &alert_rules_yaml(&c, &rules)))} data-testid="monitor-download-rules">{"Prometheus rules (YAML)"}</button>
                        <button onclick={Callback::from(move |_: MouseEvent| download_text(&n4, "text/plain", &exposition(&key_metrics(&r3.report), &c)))} data-testid="monitor-download-metrics">{"Metrics (exposition)"}</button>
                    }
                </div>
            }
        };
        let flagged_now = r.final_actions.monitor + r.final_actions.block;
        let cards = vec![
            card("monitor-queries", "Queries", html! { count(r.n_queries) }, r.n_queries.to_string(),
                html! { format!("{} keys, {} to {}{}", count(r.keys.len() as u64), iso(r.first_time), iso(r.last_time),
                    if r.out_of_order > 0 { format!("; {} rows out of order, sorted", count(r.out_of_order)) } else { String::new() }) }),
            card("monitor-ever-flagged", "Keys ever flagged", html! { count(r.ever_flagged) }, r.ever_flagged.to_string(),
                html! { "monitor or block after some query, replayed in time order" }),
            card("monitor-flagged-now", "Flagged at the end", html! { format!("{} block, {} monitor", r.final_actions.block, r.final_actions.monitor) }, flagged_now.to_string(),
                html! { "each key's action after its last query" }),
        ];
        html! {
            <div data-testid="monitor-results" data-read-ms={o.read_ms.to_string()} data-replay-ms={o.replay_ms.to_string()}>
                <p class="muted small">{format!("{}: read in {} s and replayed in {} s in this tab's worker.", o.source_name, sig(o.read_ms / 1000.0, 2), sig(o.replay_ms / 1000.0, 2))}</p>
                <section class="panel">
                    <h3>{"Who would have been flagged"}</h3>
                    <div class="metrics">{ for cards }</div>
                    <p class="muted small">{format!(
                        "Per API key, over a sliding window of {} s: an input repeated more than {} times counts as repeated, and more than {} repeated inputs is suspicious (an attacker averaging away noise on the same records); a distinct share above {} of more than {} queries in the window is suspicious too (a sweep building shadow data). Risk is half of each; monitor above {}, block above {}. {}",
                        s.window_seconds, s.repeat_threshold, s.repeated_inputs_threshold, s.diversity_threshold, s.min_total, s.monitor_risk, s.block_risk,
                        match s.repeat_scope { RepeatScope::Window => "The repeat counts use the window too (the seed's counter never forgets: pick all-time for its figures).", RepeatScope::AllTime => "The repeat counts are all-time, as the seed's never-pruned counter: old repeats still count." })}</p>
                    <KeyTable outcome={o.clone()} selected={selected.clone()} on_select={on_select.clone()} />
                    {downloads}
                </section>
                if let Some(k) = detail {
                    <KeyDetail key_report={k} monitor_risk={s.monitor_risk} block_risk={s.block_risk} window_width={window_width} />
                }
            </div>
        }
    });
    let rl = &*rules;
    let fors: Vec<String> = rl
        .alerts()
        .iter()
        .map(|a| prom_duration(a.for_seconds))
        .collect();
    let severities: Vec<String> = rl.alerts().iter().map(|a| a.severity.clone()).collect();
    html! {
        <div class="layout" hidden={!props.visible}>
            <aside class="side">
                <section class="panel controls" aria-label="Query log">
                    <h2>{"Monitor queries"}</h2>
                    <p class="muted small">{"An attacker probing a deployed model leaves traces in its logs: the same record asked again and again, or thousands of distinct inputs swept. Replay your API's query log to see which keys would have been flagged, and when. The log is read here; nothing is sent."}</p>
                    <label class="control">
                        <span class="control-head"><span>{"Query log (CSV)"}</span></span>
                        <small>{"api_key, input_hash (or input, hashed with SHA-256 here) and timestamp (Unix seconds, or ISO 8601 with a zone). Rows may be out of order. Large logs stream."}</small>
                        <input type="file" accept=".csv,text/csv" onchange={on_file} data-testid="monitor-input" />
                    </label>
                    <h3>{"Thresholds"}</h3>
                    <p class="muted small">{"The seed design's values by default."}</p>
                    {field("Window (seconds)", format!("{}", s.window_seconds), |s, t| { s.window_seconds = parse(t, "a number of seconds")?; Ok(()) }, "monitor-window", "3600: one hour")}
                    {field("Repeated: queried more than", s.repeat_threshold.to_string(), |s, t| { s.repeat_threshold = parse(t, "a whole number")?; Ok(()) }, "monitor-repeat", "times (3)")}
                    {field("Suspicious: more repeated inputs than", s.repeated_inputs_threshold.to_string(), |s, t| { s.repeated_inputs_threshold = parse(t, "a whole number")?; Ok(()) }, "monitor-repeated", "10")}
                    {field("Diversity above", format!("{}", s.diversity_threshold), |s, t| { s.diversity_threshold = parse(t, "a share from 0 to 1")?; Ok(()) }, "monitor-diversity", "unique / queries in the window (0.9)")}
                    {field("… with more queries than", s.min_total.to_string(), |s, t| { s.min_total = parse(t, "a whole number")?; Ok(()) }, "monitor-min-total", "100")}
                    {field("Monitor above risk", format!("{}", s.monitor_risk), |s, t| { s.monitor_risk = parse(t, "a risk from 0 to 1")?; Ok(()) }, "monitor-monitor-risk", "0.3")}
                    {field("Block above risk", format!("{}", s.block_risk), |s, t| { s.block_risk = parse(t, "a risk from 0 to 1")?; Ok(()) }, "monitor-block-risk", "0.7")}
                    <label class="control">
                        <span class="control-head"><span>{"Repeat counts over"}</span></span>
                        <select onchange={on_scope} data-testid="monitor-scope" aria-label="Repeat counts over">
                            <option value="window" selected={s.repeat_scope == RepeatScope::Window}>{"the window (as total and unique)"}</option>
                            <option value="all_time" selected={s.repeat_scope == RepeatScope::AllTime}>{"all time (the seed's unpruned counter)"}</option>
                        </select>
                    </label>
                    if let Some((f, e)) = &*settings_error { <p class="field-error" role="alert" data-testid="monitor-settings-error">{format!("{f}: {e}")}</p> }
                    <h3>{"Alert rules"}</h3>
                    <label class="control">
                        <span class="control-head"><span>{"for (repeated, diversity, risk)"}</span></span>
                        <TextField value={fors.join(",")} on_commit={rule_commit(|r, t| r.set_for_list(t).map_err(|e| e.to_string()))} inputmode="text" testid="monitor-rule-for" label="How long each alert's condition must hold" />
                    </label>
                    <label class="control">
                        <span class="control-head"><span>{"severity (repeated, diversity, risk)"}</span></span>
                        <TextField value={severities.join(",")} on_commit={rule_commit(|r, t| r.set_severity_list(t).map_err(|e| e.to_string()))} inputmode="text" testid="monitor-rule-severity" label="Each alert's severity" />
                    </label>
                    if let Some(e) = &*rules_error { <p class="field-error" role="alert" data-testid="monitor-rules-error">{e.clone()}</p> }
                    <h3>{"Or a sample"}</h3>
                    <ul class="samples">{ for samples }</ul>
                </section>
                if let Some(b) = busy { <ProgressBar busy={b} on_cancel={job.on_cancel()} /> }
            </aside>
            <main class="main">
                if let Some(e) = job.failure() {
                    <div class="load-error" role="alert" data-testid="monitor-error"><strong>{"The log could not be replayed. "}</strong>{e.to_string()}</div>
                }
                if job.status().cancelled { <p class="notice">{"Stopped. Pick a log or the sample again."}</p> }
                if let Some(b) = body { {b} } else {
                    <div class="placeholder">{"Pick a query log or the sample. It is replayed in a background worker."}</div>
                }
            </main>
        </div>
    }
}
