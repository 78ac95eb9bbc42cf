//! The audit against a DP claim: the empirical ε lower bound from the audit's threshold attacks
//! (split-half, Clopper-Pearson, Bonferroni over the signals) and the audit's ROC with the claim's
//! bound drawn on it.

use std::rc::Rc;

use mia_engine::attack::empirical_epsilon::bonferroni_lower_bound;
use mia_engine::dp::{epsilon_lower_bound, ThresholdCounts};
use yew::prelude::*;

use crate::format::{count, probability, sig};
use crate::protocol::AuditOutcome;
use crate::widgets::dp_claim::DpClaim;
use crate::widgets::headline_metrics::card;
use crate::widgets::roc_chart::RocChart;

/// Confidence of the lower bound.
const CONFIDENCE: f64 = 0.95;
/// δ when no claim is entered.
const DEFAULT_DELTA: f64 = 1e-5;

#[derive(Properties, PartialEq)]
pub struct EpsilonAuditPanelProps {
    pub audit: Option<Rc<AuditOutcome>>,
    pub claim: Option<DpClaim>,
    pub window_width: f64,
}

fn eps_text(e: f64) -> String {
    if e.is_finite() {
        sig(e, 3)
    } else {
        "∞".into()
    }
}

#[component]
pub fn EpsilonAuditPanel(props: &EpsilonAuditPanelProps) -> Html {
    let roc_log = use_state(|| true);
    let Some(audit) = &props.audit else {
        return html! {
            <section class="panel" aria-label="Audit against the claim">
                <h3>{"Audit against the claim"}</h3>
                <p class="muted">{"Run an audit in “Audit a model” (a sample is audited on first visit) to bound ε from below with a real attack."}</p>
            </section>
        };
    };
    let delta = props.claim.map_or(DEFAULT_DELTA, |c| c.delta);
    let report = &audit.report;
    let audited: Vec<(&mia_engine::SignalReport, ThresholdCounts)> = report
        .signals
        .iter()
        .filter_map(|r| r.epsilon_audit.map(|a| (r, a.evaluation)))
        .collect();
    let counts: Vec<ThresholdCounts> = audited.iter().map(|(_, c)| *c).collect();
    let combined = bonferroni_lower_bound(&counts, delta, CONFIDENCE);
    let on_log = {
        let roc_log = roc_log.clone();
        Callback::from(move |v| roc_log.set(v))
    };
    let headline = match combined {
        Some((i, b)) => {
            let (r, _) = audited[i];
            let status = props.claim.map(|c| {
                if b.epsilon > c.epsilon {
                    ("refuted", format!("The claim ε = {} is refuted: the audit shows ε ≥ {} with {}% confidence.", sig(c.epsilon, 3), eps_text(b.epsilon), CONFIDENCE * 100.0))
                } else {
                    ("not_refuted", format!("The audit does not refute ε = {}: its lower bound {} is below the claim.", sig(c.epsilon, 3), eps_text(b.epsilon)))
                }
            });
            html! {
                <>
                    <div class="metrics">
                        {card("metric-epsilon-lower-bound", "ε lower bound (95%)", html! { eps_text(b.epsilon) }, b.epsilon.to_string(),
                            html! { format!("strongest of {} signals: {}; δ = {}", audited.len(), r.signal.title().to_lowercase(), probability(delta)) })}
                        {card("metric-epsilon-point", "Point estimate", html! { eps_text(b.point_epsilon) }, b.point_epsilon.to_string(),
                            html! { "same formula without the interval: not a valid bound" })}
                    </div>
                    if let Some((key, text)) = status {
                        <p class={classes!("notice", (key == "refuted").then_some("warn-evidence"))} data-testid="metric-claim-status" data-value={key}>{text}</p>
                    }
                </>
            }
        }
        None => {
            html! { <p class="muted">{"Too few members or non-members to split the records in two halves."}</p> }
        }
    };
    let strongest = report.strongest().map(|r| {
        let (tpr, fpr, _) = r.roc.at_threshold(r.shown_threshold(None, r.histogram.lo));
        (r, (fpr, tpr))
    });
    html! {
        <section class="panel epsilon-audit" aria-label="Audit against the claim">
            <h3>{format!("Audit against the claim: {}", audit.source.display_name())}</h3>
            <p class="small">{"A threshold attack with false-positive rate FPR and false-negative rate FNR on an (ε, δ)-DP model must have FPR·e^ε + FNR ≥ 1 − δ. With 95% Clopper-Pearson upper bounds on both rates this gives a lower bound on ε (Jagielski et al. 2020). The threshold is chosen on one half of the records and the bound computed on the other half (split-half, seed 0), and the best of the signals is taken with a Bonferroni correction, so the bound is valid."}</p>
            {headline}
            <table class="guide" data-testid="epsilon-audit-table">
                <thead><tr><th>{"Signal"}</th><th>{"Threshold"}</th><th>{"Held-out members caught"}</th><th>{"Held-out non-members flagged"}</th><th>{"ε ≥ (95%, this signal alone)"}</th></tr></thead>
                <tbody>
                { for audited.iter().map(|(r, c)| {
                    let b = epsilon_lower_bound(c, delta, CONFIDENCE);
                    html! {
                        <tr>
                            <td>{r.signal.title()}</td>
                            <td>{r.epsilon_audit.map_or(String::new(), |a| sig(a.threshold, 4))}</td>
                            <td>{format!("{} of {}", count(c.tp), count(c.n_members))}</td>
                            <td>{format!("{} of {}", count(c.fp), count(c.n_nonmembers))}</td>
                            <td>{eps_text(b.epsilon)}</td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
            if let Some((r, point)) = strongest {
                <RocChart roc={Rc::new(r.roc.clone())} signal={r.signal} auc={r.auc} point={point} window_width={props.window_width}
                    log={*roc_log} on_log={on_log} />
            }
        </section>
    }
}
