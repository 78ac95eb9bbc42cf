//! The report of one audited input: signal choice, headline figures, risk, charts and tables.

use std::rc::Rc;

use mia_engine::Signal;
use yew::prelude::*;

use crate::format::{count, duration};
use crate::pages::audit::exposed_table::ExposedTable;
use crate::pages::audit::glossary::Glossary;
use crate::pages::audit::model_facts::ModelFacts;
use crate::pages::audit::per_class_table::PerClassTable;
use crate::pages::audit::signal_table::SignalTable;
use crate::protocol::AuditOutcome;
use crate::widgets::headline_metrics::HeadlineMetrics;
use crate::widgets::histogram_chart::HistogramChart;
use crate::widgets::risk_panel::RiskPanel;
use crate::widgets::roc_chart::RocChart;

#[derive(Properties, PartialEq)]
pub struct AuditViewProps {
    pub outcome: Rc<AuditOutcome>,
    pub signal: Signal,
    pub threshold: Option<f64>,
    pub on_signal: Callback<Signal>,
    pub on_threshold: Callback<Option<f64>>,
    pub window_width: f64,
    pub roc_log: bool,
    pub on_roc_log: Callback<bool>,
}

#[component]
pub fn AuditView(props: &AuditViewProps) -> Html {
    let o = &props.outcome;
    let s = &o.report.summary;
    let Some(r) = o.report.signal(props.signal) else {
        return html! {};
    };
    let threshold = r.shown_threshold(props.threshold, r.histogram.lo);
    let (tpr, fpr, acc) = r.roc.at_threshold(threshold);
    let on_spread = (r.signal != Signal::LogitScaledConfidence
        && o.report.signal(Signal::LogitScaledConfidence).is_some())
    .then(|| {
        let on_signal = props.on_signal.clone();
        Callback::from(move |_| on_signal.emit(Signal::LogitScaledConfidence))
    });
    html! {
        <div class="audit">
            <div class="audit-head">
                <h2>{format!("Audit of {}", o.source.display_name())}</h2>
                <p class="muted" data-testid="summary-line">
                    {format!("{} records: {} members (in the training set), {} non-members", count(s.n_rows), count(s.n_members), count(s.n_nonmembers))}
                    {if s.n_classes > 0 { format!(" · {} classes", s.n_classes) } else { String::new() }}
                    {if s.has_logits { " · logits present" } else { "" }}
                </p>
                <p class="muted small" data-testid="timings-line">
                    {format!("Computed in this browser: read in {}{}, {} signals attacked in {}.",
                        duration(o.timings.read_ms),
                        if o.timings.read_by_workers >= 2 { " by two workers at once" } else { "" },
                        o.report.signals.len(), duration(o.timings.attack_ms))}
                </p>
            </div>
            <HeadlineMetrics report={r.clone()} summary={s.clone()} />
            <RiskPanel risk={r.risk} auc={r.auc} signal={r.signal} />
            <div class="charts">
                <HistogramChart histogram={r.histogram.clone()} signal={r.signal} threshold={threshold}
                    rates={(tpr, fpr, acc)} on_threshold={props.on_threshold.clone()} window_width={props.window_width} on_spread={on_spread} />
                <RocChart roc={Rc::new(r.roc.clone())} signal={r.signal} auc={r.auc} point={(fpr, tpr)} window_width={props.window_width}
                    log={props.roc_log} on_log={props.on_roc_log.clone()} />
            </div>
            <ModelFacts summary={s.clone()} report={r.clone()} />
            <SignalTable report={Rc::new(o.report.clone())} selected={props.signal} on_select={props.on_signal.clone()} />
            <div class="tables">
                <PerClassTable classes={r.per_class.clone()} />
                <ExposedTable records={r.most_exposed.clone()} signal={r.signal} />
            </div>
            <Glossary />
        </div>
    }
}
