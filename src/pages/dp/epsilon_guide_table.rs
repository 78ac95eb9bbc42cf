//! What an ε means: the four bands, with the current one marked.

use mia_engine::dp::EpsilonBand;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EpsilonGuideTableProps {
    /// The band to mark, if an ε is known.
    pub current: Option<EpsilonBand>,
}

#[component]
pub fn EpsilonGuideTable(props: &EpsilonGuideTableProps) -> Html {
    html! {
        <section class="panel" aria-label="Epsilon guide">
            <h3>{"What ε means"}</h3>
            <table class="guide" data-testid="epsilon-guide">
                <thead><tr><th>{"Privacy"}</th><th>{"ε"}</th><th>{"Typical cost"}</th><th>{"Used for"}</th></tr></thead>
                <tbody>
                { for EpsilonBand::ALL.iter().map(|b| html! {
                    <tr class={classes!(b.key(), (props.current == Some(*b)).then_some("current"))} data-band={b.key()}
                        aria-current={(props.current == Some(*b)).then_some("true")}>
                        <td><strong>{b.title()}</strong></td><td>{b.range()}</td><td>{b.accuracy_cost()}</td><td>{b.use_case()}</td>
                    </tr>
                }) }
                </tbody>
            </table>
            <p class="muted small">{"ε bounds how much any one record can change what the model reveals: an attacker's odds of telling a member from a non-member grow by at most e^ε (plus δ)."}</p>
        </section>
    }
}
