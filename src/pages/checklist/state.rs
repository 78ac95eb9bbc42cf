//! The checklist view's state: the deployment facts, where each value came from, and what the
//! latest audit measured. Measured values fill the facts the reviewer has not entered.

use std::rc::Rc;

use mia_engine::checklist::{DeploymentFacts, Fact, FactOrigin, FactValue};
use yew::Reducible;

/// The checklist's inputs and their provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistState {
    pub facts: DeploymentFacts,
    /// One entry per fact.
    pub origins: Vec<(Fact, FactOrigin)>,
    /// What the latest audit measured, to offer back after the reviewer overrode it.
    pub measured: Vec<(FactValue, FactOrigin)>,
}

impl Default for ChecklistState {
    fn default() -> Self {
        ChecklistState {
            facts: DeploymentFacts::default(),
            origins: Fact::ALL
                .iter()
                .map(|f| (*f, FactOrigin::Default))
                .collect(),
            measured: Vec::new(),
        }
    }
}

impl ChecklistState {
    pub fn origin(&self, fact: Fact) -> FactOrigin {
        self.origins
            .iter()
            .find(|(f, _)| *f == fact)
            .map_or(FactOrigin::Default, |(_, o)| o.clone())
    }

    /// The audit's value for `fact`, if it measured one.
    pub fn measured(&self, fact: Fact) -> Option<&(FactValue, FactOrigin)> {
        self.measured.iter().find(|(v, _)| v.fact() == fact)
    }

    fn set(&mut self, value: FactValue, origin: FactOrigin) {
        value.apply(&mut self.facts);
        let fact = value.fact();
        for (f, o) in &mut self.origins {
            if *f == fact {
                *o = origin.clone();
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ChecklistAction {
    /// The reviewer set a value.
    Enter(FactValue),
    /// A new audit measured these; they fill every fact the reviewer has not entered.
    Measured(Vec<(FactValue, FactOrigin)>),
    /// Take the audit's value for this fact again.
    UseMeasured(Fact),
}

impl Reducible for ChecklistState {
    type Action = ChecklistAction;

    fn reduce(self: Rc<Self>, action: ChecklistAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            ChecklistAction::Enter(v) => s.set(v, FactOrigin::Entered),
            ChecklistAction::Measured(measured) => {
                // A fact the new audit cannot measure keeps no stale audit value.
                for (f, o) in &mut s.origins {
                    if matches!(o, FactOrigin::Audit { .. })
                        && !measured.iter().any(|(v, _)| v.fact() == *f)
                    {
                        *o = FactOrigin::Default;
                        DeploymentFacts::default().value(*f).apply(&mut s.facts);
                    }
                }
                for (v, o) in &measured {
                    if s.origin(v.fact()) != FactOrigin::Entered {
                        s.set(*v, o.clone());
                    }
                }
                s.measured = measured;
            }
            ChecklistAction::UseMeasured(fact) => {
                if let Some((v, o)) = s.measured(fact).cloned() {
                    s.set(v, o);
                }
            }
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(gap: f64) -> ChecklistAction {
        ChecklistAction::Measured(vec![
            (
                FactValue::GeneralizationGap(Some(gap)),
                FactOrigin::Audit {
                    detail: "acc".into(),
                },
            ),
            (
                FactValue::TrainingExamples(900),
                FactOrigin::Audit {
                    detail: "members".into(),
                },
            ),
        ])
    }

    #[test]
    fn measured_values_fill_what_the_reviewer_did_not_enter() {
        let s = Rc::new(ChecklistState::default()).reduce(measured(0.2));
        assert_eq!(s.facts.generalization_gap, Some(0.2));
        assert_eq!(s.facts.n_training_examples, 900);
        let s = s.reduce(ChecklistAction::Enter(FactValue::TrainingExamples(50_000)));
        assert_eq!(s.origin(Fact::TrainingExamples), FactOrigin::Entered);
        // A new audit updates the gap but keeps the entered size.
        let s = s.reduce(measured(0.4));
        assert_eq!(s.facts.generalization_gap, Some(0.4));
        assert_eq!(s.facts.n_training_examples, 50_000);
        // The reviewer takes the audit's value back.
        let s = s.reduce(ChecklistAction::UseMeasured(Fact::TrainingExamples));
        assert_eq!(s.facts.n_training_examples, 900);
        assert!(matches!(
            s.origin(Fact::TrainingExamples),
            FactOrigin::Audit { .. }
        ));
        // An audit without labels cannot measure the gap: the old audit value goes.
        let s = s.reduce(ChecklistAction::Measured(vec![]));
        assert_eq!(s.facts.generalization_gap, None);
        assert_eq!(s.origin(Fact::GeneralizationGap), FactOrigin::Default);
    }
}
