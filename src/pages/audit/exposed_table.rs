//! The records an attacker would flag first, sortable by any column.

use mia_engine::attack::exposure::ExposedRecord;
use mia_engine::Signal;
use yew::prelude::*;

use crate::format::{percent, sig};

#[derive(Properties, PartialEq)]
pub struct ExposedTableProps {
    pub records: Vec<ExposedRecord>,
    pub signal: Signal,
}

#[derive(Clone, Copy, PartialEq)]
enum Column {
    Name,
    Row,
    Member,
    Label,
    Score,
}

#[component]
pub fn ExposedTable(props: &ExposedTableProps) -> Html {
    let sort = use_state(|| (Column::Score, true));
    let mut rows = props.records.clone();
    let (col, desc) = *sort;
    rows.sort_by(|a, b| {
        let o = match col {
            Column::Name => a.name.cmp(&b.name),
            Column::Row => a.row.cmp(&b.row),
            Column::Member => a.member.cmp(&b.member),
            Column::Label => a.label.cmp(&b.label),
            Column::Score => a.score.total_cmp(&b.score),
        };
        if desc {
            o.reverse()
        } else {
            o
        }
    });
    let header = |c: Column, title: &str| {
        let sort = sort.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            let (cur, desc) = *sort;
            sort.set((c, if cur == c { !desc } else { true }));
        });
        let mark = if col == c {
            if desc {
                " ▼"
            } else {
                " ▲"
            }
        } else {
            ""
        };
        html! { <th><button class="sort" onclick={onclick}>{format!("{title}{mark}")}</button></th> }
    };
    let members_on_top = props.records.iter().take_while(|r| r.member).count();
    html! {
        <section class="panel">
            <h3>{"Most exposed records"}</h3>
            <p class="muted">{format!(
                "The {} highest-scoring records under {}; the top {} are all members. “Non-members above” is the false-positive rate an attacker accepts to flag the record.",
                props.records.len(), props.signal.title().to_lowercase(), members_on_top)}</p>
            <div class="table-scroll tall">
            <table data-testid="exposed-table">
                <thead><tr>
                    {header(Column::Name, "Record")}{header(Column::Row, "Row")}{header(Column::Member, "Member")}
                    {header(Column::Label, "Label")}{header(Column::Score, "Score")}<th>{"Non-members above"}</th>
                </tr></thead>
                <tbody>
                { for rows.iter().map(|r| html! {
                    <tr class={classes!(r.member.then_some("is-member"))}>
                        <td>{&r.name}</td>
                        <td class="num">{r.row}</td>
                        <td>{ if r.member { "yes" } else { "no" } }</td>
                        <td class="num">{ r.label.map_or("".to_string(), |l| l.to_string()) }</td>
                        <td class="num">{sig(r.score, 6)}</td>
                        <td class="num">{percent(r.fpr_at_score)}</td>
                    </tr>
                }) }
                </tbody>
            </table>
            </div>
        </section>
    }
}
