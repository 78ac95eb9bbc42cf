//! The membership attacks from token log-probs: each signal's AUC with its interval and TPR at
//! low FPR, every signal's ROC on one chart (log-log by default), each signal's histogram of
//! training against held-out texts, and the texts the strongest signal singles out.

use std::rc::Rc;

use mia_engine::attack::histogram::ScoreHistogram;
use mia_engine::text::attack::{LogprobAudit, TextSignal};
use plotters::style::RGBColor;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::histograms::TextHistogram;
use crate::charts::palette::{ANALYTIC, ATTACK, MEMBER, NONMEMBER};
use crate::charts::reference_roc::{draw_reference_roc, log_floor, RocLine};
use crate::charts::roc::RocAxes;
use crate::format::{count, percent, probability, sig};
use crate::widgets::chart_canvas::{fit_canvas, ExportPng};

#[derive(Properties, PartialEq)]
pub struct LogprobResultsProps {
    pub audit: Rc<LogprobAudit>,
    pub histograms: Rc<Vec<(TextSignal, ScoreHistogram)>>,
    pub log_roc: bool,
    pub on_log: Callback<bool>,
    pub window_width: f64,
}

fn colour(s: TextSignal) -> RGBColor {
    match s {
        TextSignal::NegLoss => MEMBER,
        TextSignal::ZlibRatio => NONMEMBER,
        TextSignal::MinK => ATTACK,
        TextSignal::RefRatio => ANALYTIC,
    }
}

#[component]
pub fn LogprobResults(props: &LogprobResultsProps) -> Html {
    let a = &props.audit;
    let canvas = use_node_ref();
    let log = props.log_roc;
    let floor = log_floor(a.n_non_members as u64);
    {
        let canvas = canvas.clone();
        use_effect_with(
            (props.audit.clone(), log, props.window_width.to_bits()),
            move |(a, log, _)| {
                if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                    fit_canvas(&c, 0.75, 260);
                    let lines: Vec<RocLine> = a
                        .signals
                        .iter()
                        .map(|s| RocLine {
                            fpr: &s.metrics.roc.fpr,
                            tpr: &s.metrics.roc.tpr,
                            colour: colour(s.signal),
                            label: format!("{} (AUC {})", s.signal.title(), sig(s.metrics.auc, 4)),
                        })
                        .collect();
                    let axes = if *log {
                        RocAxes::LogLog
                    } else {
                        RocAxes::Linear
                    };
                    draw_reference_roc(&c, &lines, axes, floor);
                }
            },
        );
    }
    let strongest = a.strongest();
    let rows = a.signals.iter().map(|s| {
        let m = &s.metrics;
        // Fewer held-out texts than 1/FPR: one false positive already exceeds the rate.
        let tpr = |i: usize| match m.tpr_at_fpr.get(i) {
            Some(t) if t.measurable => html! { percent(t.tpr) },
            Some(t) => html! { <span class="muted" title="fewer held-out texts than 1/FPR: one false positive already exceeds this rate, so the figure is coarse">{format!("{}*", percent(t.tpr))}</span> },
            None => html! { "–" },
        };
        let ci = m.auc_interval.map_or("–".to_string(), |i| format!("{}–{}", sig(i.lower, 3), sig(i.upper, 3)));
        let best = strongest.is_some_and(|b| b.signal == s.signal);
        html! {
            <tr class={classes!(best.then_some("best"))}>
                <td>{s.signal.title()}</td>
                <td class="num" data-testid={format!("text-auc-{}", s.signal.key())} data-value={m.auc.to_string()}>{sig(m.auc, 4)}</td>
                <td class="num">{ci}</td>
                <td class="num" data-testid={format!("text-tpr1-{}", s.signal.key())} data-value={m.tpr_at_fpr.get(1).map_or(f64::NAN, |t| t.tpr).to_string()}>{tpr(0)}</td>
                <td class="num">{tpr(1)}</td>
                <td class="num">{tpr(2)}</td>
                <td class="num">{sig(m.attacker_advantage, 3)}</td>
            </tr>
        }
    });
    let unavailable = a.unavailable.iter().map(|(s, why)| {
        html! { <li data-testid={format!("text-unavailable-{}", s.key())}><strong>{s.title()}</strong>{": "}{why.clone()}</li> }
    });
    let histograms = props.histograms.iter().map(|(s, h)| {
        let mean = |member: bool| {
            let v: Vec<f64> = a
                .texts
                .iter()
                .filter(|t| t.1 == member)
                .filter_map(|t| s.score_of(&t.2))
                .collect();
            (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
        };
        html! {
            <TextHistogram histogram={h.clone()} title={s.title()} means={(mean(true), mean(false))}
                testid={format!("text-hist-{}", s.key())} window_width={props.window_width} />
        }
    });
    let exposed = strongest.map(|s| {
        let rows = s.most_exposed.iter().map(|e| html! {
            <tr><td>{e.id.clone()}</td><td>{if e.member { "training" } else { "held-out" }}</td><td class="num">{e.row}</td>
                <td class="num">{sig(e.score, 4)}</td><td class="num">{probability(e.fpr_at_score)}</td></tr>
        });
        html! {
            <section class="panel">
                <h3>{format!("Most exposed texts, by {}", s.signal.title())}</h3>
                <p class="muted small">{"“Held-out above” is the share of held-out texts scoring at least as high: the false-positive rate an attacker accepts to flag the text. Near 0 means the text stands out."}</p>
                <div class="table-scroll">
                    <table data-testid="text-exposed">
                        <thead><tr><th>{"Text"}</th><th>{"Truth"}</th><th>{"Row"}</th><th>{"Score"}</th><th>{"Held-out above"}</th></tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            </section>
        }
    });
    let set_axes = |v: bool| {
        let on_log = props.on_log.clone();
        Callback::from(move |_: MouseEvent| on_log.emit(v))
    };
    html! {
        <>
            <section class="panel">
                <h3>{"Membership from token log-probs"}</h3>
                <p class="muted small">{format!("{} training and {} held-out texts. Each signal is oriented so that higher means member; the threshold attack sweeps every cut. Min-K% uses the lowest {} of each text's tokens.", count(a.n_members as u64), count(a.n_non_members as u64), percent(a.k))}</p>
                <div class="table-scroll">
                    <table data-testid="text-signals">
                        <thead><tr><th>{"Signal"}</th><th>{"AUC"}</th><th>{"95% CI (DeLong)"}</th><th>{"TPR at 0.1% FPR"}</th><th>{"at 1%"}</th><th>{"at 10%"}</th><th>{"Advantage"}</th></tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
                if !a.unavailable.is_empty() { <ul class="small">{ for unavailable }</ul> }
                if a.signals.iter().any(|s| s.metrics.tpr_at_fpr.iter().any(|t| !t.measurable)) {
                    <p class="muted small">{"* Coarse: fewer held-out texts than 1/FPR, so a single false positive already exceeds that rate."}</p>
                }
                <p class="muted small">{"−loss is the mean token log-probability (Yeom et al. 2018); the zlib ratio divides it by the text's compressed length so that merely repetitive text does not look memorised (Carlini et al. 2021); Min-K% Prob averages only the least likely tokens (Shi et al. 2023); the reference ratio subtracts a reference model's loss (Carlini et al. 2021)."}</p>
            </section>
            <section class="panel">
                <figure class="chart">
                    <figcaption>
                        <span>{"ROC curves of every signal"}</span>
                        <span class="toggle" role="group" aria-label="Axes">
                            <button class={classes!((!log).then_some("on"))} onclick={set_axes(false)} data-testid="text-roc-linear">{"linear"}</button>
                            <button class={classes!(log.then_some("on"))} onclick={set_axes(true)} data-testid="text-roc-log">{"log-log"}</button>
                        </span>
                        <ExportPng canvas={canvas.clone()} file_name={"text_roc.png"} />
                    </figcaption>
                    <div class="canvas-box"><canvas ref={canvas} data-testid="text-roc" data-axes={if log { "log" } else { "linear" }}
                        aria-label="ROC curves of the log-prob signals"></canvas></div>
                </figure>
            </section>
            <section class="panel">
                <h3>{"Training against held-out texts"}</h3>
                <div class="charts text-hists">{ for histograms }</div>
            </section>
            { exposed.unwrap_or_default() }
        </>
    }
}
