//! The confidence-restriction view: what temperature, a confidence cap and rounding do to the
//! attack and to utility, on a model's own outputs.

use std::rc::Rc;

use mia_engine::restriction::RestrictionSetting;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::results::RestrictionResults;
use crate::hooks::use_worker_job;
use crate::protocol::job::RestrictOutcome;
use crate::protocol::{
    InputSource, JobRequest, RestrictRequest, RestrictionOutcome, Stage, Upload,
};
use crate::route::restrict::RestrictQuery;
use crate::route::{self, UrlState, View, ViewQuery};
use crate::samples::{DEFAULT_SAMPLE, SAMPLES};
use crate::widgets::chart_canvas::chart_width;
use crate::widgets::download::download_text;
use crate::widgets::form_events::{on_change_value, on_checked, on_input_value};
use crate::widgets::progress_bar::ProgressBar;

#[derive(Properties, PartialEq)]
pub struct RestrictionPageProps {
    pub visible: bool,
    pub window_width: f64,
    pub url: Rc<UrlState>,
}

#[component]
pub fn RestrictionPage(props: &RestrictionPageProps) -> Html {
    let setting = use_state(|| props.url.restrict.setting);
    let source = use_state(|| InputSource::Sample {
        id: props
            .url
            .restrict
            .sample
            .clone()
            .unwrap_or_else(|| DEFAULT_SAMPLE.to_string()),
    });
    let outcome = use_state(|| None::<Rc<RestrictionOutcome>>);
    let frontier_for = use_mut_ref(|| None::<InputSource>);
    // The picked file's handle: it goes with every request, so a replaced worker (which has
    // not kept the table) can read it again.
    let picked = use_mut_ref(|| None::<(Upload, web_sys::File)>);
    let window_width = chart_width(props.visible, props.window_width);

    let job = {
        let outcome = outcome.clone();
        use_worker_job(Callback::from(move |o: RestrictOutcome| match o {
            RestrictOutcome::Evaluated(o) => {
                let mut o = *o;
                // Keep the frontier of the same source when this answer has none.
                if o.frontier.is_none() {
                    if let Some(prev) = outcome.as_ref().filter(|p| p.source == o.source) {
                        o.frontier = prev.frontier.clone();
                    }
                }
                outcome.set(Some(Rc::new(o)));
            }
            RestrictOutcome::Csv(csv) => download_text("restricted_outputs.csv", "text/csv", &csv),
        }))
    };
    // Re-run whenever the setting or the source changes (once the view is shown).
    {
        let (job, frontier_for, picked) = (job.clone(), frontier_for.clone(), picked.clone());
        use_effect_with(
            ((*setting), (*source).clone(), props.visible),
            move |(setting, source, visible)| {
                if !*visible {
                    return;
                }
                let query = RestrictQuery {
                    sample: match source {
                        InputSource::Sample { id } => Some(id.clone()),
                        _ => None,
                    },
                    setting: *setting,
                };
                route::write(View::Restrict, &query.pairs());
                let frontier = frontier_for.borrow().as_ref() != Some(source);
                if frontier {
                    *frontier_for.borrow_mut() = Some(source.clone());
                }
                if let (InputSource::Upload(u), Some((p, file))) =
                    (source, picked.borrow().as_ref())
                {
                    if u == p {
                        u.reattach(file.clone());
                    }
                }
                let request = RestrictRequest::Evaluate {
                    source: source.clone(),
                    setting: *setting,
                    frontier,
                };
                job.run(
                    JobRequest::Restrict(request),
                    source.display_name(),
                    Stage::Reading,
                );
            },
        );
    }
    let update = |f: fn(&mut RestrictionSetting, &str)| {
        let setting = setting.clone();
        Callback::from(move |v: String| {
            let mut s = *setting;
            f(&mut s, &v);
            setting.set(s);
        })
    };
    let on_sample = {
        let source = source.clone();
        Callback::from(move |e: Event| {
            let id = e.target_unchecked_into::<HtmlSelectElement>().value();
            source.set(InputSource::Sample { id });
        })
    };
    // A picked file goes to the worker as a handle; the worker reads it in slices and keeps
    // its table while the controls move.
    let on_file = {
        let (source, picked) = (source.clone(), picked.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(f) = input.files().and_then(|l| l.get(0)) {
                let upload = Upload::attach(f.clone());
                *picked.borrow_mut() = Some((upload.clone(), f));
                source.set(InputSource::Upload(upload));
            }
        })
    };
    let export_json = {
        let setting = setting.clone();
        Callback::from(move |_: MouseEvent| {
            download_text(
                "restriction_setting.json",
                "application/json",
                &setting.to_json(),
            )
        })
    };
    let export_csv = {
        let (job, setting, source) = (job.clone(), setting.clone(), source.clone());
        Callback::from(move |_: MouseEvent| {
            let request = RestrictRequest::Export { setting: *setting };
            job.run(
                JobRequest::Restrict(request),
                source.display_name(),
                Stage::Reading,
            );
        })
    };
    let s = *setting;
    let sample_id = match &*source {
        InputSource::Sample { id } => id.clone(),
        _ => "file".into(),
    };
    let controls = html! {
        <section class="panel controls" aria-label="Restriction settings">
            <h2>{"Restrict the outputs"}</h2>
            <p class="muted small">{"Post-process what the model returns before anyone sees it, then see what the attack and the users get."}</p>
            <label class="control">
                <span class="control-head"><span>{"Model outputs"}</span></span>
                <select onchange={on_sample} data-testid="restrict-sample">
                    { for SAMPLES.iter().map(|x| html! { <option value={x.id} selected={sample_id == x.id}>{x.title}</option> }) }
                    if sample_id == "file" { <option value="file" selected=true>{source.display_name()}</option> }
                </select>
                <small>{"or your own CSV with logit_* (or prob_*) and label columns:"}</small>
                <input type="file" accept=".csv,text/csv" onchange={on_file} data-testid="restrict-file" />
            </label>
            <label class="control">
                <span class="control-head"><span>{"Temperature T"}</span><output data-testid="value-temperature">{format!("{:.1}", s.temperature)}</output></span>
                <input type="range" min="0.5" max="10" step="0.1" value={s.temperature.to_string()} disabled={s.label_only}
                    oninput={on_input_value(update(|s, v| if let Ok(t) = v.parse() { s.temperature = t }))} data-testid="restrict-temperature" />
                <small>{"softmax(logits / T): above 1 flattens the outputs"}</small>
            </label>
            <label class="control">
                <span class="control-head">
                    <span><input type="checkbox" checked={s.max_confidence.is_some()} disabled={s.label_only} data-testid="restrict-cap-on"
                        onchange={on_checked(update(|s, v| s.max_confidence = (v == "true").then_some(s.max_confidence.unwrap_or(0.95))))} />{" Cap the confidence"}</span>
                    <output>{s.max_confidence.map_or("off".to_string(), |c| format!("{c:.2}"))}</output>
                </span>
                if s.max_confidence.is_some() {
                    <input type="range" min="0.5" max="1" step="0.01" value={s.max_confidence.unwrap_or(1.0).to_string()} disabled={s.label_only}
                        oninput={on_input_value(update(|s, v| if let Ok(c) = v.parse() { s.max_confidence = Some(c) }))} data-testid="restrict-cap" />
                }
                <small>{"every probability at most this, then renormalised"}</small>
            </label>
            <label class="control">
                <span class="control-head"><span>{"Round to"}</span></span>
                <select disabled={s.label_only} onchange={on_change_value(update(|s, v| s.precision = v.parse().ok()))} data-testid="restrict-precision">
                    <option value="off" selected={s.precision.is_none()}>{"no rounding"}</option>
                    { for (1..=6u32).map(|p| html! { <option value={p.to_string()} selected={s.precision == Some(p)}>{format!("{p} decimal{}", if p == 1 { "" } else { "s" })}</option> }) }
                </select>
            </label>
            <label class="map-check"><input type="checkbox" checked={s.label_only} onchange={on_checked(update(|s, v| s.label_only = v == "true"))} data-testid="restrict-label-only" />
                {"Return the top-1 label only"}</label>
            <div class="seed-row">
                <button type="button" onclick={export_json} data-testid="export-setting">{"Export setting (JSON)"}</button>
                <button type="button" onclick={export_csv} data-testid="export-restricted">{"Restricted CSV"}</button>
            </div>
        </section>
    };
    let busy_bar = job.busy().cloned();
    html! {
        <div class="layout" hidden={!props.visible}>
            <aside class="side">
                {controls}
                if let Some(b) = busy_bar { <ProgressBar busy={b} on_cancel={job.on_cancel()} /> }
                <section class="panel explain">
                    <h3>{"What restriction can and cannot do"}</h3>
                    <p>{"Flattening, capping and rounding hide the small confidence differences a threshold attack reads. They do not change which class is predicted, so an attacker who only checks whether the model got a record right (“member iff correctly classified”) is untouched: restriction is no substitute for training with differential privacy."}</p>
                    <p>{"Too much temperature or too coarse rounding makes the scores useless to honest users: watch the agreement and the calibration."}</p>
                </section>
            </aside>
            <main class="main">
                if let Some(e) = job.failure() {
                    <div class="load-error" role="alert" data-testid="restrict-error"><strong>{"These outputs cannot be restricted. "}</strong>{e.to_string()}</div>
                }
                { match &*outcome {
                    Some(o) => html! { <RestrictionResults outcome={o.clone()} window_width={window_width} /> },
                    None => html! { <div class="placeholder">{"Restricting…"}</div> },
                } }
            </main>
        </div>
    }
}
