//! "Can these figures be trusted?": the three checks of a reference attack a privacy reviewer
//! needs, each with its chart and a plain reading. How many references each record had (and what
//! LiRA did where it had too few), whether φ is as Gaussian as LiRA assumes, and whether more
//! reference models would likely find more members. The facts only: the warnings they raise are
//! listed once, elsewhere on the page.

use std::rc::Rc;

use mia_engine::reference_attack::gaussian_check::{
    GaussianCheck, HEAVY_TAIL_MIN_COUNT, HEAVY_TAIL_RATIO,
};
use mia_engine::reference_attack::lira::{Side, SideFit};
use mia_engine::reference_attack::reference_trend::{TrendFigures, TrendReading};
use mia_engine::reference_attack::ReferenceReport;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::charts::palette::{MEMBER, NONMEMBER};
use crate::charts::qq_plot::draw_qq;
use crate::charts::reference_counts::draw_reference_counts;
use crate::charts::reference_trend::draw_trend;
use crate::format::{count, percent, sig};
use crate::widgets::chart_canvas::{draw_later, fit_canvas, mark_drawn, use_drawings, ExportPng};

#[derive(Properties, PartialEq)]
pub struct LiraDiagnosticsProps {
    pub report: Rc<ReferenceReport>,
    pub window_width: f64,
}

#[component]
pub fn LiraDiagnostics(props: &LiraDiagnosticsProps) -> Html {
    let r = &props.report;
    let chart = |plot: Plot, title: &str, testid: &str, children: Html| {
        html! {
            <DiagnosticChart report={r.clone()} {plot} window_width={props.window_width}
                title={title.to_string()} testid={testid.to_string()}>{children}</DiagnosticChart>
        }
    };
    let qq = [Side::In, Side::Out].map(|side| {
        let name = side_name(side);
        let empty = |why: String| {
            html! { <p class="muted small" data-testid={format!("lira-qq-empty-{}", side.name())}>{why}</p> }
        };
        match r.gaussian.iter().find(|g| g.side == side) {
            // With at most one value per record, each residual is 0 by construction.
            Some(_) if r.counts.range(side).1 < 2 => empty(format!(
                "{name}: no record has 2 or more {name} references, so every residual is 0 and the Gaussian assumption cannot be checked on this side."
            )),
            Some(g) => chart(
                Plot::Qq(side),
                &format!("{name} references"),
                &format!("lira-qq-{}", side.name()),
                tail_facts(g),
            ),
            None => empty(format!(
                "{name}: no record has an {name} reference, so there are no residuals to check on this side."
            )),
        }
    });
    let fits = &r.fits;
    html! {
        <section class="panel lira-diagnostics" data-testid="lira-diagnostics">
            <h3>{"Can these figures be trusted?"}</h3>
            <p class="muted">{"Reference attacks are only as good as their reference models. Three checks: did every record have enough of them, does LiRA's Gaussian model fit, and would more of them find more members?"}</p>

            <h4>{"How many reference models saw each record"}</h4>
            <p class="small">{"Each reference model is trained on a random part of the data. For a given record, its IN references trained on it and its OUT references did not. LiRA fits a Gaussian to each record's IN values and one to its OUT values; to estimate a record's own spread it needs at least 2 values on a side (the shaded band shows records with fewer)."}</p>
            {chart(Plot::Counts, "Reference models per record", "lira-counts", html! {
                <ul class="small lira-facts">
                    {for fits.iter().map(|fit| side_counts(r, fit))}
                </ul>
            })}

            <h4>{"Is φ as Gaussian as LiRA assumes?"}</h4>
            <p class="small">{"LiRA reads the target's φ against each record's Gaussians. Here every reference value minus its record's centre, divided by the global spread, is set against the standard normal distribution: on the dashed line y = x the assumption holds; points bending away at the ends mean heavier tails than a Gaussian. LiRA is then overconfident about extreme values, and its TPR at low FPR is optimistic. RMIA assumes no distribution."}</p>
            <div class="charts lira-qq" data-testid="lira-qq">{for qq}</div>

            <h4>{"Would more reference models help?"}</h4>
            <p class="small">{"Online LiRA run again with a quarter and a half of the reference models (the same random subset for every record). Figures still rising at all M references mean a better-equipped attacker would find more members: the figures above are then a lower bound."}</p>
            {trend(r, chart)}
        </section>
    }
}

/// A side's name as the page writes it.
fn side_name(side: Side) -> &'static str {
    match side {
        Side::In => "IN",
        Side::Out => "OUT",
    }
}

/// What the counts say about one side, and what LiRA did about it.
fn side_counts(r: &ReferenceReport, fit: &SideFit) -> Html {
    let side = fit.side;
    let name = side_name(side);
    let c = &r.counts;
    let total: u64 = c.side(side).iter().sum();
    let (none, one) = (c.with(side, 0), c.with(side, 1));
    let few = none + one;
    let zero = match side {
        Side::In => c.zero_spread_in,
        Side::Out => c.zero_spread_out,
    };
    let g = fit.global_spread.map_or(String::new(), |g| sig(g, 4));
    let testid = format!("lira-few-{}", side.name());
    let (lo, hi) = c.range(side);
    let main = if total == 0 {
        html! {}
    } else if fit.global_spread.is_none() {
        let cannot = match side {
            Side::In => "online LiRA cannot run",
            Side::Out => "neither online nor offline LiRA can run",
        };
        html! { <>{format!("{name}: no record has any {name} reference, so there is no {name} distribution and {cannot}.")}</> }
    } else if few == 0 {
        let range = if lo == hi {
            lo.to_string()
        } else {
            format!("between {lo} and {hi}")
        };
        html! { <>{format!("{name}: every record has {range} {name} references, so each gets its own spread.")}</> }
    } else {
        let degenerate = if fit.global_spread == Some(0.0) {
            format!(" (no record has two different {name} values)")
        } else {
            String::new()
        };
        html! { <>
            {format!("{name}: {} of {} records ({}) have fewer than 2 {name} references. Their own spread cannot be estimated, so LiRA uses the global {name} spread ",
                count(few), count(total), percent(few as f64 / total as f64))}
            <strong>{format!("G = {g}")}</strong>{format!("{degenerate} for them. ")}
            if none > 0 {
                {format!("{} have none at all: their {name} centre is the mean centre of the other records ({}), so {} LiRA says little about them.",
                    count(none),
                    fit.fallback_centre.map_or("none".into(), |x| sig(x, 4)),
                    if side == Side::In { "online" } else { "offline" })}
            }
        </> }
    };
    html! {
        <li data-testid={testid} data-value={few.to_string()}>
            {main}
            if zero > 0 {
                {format!(" {} records have identical φ under all their {name} references (zero spread) and also take the global spread.", count(zero))}
            }
        </li>
    }
}

/// The tail statistic and kurtosis of one side, and the warning when the tails are heavy.
fn tail_facts(g: &GaussianCheck) -> Html {
    let side = g.side.name();
    let too_few =
        !g.heavy_tails && g.tail_ratio >= HEAVY_TAIL_RATIO && g.beyond_3 < HEAVY_TAIL_MIN_COUNT;
    html! { <>
        <p class="small" data-testid={format!("lira-tail-{side}")} data-value={g.tail_ratio.to_string()}>
            {format!("{} of {} residuals beyond ±3, {:.1}× the normal's {}. Excess kurtosis {} (0 for a normal).",
                count(g.beyond_3), count(g.n_residuals), g.tail_ratio, sig(g.expected_beyond_3, 3), sig(g.excess_kurtosis, 3))}
            if too_few {
                {format!(" Fewer than {HEAVY_TAIL_MIN_COUNT} lie beyond ±3: too few to call the tails heavy.")}
            }
        </p>
        if g.heavy_tails {
            <p class="lira-caution small" data-testid={format!("lira-heavy-{side}")}>
                <strong>{"Heavier tails than a Gaussian. "}</strong>
                {"LiRA's likelihood ratios are overconfident in the tails, so its TPR at low FPR (0.1 %, 1 %) is optimistic: trust RMIA's figures there more."}
            </p>
        }
    </> }
}

/// The trend's chart (with two points or more) and its reading.
fn trend(r: &ReferenceReport, chart: impl Fn(Plot, &str, &str, Html) -> Html) -> Html {
    let reading = TrendReading::of(&r.trend);
    let m_before = r.trend.iter().rev().nth(1).map_or(0, |p| p.m);
    let moved = |a: TrendFigures, b: TrendFigures| {
        format!(
            "from {m_before} to {} references, online LiRA's AUC went {} → {} and its TPR at 0.1 % FPR {} → {}",
            r.m,
            sig(a.auc, 4),
            sig(b.auc, 4),
            percent(a.tpr_at_0_1_percent),
            percent(b.tpr_at_0_1_percent)
        )
    };
    let key = reading.key();
    let text = match reading {
        TrendReading::Single => format!("The trend needs M ≥ 2 reference models; this file has M = {}.", r.m),
        TrendReading::NoFigures => "Online LiRA did not run (it needs both IN and OUT references), so there is no trend to read.".to_string(),
        TrendReading::Rising(a, b) => format!("Still rising: {}. More reference models would likely find more members.", moved(a, b)),
        TrendReading::Flat(a, b) => format!("Flat: {}. More reference models of the same kind would change little.", moved(a, b)),
    };
    let text = html! { <p class="small lira-reading" data-testid="lira-trend-reading" data-value={key}>{text}</p> };
    if r.trend.len() < 2 {
        return html! { <div data-testid="lira-trend">{text}</div> };
    }
    chart(
        Plot::Trend,
        "Online LiRA with more reference models",
        "lira-trend",
        text,
    )
}

/// Which chart a [`DiagnosticChart`] draws.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Plot {
    Counts,
    Qq(Side),
    Trend,
}

#[derive(Properties, PartialEq)]
struct DiagnosticChartProps {
    report: Rc<ReferenceReport>,
    plot: Plot,
    window_width: f64,
    title: AttrValue,
    testid: AttrValue,
    /// What the chart shows, read in words, under it.
    children: Html,
}

/// A figure with a title, a PNG button, a canvas redrawn when the report or the width changes, and
/// the reading under it.
#[component]
fn DiagnosticChart(props: &DiagnosticChartProps) -> Html {
    let canvas = use_node_ref();
    let drawings = use_drawings();
    {
        let canvas = canvas.clone();
        let title = props.title.clone();
        use_effect_with(
            (
                props.report.clone(),
                props.plot,
                props.window_width.to_bits(),
            ),
            move |(report, plot, _)| {
                let (report, plot) = (report.clone(), *plot);
                draw_later(&drawings, move || {
                    let Some(c) = canvas.cast::<HtmlCanvasElement>() else {
                        return;
                    };
                    // The width from the container; each drawing sets the height it needs.
                    fit_canvas(&c, 0.5, 200);
                    match plot {
                        Plot::Counts => draw_reference_counts(&c, &report.counts),
                        Plot::Qq(side) => {
                            report
                                .gaussian
                                .iter()
                                .find(|g| g.side == side)
                                .and_then(|g| {
                                    let colour = if side == Side::In { MEMBER } else { NONMEMBER };
                                    draw_qq(&c, &g.qq, colour, &format!("Q-Q plot, {title}"))
                                })
                        }
                        Plot::Trend => draw_trend(&c, &report.trend, report.m),
                    };
                    mark_drawn(&c);
                });
            },
        );
    }
    let file_name = format!("{}.png", props.testid.replace('-', "_"));
    html! {
        <figure class="chart" data-testid={props.testid.clone()}>
            <figcaption>
                <span>{props.title.clone()}</span>
                <ExportPng canvas={canvas.clone()} {file_name} />
            </figcaption>
            <div class="canvas-box"><canvas ref={canvas} aria-label={props.title.clone()}></canvas></div>
            {props.children.clone()}
        </figure>
    }
}
