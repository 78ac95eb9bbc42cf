//! The privacy risk checklist and the review report: the facts of the deployment (filled from the
//! audit where it measured them), the verdict, the regulations in play, and a downloadable report.

use std::rc::Rc;

use mia_engine::checklist::prefill::measured_facts;
use mia_engine::checklist::review_report::ReviewReport;
use mia_engine::checklist::{
    assess, attack_evidence, reference_evidence, regulations, stronger, Fact, FactOrigin, FactValue,
};
use mia_engine::Signal;
use yew::prelude::*;

use crate::charts::report_images::report_charts;
use crate::pages::checklist::form::ChecklistForm;
use crate::pages::checklist::regulation_table::RegulationTable;
use crate::pages::checklist::state::{ChecklistAction, ChecklistState};
use crate::pages::checklist::verdict::ChecklistVerdict;
use crate::protocol::{AuditOutcome, LiraOutcome, UnlearnOutcome};
use crate::route::{self, UrlState, View};
use crate::widgets::download::download_text;
use mia_engine::text::summary::TextAuditSummary;

#[derive(Properties, PartialEq)]
pub struct ChecklistPageProps {
    pub visible: bool,
    pub url: Rc<UrlState>,
    /// The audit on the audit view, the source of measured facts and evidence.
    pub audit: Option<Rc<AuditOutcome>>,
    /// The reference attacks of the reference-attack view: their strongest variant is evidence
    /// too (the stronger of the two is shown and reported).
    #[prop_or_default]
    pub reference: Option<Rc<LiraOutcome>>,
    /// What the training lab knows of the audited model, when the audit shows a model it handed
    /// over (how it was trained).
    #[prop_or_default]
    pub lab_facts: Vec<(FactValue, FactOrigin)>,
    /// The last verification of an unlearning (the unlearning view's), for the erasure rows and
    /// the report.
    #[prop_or_default]
    pub unlearning: Option<Rc<UnlearnOutcome>>,
    #[prop_or_default]
    pub on_open_unlearning: Callback<()>,
    /// The last text audit (the Text view's), for the memorisation finding and the report.
    #[prop_or_default]
    pub text_audit: Option<Rc<TextAuditSummary>>,
    #[prop_or_default]
    pub on_open_text: Callback<()>,
}

/// A file-name-safe stem of the audited input's name.
fn file_stem(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let base = base.strip_suffix(".csv").unwrap_or(base);
    let stem: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem.trim_matches('-');
    if stem.is_empty() {
        "audit".into()
    } else {
        stem.chars().take(60).collect()
    }
}

/// The review report of the current facts and audit, dated now.
fn build_report(
    state: &ChecklistState,
    audit: Option<&AuditOutcome>,
    reference: Option<&LiraOutcome>,
    unlearning: Option<&UnlearnOutcome>,
    text_audit: Option<&TextAuditSummary>,
) -> ReviewReport {
    let now: String = js_sys::Date::new_0().to_iso_string().into();
    let report = ReviewReport::new(
        env!("CARGO_PKG_VERSION"),
        &now,
        state.facts,
        state.origins.clone(),
        audit.map(|a| a.input.clone()),
        audit.map(|a| (a.report.clone(), a.ingest.clone())),
    );
    let report = match reference {
        Some(r) => report.with_reference_attacks(r.report.clone()),
        None => report,
    };
    let report = match unlearning {
        Some(u) => report.with_unlearning(u.report.summary()),
        None => report,
    };
    match text_audit {
        Some(t) => report.with_text_audit(t.clone()),
        None => report,
    }
}

#[component]
pub fn ChecklistPage(props: &ChecklistPageProps) -> Html {
    let state = use_reducer(ChecklistState::default);
    // Facts given in the link count as entered.
    {
        let d = state.dispatcher();
        let url = props.url.clone();
        use_effect_with((), move |_| {
            for v in &url.checklist.facts {
                d.dispatch(ChecklistAction::Enter(*v));
            }
        });
    }
    // Each new audit fills the facts it measured (and the training lab's, for its model).
    {
        let d = state.dispatcher();
        use_effect_with(
            (props.audit.clone(), props.lab_facts.clone()),
            move |(audit, lab_facts)| {
                if let Some(a) = audit {
                    let mut facts = measured_facts(&a.report.summary);
                    facts.extend(lab_facts.iter().cloned());
                    d.dispatch(ChecklistAction::Measured(facts));
                }
            },
        );
    }
    // Only what the reviewer entered goes in the link: measured values follow the audit.
    {
        let entered: Vec<(&'static str, String)> = state
            .origins
            .iter()
            .filter(|(_, o)| *o == FactOrigin::Entered)
            .map(|(f, _)| (f.key(), state.facts.value(*f).to_text()))
            .collect();
        use_effect_with((entered, props.visible), |(entered, visible)| {
            if *visible {
                let pairs: Vec<(&str, String)> =
                    entered.iter().map(|(k, v)| (*k, v.clone())).collect();
                route::write(View::Checklist, &pairs);
            }
        });
    }
    let on_enter = {
        let d = state.dispatcher();
        Callback::from(move |v| d.dispatch(ChecklistAction::Enter(v)))
    };
    let on_use_measured = {
        let d = state.dispatcher();
        Callback::from(move |f: Fact| d.dispatch(ChecklistAction::UseMeasured(f)))
    };
    let audit = props.audit.clone();
    let assessment = assess(&state.facts);
    let reference = props.reference.clone();
    let evidence = stronger(
        audit.as_ref().and_then(|a| attack_evidence(&a.report)),
        reference
            .as_ref()
            .and_then(|r| reference_evidence(&r.report)),
    );
    let warning = evidence.as_ref().and_then(|e| e.contradicts(&assessment));
    let download = |html: bool| {
        let state = state.clone();
        let audit = audit.clone();
        let reference = reference.clone();
        let unlearning = props.unlearning.clone();
        let text_audit = props.text_audit.clone();
        Callback::from(move |_: MouseEvent| {
            let report = build_report(
                &state,
                audit.as_deref(),
                reference.as_deref(),
                unlearning.as_deref(),
                text_audit.as_deref(),
            );
            let stem = audit
                .as_ref()
                .map_or("checklist".into(), |a| file_stem(&a.input.name));
            let date = report.generated_at.get(..10).unwrap_or("").to_string();
            if html {
                let charts = audit
                    .as_ref()
                    .and_then(|a| {
                        let spread = a.report.signal(Signal::LogitScaledConfidence);
                        a.report.strongest().map(|r| report_charts(r, spread))
                    })
                    .unwrap_or_default();
                download_text(
                    &format!("privacy-review-{stem}-{date}.html"),
                    "text/html",
                    &report.to_html(&charts),
                );
            } else {
                let text = report.to_json_pretty();
                download_text(
                    &format!("privacy-review-{stem}-{date}.json"),
                    "application/json",
                    &text,
                );
            }
        })
    };
    let print = Callback::from(|_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    let audit_name = audit.as_ref().map(|a| a.input.name.clone());
    // An upload's SHA-256 comes from the fingerprint worker, just after the audit.
    let hashing = audit.as_ref().is_some_and(|a| {
        matches!(a.source, crate::protocol::InputSource::Upload { .. })
            && a.input.sha256.is_none()
            && a.fingerprint_error.is_none()
    });
    let fingerprint_error = audit.as_ref().and_then(|a| a.fingerprint_error.clone());
    html! {
        <div class="layout checklist-view" hidden={!props.visible}>
            <aside class="side">
                <ChecklistForm state={(*state).clone()} on_enter={on_enter} on_use_measured={on_use_measured} />
                <section class="panel report-actions" aria-label="Review report">
                    <h3>{"Review report"}</h3>
                    <p class="small">
                        {"One file for the review: the checklist, the facts and where each came from, the measured attack with its charts, the regulations, "}
                        {match &audit_name { Some(n) => format!("and the input ({n}) with its size and SHA-256."), None => "and, once an audit has run, its input's size and SHA-256.".to_string() }}
                        {" Made in this browser; nothing is sent anywhere."}
                    </p>
                    if let Some(e) = fingerprint_error {
                        <p class="small field-error" data-testid="fingerprint-error">{format!("The file's SHA-256 could not be computed ({e}); the report goes without it. Pick the file again to retry.")}</p>
                    }
                    if hashing {
                        <p class="small" data-testid="fingerprint-pending">{"Computing the file's SHA-256 for the report…"}</p>
                    }
                    <div class="button-row">
                        <button class="primary" onclick={download(true)} disabled={hashing} data-testid="download-report-html">{"Download report (HTML)"}</button>
                        <button onclick={download(false)} disabled={hashing} data-testid="download-report-json">{"Download JSON"}</button>
                        <button onclick={print} data-testid="print-page">{"Print this page"}</button>
                    </div>
                </section>
            </aside>
            <main class="main">
                <div class="audit-head">
                    <h2>{"Privacy risk checklist"}</h2>
                    <p class="muted">{"Before a model trained on personal data goes live: approve it, or require DP training first."}</p>
                </div>
                <ChecklistVerdict assessment={assessment} evidence={evidence} warning={warning} audit_name={audit_name.clone()}
                    text_audit={props.text_audit.as_ref().map(|t| format!("{}: {}", t.file, t.sentence()))} on_open_text={props.on_open_text.clone()} />
                <RegulationTable rows={regulations(&state.facts)} erasure={props.unlearning.as_ref().map(|u| (u.report.verified, u.source_name.clone()))}
                    on_open_unlearning={props.on_open_unlearning.clone()} />
            </main>
        </div>
    }
}
