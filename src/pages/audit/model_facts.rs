//! The target model's own figures, and the two naive attackers of the report.

use mia_engine::attack::report::ModelSummary;
use mia_engine::SignalReport;
use yew::prelude::*;

use crate::format::{percent, sig};

#[derive(Properties, PartialEq)]
pub struct ModelFactsProps {
    pub summary: ModelSummary,
    pub report: SignalReport,
}

fn row(name: &str, members: Option<f64>, nonmembers: Option<f64>, fmt: fn(f64) -> String) -> Html {
    let cell = |v: Option<f64>| v.map_or("n/a".to_string(), fmt);
    html! { <tr><td>{name}</td><td class="num">{cell(members)}</td><td class="num">{cell(nonmembers)}</td></tr> }
}

#[component]
pub fn ModelFacts(props: &ModelFactsProps) -> Html {
    let s = &props.summary;
    let r = &props.report;
    let mt = &r.mean_threshold;
    let pt = &r.best_percentile_threshold;
    html! {
        <div class="model-facts">
            <section class="panel">
                <h3>{"The model on members and non-members"}</h3>
                <table>
                    <thead><tr><th></th><th>{"Members"}</th><th>{"Non-members"}</th></tr></thead>
                    <tbody>
                        {row("Accuracy (top-1)", s.target_train_accuracy, s.target_test_accuracy, percent)}
                        {row("Mean confidence", s.mean_confidence_members, s.mean_confidence_nonmembers, |v| sig(v, 4))}
                        {row("Mean loss", s.mean_loss_members, s.mean_loss_nonmembers, |v| sig(v, 4))}
                        {row("Mean score", Some(r.mean_score_members), Some(r.mean_score_nonmembers), |v| sig(v, 4))}
                    </tbody>
                </table>
            </section>
            <section class="panel">
                <h3>{"Naive attackers with this signal"}</h3>
                <table>
                    <tbody>
                        <tr><td>{"Threshold at the mean score"}</td><td class="num" data-testid="mean-threshold-accuracy" data-value={mt.accuracy.to_string()}>{format!("accuracy {}", percent(mt.accuracy))}</td></tr>
                        <tr><td>{format!("Threshold at the {}th percentile of member scores (best of 25/50/75)", pt.percentile)}</td>
                            <td class="num">{format!("accuracy {}", percent(pt.outcome.accuracy))}</td></tr>
                    </tbody>
                </table>
                <p class="muted small">{"Both predict “member” when the score is above the threshold. A tuned attacker does better: see the advantage above."}</p>
            </section>
        </div>
    }
}
