//! The DP claim under review (`claim_epsilon`, `claim_delta`): not a view's control but the
//! page's, drawn on every ROC chart, so it stays in the link as the views change.

use super::{Query, ViewQuery};

/// Query keys of the DP claim, kept whatever view writes the URL.
pub const CLAIM_KEYS: [&str; 2] = ["claim_epsilon", "claim_delta"];

/// The claim as the link gives it (validated by the engine where it is used).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ClaimQuery {
    pub epsilon: Option<f64>,
    /// δ, 1e-5 when the link gives none.
    pub delta: Option<f64>,
}

impl ViewQuery for ClaimQuery {
    fn parse(q: &Query, _ignored: &mut Vec<String>) -> Self {
        let num = |k: &str| q.get(k).and_then(|v| v.parse::<f64>().ok());
        ClaimQuery {
            epsilon: num("claim_epsilon"),
            delta: num("claim_delta"),
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let text = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
        vec![
            (CLAIM_KEYS[0], text(self.epsilon)),
            (CLAIM_KEYS[1], text(self.epsilon.and(self.delta))),
        ]
    }
}
