//! One bundled sample in a view's list: a button that opens it (title and description) and a
//! link to download its CSV.

use yew::prelude::*;

use crate::samples::Sample;

/// The list item of sample `s`, with test id `testid`; `on_pick` gets its id.
pub fn sample_item(
    s: &Sample,
    testid: String,
    active: bool,
    disabled: bool,
    on_pick: &Callback<String>,
) -> Html {
    let id = s.id.to_string();
    let on_pick = on_pick.clone();
    let onclick = Callback::from(move |_: MouseEvent| on_pick.emit(id.clone()));
    html! {
        <li>
            <button class={classes!("sample", active.then_some("active"))} onclick={onclick}
                disabled={disabled} data-testid={testid} title={s.description}>
                <span class="sample-title">{s.title}</span>
                <span class="sample-desc">{s.description}</span>
            </button>
            <a class="sample-download" href={format!("samples/{}.csv", s.id)} download="">{"CSV"}</a>
        </li>
    }
}
