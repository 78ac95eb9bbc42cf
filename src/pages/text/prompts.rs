//! The prompt builder's result: how many prompts at which prefix lengths, the texts too short for
//! any, a preview, and the prompts CSV to download for the user's own model.

use std::rc::Rc;

use mia_engine::text::prompts::{prompts_csv, PromptBook, CONTINUATION, MIN_AFTER_PREFIX};
use yew::prelude::*;

use crate::format::count;
use crate::widgets::download::download_text;

#[derive(Properties, PartialEq)]
pub struct PromptsResultsProps {
    pub book: Rc<PromptBook>,
    pub source_name: AttrValue,
}

/// Prompts shown in the preview.
const PREVIEW: usize = 20;

#[component]
pub fn PromptsResults(props: &PromptsResultsProps) -> Html {
    let b = &props.book;
    let download = {
        let book = props.book.clone();
        let name = format!(
            "prompts-{}.csv",
            props.source_name.trim_end_matches(".csv").replace(' ', "_")
        );
        Callback::from(move |_: MouseEvent| {
            download_text(&name, "text/csv", &prompts_csv(&book.prompts))
        })
    };
    let per_length = b.prefix_lengths.iter().map(|&p| {
        let n = b.prompts.iter().filter(|x| x.prefix_length == p).count();
        html! { <li>{format!("{p} characters: {} prompt{}", count(n as u64), if n == 1 { "" } else { "s" })}</li> }
    });
    let preview = b.prompts.iter().take(PREVIEW).map(|p| {
        html! {
            <tr><td>{p.id.clone()}</td><td class="num">{p.prefix_length}</td>
                <td class="pair-texts"><span class="excerpt">{p.prompt.clone()}</span></td>
                <td class="pair-texts"><span class="excerpt">{p.reference.clone()}</span></td></tr>
        }
    });
    let short = b.too_short.iter().take(50).map(|(id, row, len)| {
        html! { <li>{format!("{id} (row {row}): {len} characters")}</li> }
    });
    html! {
        <>
            <section class="panel">
                <h3>{"Prompts for your model"}</h3>
                <p data-testid="text-prompt-count" data-value={b.prompts.len().to_string()}>
                    {format!("{} prompts from {} texts.", count(b.prompts.len() as u64), count(b.texts as u64))}
                </p>
                <ul class="small">{ for per_length }</ul>
                <p class="muted small">{format!("As the seed design cuts them: each prompt is a text's first p characters and the reference the next {CONTINUATION}; a prefix length is skipped when the text has fewer than p + {MIN_AFTER_PREFIX} characters. Run your model on each prompt offline, put what it wrote in the model_output column, and open the file here: the verbatim test runs on it.")}</p>
                <button onclick={download} data-testid="text-prompts-download" disabled={b.prompts.is_empty()}>{"Download prompts CSV"}</button>
                if !b.too_short.is_empty() {
                    <details class="small" data-testid="text-too-short">
                        <summary>{format!("{} {} too short for any prefix length", count(b.too_short.len() as u64), if b.too_short.len() == 1 { "text is" } else { "texts are" })}</summary>
                        <ul>{ for short }</ul>
                        if b.too_short.len() > 50 { <p>{format!("… and {} more.", b.too_short.len() - 50)}</p> }
                    </details>
                }
            </section>
            <section class="panel">
                <h3>{format!("The first {} prompts", PREVIEW.min(b.prompts.len()))}</h3>
                <div class="table-scroll tall">
                    <table class="text-prompts" data-testid="text-prompts">
                        <thead><tr><th>{"Text"}</th><th>{"Prefix"}</th><th>{"Prompt"}</th><th>{"Reference continuation"}</th></tr></thead>
                        <tbody>{ for preview }</tbody>
                    </table>
                </div>
            </section>
        </>
    }
}
