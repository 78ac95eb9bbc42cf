//! The headline figures of the selected signal, each with a stable `data-testid` and its full
//! value in `data-value` for tests and copy-paste.

use mia_engine::attack::report::{LossSource, ModelSummary};
use mia_engine::SignalReport;
use yew::prelude::*;

use crate::format::{fpr_label, sig};

#[derive(Properties, PartialEq)]
pub struct HeadlineMetricsProps {
    pub report: SignalReport,
    pub summary: ModelSummary,
}

/// One headline figure: title, value (full precision in `data-value`), note.
pub fn card(testid: &str, title: &str, value: Html, full: String, note: Html) -> Html {
    html! {
        <div class="metric">
            <div class="metric-title">{title}</div>
            <div class="metric-value" data-testid={testid.to_string()} data-value={full}>{value}</div>
            <div class="metric-note">{note}</div>
        </div>
    }
}

/// The attack's own figures: AUC, TPR at the three FPRs, advantage and balanced accuracy.
pub fn attack_cards(r: &SignalReport) -> Vec<Html> {
    let auc_note = match r.auc_interval {
        Some(i) => html! {
            <>
                <span data-testid="metric-auc-ci" data-lower={i.lower.to_string()} data-upper={i.upper.to_string()}>
                    {format!("95% CI {}–{} (DeLong)", sig(i.lower, 3), sig(i.upper, 3))}
                </span>
                {"; 0.5 = guessing, 1 = perfect"}
            </>
        },
        None => html! { "0.5 = guessing, 1 = perfect" },
    };
    let mut cards = vec![card(
        "metric-auc",
        "AUC",
        html! { sig(r.auc, 4) },
        format!("{}", r.auc),
        auc_note,
    )];
    for (t, id) in r
        .tpr_at_fpr
        .iter()
        .zip(["metric-tpr-0.1", "metric-tpr-1", "metric-tpr-10"])
    {
        let title = format!("TPR at {} FPR", fpr_label(t.target_fpr));
        let target = fpr_label(t.target_fpr);
        cards.push(if t.measurable {
            let ci = t.interval;
            card(id, &title, html! { sig(t.tpr, 4) }, format!("{}", t.tpr),
                html! { <>
                    <span data-testid={format!("{id}-ci")} data-lower={ci.lower.to_string()} data-upper={ci.upper.to_string()}>
                        {format!("95% CI {}–{} (Clopper-Pearson)", sig(ci.lower, 3), sig(ci.upper, 3))}
                    </span>
                    {format!("; members caught when {target} of non-members are wrongly flagged")}
                </> })
        } else {
            let need = (1.0 / t.target_fpr).ceil() as u64;
            card(id, &title, html! { <span class="not-measurable">{"not measurable"}</span> }, "not-measurable".into(),
                html! { format!("needs at least {need} non-members to resolve a {target} FPR; there are {}", r.roc.n_nonmembers) })
        });
    }
    cards.push(card(
        "metric-advantage",
        "Attacker advantage",
        html! { sig(r.attacker_advantage, 4) },
        format!("{}", r.attacker_advantage),
        html! { "max(TPR − FPR) over thresholds" },
    ));
    cards.push(card(
        "metric-balanced-accuracy",
        "Best balanced accuracy",
        html! { sig(r.best_balanced_accuracy, 4) },
        format!("{}", r.best_balanced_accuracy),
        html! { "max of (TPR + TNR) / 2" },
    ));
    cards
}

/// The risk level as a card.
pub fn risk_card(r: &SignalReport) -> Html {
    card(
        "metric-risk",
        "Risk level",
        html! { <span class={classes!("risk-badge", r.risk.key())}>{r.risk.key()}</span> },
        r.risk.key().to_string(),
        html! { "from the AUC: > 0.55 medium, > 0.65 high, > 0.75 critical" },
    )
}

#[component]
pub fn HeadlineMetrics(props: &HeadlineMetricsProps) -> Html {
    let r = &props.report;
    let s = &props.summary;
    let mut cards = attack_cards(r);
    let gap_note = match (s.generalization_gap, s.loss_source) {
        (Some(_), Some(LossSource::Column)) => {
            "mean loss of non-members − members (from the `loss` column)"
        }
        (Some(_), _) => {
            "mean loss of non-members − members (loss derived as −ln p of the true label)"
        }
        _ => "needs a loss, confidence or labelled logits column",
    };
    cards.push(match s.generalization_gap {
        Some(g) => card(
            "metric-gap",
            "Generalization gap",
            html! { sig(g, 4) },
            format!("{g}"),
            html! { gap_note },
        ),
        None => card(
            "metric-gap",
            "Generalization gap",
            html! { "n/a" },
            "n/a".into(),
            html! { gap_note },
        ),
    });
    cards.push(risk_card(r));
    html! { <section class="metrics" aria-label="Headline figures">{ for cards }</section> }
}
