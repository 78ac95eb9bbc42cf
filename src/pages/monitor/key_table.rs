//! The per-key table of a replay: each key's figures after its last query, its action and when
//! a replay in time order first flagged it; a row opens the key's timeline. Flagged keys come
//! first; a page of rows at a time, with a filter, so a log of thousands of keys draws at once.

use std::rc::Rc;

use mia_engine::monitor::{Action, KeyReport};
use yew::prelude::*;

use crate::format::{count, sig};
use crate::protocol::monitor::MonitorOutcome;
use crate::widgets::row_pager::use_row_pager;

#[derive(Properties)]
pub struct KeyTableProps {
    pub outcome: Rc<MonitorOutcome>,
    pub selected: Option<String>,
    pub on_select: Callback<String>,
}

/// A replay compared by identity (comparing its figures would cost more than the table).
#[derive(Clone)]
struct SameReplay(Rc<MonitorOutcome>);

impl PartialEq for SameReplay {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The same replay is the same table: its figures are not compared one by one.
impl PartialEq for KeyTableProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.outcome, &other.outcome)
            && self.selected == other.selected
            && self.on_select == other.on_select
    }
}

/// Unix time `t` as ISO 8601 in UTC, to the second.
pub fn iso(t: f64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t * 1000.0));
    let s: String = d.to_iso_string().into();
    s.replace(".000Z", "Z")
}

/// Unix time `t` in UTC to the second, for the table: `2024-03-01 12:11:44`.
fn short_time(t: f64) -> String {
    iso(t)
        .chars()
        .take(19)
        .collect::<String>()
        .replace('T', " ")
}

/// Flagged keys first (block, then monitor), then by risk and queries.
fn order(keys: &[KeyReport]) -> Vec<usize> {
    let rank = |a: Action| match a {
        Action::Block => 0,
        Action::Monitor => 1,
        Action::Allow => 2,
    };
    let mut o: Vec<usize> = (0..keys.len()).collect();
    o.sort_by(|&a, &b| {
        let (x, y) = (&keys[a], &keys[b]);
        (rank(x.figures.action), x.first_flagged_at.is_none())
            .cmp(&(rank(y.figures.action), y.first_flagged_at.is_none()))
            .then(y.peak_risk.total_cmp(&x.peak_risk))
            .then(y.queries.cmp(&x.queries))
            .then(x.api_key.cmp(&y.api_key))
    });
    o
}

#[component]
pub fn KeyTable(props: &KeyTableProps) -> Html {
    let pager = use_row_pager();
    let r = &props.outcome.report;
    let order = use_memo(SameReplay(props.outcome.clone()), |o| {
        order(&o.0.report.keys)
    });
    let matching: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| pager.matches(&r.keys[i].api_key))
        .collect();
    let rows = matching.iter().take(pager.shown()).map(|&i| {
        let k = &r.keys[i];
        let f = &k.figures;
        let key = k.api_key.clone();
        let on_select = props.on_select.clone();
        let selected = props.selected.as_deref() == Some(k.api_key.as_str());
        let onclick = Callback::from(move |_: MouseEvent| on_select.emit(key.clone()));
        let action = f.action.key();
        html! {
            <tr data-testid={format!("monitor-key-{}", k.api_key)} data-total={f.total.to_string()} data-unique={f.unique.to_string()}
                data-repeated={f.repeated_inputs.to_string()} data-diversity={f.diversity.to_string()} data-action={action}
                data-risk={f.risk.to_string()} data-first-flagged={k.first_flagged_at.map_or(String::new(), |t| t.to_string())}
                class={classes!(selected.then_some("selected"))}>
                <td><button class="link" onclick={onclick} title="Show this key's timeline and the inputs it repeated">{k.api_key.clone()}</button></td>
                <td class="num">{count(k.queries)}</td>
                <td class="num">{count(f.total)}</td>
                <td class="num">{count(f.unique)}</td>
                <td class="num">{count(f.repeated_inputs)}{if f.max_repeats > 0 { format!(" (max {})", f.max_repeats) } else { String::new() }}</td>
                <td class="num">{sig(f.diversity, 3)}</td>
                <td class="num">{format!("{:.1}", f.risk)}</td>
                <td><span class={classes!("risk-badge", match f.action { Action::Block => "critical", Action::Monitor => "high", Action::Allow => "low" })}>{action}</span></td>
                <td class="small">{match k.first_flagged_at { Some(t) => short_time(t), None => "never".to_string() }}</td>
            </tr>
        }
    });
    let n = r.keys.len();
    html! {
        <>
        if n > 10 {
            <div class="table-tools">
                {pager.filter_box("Filter by API key", "monitor-filter", "Filter the keys")}
                <span class="muted small">{format!("{} of {} keys, flagged first.", count(matching.len().min(pager.shown()) as u64), count(matching.len() as u64))}</span>
            </div>
        }
        <div class="table-scroll tall">
            <table class="monitor-keys" data-testid="monitor-keys">
                <thead><tr><th>{"API key"}</th><th>{"Queries"}</th><th title="queries in the window after the key's last query">{"In window"}</th>
                    <th>{"Unique"}</th><th title="distinct inputs queried more than the repeat threshold">{"Repeated"}</th>
                    <th title="unique / in window">{"Diversity"}</th><th>{"Risk"}</th><th>{"Action"}</th><th>{"First flagged at (UTC)"}</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
        if matching.len() > pager.shown() {
            <div class="more-rows">{pager.more_button(matching.len(), "monitor-more")}</div>
        }
        </>
    }
}
