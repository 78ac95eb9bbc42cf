//! All membership signals side by side; a row click selects the signal shown above.

use std::rc::Rc;

use mia_engine::{AuditReport, Signal};
use yew::prelude::*;

use crate::format::sig;

#[derive(Properties, PartialEq)]
pub struct SignalTableProps {
    pub report: Rc<AuditReport>,
    pub selected: Signal,
    pub on_select: Callback<Signal>,
}

#[component]
pub fn SignalTable(props: &SignalTableProps) -> Html {
    let rows = props.report.signals.iter().map(|r| {
        let s = r.signal;
        let on_select = props.on_select.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_select.emit(s));
        let tpr = |i: usize| {
            r.tpr_at_fpr.get(i).map_or("".to_string(), |t| if t.measurable { sig(t.tpr, 4) } else { "n/m".into() })
        };
        let selected = s == props.selected;
        html! {
            <tr class={classes!(selected.then_some("selected"))} onclick={onclick.clone()}>
                <td>
                    <button class="link" onclick={onclick} data-testid={format!("signal-{}", s.key())} aria-pressed={selected.to_string()}>{s.title()}</button>
                    <div class="muted small">{s.description()}</div>
                </td>
                <td class="num">{sig(r.auc, 4)}</td>
                <td class="num">{tpr(0)}</td>
                <td class="num">{tpr(1)}</td>
                <td class="num">{tpr(2)}</td>
                <td class="num">{sig(r.attacker_advantage, 4)}</td>
                <td><span class={classes!("risk-badge", r.risk.key())}>{r.risk.key()}</span></td>
            </tr>
        }
    });
    html! {
        <section class="panel">
            <h3>{"Membership signals"}</h3>
            <p class="muted">{"Each signal is a different way to score a record. The attacker picks the strongest; pick one to see its charts. n/m: not measurable with this many non-members."}</p>
            <div class="table-scroll">
                <table class="signals">
                    <thead><tr><th>{"Signal"}</th><th>{"AUC"}</th><th>{"TPR@0.1%"}</th><th>{"TPR@1%"}</th><th>{"TPR@10%"}</th><th>{"Advantage"}</th><th>{"Risk"}</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </section>
    }
}
