//! The simulator's controls. Every change is applied at once (no run button); a control named in
//! the URL as `NAME_hide=true` is not shown, for guided exercises.

use mia_engine::simulator::params::{GAP_RANGE, MEAN_RANGE, N_RANGE, STD_RANGE};
use mia_engine::simulator::{Family, SimulationParams};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::widgets::text_field::TextField;

use crate::format::count;

#[derive(Properties, PartialEq)]
pub struct SimulatorControlsProps {
    pub params: SimulationParams,
    pub hidden: Vec<String>,
    pub on_change: Callback<SimulationParams>,
}

/// A labelled slider showing its current value; `position` is the slider's own scale.
fn slider(
    name: &'static str,
    label: &str,
    hint: &str,
    (min, max, step): (f64, f64, f64),
    position: f64,
    shown: String,
    on_position: Callback<f64>,
) -> Html {
    let oninput = Callback::from(move |e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        if let Ok(v) = input.value().parse::<f64>() {
            on_position.emit(v);
        }
    });
    html! {
        <label class="control">
            <span class="control-head"><span>{label}</span><output data-testid={format!("value-{name}")}>{shown}</output></span>
            <input type="range" min={min.to_string()} max={max.to_string()} step={step.to_string()}
                value={position.to_string()} oninput={oninput} data-testid={format!("control-{name}")} />
            <small>{hint}</small>
        </label>
    }
}

#[component]
pub fn SimulatorControls(props: &SimulatorControlsProps) -> Html {
    let p = props.params;
    let shown = |name: &str| !props.hidden.iter().any(|h| h == name);
    let set = |f: fn(&mut SimulationParams, f64)| {
        let on_change = props.on_change.clone();
        Callback::from(move |v: f64| {
            let mut q = p;
            f(&mut q, v);
            on_change.emit(q);
        })
    };
    // Record counts move on a log scale: 10 … 1,000,000.
    let log_n = |n: usize| (n.max(1) as f64).log10();
    let log_range = ((N_RANGE.0 as f64).log10(), (N_RANGE.1 as f64).log10(), 0.01);
    let on_family = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            if let Some(f) = Family::from_key(&sel.value()) {
                on_change.emit(SimulationParams { family: f, ..p });
            }
        })
    };
    let on_seed = {
        let on_change = props.on_change.clone();
        Callback::from(move |v: String| {
            if let Ok(seed) = v.trim().parse::<u64>() {
                on_change.emit(SimulationParams { seed, ..p });
            }
        })
    };
    let reseed = {
        let on_change = props.on_change.clone();
        Callback::from(move |_: MouseEvent| {
            let seed = (js_sys::Math::random() * 1e9).floor() as u64;
            on_change.emit(SimulationParams { seed, ..p });
        })
    };
    html! {
        <section class="panel controls" aria-label="Simulation controls">
            <h2>{"Simulate a model"}</h2>
            <p class="muted small">{"Members' confidences sit a gap above non-members'. Everything else is equal: watch what the gap alone gives an attacker."}</p>
            if shown("gap") {
                { slider("gap", "Generalization gap", "member mean − non-member mean", (GAP_RANGE.0, GAP_RANGE.1, 0.01), p.gap, format!("{:.2}", p.gap), set(|q, v| q.gap = (v * 100.0).round() / 100.0)) }
            }
            if shown("std") {
                { slider("std", "Spread (std)", "of both groups' confidences", (STD_RANGE.0, STD_RANGE.1, 0.01), p.std, format!("{:.2}", p.std), set(|q, v| q.std = (v * 100.0).round() / 100.0)) }
            }
            if shown("nonmember_mean") {
                { slider("nonmember_mean", "Non-member mean", "average confidence on unseen records", (MEAN_RANGE.0, MEAN_RANGE.1, 0.01), p.nonmember_mean, format!("{:.2}", p.nonmember_mean), set(|q, v| q.nonmember_mean = (v * 100.0).round() / 100.0)) }
            }
            if shown("n_members") {
                { slider("n_members", "Members", "records in the training set", log_range, log_n(p.n_members), count(p.n_members as u64), set(|q, v| q.n_members = (10f64.powf(v).round() as usize).clamp(N_RANGE.0, N_RANGE.1))) }
            }
            if shown("n_nonmembers") {
                { slider("n_nonmembers", "Non-members", "records the model never saw", log_range, log_n(p.n_nonmembers), count(p.n_nonmembers as u64), set(|q, v| q.n_nonmembers = (10f64.powf(v).round() as usize).clamp(N_RANGE.0, N_RANGE.1))) }
            }
            if shown("family") {
                <label class="control">
                    <span class="control-head"><span>{"Distribution"}</span></span>
                    <select onchange={on_family} data-testid="control-family">
                        <option value="normal" selected={p.family == Family::Normal}>{"Clipped normal (classic)"}</option>
                        <option value="beta" selected={p.family == Family::Beta}>{"Beta (skewed near 1, realistic)"}</option>
                    </select>
                </label>
            }
            if shown("seed") {
                <label class="control seed">
                    <span class="control-head"><span>{"Random seed"}</span></span>
                    <span class="seed-row">
                        <TextField input_type="number" min="0" inputmode="numeric" value={p.seed.to_string()} on_commit={on_seed} testid="control-seed" label="Random seed" />
                        <button type="button" onclick={reseed}>{"New draw"}</button>
                    </span>
                    <small>{"The same seed gives the same scores on every machine."}</small>
                </label>
            }
        </section>
    }
}
