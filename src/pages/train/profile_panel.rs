//! The privacy-utility profile: which runs to train, the trade-off chart (held-out accuracy
//! against the attack's AUC and TPR at 1 % FPR), the table of runs with its knee, and the CSV.

use std::rc::Rc;

use mia_engine::training::profile::{profile_csv, ProfileVariant};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::charts::privacy_profile::draw_privacy_profile;
use crate::format::{percent, sig};
use crate::hooks::worker_job::Busy;
use crate::protocol::ProfileSnapshot;
use crate::widgets::chart_canvas::{draw_later, fit_canvas, use_drawings, ExportPng};
use crate::widgets::download::download_text;
use crate::widgets::progress_bar::ProgressBar;

#[derive(Properties, PartialEq)]
pub struct ProfilePanelProps {
    /// Which of [`ProfileVariant::all`] to run.
    pub chosen: Rc<Vec<bool>>,
    pub on_choose: Callback<(usize, bool)>,
    pub on_run: Callback<()>,
    pub busy: Option<Busy>,
    pub on_cancel: Callback<()>,
    pub profile: Option<Rc<ProfileSnapshot>>,
    /// The profile was cancelled: its finished runs stay.
    pub cancelled: bool,
    pub window_width: f64,
}

#[component]
pub fn ProfilePanel(props: &ProfilePanelProps) -> Html {
    let canvas = use_node_ref();
    let drawings = use_drawings();
    {
        let canvas = canvas.clone();
        use_effect_with(
            (props.profile.clone(), props.window_width.to_bits()),
            move |(profile, _)| {
                let profile = profile.clone();
                draw_later(&drawings, move || {
                    if let (Some(c), Some(p)) = (canvas.cast::<HtmlCanvasElement>(), profile) {
                        fit_canvas(&c, 0.45, 240);
                        draw_privacy_profile(&c, &p.rows, p.knee);
                    }
                });
            },
        );
    }
    let variants = ProfileVariant::all();
    let boxes = variants.iter().enumerate().map(|(i, v)| {
        let on_choose = props.on_choose.clone();
        let checked = props.chosen.get(i).copied().unwrap_or(false);
        let onchange = Callback::from(move |_: Event| on_choose.emit((i, !checked)));
        html! {
            <label class="map-check profile-choice">
                <input type="checkbox" checked={checked} onchange={onchange} data-testid={format!("train-profile-choice-{i}")} />
                {v.label()}
            </label>
        }
    });
    let on_run = props.on_run.clone();
    let none_chosen = !props.chosen.iter().any(|&c| c);
    let table = props.profile.as_ref().map(|p| {
        let rows = p.rows.iter().map(|r| {
            let knee = matches!(r.variant, ProfileVariant::Dp { epsilon } if Some(epsilon) == p.knee);
            html! {
                <tr class={classes!(knee.then_some("knee"))}>
                    <td>{r.label.clone()}{if knee { " (knee)" } else { "" }}</td>
                    <td class="num">{r.epochs}</td>
                    <td class="num" data-value={r.held_out_accuracy.to_string()}>{percent(r.held_out_accuracy)}</td>
                    <td class="num" data-value={r.attack_auc.to_string()}>{sig(r.attack_auc, 4)}</td>
                    <td class="num" data-value={r.attack_tpr_at_1_percent.to_string()}>{percent(r.attack_tpr_at_1_percent)}</td>
                    <td class="num">{r.epsilon.map_or_else(|| "—".to_string(), |e| if e.is_finite() { sig(e, 3) } else { "∞".into() })}</td>
                </tr>
            }
        });
        let csv = profile_csv(&p.rows);
        let dataset = p.dataset.clone();
        let download = Callback::from(move |_: MouseEvent| {
            download_text(&format!("privacy-profile-{dataset}.csv"), "text/csv", &csv)
        });
        let knee_text = match p.knee {
            Some(e) => format!("The knee is at ε = {}: beyond it, held-out accuracy gains under 1 point while the attack's AUC keeps rising. A budget near it buys most of the utility for the least leakage.", sig(e, 3)),
            None if p.rows.iter().filter(|r| matches!(r.variant, ProfileVariant::Dp { .. } | ProfileVariant::NoDp)).count() < 2 =>
                "The knee needs at least two budgets.".to_string(),
            None => "No knee: from each budget to the next, either accuracy still improves or the attack does not.".to_string(),
        };
        html! {
            <>
                <p class="small" data-testid="train-knee" data-value={p.knee.map_or_else(String::new, |e| e.to_string())}>{knee_text}</p>
                <div class="table-scroll">
                    <table data-testid="train-profile-table" data-rows={p.rows.len().to_string()}>
                        <thead><tr><th>{"Run"}</th><th>{"Epochs"}</th><th>{"Held-out accuracy"}</th><th>{"Attack AUC"}</th><th>{"TPR at 1% FPR"}</th><th>{"ε spent"}</th></tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
                if let Some((label, epoch)) = &p.current {
                    if props.busy.is_some() { <p class="muted small">{format!("Now training: {label}, epoch {epoch}.")}</p> }
                }
                <button class="export" onclick={download} disabled={p.rows.is_empty()} data-testid="train-profile-csv">{"Download the table (CSV)"}</button>
            </>
        }
    });
    html! {
        <section class="panel" aria-label="Privacy-utility profile">
            <h3>{"Privacy-utility profile"}</h3>
            <p class="muted small">{"The same model and seed, trained once per choice below with every other defence off: DP-SGD at each budget (σ found for the ε by the RDP accountant), no defence, and each defence alone. Each run is measured by its held-out accuracy and the threshold attack."}</p>
            <div class="profile-choices">{ for boxes }</div>
            <button class="primary" onclick={Callback::from(move |_: MouseEvent| on_run.emit(()))}
                disabled={props.busy.is_some() || none_chosen} data-testid="train-profile">{"Run the profile"}</button>
            if let Some(b) = props.busy.clone() {
                <div data-testid="train-profile-progress"><ProgressBar busy={b} on_cancel={props.on_cancel.clone()} /></div>
            }
            if props.cancelled { <p class="notice">{"Profile stopped: the runs that finished are shown."}</p> }
            if props.profile.is_some() {
                <figure class="chart">
                    <figcaption>
                        <span>{"Utility against leakage"}</span>
                        <ExportPng canvas={canvas.clone()} file_name="privacy-profile.png" />
                    </figcaption>
                    <div class="canvas-box"><canvas ref={canvas} aria-label="Held-out accuracy against the attack's AUC and TPR at 1% FPR for each run"></canvas></div>
                </figure>
            }
            { table.unwrap_or_default() }
        </section>
    }
}
