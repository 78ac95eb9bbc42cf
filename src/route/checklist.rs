//! The checklist's query: the facts the reviewer entered (measured ones follow the audit and
//! stay out of the link).

use mia_engine::checklist::{Fact, FactValue};

use super::{Query, ViewQuery};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChecklistQuery {
    /// Facts given in the link, by [`Fact::key`], in [`Fact::ALL`] order.
    pub facts: Vec<FactValue>,
}

impl ViewQuery for ChecklistQuery {
    fn parse(q: &Query, ignored: &mut Vec<String>) -> Self {
        let mut facts = Vec::new();
        for fact in Fact::ALL {
            if let Some(v) = q.get(fact.key()) {
                match FactValue::parse(fact, v) {
                    Ok(value) => facts.push(value),
                    Err(m) => ignored.push(format!("{}={v} ({m})", fact.key())),
                }
            }
        }
        ChecklistQuery { facts }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        self.facts
            .iter()
            .map(|v| (v.fact().key(), v.to_text()))
            .collect()
    }
}
