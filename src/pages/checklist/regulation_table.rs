//! The regulations a membership leak falls under, highlighted by the deployment's facts.

use mia_engine::checklist::regulation::Applicability;
use mia_engine::checklist::RegulationRow;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RegulationTableProps {
    pub rows: Vec<RegulationRow>,
}

#[component]
pub fn RegulationTable(props: &RegulationTableProps) -> Html {
    html! {
        <section class="panel" aria-label="Regulations">
            <h3>{"Regulations"}</h3>
            <table class="regulations" data-testid="regulations">
                <thead><tr><th>{"Regulation"}</th><th>{"Requires"}</th><th>{"Remedy"}</th><th>{"Status"}</th></tr></thead>
                <tbody>
                { for props.rows.iter().map(|r| {
                    let class = match r.applicability {
                        Applicability::Applies => "applies",
                        Applicability::Check => "check",
                        Applicability::NotIndicated => "not-indicated",
                    };
                    html! {
                        <tr class={class} data-regulation={r.key} data-status={r.applicability.key()}>
                            <td><strong>{r.regulation}</strong><br/><small>{r.provision}</small></td>
                            <td>{r.requirement}</td>
                            <td>{r.remedy}</td>
                            <td><strong>{r.applicability.title()}</strong><br/><small>{r.why.clone()}</small></td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
            <p class="muted small">{"A guide for the review, not legal advice: the status follows the facts entered on the left."}</p>
        </section>
    }
}
