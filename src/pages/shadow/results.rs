//! The shadow attack's results: its figures against the target's true members, beside the
//! threshold attack's, both ROC curves, and each target record's verdict.

use std::rc::Rc;

use mia_engine::shadow::ShadowReport;
use mia_engine::Signal;
use yew::prelude::*;

use crate::format::{count, percent, sig};
use crate::widgets::headline_metrics::card;
use crate::widgets::roc_chart::RocChart;

#[derive(Properties, PartialEq)]
pub struct ShadowResultsProps {
    pub report: Rc<ShadowReport>,
    pub window_width: f64,
    pub stale: bool,
}

#[component]
pub fn ShadowResults(props: &ShadowResultsProps) -> Html {
    let log = use_state(|| true);
    let on_log = {
        let log = log.clone();
        Callback::from(move |v| log.set(v))
    };
    let r = &props.report;
    let mut cards = Vec::new();
    if r.shadow_attack.is_none() {
        cards.push(card(
            "metric-shadow-auc",
            "Shadow attack AUC",
            html! { "–" },
            "n/a".into(),
            html! { "the target has no member column, so the verdicts cannot be scored" },
        ));
    }
    if let Some(sa) = &r.shadow_attack {
        cards.push(card(
            "metric-shadow-auc",
            "Shadow attack AUC",
            html! { sig(sa.auc, 4) },
            sa.auc.to_string(),
            html! { "against the target's true members" },
        ));
        for (t, id) in sa.tpr_at_fpr.iter().zip([
            "metric-shadow-tpr-0.1",
            "metric-shadow-tpr-1",
            "metric-shadow-tpr-10",
        ]) {
            let label = crate::format::fpr_label(t.target_fpr);
            cards.push(if t.measurable {
                card(
                    id,
                    &format!("TPR at {label} FPR"),
                    html! { sig(t.tpr, 4) },
                    t.tpr.to_string(),
                    html! { "shadow attack" },
                )
            } else {
                card(
                    id,
                    &format!("TPR at {label} FPR"),
                    html! { <span class="not-measurable">{"not measurable"}</span> },
                    "not-measurable".into(),
                    html! { format!("needs {} non-members", (1.0 / t.target_fpr).ceil()) },
                )
            });
        }
        cards.push(card(
            "metric-shadow-advantage",
            "Advantage",
            html! { sig(sa.attacker_advantage, 4) },
            sa.attacker_advantage.to_string(),
            html! { "max(TPR − FPR)" },
        ));
    }
    if let Some(ta) = &r.threshold_attack {
        cards.push(card(
            "metric-threshold-auc",
            "Threshold attack AUC",
            html! { sig(ta.auc, 4) },
            ta.auc.to_string(),
            html! { "confidence threshold with the true labels: the insider's attack" },
        ));
    }
    cards.push(card(
        "metric-attack-accuracy",
        "Attack accuracy on shadows",
        html! { percent(r.attack_oof_accuracy) },
        r.attack_oof_accuracy.to_string(),
        html! { "out-of-fold on shadow records; 50 % = it learned nothing" },
    ));
    cards.push(card("metric-predicted-members", "Predicted members", html! { format!("{} of {}", count(r.n_predicted_members as u64), count(r.verdicts.len() as u64)) },
        r.n_predicted_members.to_string(), html! { format!("{} with high confidence (|p − 0.5| > 0.3)", r.n_high_confidence) }));
    let verdict = match (&r.shadow_attack, &r.threshold_attack) {
        (Some(s), Some(t)) if s.auc > t.auc + 0.01 => "The shadow attack is stronger than the threshold attack here.",
        (Some(s), Some(t)) if t.auc > s.auc + 0.01 => "The threshold attack, which needs the true labels, is stronger; the outsider's shadow attack gets less.",
        (Some(_), Some(_)) => "Both attacks are about equally strong.",
        _ => "",
    };
    let weak = r.attack_oof_accuracy < 0.55;
    let mut top = r.verdicts.clone();
    top.sort_by(|a, b| {
        b.membership_probability
            .total_cmp(&a.membership_probability)
    });
    top.truncate(100);
    html! {
        <div class={classes!("audit", props.stale.then_some("stale"))}>
            <div class="audit-head">
                <h2>{"Shadow-model attack"}</h2>
                <p class="muted" data-testid="shadow-summary">{format!(
                    "{} shadow model{}, {}; the attack learned from {} shadow records; target accuracy train {}, test {}.",
                    r.n_shadows, if r.n_shadows == 1 { "" } else { "s" }, r.model, count(r.n_shadow_records as u64),
                    r.target_train_accuracy.map_or("n/a".into(), percent), r.target_test_accuracy.map_or("n/a".into(), percent))}</p>
                if props.stale { <p class="muted small">{"The settings changed: run again to update."}</p> }
            </div>
            <section class="metrics" aria-label="Shadow attack figures">{ for cards }</section>
            <section class="panel">
                <p>{verdict}</p>
                if weak {
                    <p class="muted">{"The attack barely beats chance on its own shadow data: either the model generalises well (little to learn), or the shadows do not mimic the target. A weak attack is not proof of privacy."}</p>
                }
            </section>
            if let (Some(sa), Some(ta)) = (&r.shadow_attack, &r.threshold_attack) {
                <div class="charts single">
                    // The marked point is the attack's own verdict threshold, P(member) >= 0.5.
                    <RocChart roc={Rc::new(sa.roc.clone())} signal={Signal::Confidence} auc={sa.auc}
                        point={{ let (t, f, _) = sa.roc.at_threshold(0.5); (f, t) }}
                        window_width={props.window_width} log={*log} on_log={on_log}
                        reference={Some(Rc::new((ta.roc.fpr.clone(), ta.roc.tpr.clone())))}
                        curve_label={format!("shadow attack (AUC {})", sig(sa.auc, 4))}
                        reference_label={format!("threshold attack (AUC {})", sig(ta.auc, 4))} />
                </div>
            }
            <section class="panel">
                <h3>{"The attack's verdicts on target records"}</h3>
                <p class="muted small">{"Highest membership probability first; “high” when |p − 0.5| > 0.3."}</p>
                <div class="table-scroll tall">
                    <table data-testid="verdict-table">
                        <thead><tr><th>{"Record"}</th><th>{"Label"}</th><th>{"P(member)"}</th><th>{"Verdict"}</th><th>{"Confidence"}</th><th>{"Really a member"}</th></tr></thead>
                        <tbody>
                        { for top.iter().map(|v| html! {
                            <tr class={classes!(v.member.unwrap_or(false).then_some("is-member"))}>
                                <td>{&v.name}</td>
                                <td class="num">{v.label.map_or(String::new(), |l| l.to_string())}</td>
                                <td class="num">{sig(v.membership_probability, 4)}</td>
                                <td>{ if v.predicted_member { "member" } else { "non-member" } }</td>
                                <td>{ if v.high_confidence { "high" } else { "low" } }</td>
                                <td>{ v.member.map_or("unknown", |m| if m { "yes" } else { "no" }) }</td>
                            </tr>
                        }) }
                        </tbody>
                    </table>
                </div>
            </section>
        </div>
    }
}
