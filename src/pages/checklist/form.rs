//! The deployment facts the checklist judges, each with where its value came from.

use mia_engine::checklist::{
    DataSensitivity, Fact, FactOrigin, FactValue, ModelSize, TrainingApproach,
};
use yew::prelude::*;

use crate::pages::checklist::state::ChecklistState;
use crate::widgets::form_events::on_change_value;
use crate::widgets::text_field::TextField;

#[derive(Properties, PartialEq)]
pub struct ChecklistFormProps {
    pub state: ChecklistState,
    pub on_enter: Callback<FactValue>,
    pub on_use_measured: Callback<Fact>,
}

/// The `data-testid` of a fact's field.
fn testid(fact: Fact) -> String {
    format!("fact-{}", fact.key().replace('_', "-"))
}

/// A select over keyed choices.
fn choice(
    fact: Fact,
    current: &str,
    options: Vec<(&'static str, &'static str)>,
    onchange: Callback<Event>,
) -> Html {
    html! {
        <select onchange={onchange} data-testid={testid(fact)} aria-label={fact.title()}>
            { for options.into_iter().map(|(key, title)| html! { <option value={key} selected={current == key}>{title}</option> }) }
        </select>
    }
}

/// The checklist's form: seven facts; text fields that do not parse show why and change nothing.
#[component]
pub fn ChecklistForm(props: &ChecklistFormProps) -> Html {
    let errors = use_state(Vec::<(Fact, String)>::new);
    let s = &props.state;
    let f = &s.facts;
    let commit = |fact: Fact| {
        let on_enter = props.on_enter.clone();
        let errors = errors.clone();
        Callback::from(move |text: String| {
            let mut e: Vec<(Fact, String)> =
                errors.iter().filter(|(x, _)| *x != fact).cloned().collect();
            match FactValue::parse(fact, &text) {
                Ok(v) => on_enter.emit(v),
                Err(m) => e.push((fact, m.to_string())),
            }
            errors.set(e);
        })
    };
    let enter = |fact: Fact| on_change_value(commit(fact));
    let yes_no = vec![("no", "No"), ("yes", "Yes")];
    let field = |fact: Fact, control: Html| {
        let origin = s.origin(fact);
        let error = errors
            .iter()
            .find(|(x, _)| *x == fact)
            .map(|(_, m)| m.clone());
        let back = match (&origin, s.measured(fact)) {
            (FactOrigin::Entered, Some((v, _))) if f.value(fact) != *v => {
                let on_use = props.on_use_measured.clone();
                let shown = match v.to_text() {
                    t if t.is_empty() => "unknown".to_string(),
                    t => t,
                };
                Some(html! {
                    <button class="link" onclick={Callback::from(move |_| on_use.emit(fact))}>
                        {format!("use the audit's value ({shown})")}
                    </button>
                })
            }
            _ => None,
        };
        let origin_class = match origin {
            FactOrigin::Audit { .. } => "origin audit",
            FactOrigin::Entered => "origin entered",
            FactOrigin::Default => "origin default",
        };
        html! {
            <label class="control fact">
                <span class="control-head"><span>{fact.title()}</span></span>
                {control}
                if let Some(m) = error {
                    <small class="field-error" role="alert">{m}</small>
                }
                <small class={origin_class} data-testid={format!("{}-origin", testid(fact))}>
                    {origin.describe()}
                    if let Some(back) = back {
                        {" · "}{back}
                    }
                </small>
            </label>
        }
    };
    let keyed = |all: &'static [DataSensitivity]| {
        all.iter().map(|v| (v.key(), v.title())).collect::<Vec<_>>()
    };
    let gap_text = f
        .generalization_gap
        .map_or_else(String::new, |g| format!("{g:.4}"));
    html! {
        <section class="panel controls" aria-label="Deployment facts">
            <h2>{"Deployment facts"}</h2>
            <p class="muted small">{"What the model was trained on and how it is served. Values the audit measured are filled in; change any of them."}</p>
            {field(Fact::Sensitivity, choice(Fact::Sensitivity, f.sensitivity.key(), keyed(DataSensitivity::ALL), enter(Fact::Sensitivity)))}
            {field(Fact::GeneralizationGap, html! {
                <TextField value={gap_text} on_commit={commit(Fact::GeneralizationGap)} placeholder="unknown"
                    testid={testid(Fact::GeneralizationGap)} label={Fact::GeneralizationGap.title()} />
            })}
            {field(Fact::TrainingExamples, html! {
                <TextField value={f.n_training_examples.to_string()} on_commit={commit(Fact::TrainingExamples)} inputmode="numeric"
                    testid={testid(Fact::TrainingExamples)} label={Fact::TrainingExamples.title()} />
            })}
            {field(Fact::ReturnsLogprobs, choice(Fact::ReturnsLogprobs, if f.returns_logprobs { "yes" } else { "no" }, yes_no.clone(), enter(Fact::ReturnsLogprobs)))}
            {field(Fact::EuResidents, choice(Fact::EuResidents, if f.includes_eu_residents { "yes" } else { "no" }, yes_no, enter(Fact::EuResidents)))}
            {field(Fact::Training, choice(Fact::Training, f.training.key(),
                TrainingApproach::ALL.iter().map(|v| (v.key(), v.title())).collect(), enter(Fact::Training)))}
            {field(Fact::ModelSize, choice(Fact::ModelSize, f.model_size.key(),
                ModelSize::ALL.iter().map(|v| (v.key(), v.title())).collect(), enter(Fact::ModelSize)))}
        </section>
    }
}
