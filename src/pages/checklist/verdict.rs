//! The checklist's verdict: overall risk, approval, the DP-training requirement, the measured
//! attack beside them, then the findings and the de-duplicated recommendations.

use mia_engine::checklist::{AttackEvidence, ChecklistAssessment, FindingId};
use yew::prelude::*;

use crate::format::{fpr_label, sig};
use crate::widgets::headline_metrics::card;

#[derive(Properties, PartialEq)]
pub struct ChecklistVerdictProps {
    pub assessment: ChecklistAssessment,
    pub evidence: Option<AttackEvidence>,
    /// The measured attack is worse than the checklist says.
    pub warning: Option<String>,
    /// The audit the evidence comes from.
    pub audit_name: Option<String>,
    /// The last text audit, in a sentence: shown with the memorisation finding.
    #[prop_or_default]
    pub text_audit: Option<String>,
    /// Opens the Text view, where that finding is tested.
    #[prop_or_default]
    pub on_open_text: Callback<()>,
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

#[component]
pub fn ChecklistVerdict(props: &ChecklistVerdictProps) -> Html {
    let a = &props.assessment;
    let overall = a.overall.key();
    let mut cards = vec![
        card(
            "metric-overall-risk",
            "Overall risk (checklist)",
            html! { <span class={classes!("risk-badge", overall)}>{overall}</span> },
            overall.to_string(),
            html! { format!("{} rule{} fired", a.findings.len(), if a.findings.len() == 1 { "" } else { "s" }) },
        ),
        card(
            "metric-approved",
            "Approved for deployment",
            html! { yes_no(a.approved) },
            yes_no(a.approved).to_string(),
            html! { { if a.approved { "no critical finding" } else { "a critical finding blocks deployment" } } },
        ),
        card(
            "metric-requires-dp",
            "Requires DP training first",
            html! { yes_no(a.requires_dp_training) },
            yes_no(a.requires_dp_training).to_string(),
            html! { "critical or high risk on special-category data" },
        ),
    ];
    match &props.evidence {
        Some(e) => {
            let low_fpr = e.tpr_at_low_fpr.map_or_else(String::new, |t| {
                if t.measurable {
                    format!("; TPR {} at {} FPR", sig(t.tpr, 4), fpr_label(t.target_fpr))
                } else {
                    format!("; TPR at {} FPR not measurable", fpr_label(t.target_fpr))
                }
            });
            let low_fpr = match e.tpr_at_1_percent {
                Some(t) => format!("{low_fpr}; TPR {} at 1% FPR", sig(t, 4)),
                None => low_fpr,
            };
            cards.push(card(
                "metric-measured-risk",
                "Measured attack",
                html! { <span class={classes!("risk-badge", e.risk.key())}>{e.risk.key()}</span> },
                e.risk.key().to_string(),
                html! { <span data-testid="measured-attack-name">{format!("{}: AUC {}{low_fpr}", e.attack, sig(e.auc, 4))}</span> },
            ));
        }
        None => cards.push(card(
            "metric-measured-risk",
            "Measured attack",
            html! { "—" },
            "none".into(),
            html! { "no audit yet: load outputs in “Audit a model” or “Reference attacks”" },
        )),
    }
    html! {
        <>
            <div class="metrics verdict">{ for cards }</div>
            if let Some(name) = &props.audit_name {
                <p class="muted small">{match props.evidence.as_ref().map(|e| e.signal.is_none()) {
                    // The reference attacks were stronger than the audit's threshold attack.
                    Some(true) => "Evidence from the reference attacks (the strongest measured attack).".to_string(),
                    _ => format!("Evidence from the audit of {name}."),
                }}</p>
            }
            if let Some(w) = &props.warning {
                <p class="notice warn-evidence" role="status" data-testid="evidence-warning">{w.clone()}</p>
            }
            <section class="panel" aria-label="Findings">
                <h3>{"Findings"}</h3>
                if a.findings.is_empty() {
                    <p class="muted">{"No rule of the checklist fired for these facts."}</p>
                } else {
                    <table class="findings" data-testid="findings">
                        <thead><tr><th>{"Level"}</th><th>{"Finding"}</th><th>{"Why"}</th></tr></thead>
                        <tbody>
                        { for a.findings.iter().map(|f| html! {
                            <tr data-finding={f.id.key()}>
                                <td><span class={classes!("risk-badge", f.level.key())}>{f.level.key()}</span></td>
                                <td><code>{f.id.key()}</code></td>
                                <td>{f.reason.clone()}
                                    if f.id == FindingId::LargeModelMemorization {
                                        <br /><small data-testid="finding-text-audit">
                                            {match &props.text_audit {
                                                Some(t) => format!("Last text audit: {t} "),
                                                None => "No text audit run yet. ".to_string(),
                                            }}
                                            <button class="link" onclick={{ let open = props.on_open_text.clone(); Callback::from(move |_: MouseEvent| open.emit(())) }}
                                                data-testid="open-text-audit">{"Open the text audit"}</button>
                                        </small>
                                    }
                                </td>
                            </tr>
                        }) }
                        </tbody>
                    </table>
                }
            </section>
            <section class="panel" aria-label="Recommendations">
                <h3>{"Recommendations"}</h3>
                if a.recommendations.is_empty() {
                    <p class="muted">{"None from the checklist. Keep access controls on the model's outputs and re-audit after retraining."}</p>
                } else {
                    <ol class="recommendations" data-testid="recommendations">
                        { for a.recommendations.iter().map(|r| html! { <li>{r.clone()}</li> }) }
                    </ol>
                }
            </section>
        </>
    }
}
