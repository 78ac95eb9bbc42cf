//! AUC within each true class: leakage is often concentrated in a few classes.

use mia_engine::attack::per_class::ClassAuc;
use yew::prelude::*;

use crate::format::sig;

#[derive(Properties, PartialEq)]
pub struct PerClassTableProps {
    pub classes: Vec<ClassAuc>,
}

#[component]
pub fn PerClassTable(props: &PerClassTableProps) -> Html {
    if props.classes.is_empty() {
        return html! {
            <section class="panel">
                <h3>{"AUC per class"}</h3>
                <p class="muted">{"Needs a `label` column with the true class of each record."}</p>
            </section>
        };
    }
    let worst = props
        .classes
        .iter()
        .filter_map(|c| c.auc.map(|a| (c.label, a)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    html! {
        <section class="panel">
            <h3>{"AUC per class"}</h3>
            if let Some((label, auc)) = worst {
                <p class="muted">{format!("Most exposed class: {label} (AUC {}).", sig(auc, 4))}</p>
            }
            <div class="table-scroll">
            <table data-testid="per-class-table">
                <thead><tr><th>{"Class"}</th><th>{"Members"}</th><th>{"Non-members"}</th><th>{"AUC"}</th><th></th></tr></thead>
                <tbody>
                { for props.classes.iter().map(|c| html! {
                    <tr>
                        <td>{c.label}</td>
                        <td class="num">{c.n_members}</td>
                        <td class="num">{c.n_nonmembers}</td>
                        <td class="num">{ c.auc.map_or("n/a (one side only)".to_string(), |a| sig(a, 4)) }</td>
                        <td class="bar-cell">{ c.auc.map_or(html!{}, |a| html! {
                            <span class="bar" style={format!("width:{:.0}%", ((a - 0.5).max(0.0) * 200.0).min(100.0))}></span>
                        }) }</td>
                    </tr>
                }) }
                </tbody>
            </table>
            </div>
        </section>
    }
}
