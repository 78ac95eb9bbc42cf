//! The DP claim under review (`claim_epsilon`, `claim_delta`): not a view's control but the
//! page's, drawn on every ROC chart, so it stays in the link as the views change.

use mia_engine::dp::DpClaim;

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
    /// A claim the engine refuses (say, a negative ε) is listed in `ignored` and not drawn.
    fn parse(q: &Query, ignored: &mut Vec<String>) -> Self {
        let mut num = |k: &str| {
            let v = q.get(k)?;
            let x = v.parse::<f64>().ok();
            if x.is_none() {
                ignored.push(format!("{k}={v} (not a number)"));
            }
            x
        };
        let claim = ClaimQuery {
            epsilon: num("claim_epsilon"),
            delta: num("claim_delta"),
        };
        match claim
            .epsilon
            .map(|e| DpClaim::new(e, claim.delta.unwrap_or(1e-5)))
        {
            Some(Err(e)) => {
                ignored.push(format!("the DP claim ({e})"));
                ClaimQuery::default()
            }
            _ => claim,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_the_engine_refuses_is_listed_and_not_drawn() {
        let mut ignored = Vec::new();
        let q = Query::parse("claim_epsilon=-1");
        assert_eq!(ClaimQuery::parse(&q, &mut ignored), ClaimQuery::default());
        assert_eq!(ignored.len(), 1);
        assert!(ignored[0].starts_with("the DP claim ("), "{ignored:?}");
        let mut ignored = Vec::new();
        let q = Query::parse("claim_epsilon=2&claim_delta=1e-6");
        let claim = ClaimQuery::parse(&q, &mut ignored);
        assert_eq!((claim.epsilon, claim.delta), (Some(2.0), Some(1e-6)));
        assert!(ignored.is_empty());
    }
}
