//! The comparison: every variant's figures side by side (the target-only threshold attack first),
//! all on one ROC, the records the strongest variant finds most exposed, the diagnostics, and what
//! the read or the training left to know.

use std::rc::Rc;

use mia_engine::reference_attack::{ReferenceReport, Variant};
use mia_engine::RocCurve;
use yew::prelude::*;

use crate::format::{count, percent, sig};
use crate::pages::lira::diagnostics::LiraDiagnostics;
use crate::pages::lira::roc_chart::ReferenceRocChart;
use crate::protocol::LiraOutcome;
use crate::widgets::download::download_text;

#[derive(Properties, PartialEq)]
pub struct LiraResultsProps {
    pub outcome: Rc<LiraOutcome>,
    pub window_width: f64,
    pub log_roc: bool,
    pub on_log: Callback<bool>,
    /// The shown figures were made with other attack settings than the controls show.
    pub stale: bool,
}

/// A figure with its full precision in `data-value` for tests and scripts.
fn figure(testid: String, value: f64, digits: usize) -> Html {
    html! { <td class="num" data-testid={testid} data-value={value.to_string()}>{sig(value, digits)}</td> }
}

fn variant_table(report: &ReferenceReport) -> Html {
    let strongest = report.strongest().map(|(v, _)| v);
    let rows = report.variants.iter().map(|r| {
        let v = r.variant;
        let name = v.name();
        let head = html! {
            <td>
                <strong>{v.label()}</strong>
                if Some(v) == strongest { <span class="risk-badge critical strongest" title="highest TPR at 1 % FPR">{"strongest"}</span> }
                <div class="muted small">{v.assumes()}</div>
            </td>
        };
        match r.metrics() {
            Some(m) => {
                let tpr = |t: f64| m.tpr_at_fpr.iter().find(|x| x.target_fpr == t);
                let cell = |t: f64, id: Option<String>| match tpr(t) {
                    Some(x) if x.measurable => match id {
                        Some(id) => figure(id, x.tpr, 4),
                        None => html! { <td class="num">{sig(x.tpr, 4)}</td> },
                    },
                    // Fewer non-members than 1/FPR: one false positive already exceeds the rate.
                    Some(x) => html! { <td class="num muted" title="fewer non-members than 1/FPR: one false positive already exceeds this rate, so the figure is coarse" data-testid={id.unwrap_or_default()} data-value={x.tpr.to_string()}>{format!("{}*", sig(x.tpr, 4))}</td> },
                    None => html! { <td></td> },
                };
                html! {
                    <tr data-testid={format!("lira-row-{name}")}>
                        {head}
                        {figure(format!("lira-auc-{name}"), m.auc, 4)}
                        {cell(0.001, Some(format!("lira-tpr01-{name}")))}
                        {cell(0.01, Some(format!("lira-tpr1-{name}")))}
                        {cell(0.1, Some(format!("lira-tpr10-{name}")))}
                        {figure(format!("lira-adv-{name}"), m.attacker_advantage, 4)}
                    </tr>
                }
            }
            None => html! {
                <tr data-testid={format!("lira-row-{name}")} class="unavailable">
                    {head}
                    <td colspan="5" class="muted small" data-testid={format!("lira-unavailable-{name}")}>
                        {format!("Not available: {}.", r.outcome.as_ref().err().map(|e| e.to_string()).unwrap_or_default())}
                    </td>
                </tr>
            },
        }
    });
    html! {
        <section class="panel">
            <h3>{"Every attack on the same target"}</h3>
            <p class="muted">{"The first row is the threshold audit on the target's own output (φ, the logit-scaled confidence: the audit's confidence signal). The others add what reference models trained with and without each record say about it. The figure that matters for privacy is TPR at a low false-positive rate: how many members an attacker names while almost never wrong. * = fewer non-members than 1/FPR, so one false positive already exceeds the rate."}</p>
            <div class="table-scroll">
                <table class="signals lira-variants" data-testid="lira-table">
                    <thead><tr><th>{"Attack"}</th><th>{"AUC"}</th><th>{"TPR@0.1%"}</th><th>{"TPR@1%"}</th><th>{"TPR@10%"}</th><th>{"Advantage"}</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </section>
    }
}

fn exposed_table(outcome: &LiraOutcome) -> Html {
    let report = &outcome.report;
    let Some((strongest, _)) = report.strongest() else {
        return html! {};
    };
    let ran: Vec<(usize, Variant)> = report
        .variants
        .iter()
        .enumerate()
        .filter(|(_, r)| r.metrics().is_some())
        .map(|(k, r)| (k, r.variant))
        .collect();
    let rows = outcome.most_exposed.iter().take(20).map(|e| {
        html! {
            <tr>
                <td>{e.name.clone()}</td>
                <td>{if e.member { "member" } else { "non-member" }}</td>
                <td class="num">{e.n_in}</td>
                <td class="num">{e.n_out}</td>
                { for ran.iter().map(|(k, _)| html! { <td class="num">{e.scores[*k].map_or("–".to_string(), |s| sig(s, 4))}</td> }) }
            </tr>
        }
    });
    html! {
        <section class="panel">
            <h3>{format!("Most exposed records, by {}", strongest.label())}</h3>
            <p class="muted">{"The records the strongest attack is most sure were in the training set, with every attack's score (higher = more likely a member) and how many reference models trained with (IN) and without (OUT) each one."}</p>
            <div class="table-scroll">
                <table class="exposed" data-testid="lira-exposed">
                    <thead><tr><th>{"Record"}</th><th>{"Truth"}</th><th>{"IN"}</th><th>{"OUT"}</th>
                        { for ran.iter().map(|(_, v)| html! { <th title={v.label()}>{v.name()}</th> }) }</tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
pub fn LiraResults(props: &LiraResultsProps) -> Html {
    let o = &props.outcome;
    let r = &o.report;
    let report = use_memo(o.clone(), |o| o.report.clone());
    let curves = use_memo(o.clone(), |o| {
        o.report
            .variants
            .iter()
            .filter_map(|v| v.metrics().map(|m| (v.variant, m.roc.clone(), m.auc)))
            .collect::<Vec<(Variant, RocCurve, f64)>>()
    });
    let headline = r.strongest().map(|(v, m)| {
        let target = r.variant(Variant::TargetPhi);
        html! {
            <p class="lead" data-testid="lira-headline">
                {format!("The strongest attack, {}, names {} of members at 1 % FPR (AUC {})", v.label(), percent(m.tpr_at(0.01).unwrap_or(0.0)), sig(m.auc, 4))}
                { target.map(|t| format!("; the target-only threshold attack names {} (AUC {}).", percent(t.tpr_at(0.01).unwrap_or(0.0)), sig(t.auc, 4))).unwrap_or_else(|| ".".into()) }
            </p>
        }
    });
    let training = o.training.as_ref().map(|t| {
        let csv = t.csv.clone();
        let download = Callback::from(move |_: MouseEvent| download_text("reference_attack_input.csv", "text/csv", &csv));
        html! {
            <div class="notice" data-testid="lira-training">
                if t.trained < t.requested {
                    <p data-testid="lira-partial">{format!("Training was stopped after {} of {} reference models; these figures use those {}.", t.trained, t.requested, t.trained)}</p>
                }
                <p>{"The target and the reference models were trained in this page. Their outputs are one CSV: "}
                    <button class="link" onclick={download} data-testid="lira-download-csv">{"download it"}</button>
                    {" and run "}<code>{"mia lira reference_attack_input.csv"}</code>{" or your own Python to check every figure."}</p>
            </div>
        }
    });
    let skipped = (o.ingest.n_skipped > 0).then(|| html! {
        <details class="notice" data-testid="lira-skipped">
            <summary>{format!("{} of {} rows were skipped; the attacks use the other {}.", count(o.ingest.n_skipped), count(o.ingest.n_data_rows), count(o.ingest.n_kept))}</summary>
            <ul class="small">{ for o.ingest.problems.iter().map(|p| html! { <li>{p.to_string()}</li> }) }</ul>
        </details>
    });
    html! {
        <>
        <section class="panel" data-testid="lira-summary">
            <h2>{format!("Reference attacks on {}", o.source.display_name())}</h2>
            <p class="muted">{format!("{} records ({} members, {} non-members), M = {} reference models, φ from {}; RMIA's population: {} records ({}).",
                count(r.n_records as u64), count(r.n_members), count(r.n_nonmembers), r.m,
                if r.mode.name() == "logit" { "logits" } else { "probabilities" }, count(r.n_population as u64), r.population_source)}</p>
            {headline.unwrap_or_default()}
            <p class="muted small" data-testid="lira-timings" data-read-ms={o.timings.read_ms.to_string()} data-attack-ms={o.timings.attack_ms.to_string()} data-workers={o.timings.read_by_workers.to_string()} data-attack-workers={o.timings.attack_by_workers.to_string()} data-slices-read-here={o.timings.slices_read_here.map(|n| n.to_string())} data-attack-table={match (o.timings.attack_by_workers > 1, o.timings.attack_table_joined_there) { (false, _) => "one worker", (true, true) => "joined there", (true, false) => "copy sent" }}>
                {format!("{} in {}{}, every attack in {}{}, in this browser.", if o.training.is_some() { "Trained" } else { "Read" }, crate::format::duration(o.timings.read_ms),
                    if o.timings.read_by_workers > 1 { " by two workers at once" } else { "" }, crate::format::duration(o.timings.attack_ms),
                    if o.timings.attack_by_workers > 1 { " by two workers at once" } else { "" })}
            </p>
            if props.stale { <p class="notice">{"The attack settings changed; the figures below are from the previous settings and are being recomputed."}</p> }
        </section>
        {training.unwrap_or_default()}
        {skipped.unwrap_or_default()}
        {variant_table(r)}
        <section class="panel">
            <h3>{"ROC curves"}</h3>
            <ReferenceRocChart curves={curves} log={props.log_roc} on_log={props.on_log.clone()} window_width={props.window_width} />
        </section>
        if !r.warnings.is_empty() {
            <section class="panel warnings" data-testid="lira-warnings">
                <h3>{"Read before you rely on these figures"}</h3>
                <ul>{ for r.warnings.iter().map(|w| html! { <li>{w.clone()}</li> }) }</ul>
            </section>
        }
        {exposed_table(o)}
        <LiraDiagnostics report={report.clone()} window_width={props.window_width} />
        </>
    }
}
