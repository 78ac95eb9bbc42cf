//! The root component: the page frame, the view switch, and the hand-over between views.

use std::rc::Rc;

use mia_engine::checklist::{FactOrigin, FactValue};
use mia_engine::simulator::SimulationParams;
use yew::prelude::*;

use crate::hooks::WorkerProviders;

use crate::hooks::use_window_width;
use crate::pages::audit::page::AuditPage;
use crate::pages::checklist::page::ChecklistPage;
use crate::pages::dp::page::DpPage;
use crate::pages::lira::page::LiraPage;
use crate::pages::monitor::page::MonitorPage;
use crate::pages::restrict::page::RestrictionPage;
use crate::pages::shadow::page::ShadowPage;
use crate::pages::simulator::page::SimulatorPage;
use crate::pages::text::page::TextPage;
use crate::pages::train::page::{LabModel, TrainPage};
use crate::pages::unlearn::page::UnlearnPage;
use crate::protocol::{AuditOutcome, InputSource, LiraOutcome, UnlearnOutcome, Upload};
use crate::route::{self, View};
use crate::widgets::dp_claim::{DpClaim, DpClaimContext};
use mia_engine::text::summary::TextAuditSummary;

/// Shows a recoverable message instead of a dead page if a panic happens anyway.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if let Some(el) = doc.get_element_by_id("panic-banner") {
            el.set_class_name("panic-banner shown");
        }
    }));
}

/// The DP claim in the link (`claim_epsilon`, `claim_delta`, δ defaulting to 1e-5), if valid.
fn read_claim(claim: route::claim::ClaimQuery) -> Option<DpClaim> {
    DpClaim::new(claim.epsilon?, claim.delta.unwrap_or(1e-5)).ok()
}

/// The app, with the worker available to every component below it.
#[component]
pub fn App() -> Html {
    html! {
        <WorkerProviders>
            <Shell />
        </WorkerProviders>
    }
}

/// Header, view tabs, both views (the hidden one keeps its state), footer.
#[component]
fn Shell() -> Html {
    let url = use_memo((), |_| route::read());
    let view = use_state(|| url.view);
    let window_width = use_window_width();
    let handoff = use_state(|| None::<(u32, InputSource)>);
    let audit = use_state(|| None::<Rc<AuditOutcome>>);
    let reference = use_state(|| None::<Rc<LiraOutcome>>);
    let lira_handoff = use_state(|| None::<(u32, Upload, web_sys::File)>);
    let on_open_reference = {
        let view = view.clone();
        let lira_handoff = lira_handoff.clone();
        Callback::from(move |(upload, file): (Upload, web_sys::File)| {
            let n = lira_handoff.as_ref().map_or(1, |(n, ..)| n + 1);
            lira_handoff.set(Some((n, upload, file)));
            view.set(View::Lira);
        })
    };
    let on_reference = {
        let reference = reference.clone();
        Callback::from(move |r: Rc<LiraOutcome>| reference.set(Some(r)))
    };
    // A model handed over by the training lab, numbered so the same hand-over twice runs twice;
    // its facts go to the checklist while the audit shows that file.
    let lab_model = use_state(|| None::<(u32, LabModel)>);
    let on_audit_model = {
        let view = view.clone();
        let lab_model = lab_model.clone();
        Callback::from(move |m: LabModel| {
            let n = lab_model.as_ref().map_or(1, |(n, _)| n + 1);
            lab_model.set(Some((n, m)));
            view.set(View::Audit);
        })
    };
    let file_handoff = lab_model.as_ref().map(|(n, m)| (*n, m.file.clone()));
    let lab_facts: Vec<(FactValue, FactOrigin)> = match (lab_model.as_ref(), audit.as_ref()) {
        (Some((_, m)), Some(a)) if a.input.name == m.file.name() => m.facts.clone(),
        _ => Vec::new(),
    };
    let unlearning = use_state(|| None::<Rc<UnlearnOutcome>>);
    let on_unlearning = {
        let unlearning = unlearning.clone();
        Callback::from(move |u: Rc<UnlearnOutcome>| unlearning.set(Some(u)))
    };
    let on_open_unlearning = {
        let view = view.clone();
        Callback::from(move |_: ()| view.set(View::Unlearn))
    };
    let text_audit = use_state(|| None::<Rc<TextAuditSummary>>);
    let on_text_audit = {
        let text_audit = text_audit.clone();
        Callback::from(move |t: Rc<TextAuditSummary>| text_audit.set(Some(t)))
    };
    let on_open_text = {
        let view = view.clone();
        Callback::from(move |_: ()| view.set(View::Text))
    };
    let claim = use_state(|| read_claim(url.claim));
    let on_claim = {
        let claim = claim.clone();
        Callback::from(move |c: Option<DpClaim>| claim.set(c))
    };
    let on_audit = {
        let audit = audit.clone();
        Callback::from(move |a: Rc<AuditOutcome>| audit.set(Some(a)))
    };

    let on_use_scores = {
        let view = view.clone();
        let handoff = handoff.clone();
        Callback::from(move |params: SimulationParams| {
            let n = handoff.as_ref().map_or(1, |(n, _)| n + 1);
            handoff.set(Some((n, InputSource::Simulation { params })));
            view.set(View::Audit);
        })
    };
    let tabs = View::ALL.iter().map(|&v| {
        let current = *view == v;
        let view = view.clone();
        let onclick = Callback::from(move |_: MouseEvent| view.set(v));
        html! {
            <button class={classes!("tab", current.then_some("on"))} onclick={onclick}
                aria-current={current.then_some("page")} data-testid={format!("view-{}", v.key())}>{v.title()}</button>
        }
    });
    html! {
        <>
        <header class="top">
            <div class="brand">
                <h1>{"mia-playground"}</h1>
                <p class="tagline">{"Membership inference: can an attacker tell who was in your training set?"}</p>
            </div>
            <nav class="tabs" aria-label="Views">{ for tabs }</nav>
            <p class="local-badge" title="The page's Content-Security-Policy forbids network connections after load.">
                <svg class="lock" viewBox="0 0 16 16" aria-hidden="true"><rect x="3" y="7" width="10" height="8" rx="1.5"/><path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke-width="1.6"/></svg>
                {"Runs entirely in your browser: no data leaves this page."}
            </p>
        </header>
        if let Some(v) = &url.unknown_view {
            <p class="notice page-notice">{format!("There is no view called `{v}`; showing the audit.")}</p>
        }
        if !url.ignored.is_empty() {
            <p class="notice page-notice">{format!("Ignored from the link: {}.", url.ignored.join(", "))}</p>
        }
        <ContextProvider<DpClaimContext> context={DpClaimContext(*claim)}>
        <AuditPage visible={*view == View::Audit} window_width={window_width} url={url.clone()} handoff={(*handoff).clone()} file_handoff={file_handoff} on_outcome={on_audit} on_open_reference={on_open_reference} />
        <SimulatorPage visible={*view == View::Simulator} window_width={window_width} url={url.clone()} on_use_scores={on_use_scores} />
        <ShadowPage visible={*view == View::Shadow} window_width={window_width} url={url.clone()} />
        <LiraPage visible={*view == View::Lira} window_width={window_width} url={url.clone()} handoff={(*lira_handoff).clone()} on_outcome={on_reference} />
        <TrainPage visible={*view == View::Train} window_width={window_width} url={url.clone()} on_audit_model={on_audit_model} />
        <UnlearnPage visible={*view == View::Unlearn} window_width={window_width} url={url.clone()} on_outcome={on_unlearning} />
        <TextPage visible={*view == View::Text} window_width={window_width} url={url.clone()} on_audit={on_text_audit} />
        <RestrictionPage visible={*view == View::Restrict} window_width={window_width} url={url.clone()} />
        <MonitorPage visible={*view == View::Monitor} window_width={window_width} url={url.clone()} />
        <ChecklistPage visible={*view == View::Checklist} url={url.clone()} audit={(*audit).clone()} reference={(*reference).clone()} lab_facts={lab_facts}
            unlearning={(*unlearning).clone()} on_open_unlearning={on_open_unlearning} text_audit={(*text_audit).clone()} on_open_text={on_open_text} />
        <DpPage visible={*view == View::Dp} window_width={window_width} url={url.clone()} audit={(*audit).clone()}
            claim={*claim} on_claim={on_claim} />
        </ContextProvider<DpClaimContext>>
        <footer class="foot">
            {"mia-playground: threshold attack of Yeom et al. (2018); metrics match scikit-learn. "}
            {"Nothing you load is uploaded, stored or sent anywhere."}
        </footer>
        </>
    }
}
