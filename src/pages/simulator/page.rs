//! The simulator view: controls on the left; the attack on the simulated scores, the closed form
//! and the gap sweep on the right. Every number comes from the same engine functions as the CSV
//! audit, computed in the worker.

use std::rc::Rc;

use mia_engine::simulator::{Family, SimulationParams};
use mia_engine::Signal;
use yew::prelude::*;

use crate::widgets::chart_canvas::chart_width;

use crate::format::{count, sig};
use crate::hooks::use_worker_job;
use crate::pages::simulator::controls::SimulatorControls;
use crate::pages::simulator::state::{SimAction, SimState};
use crate::pages::simulator::sweep_chart::SweepChart;
use crate::protocol::{JobRequest, Stage};
use crate::route::simulator::SimulatorQuery;
use crate::route::{self, UrlState, View, ViewQuery};
use crate::widgets::headline_metrics::{attack_cards, card, risk_card};
use crate::widgets::histogram_chart::HistogramChart;
use crate::widgets::progress_bar::ProgressBar;
use crate::widgets::risk_panel::RiskPanel;
use crate::widgets::roc_chart::RocChart;

#[derive(Properties, PartialEq)]
pub struct SimulatorPageProps {
    pub visible: bool,
    pub window_width: f64,
    pub url: Rc<UrlState>,
    /// "Use these scores": audit the current simulation in the audit view.
    pub on_use_scores: Callback<SimulationParams>,
}

#[component]
pub fn SimulatorPage(props: &SimulatorPageProps) -> Html {
    let state = use_reducer(|| SimState {
        params: props.url.simulator.params,
        roc_log: props.url.simulator.roc_log,
        ..SimState::default()
    });
    let window_width = chart_width(props.visible, props.window_width);
    let job = {
        let d = state.dispatcher();
        use_worker_job(Callback::from(move |o| d.dispatch(SimAction::Finished(o))))
    };
    // Simulate whenever the parameters change, once the view has been shown.
    let shown_once = use_mut_ref(|| false);
    {
        let job = job.clone();
        let shown_once = shown_once.clone();
        use_effect_with((state.params, props.visible), move |(params, visible)| {
            if *visible || *shown_once.borrow() {
                *shown_once.borrow_mut() = true;
                job.run(
                    JobRequest::Simulate(*params),
                    "the simulation",
                    Stage::Simulating,
                );
            }
        });
    }
    // The URL follows the controls while this view is on screen.
    {
        use_effect_with(
            (state.params, state.roc_log, props.visible),
            |(params, roc_log, visible)| {
                if *visible {
                    let query = SimulatorQuery {
                        params: *params,
                        roc_log: *roc_log,
                    };
                    route::write(View::Simulator, &query.pairs());
                }
            },
        );
    }
    let on_params = {
        let d = state.dispatcher();
        Callback::from(move |p| d.dispatch(SimAction::SetParams(p)))
    };
    let on_threshold = {
        let d = state.dispatcher();
        Callback::from(move |t| d.dispatch(SimAction::SetThreshold(t)))
    };
    let on_roc_log = {
        let d = state.dispatcher();
        Callback::from(move |v| d.dispatch(SimAction::SetRocLog(v)))
    };
    let on_use = {
        let cb = props.on_use_scores.clone();
        let params = state.params;
        Callback::from(move |_: MouseEvent| cb.emit(params))
    };
    let p = state.params;
    let busy = job.busy().cloned();
    let results = state.outcome.as_ref().map(|o| {
        let r = &o.report;
        let threshold = r.shown_threshold(state.threshold, 0.5);
        let (tpr, fpr, acc) = r.roc.at_threshold(threshold);
        let mut cards = attack_cards(r);
        cards.insert(1, match o.analytic_auc {
            Some(a) => card("metric-analytic-auc", "AUC, closed form", html! { sig(a, 4) }, a.to_string(),
                html! { format!("Φ(gap / (std·√2)) for unclipped normals; simulated − closed form = {}", sig(r.auc - a, 2)) }),
            None => card("metric-analytic-auc", "AUC, closed form", html! { "–" }, "n/a".into(),
                html! { "no closed form for the beta family" }),
        });
        cards.push(risk_card(r));
        let stale = o.params != p;
        html! {
            <div class={classes!("audit", stale.then_some("stale"))}>
                <div class="audit-head">
                    <h2>{"Attack on the simulated scores"}</h2>
                    <p class="muted" data-testid="sim-summary">{format!(
                        "{} members with mean confidence {}, {} non-members with mean {}, spread {}, {} family, seed {}",
                        count(o.params.n_members as u64), sig(o.params.member_mean(), 3), count(o.params.n_nonmembers as u64),
                        sig(o.params.nonmember_mean, 3), o.params.std, o.params.family.key(), o.params.seed)}</p>
                </div>
                <section class="metrics" aria-label="Headline figures">{ for cards }</section>
                <RiskPanel risk={r.risk} auc={r.auc} signal={Signal::Confidence} />
                <div class="charts">
                    <HistogramChart histogram={r.histogram.clone()} signal={Signal::Confidence} threshold={threshold}
                        rates={(tpr, fpr, acc)} on_threshold={on_threshold.clone()} window_width={window_width} />
                    <RocChart roc={Rc::new(r.roc.clone())} signal={Signal::Confidence} auc={r.auc} point={(fpr, tpr)}
                        window_width={window_width} log={state.roc_log} on_log={on_roc_log.clone()}
                        reference={o.analytic_roc.clone().map(Rc::new)} />
                </div>
                <SweepChart points={Rc::new(o.sweep.clone())} gap={o.params.gap} n_per_side={(o.params.n_members, o.params.n_nonmembers)} window_width={window_width} />
            </div>
        }
    });
    html! {
        <div class="layout" hidden={!props.visible}>
            <aside class="side">
                <SimulatorControls params={p} hidden={props.url.hidden.clone()} on_change={on_params} />
                if let Some(b) = busy {
                    <ProgressBar busy={b} on_cancel={job.on_cancel()} />
                }
                <button class="primary wide" onclick={on_use} data-testid="use-scores"
                    title="Open these simulated scores in the audit view, with every signal, table and chart">
                    {"Use these scores in the audit →"}</button>
                <section class="panel explain">
                    <h3>{"Why a gap leaks membership"}</h3>
                    <p>{"A model that fits its training data is more confident on it. Whatever the model, if members score higher on average, a threshold between the two groups separates them: the larger the gap relative to the spread, the better. For two normals the attack's AUC is exactly Φ(gap / (std·√2))."}</p>
                    <h3>{"Why look at TPR at low FPR"}</h3>
                    <p>{"AUC averages over all thresholds. A real attacker wants to be sure about a few people: how many members are caught while almost no non-members are falsely accused (Carlini et al. 2022). Use the log-log ROC to see that corner."}</p>
                    <h3>{"Risk levels"}</h3>
                    <p>{"From the AUC: above 0.55 medium, above 0.65 high, above 0.75 critical. The bands are shaded in the sweep chart."}</p>
                    if p.family == Family::Normal {
                        <p class="muted small">{"Clipped normal: scores outside [0, 1] are clipped to the ends, so with means near 1 the closed form (which ignores clipping) drifts from the simulation."}</p>
                    }
                </section>
            </aside>
            <main class="main">
                if let Some(e) = job.failure() {
                    <div class="load-error" role="alert" data-testid="sim-error"><strong>{"These settings cannot be simulated. "}</strong>{e.to_string()}</div>
                }
                { results.unwrap_or_else(|| html! { <div class="placeholder">{"Simulating…"}</div> }) }
            </main>
        </div>
    }
}
