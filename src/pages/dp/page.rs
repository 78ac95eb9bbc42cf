//! The differential-privacy view: the RDP accountant for DP-SGD (ε of a training run, or the noise
//! for a target ε), what that ε means, and the audit held against a claimed (ε, δ).

use std::rc::Rc;

use mia_engine::dp::{dp_sgd_epsilon, noise_multiplier_for_epsilon, DpSgdSchedule, EpsilonBand};
use yew::prelude::*;

use crate::format::{count, probability, sig};
use crate::pages::dp::epsilon_audit_panel::EpsilonAuditPanel;
use crate::pages::dp::epsilon_guide_table::EpsilonGuideTable;
use crate::protocol::AuditOutcome;
use crate::route::claim::CLAIM_KEYS;
use crate::route::dp::DpQuery;
use crate::route::{self, UrlState, View, ViewQuery};
use crate::widgets::dp_claim::DpClaim;
use crate::widgets::headline_metrics::card;
use crate::widgets::text_field::TextField;

#[derive(Properties, PartialEq)]
pub struct DpPageProps {
    pub visible: bool,
    pub window_width: f64,
    pub url: Rc<UrlState>,
    pub audit: Option<Rc<AuditOutcome>>,
    pub claim: Option<DpClaim>,
    pub on_claim: Callback<Option<DpClaim>>,
}

fn number(text: &str, what: &str) -> Result<f64, String> {
    text.trim()
        .replace([',', '_'], "")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("{what}: `{}` is not a number.", text.trim()))
}

fn whole(text: &str, what: &str) -> Result<u64, String> {
    let v = number(text, what)?;
    if v < 1.0 || v.fract() != 0.0 {
        return Err(format!("{what}: use a whole number of at least 1."));
    }
    Ok(v as u64)
}

/// The schedule the form describes.
fn schedule(f: &[String]) -> Result<DpSgdSchedule, String> {
    let n = whole(&f[0], "Dataset size")?;
    let b = whole(&f[1], "Batch size")?;
    let epochs = number(&f[2], "Epochs")?;
    if epochs <= 0.0 {
        return Err("Epochs: use a positive number.".into());
    }
    let sigma = number(&f[3], "Noise multiplier")?;
    let mut s = DpSgdSchedule::from_epochs(n, b, epochs, sigma).map_err(|e| e.to_string())?;
    if !f[6].trim().is_empty() {
        s.steps = whole(&f[6], "Steps")?;
    }
    Ok(s)
}

#[component]
pub fn DpPage(props: &DpPageProps) -> Html {
    let url = props.url.clone();
    let fields = use_state(move || url.dp.fields.clone());
    let claim_text = use_state(|| {
        (
            props.claim.map_or(String::new(), |c| c.epsilon.to_string()),
            props
                .claim
                .map_or("1e-5".to_string(), |c| c.delta.to_string()),
        )
    });
    let claim_error = use_state(|| None::<String>);

    // The accountant: a few milliseconds, so it runs as the user types.
    let result = use_memo((*fields).clone(), |f| {
        let s = schedule(f)?;
        let delta = number(&f[4], "δ")?;
        let e = dp_sgd_epsilon(&s, delta).map_err(|e| e.to_string())?;
        let sigma = match f[5].trim() {
            "" => None,
            t => Some(number(t, "Target ε").and_then(|target| {
                noise_multiplier_for_epsilon(s.sampling_rate, s.steps, delta, target)
                    .map(|sigma| (target, sigma))
                    .map_err(|e| e.to_string())
            })),
        };
        Ok::<_, String>((s, e, sigma))
    });
    {
        let fields = (*fields).clone();
        let claim = props
            .claim
            .map(|c| (c.epsilon.to_string(), c.delta.to_string()));
        use_effect_with((fields, claim, props.visible), |(f, claim, visible)| {
            if *visible {
                let mut pairs = DpQuery { fields: f.clone() }.pairs();
                let (e, d) = claim.clone().unwrap_or_default();
                pairs.push((CLAIM_KEYS[0], e));
                pairs.push((CLAIM_KEYS[1], d));
                route::write(View::Dp, &pairs);
            }
        });
    }
    let set_field = |i: usize| {
        let fields = fields.clone();
        Callback::from(move |v: String| {
            let mut f = (*fields).clone();
            f[i] = v;
            fields.set(f);
        })
    };
    let apply_claim = {
        let on_claim = props.on_claim.clone();
        let claim_error = claim_error.clone();
        move |eps: &str, delta: &str| {
            if eps.trim().is_empty() {
                claim_error.set(None);
                on_claim.emit(None);
                return;
            }
            let parsed = number(eps, "Claimed ε").and_then(|e| {
                DpClaim::new(e, number(delta, "Claimed δ")?).map_err(|e| e.to_string())
            });
            match parsed {
                Ok(c) => {
                    claim_error.set(None);
                    on_claim.emit(Some(c));
                }
                Err(m) => claim_error.set(Some(m)),
            }
        }
    };
    let on_claim_eps = {
        let claim_text = claim_text.clone();
        let apply = apply_claim.clone();
        Callback::from(move |v: String| {
            apply(&v, &claim_text.1);
            claim_text.set((v, claim_text.1.clone()));
        })
    };
    let on_claim_delta = {
        let claim_text = claim_text.clone();
        let apply = apply_claim.clone();
        Callback::from(move |v: String| {
            apply(&claim_text.0, &v);
            claim_text.set((claim_text.0.clone(), v));
        })
    };
    let use_accountant = match &*result {
        Ok((_, e, _)) if e.epsilon.is_finite() => {
            let claim_text = claim_text.clone();
            let apply = apply_claim.clone();
            let (eps, delta) = (e.epsilon, e.delta);
            Some(Callback::from(move |_: MouseEvent| {
                let (et, dt) = (sig(eps, 4), delta.to_string());
                apply(&et, &dt);
                claim_text.set((et, dt));
            }))
        }
        _ => None,
    };
    let f = &*fields;
    let field = |i: usize, label: &str, hint: &str, testid: &str| {
        html! {
            <label class="control fact">
                <span class="control-head"><span>{label.to_string()}</span></span>
                <TextField value={f[i].clone()} on_commit={set_field(i)} testid={testid.to_string()} label={label.to_string()} />
                <small>{hint.to_string()}</small>
            </label>
        }
    };
    let cards = match &*result {
        Ok((s, e, _)) => {
            let band = EpsilonBand::of(e.epsilon);
            html! {
                <div class="metrics">
                    {card("metric-epsilon", "ε (RDP accountant)", html! { { if e.epsilon.is_finite() { sig(e.epsilon, 4) } else { "∞".to_string() } } },
                        e.epsilon.to_string(), html! { format!("at δ = {}; {} privacy ({})", probability(e.delta), band.title().to_lowercase(), band.range()) })}
                    {card("metric-optimal-order", "Optimal Rényi order", html! { sig(e.optimal_order, 3) }, e.optimal_order.to_string(),
                        html! { { if e.order_at_grid_edge { "at the edge of the order grid: ε may be a little lower with more orders" } else { "of dp_accounting's 156 orders" } } })}
                    {card("metric-steps", "Steps", html! { count(s.steps) }, s.steps.to_string(),
                        html! { format!("sampling rate q = {}; {} epochs", sig(s.sampling_rate, 4), sig(s.epochs(), 4)) })}
                </div>
            }
        }
        Err(m) => {
            html! { <p class="load-error" role="alert" data-testid="dp-error">{m.clone()}</p> }
        }
    };
    let sigma_line = match &*result {
        Ok((_, _, Some(Ok((target, sigma))))) => html! {
            <p class="small" data-testid="metric-sigma" data-value={sigma.to_string()}>
                {format!("σ = {} reaches ε = {} with these settings.", sig(*sigma, 4), sig(*target, 4))}
            </p>
        },
        Ok((_, _, Some(Err(m)))) => {
            html! { <p class="field-error small" role="alert">{m.clone()}</p> }
        }
        _ => html! {},
    };
    let band = match &*result {
        Ok((_, e, _)) => Some(EpsilonBand::of(e.epsilon)),
        Err(_) => None,
    };
    html! {
        <div class="layout dp-view" hidden={!props.visible}>
            <aside class="side">
                <section class="panel controls" aria-label="DP-SGD training">
                    <h2>{"DP-SGD training"}</h2>
                    <p class="muted small">{"Poisson-sampled batches with Gaussian noise (Abadi et al. 2016), accounted with Rényi DP as Opacus and dp_accounting do."}</p>
                    {field(0, "Dataset size N", "training examples", "dp-n")}
                    {field(1, "Batch size B", "expected batch; q = B / N", "dp-batch")}
                    {field(2, "Epochs", "steps = ⌊epochs · N / B⌋", "dp-epochs")}
                    {field(6, "Steps (optional)", "when given, used instead of the epochs", "dp-steps")}
                    {field(3, "Noise multiplier σ", "noise std ÷ clipping norm", "dp-sigma")}
                    {field(4, "δ", "below 1 / N, e.g. 1e-5", "dp-delta")}
                    {field(5, "Target ε (optional)", "finds the σ that reaches it", "dp-target")}
                    {sigma_line}
                </section>
                <section class="panel controls" aria-label="Claimed guarantee">
                    <h2>{"Claimed guarantee"}</h2>
                    <p class="muted small">{"A claimed (ε, δ) is drawn as a bound on every ROC chart in the app; a measured curve above it contradicts the claim."}</p>
                    <label class="control fact">
                        <span class="control-head"><span>{"Claimed ε"}</span></span>
                        <TextField value={claim_text.0.clone()} on_commit={on_claim_eps} placeholder="none" testid="claim-epsilon" label="Claimed epsilon" />
                    </label>
                    <label class="control fact">
                        <span class="control-head"><span>{"Claimed δ"}</span></span>
                        <TextField value={claim_text.1.clone()} on_commit={on_claim_delta} testid="claim-delta" label="Claimed delta" />
                    </label>
                    if let Some(m) = &*claim_error {
                        <small class="field-error" role="alert">{m.clone()}</small>
                    }
                    if let Some(cb) = use_accountant {
                        <button class="link" onclick={cb} data-testid="claim-from-accountant">{"use the accountant's ε"}</button>
                    }
                </section>
            </aside>
            <main class="main">
                <div class="audit-head">
                    <h2>{"Differential privacy"}</h2>
                    <p class="muted">{"What ε a DP-SGD run gives, what it means, and whether the measured attack contradicts it."}</p>
                </div>
                {cards}
                <EpsilonGuideTable current={band} />
                <EpsilonAuditPanel audit={props.audit.clone()} claim={props.claim} window_width={props.window_width} />
            </main>
        </div>
    }
}
