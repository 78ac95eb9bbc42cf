//! The regulations a membership leak falls under, highlighted by the deployment's facts.

use mia_engine::checklist::regulation::Applicability;
use mia_engine::checklist::RegulationRow;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RegulationTableProps {
    pub rows: Vec<RegulationRow>,
    /// The last unlearning verification (verified, what was verified), shown on the right-to-
    /// erasure rows.
    #[prop_or_default]
    pub erasure: Option<(bool, String)>,
    #[prop_or_default]
    pub on_open_unlearning: Callback<()>,
}

/// The rows whose remedy is unlearning.
const ERASURE_ROWS: [&str; 2] = ["gdpr_art17", "ccpa"];

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
                    let open = props.on_open_unlearning.clone();
                    let onclick = Callback::from(move |_: MouseEvent| open.emit(()));
                    let erasure = ERASURE_ROWS.contains(&r.key).then(|| match &props.erasure {
                        Some((verified, name)) => html! {
                            <><br/><small data-testid={format!("erasure-{}", r.key)} data-value={verified.to_string()}>
                                {format!("Last unlearning verification: {} ({name}). ", if *verified { "verified" } else { "not verified" })}
                                <button class="link" onclick={onclick}>{"Open it"}</button>
                            </small></>
                        },
                        None => html! {
                            <><br/><small data-testid={format!("erasure-{}", r.key)} data-value="none">
                                {"No unlearning verified yet. "}
                                <button class="link" onclick={onclick}>{"Verify one"}</button>
                            </small></>
                        },
                    });
                    html! {
                        <tr class={class} data-regulation={r.key} data-status={r.applicability.key()}>
                            <td><strong>{r.regulation}</strong><br/><small>{r.provision}</small></td>
                            <td>{r.requirement}</td>
                            <td>{r.remedy}{erasure.unwrap_or_default()}</td>
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
