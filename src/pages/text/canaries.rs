//! Canary exposure (Carlini et al. 2019, "The Secret Sharer"): for each inserted secret, its rank
//! among candidate secrets the model never saw, the exposure that rank gives, and the exposure
//! extrapolated from a skew-normal fitted to the candidates (TF Privacy's `exposures.py`), which
//! reaches past the largest exposure a rank among this many candidates can show.

use std::rc::Rc;

use mia_engine::text::canary::{CanaryAudit, CanaryExposure};
use yew::prelude::*;

use crate::format::{count, sig};
use crate::widgets::headline_metrics::card;

#[derive(Properties, PartialEq)]
pub struct CanaryResultsProps {
    pub audit: Rc<CanaryAudit>,
}

fn bits(v: Option<f64>) -> String {
    v.map_or("n/a".to_string(), |v| format!("{} bits", sig(v, 3)))
}

fn row(c: &CanaryExposure) -> Html {
    let share = if c.max_exposure > 0.0 {
        c.exposure / c.max_exposure
    } else {
        0.0
    };
    let fit = c.skew_normal.as_ref().map(|f| {
        format!(
            "location {}, scale {}, shape {}",
            sig(f.distribution.location, 4),
            sig(f.distribution.scale, 4),
            sig(f.distribution.shape, 3)
        )
    });
    html! {
        <tr data-testid={format!("text-canary-{}", c.canary_id)} data-rank={c.rank.to_string()}
            data-exposure={c.exposure.to_string()}
            data-extrapolated={c.extrapolated_exposure.map_or("n/a".to_string(), |e| e.to_string())}>
            <td><strong>{c.canary_id.clone()}</strong><br /><span class="muted small">{format!("row {}", c.row)}</span></td>
            <td class="num">{sig(c.log_perplexity, 5)}</td>
            <td class="num">{format!("{} of {}", count(c.rank as u64), count(c.candidates as u64))}</td>
            <td class="num">
                {format!("{} bits", sig(c.exposure, 3))}
                <div class="exposure-bar" title={format!("{} of the {} bits a rank among {} candidates can show", sig(c.exposure, 3), sig(c.max_exposure, 3), count(c.candidates as u64))}>
                    <span style={format!("width:{:.1}%", 100.0 * share.clamp(0.0, 1.0))}></span>
                </div>
            </td>
            <td class="num">{bits(c.extrapolated_exposure)}</td>
            <td class="small">
                if let Some(f) = fit { {f} }
                if let Some(why) = &c.no_extrapolation { <br /><span class="muted">{why.to_string()}</span> }
            </td>
        </tr>
    }
}

#[component]
pub fn CanaryResults(props: &CanaryResultsProps) -> Html {
    let a = &props.audit;
    let max = a
        .canaries
        .iter()
        .map(|c| c.max_exposure)
        .fold(0.0, f64::max);
    let cards = vec![
        card(
            "text-canary-highest",
            "Highest exposure",
            html! { format!("{} bits", sig(a.highest_exposure, 3)) },
            a.highest_exposure.to_string(),
            html! { format!("canary {}; a rank of 1 among its candidates is the most this set can show ({} bits)", a.highest_exposure_canary, sig(max, 3)) },
        ),
        card(
            "text-canary-mean",
            "Mean exposure",
            html! { format!("{} bits", sig(a.mean_exposure, 3)) },
            a.mean_exposure.to_string(),
            html! { format!("over {} canaries", count(a.canaries.len() as u64)) },
        ),
        card(
            "text-canary-extrapolated",
            "Highest extrapolated",
            html! { bits(a.highest_extrapolated_exposure) },
            a.highest_extrapolated_exposure
                .map_or("n/a".to_string(), |e| e.to_string()),
            html! { "from a skew-normal fitted to each canary's candidates: it goes past the rank's limit" },
        ),
    ];
    html! {
        <>
            <section class="panel">
                <h3>{"Canary exposure"}</h3>
                <div class="metrics">{ for cards }</div>
                <p class="muted small">{"A canary is a secret (say, a random number) put into the training data on purpose. Exposure (Carlini et al. 2019, The Secret Sharer) compares the model's log-perplexity on it with candidate secrets it never saw: exposure = log₂(candidates) − log₂(rank), the rank counting the candidates the model finds at least as likely. 0 bits: no more likely than a guess. log₂(candidates): more likely than every candidate, and an attacker who can enumerate the candidates would find it first. The extrapolated exposure, −log₂ of the fitted skew-normal's CDF at the canary (as TF Privacy's exposures.py computes it), estimates how far past that limit it goes."}</p>
            </section>
            <section class="panel">
                <h3>{"Canaries"}</h3>
                <div class="table-scroll">
                    <table class="text-canaries" data-testid="text-canaries">
                        <thead><tr><th>{"Canary"}</th><th>{"Log-perplexity"}</th><th>{"Rank"}</th><th>{"Exposure"}</th>
                            <th>{"Extrapolated"}</th><th>{"Skew-normal fit"}</th></tr></thead>
                        <tbody>{ for a.canaries.iter().map(row) }</tbody>
                    </table>
                </div>
                <p class="muted small">{"Ties count against the canary: a candidate with the same log-perplexity ranks before it, as in TF Privacy. The candidate count includes the canary, as in the paper (TF Privacy takes log₂ of the references only, 0.0001 bits lower for 10,000 candidates)."}</p>
            </section>
        </>
    }
}
