//! What the risk level means and what to do about it.

use mia_engine::{RiskLevel, Signal};
use yew::prelude::*;

use crate::format::sig;

#[derive(Properties, PartialEq)]
pub struct RiskPanelProps {
    pub risk: RiskLevel,
    pub auc: f64,
    pub signal: Signal,
}

#[component]
pub fn RiskPanel(props: &RiskPanelProps) -> Html {
    html! {
        <section class={classes!("panel", "risk", props.risk.key())} aria-label="Risk">
            <h3>{format!("Risk: {} ", props.risk.key())}
                <small>{format!("(AUC {} with {})", sig(props.auc, 4), props.signal.title().to_lowercase())}</small></h3>
            <p>{props.risk.meaning()}</p>
            <ul>{ for props.risk.recommendations().iter().map(|r| html! { <li>{*r}</li> }) }</ul>
        </section>
    }
}
