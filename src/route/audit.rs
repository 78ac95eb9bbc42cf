//! The audit view's query: what it audits (a bundled sample, or the simulator's scores), and the
//! signal, threshold and ROC axes shown.

use mia_engine::simulator::SimulationParams;
use mia_engine::Signal;

use super::simulator::{params_pairs, parse_params};
use super::{Query, ViewQuery};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AuditQuery {
    pub sample: Option<String>,
    /// `source=simulation`: the audit of simulated scores with these parameters.
    pub simulation: Option<SimulationParams>,
    pub signal: Option<Signal>,
    pub threshold: Option<f64>,
    pub roc_log: bool,
}

impl ViewQuery for AuditQuery {
    fn parse(q: &Query, ignored: &mut Vec<String>) -> Self {
        AuditQuery {
            sample: q.get("sample").map(str::to_string),
            simulation: (q.get("source") == Some("simulation")).then(|| parse_params(q, ignored)),
            signal: q.get("signal").and_then(Signal::from_key),
            threshold: q
                .get("threshold")
                .and_then(|t| t.parse::<f64>().ok())
                .filter(|t| t.is_finite()),
            roc_log: q.get("roc") == Some("log"),
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs: Vec<(&'static str, String)> = Vec::new();
        if let Some(params) = &self.simulation {
            pairs.push(("source", "simulation".into()));
            pairs.extend(params_pairs(params));
        } else if let Some(id) = &self.sample {
            pairs.push(("sample", id.clone()));
        }
        if let Some(s) = self.signal {
            pairs.push(("signal", s.key().into()));
        }
        if let Some(t) = self.threshold {
            pairs.push(("threshold", t.to_string()));
        }
        if self.roc_log {
            pairs.push(("roc", "log".into()));
        }
        pairs
    }
}
