//! The verbatim test's results: the seed design's counts and memorisation rate, each metric's
//! distribution for training and held-out texts, and a table of texts (each text's figures are
//! the largest over its prefix lengths) with the longest common span highlighted in the
//! reference and in the model's output, sortable by any metric.

use std::rc::Rc;

use mia_engine::text::excerpt::Excerpt;
use mia_engine::text::extraction::QUADRATIC_LIMIT;
use mia_engine::text::pair_metrics::{telling_pair, texts_by, MetricDistribution, PairMetric};
use mia_engine::text::pairs::VerbatimAudit;
use mia_engine::text::verbatim::{MATCH_THRESHOLD, NGRAM_MEMORISED};
use yew::prelude::*;

use super::histograms::TextHistogram;
use crate::format::{count, sig};
use crate::protocol::text::PairExcerpts;
use crate::widgets::headline_metrics::card;
use crate::widgets::row_pager::use_row_pager;

/// Why a quadratic metric shows "n/a".
fn too_long() -> String {
    format!(
        "Not computed: its cost grows with the product of the two texts' lengths, and it is left out above {} (two texts of {} characters, or words, each). The other figures are exact.",
        count(QUADRATIC_LIMIT),
        count((QUADRATIC_LIMIT as f64).sqrt() as u64)
    )
}

#[derive(Properties, PartialEq)]
pub struct PairsResultsProps {
    pub audit: Rc<VerbatimAudit>,
    pub excerpts: Rc<Vec<PairExcerpts>>,
    pub distributions: Rc<Vec<MetricDistribution>>,
    pub sort: PairMetric,
    pub on_sort: Callback<PairMetric>,
    pub window_width: f64,
}

fn highlighted(e: &Excerpt) -> Html {
    html! {
        <span class="excerpt">
            if e.cut_before { {"…"} }
            {e.before.clone()}<mark>{e.span.clone()}</mark>{e.after.clone()}
            if e.cut_after { {"…"} }
        </span>
    }
}

fn threshold_of(metric: PairMetric, span: usize) -> Option<f64> {
    match metric {
        PairMetric::WordOverlap => Some(MATCH_THRESHOLD),
        PairMetric::Ngram5Overlap => Some(NGRAM_MEMORISED),
        PairMetric::LongestCommonSubstring => Some(span as f64),
        _ => None,
    }
}

#[component]
pub fn PairsResults(props: &PairsResultsProps) -> Html {
    let pager = use_row_pager();
    let a = &props.audit;
    let order = use_memo((props.audit.clone(), props.sort), |(a, sort)| {
        texts_by(a, *sort)
    });
    let with_member = a.memorization_risk.is_some();
    let mut cards = vec![
        card(
            "text-memorised-count",
            "Memorised texts",
            html! { format!("{} of {}", count(a.memorized_count as u64), count(a.texts.len() as u64)) },
            a.memorized_count.to_string(),
            html! { "word overlap > 0.75 or 5-gram overlap > 0.3 (the seed design)" },
        ),
        card(
            "text-critical-count",
            "Critical",
            html! { count(a.critical_count as u64) },
            a.critical_count.to_string(),
            html! { "5-gram overlap > 0.5: long passages reproduced" },
        ),
        card(
            "text-extracted-count",
            "Extracted spans",
            html! { count(a.extracted_count as u64) },
            a.extracted_count.to_string(),
            html! { format!("pairs sharing ≥ {} characters in a row (of {})", a.extracted_span, count(a.pairs.len() as u64)) },
        ),
    ];
    if let Some(r) = &a.memorization_risk {
        cards.push(card(
            "text-memorisation-rate",
            "Memorisation rate",
            html! { <>{sig(r.memorization_rate, 3)}<span class={classes!("risk-badge", r.privacy_risk.clone())}>{r.privacy_risk.clone()}</span></> },
            r.memorization_rate.to_string(),
            html! { format!("mean word overlap, {} training − {} held-out texts (all of them; the seed takes the first 100 of each)", r.n_train, r.n_held_out) },
        ));
    }
    let histograms = props.distributions.iter().map(|d| {
        html! {
            <TextHistogram histogram={d.histogram.clone()} title={d.metric.title()}
                threshold={threshold_of(d.metric, a.extracted_span)}
                means={if with_member { (d.mean_members, d.mean_held_out) } else { (None, Some(d.mean)) }}
                testid={format!("text-hist-{}", d.metric.key())} window_width={props.window_width} />
        }
    });
    let header = |m: PairMetric, label: &str| {
        let on_sort = props.on_sort.clone();
        let on = props.sort == m;
        html! {
            <th class={classes!("sortable", on.then_some("on"))} aria-sort={if on { "descending" } else { "none" }}>
                <button onclick={Callback::from(move |_: MouseEvent| on_sort.emit(m))} data-testid={format!("text-sort-{}", m.key())}
                    title={format!("Sort by {}, highest first", m.title())}>{label.to_string()}{if on { " ▾" } else { "" }}</button>
            </th>
        }
    };
    let matching: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&t| pager.matches(&a.texts[t].id))
        .collect();
    let rows = matching.iter().take(pager.shown()).map(|&t| {
        let text = &a.texts[t];
        let best = telling_pair(a, text);
        let v = |m: PairMetric| m.text_value(a, text);
        // Full precision for tests; "n/a" where a quadratic metric was not computed.
        let data = |m: PairMetric| v(m).map_or("n/a".to_string(), |x| x.to_string());
        let share = |m: PairMetric| match v(m) {
            Some(x) => html! { sig(x, 3) },
            None => html! { <span class="muted" title={too_long()}>{"n/a"}</span> },
        };
        let prefixes: Vec<String> = text
            .pairs
            .iter()
            .filter_map(|&i| a.pairs[i].prefix_length.map(|p| p.to_string()))
            .collect();
        let member = match text.member {
            Some(true) => "training",
            Some(false) => "held-out",
            None => "",
        };
        let risk = text.verdict.risk_level.key();
        html! {
            <>
            <tr data-testid={format!("text-pair-{}", text.id)} data-jaccard={data(PairMetric::WordOverlap)}
                data-ngram5={data(PairMetric::Ngram5Overlap)} data-lcs={data(PairMetric::LongestCommonSubstring)}
                data-edit={data(PairMetric::EditSimilarity)} data-word-lcs={data(PairMetric::WordLcsRatio)}
                data-risk={risk} data-memorised={text.verdict.is_memorized.to_string()}>
                <td><strong>{text.id.clone()}</strong><br /><span class="muted small">{member}</span>
                    if !prefixes.is_empty() { <br /><span class="muted small">{format!("prefix {}", prefixes.join(", "))}</span> }</td>
                <td class="num">{share(PairMetric::WordOverlap)}</td>
                <td class="num">{share(PairMetric::Ngram5Overlap)}</td>
                <td class="num">{count(v(PairMetric::LongestCommonSubstring).unwrap_or(0.0) as u64)}</td>
                <td class="num">{share(PairMetric::EditSimilarity)}</td>
                <td class="num">{share(PairMetric::WordLcsRatio)}</td>
                <td><span class={classes!("risk-badge", risk)}>{risk}</span>
                    if best.is_some_and(|i| a.pairs[i].extraction.exact_match) { <br /><span class="small">{"exact match"}</span> }</td>
            </tr>
            if let Some(e) = best.and_then(|i| props.excerpts.get(i)) {
                <tr class="pair-excerpt" data-testid={format!("text-excerpt-{}", text.id)}>
                    <td colspan="7" class="pair-texts">
                        <div><span class="excerpt-label">{"reference"}</span>{highlighted(&e.reference)}</div>
                        <div><span class="excerpt-label">{"model"}</span>{highlighted(&e.output)}</div>
                    </td>
                </tr>
            }
            </>
        }
    });
    html! {
        <>
            <section class="panel">
                <h3>{"Verbatim memorisation"}</h3>
                <div class="metrics">{ for cards }</div>
                <p class="muted small">{"Each text's figures are the largest over its prefix lengths, as the seed design takes them. Word overlap is the Jaccard index of the two texts' word sets (lower-cased, split on whitespace); 5-gram overlap is the share of the reference's 5-word sequences the model also wrote. The extraction metrics say how close a near-verbatim output is: the longest run of characters both share, the edit similarity (1 − Levenshtein distance / the longer length) and the word-level longest common subsequence over the reference's length."}</p>
            </section>
            <section class="panel">
                <h3>{if with_member { "Training against held-out texts" } else { "Distributions" }}</h3>
                <div class="charts text-hists">{ for histograms }</div>
                { for props.distributions.iter().filter(|d| d.not_computed > 0).map(|d| html! {
                    <p class="muted small" data-testid={format!("text-not-computed-{}", d.metric.key())}>{format!("{}: not computed on {} pairs whose texts are too long for it; the chart leaves them out. {}", d.metric.title(), count(d.not_computed as u64), too_long())}</p>
                }) }
                if !with_member { <p class="muted small">{"Add a member column (1 for training texts, 0 for held-out) to compare the two: a model that reproduces its training texts more than others has memorised them."}</p> }
            </section>
            <section class="panel">
                <h3>{"Texts"}</h3>
                <div class="table-tools">
                    {pager.filter_box("Filter by id", "text-filter", "Filter the texts by id")}
                    <span class="muted small">{format!("{} of {} texts, by {} (highest first); the highlighted span is the longest both share.", count(matching.len().min(pager.shown()) as u64), count(matching.len() as u64), props.sort.title())}</span>
                </div>
                <div class="table-scroll tall">
                    <table class="text-pairs" data-testid="text-pairs">
                        <thead><tr><th>{"Text"}</th>{header(PairMetric::WordOverlap, "Word overlap")}{header(PairMetric::Ngram5Overlap, "5-gram")}
                            {header(PairMetric::LongestCommonSubstring, "LCS chars")}{header(PairMetric::EditSimilarity, "Edit sim.")}
                            {header(PairMetric::WordLcsRatio, "Word LCS")}<th>{"Risk"}</th></tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
                {pager.more_button(matching.len(), "text-more")}
            </section>
        </>
    }
}
