//! What happened to the input: the error that stopped it, or the rows skipped and warnings.

use mia_engine::IngestReport;
use yew::prelude::*;

use crate::format::count;
use crate::pages::audit::state::LoadFailure;

#[derive(Properties, PartialEq)]
pub struct LoadMessagesProps {
    pub failure: Option<LoadFailure>,
    pub ingest: Option<IngestReport>,
    pub notice: Option<String>,
}

#[component]
pub fn LoadMessages(props: &LoadMessagesProps) -> Html {
    let show_all = use_state(|| false);
    let failure = props.failure.as_ref().map(|f| {
        html! {
            <div class="load-error" role="alert" data-testid="load-error">
                <strong>{format!("{} could not be audited.", f.source_name)}</strong>
                <p>{&f.message}</p>
                if props.ingest.is_some() {
                    <p class="muted">{"The previous audit is still shown on the right."}</p>
                }
            </div>
        }
    });
    let ingest = props.ingest.as_ref().filter(|r| r.n_skipped > 0 || !r.warnings.is_empty()).map(|r| {
        let listed = if *show_all { r.problems.len() } else { r.problems.len().min(5) };
        let toggle = {
            let show_all = show_all.clone();
            Callback::from(move |_: MouseEvent| show_all.set(!*show_all))
        };
        html! {
            <div class="load-warnings" data-testid="load-warnings">
                if r.n_skipped > 0 {
                    <p><strong>{format!("{} of {} data rows were skipped", count(r.n_skipped), count(r.n_data_rows))}</strong>
                        {format!("; the audit uses the other {}. ", count(r.n_kept))}
                        {"Row numbers are as in a spreadsheet (the header is row 1)."}</p>
                    <ul class="by-column">
                        { for r.skipped_by_column.iter().map(|(c, n)| html! {
                            <li>{format!("{} rows: {}", count(*n), c.as_ref().map_or("wrong number of fields".to_string(), |c| format!("a bad value in `{c}`")))}</li>
                        }) }
                    </ul>
                    <ul class="problems">
                        { for r.problems.iter().take(listed).map(|p| html! { <li>{p.to_string()}</li> }) }
                    </ul>
                    if r.problems.len() > 5 {
                        <button class="link" onclick={toggle}>{ if *show_all { "Show fewer".to_string() } else { format!("Show {} listed problems", r.problems.len()) } }</button>
                    }
                    if (r.problems.len() as u64) < r.n_skipped {
                        <p class="muted">{format!("The first {} problems are listed; all {} skipped rows are counted above.", r.problems.len(), count(r.n_skipped))}</p>
                    }
                }
                { for r.warnings.iter().map(|w| html! { <p class="warning">{w}</p> }) }
            </div>
        }
    });
    html! {
        <>
            if let Some(n) = &props.notice { <p class="notice">{n}</p> }
            { for failure }
            { for ingest }
        </>
    }
}
