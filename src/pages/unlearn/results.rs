//! What the verification found: the verdict and which test failed, the seed design's figures,
//! the threshold attack before and after (table and log-log ROC), utility, and the forget records
//! the attack still singles out.

use std::rc::Rc;

use mia_engine::unlearning::UnlearningReport;
use mia_engine::{SignalReport, TprAtFpr};
use yew::prelude::*;

use crate::format::{percent, sig};
use crate::protocol::UnlearnOutcome;
use crate::widgets::headline_metrics::card;
use crate::widgets::roc_chart::RocChart;

#[derive(Properties, PartialEq)]
pub struct UnlearnResultsProps {
    pub outcome: Rc<UnlearnOutcome>,
    pub window_width: f64,
    pub log_roc: bool,
    pub on_log: Callback<bool>,
    /// The test ids' prefix: `unlearn` in the Unlearning view, another where the report is shown
    /// again (the training lab's per-method report).
    #[prop_or(AttrValue::Static("unlearn"))]
    pub prefix: AttrValue,
    /// Show the exposed records' rows in the input file (not where the outputs were made here).
    #[prop_or(true)]
    pub file_rows: bool,
}

fn tpr_1(r: &SignalReport) -> Option<&TprAtFpr> {
    r.tpr_at_fpr.iter().find(|t| t.target_fpr == 0.01)
}

fn auc_cell(r: Option<&SignalReport>) -> Html {
    match r {
        Some(r) => html! {
            <td class="num" data-value={r.auc.to_string()}>
                {sig(r.auc, 4)}
                if let Some(i) = r.auc_interval {
                    <span class="muted small">{format!(" ({}–{})", sig(i.lower, 3), sig(i.upper, 3))}</span>
                }
            </td>
        },
        None => html! { <td class="num">{"—"}</td> },
    }
}

fn tpr_cell(r: Option<&SignalReport>) -> Html {
    match r.and_then(tpr_1) {
        Some(t) if t.measurable => html! {
            <td class="num" data-value={t.tpr.to_string()}>
                {percent(t.tpr)}
                <span class="muted small">{format!(" ({}–{})", percent(t.interval.lower), percent(t.interval.upper))}</span>
            </td>
        },
        Some(_) => {
            html! { <td class="num" title="fewer than 100 held-out records: 1 % FPR cannot be measured">{"n/m"}</td> }
        }
        None => html! { <td class="num">{"—"}</td> },
    }
}

fn opt_pct(v: Option<f64>) -> Html {
    match v {
        Some(x) => html! { <td class="num" data-value={x.to_string()}>{percent(x)}</td> },
        None => html! { <td class="num">{"—"}</td> },
    }
}

/// The verdict and the reasons.
fn verdict(r: &UnlearningReport, prefix: &str) -> Html {
    let (class, title) = if r.verified {
        (
            "panel risk low",
            "Verified: the forget set looks like records the model never saw.",
        )
    } else {
        (
            "panel risk high",
            "Not verified: the model still tells the forget set apart.",
        )
    };
    html! {
        <section class={class} data-testid={format!("{prefix}-verdict")} data-value={if r.verified { "verified" } else { "not_verified" }}>
            <h2>{title}</h2>
            if !r.failed.is_empty() {
                <ul>{ for r.failed.iter().map(|f| html! { <li>{f.clone()}</li> }) }</ul>
            } else {
                <p class="small">{"Both tests pass: the seed design's mean-confidence gap is below 0.05, and the attack on the confidence does no better than chance on the forget set (its AUC interval contains 0.5; its TPR at 1% FPR is consistent with 1%)."}</p>
            }
        </section>
    }
}

#[component]
pub fn UnlearnResults(props: &UnlearnResultsProps) -> Html {
    let r = &props.outcome.report;
    let prefix = props.prefix.as_str();
    let seed = r.seed.as_ref().map(|s| {
        let seed_word = if s.unlearning_verified {
            "verified"
        } else {
            "not verified"
        };
        html! {
            <section class="panel">
                <h3>{"The seed design's test: mean confidence, forget set against held-out records"}</h3>
                <div class="metrics">
                    {card(&format!("{prefix}-gap-before"), "Gap before", html! { sig(s.membership_gap_before, 4) }, s.membership_gap_before.to_string(), html! { "forget − held-out mean confidence" })}
                    {card(&format!("{prefix}-gap-after"), "Gap after", html! { sig(s.membership_gap_after, 4) }, s.membership_gap_after.to_string(), html! { "verified when |gap| < 0.05" })}
                    {card(&format!("{prefix}-gap-reduction"), "Gap reduction", html! { percent(s.gap_reduction) }, s.gap_reduction.to_string(), html! { "1 − |after| / |before|" })}
                    {card(&format!("{prefix}-verified"), "Seed test", html! { seed_word }, s.unlearning_verified.to_string(), html! { s.recommendation.clone() })}
                </div>
                <table>
                    <thead><tr><th></th><th>{"Before"}</th><th>{"After"}</th></tr></thead>
                    <tbody>
                        <tr><td>{"Forget set"}</td><td class="num">{sig(s.before_forget_confidence, 4)}</td><td class="num">{sig(s.after_forget_confidence, 4)}</td></tr>
                        <tr><td>{"Held-out records"}</td><td class="num">{sig(s.held_out_confidence, 4)}</td><td class="num">{sig(s.held_out_confidence_after, 4)}</td></tr>
                    </tbody>
                </table>
                <p class="muted small">{"As the seed design does, both gaps are taken against the held-out mean under the model before unlearning; the after-model's held-out mean is shown beside it. Confidence is the `confidence` column, else the probability of the true label."}</p>
            </section>
        }
    });
    let rows = r.after.signals.iter().map(|a| {
        let b = r.before.signals.iter().find(|b| b.signal == a.signal);
        html! {
            <tr class={classes!((a.signal == r.mi.strongest_after).then_some("selected"))}>
                <td>{a.signal.title()}</td>
                {auc_cell(b)}{auc_cell(Some(a))}{tpr_cell(b)}{tpr_cell(Some(a))}
            </tr>
        }
    });
    // The ROC of the signal the verdict tests.
    let tested_after = r.after.signals.iter().find(|s| s.signal == r.mi.tested);
    let roc = tested_after.map(|a| {
        let b = r.before.signals.iter().find(|b| b.signal == a.signal);
        let point = {
            let (t, f, _) = a.roc.at_threshold(a.mean_threshold.threshold);
            (f, t)
        };
        html! {
            <RocChart roc={Rc::new(a.roc.clone())} signal={a.signal} auc={a.auc} point={point}
                window_width={props.window_width} log={props.log_roc} on_log={props.on_log.clone()}
                reference={b.map(|b| Rc::new((b.roc.fpr.clone(), b.roc.tpr.clone())))}
                reference_label={format!("{}, before unlearning (AUC {})", a.signal.key(), b.map_or_else(|| "—".to_string(), |b| sig(b.auc, 4)))}
                curve_label={format!("{}, after unlearning (AUC {})", a.signal.key(), sig(a.auc, 4))} />
        }
    });
    let u = &r.utility;
    let exposed = r.still_exposed.iter().map(|e| {
        html! {
            <tr>
                <td>{e.name.clone()}</td>
                if props.file_rows { <td class="num">{e.row}</td> }
                <td class="num">{sig(e.score, 4)}</td><td class="num">{percent(e.fpr_at_score)}</td>
            </tr>
        }
    });
    let skipped = r.ingest_before.n_skipped + r.ingest_after.n_skipped;
    html! {
        <>
            {verdict(r, prefix)}
            <p class="muted small" data-testid={format!("{prefix}-counts")}>
                {format!("{}: {} forget, {} retain, {} held-out records.", props.outcome.source_name, r.n_forget, r.n_retain, r.n_held_out)}
                if !r.ignored_columns.is_empty() { {format!(" Not used: {}.", r.ignored_columns.join(", "))} }
                if skipped > 0 { {format!(" {skipped} rows could not be read and were left out (see the rows listed in mia unlearn-verify --json).")} }
            </p>
            { seed.unwrap_or_else(|| html! { <p class="notice">{"The seed design's test needs a confidence: a `confidence` column, or a label with prob_ or logit_ columns."}</p> }) }
            <section class="panel">
                <h3>{"The stronger test: the threshold attack, forget set against held-out records"}</h3>
                <p class="muted small">{"A mean gap can hide a tail of records the model still recognises. The test is on the confidence (the seed's own signal, fixed in advance so that looking at six signals does not make a chance excess likely): verified only if its AUC interval (95%, DeLong) contains 0.5 and its TPR at 1% FPR is consistent with 1% (95% Clopper-Pearson). The highlighted row is the attacker's best signal after unlearning; the ROC shows the tested one, before and after."}</p>
                <div class="table-scroll">
                    <table data-testid={format!("{prefix}-attack-table")}>
                        <thead><tr><th>{"Signal"}</th><th>{"AUC before"}</th><th>{"AUC after"}</th><th>{"TPR at 1% before"}</th><th>{"TPR at 1% after"}</th></tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
                <div class="charts single">{ roc.unwrap_or_default() }</div>
            </section>
            <section class="panel">
                <h3>{"Utility"}</h3>
                <table data-testid={format!("{prefix}-utility")}>
                    <thead><tr><th>{"Accuracy"}</th><th>{"Before"}</th><th>{"After"}</th></tr></thead>
                    <tbody>
                        <tr><td>{"Retained records"}</td>{opt_pct(u.retain_accuracy_before)}{opt_pct(u.retain_accuracy_after)}</tr>
                        <tr><td>{"Held-out records"}</td>{opt_pct(u.held_out_accuracy_before)}{opt_pct(u.held_out_accuracy_after)}</tr>
                    </tbody>
                </table>
                <p class="muted small">{"Forgetting should cost little on the records kept and on new records; a large drop means the model got worse, not that it forgot."}</p>
            </section>
            <section class="panel">
                <h3>{"Forget records still exposed"}</h3>
                <p class="muted small">{format!("The forget records the best signal ({}) scores highest after unlearning. “Non-members above” is the false-positive rate an attacker accepts to flag the record: near 0 means it is still singled out.", r.mi.strongest_after.title())}</p>
                <div class="table-scroll">
                    <table data-testid={format!("{prefix}-exposed")}>
                        <thead><tr><th>{"Record"}</th>if props.file_rows { <th>{"Row"}</th> }<th>{"Score"}</th><th>{"Non-members above"}</th></tr></thead>
                        <tbody>{ for exposed }</tbody>
                    </table>
                </div>
            </section>
        </>
    }
}
