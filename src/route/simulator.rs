//! The simulator's query: its parameters and the ROC axes.

use mia_engine::simulator::{Family, SimulationParams};

use super::{Query, ViewQuery};

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SimulatorQuery {
    pub params: SimulationParams,
    pub roc_log: bool,
}

/// Reads the simulator's parameters (the audit view reads them too, for `source=simulation`).
pub fn parse_params(q: &Query, ignored: &mut Vec<String>) -> SimulationParams {
    let mut sim = SimulationParams::default();
    let mut num = |key: &str, target: &mut f64| {
        if let Some(v) = q.get(key) {
            match v.parse::<f64>() {
                Ok(x) if x.is_finite() => *target = x,
                _ => ignored.push(format!("{key}={v} (not a number)")),
            }
        }
    };
    let (mut nm, mut nn, mut seed) = (
        sim.n_members as f64,
        sim.n_nonmembers as f64,
        sim.seed as f64,
    );
    num("n_members", &mut nm);
    num("n_nonmembers", &mut nn);
    num("gap", &mut sim.gap);
    num("std", &mut sim.std);
    num("nonmember_mean", &mut sim.nonmember_mean);
    num("seed", &mut seed);
    sim.n_members = nm.round().max(0.0) as usize;
    sim.n_nonmembers = nn.round().max(0.0) as usize;
    sim.seed = seed.round().max(0.0) as u64;
    if let Some(f) = q.get("family") {
        match Family::from_key(f) {
            Some(f) => sim.family = f,
            None => ignored.push(format!("family={f} (use normal or beta)")),
        }
    }
    sim
}

/// The simulator's parameters as query pairs.
pub fn params_pairs(p: &SimulationParams) -> Vec<(&'static str, String)> {
    vec![
        ("n_members", p.n_members.to_string()),
        ("n_nonmembers", p.n_nonmembers.to_string()),
        ("gap", p.gap.to_string()),
        ("std", p.std.to_string()),
        ("nonmember_mean", p.nonmember_mean.to_string()),
        ("family", p.family.key().to_string()),
        ("seed", p.seed.to_string()),
    ]
}

impl ViewQuery for SimulatorQuery {
    fn parse(q: &Query, ignored: &mut Vec<String>) -> Self {
        SimulatorQuery {
            params: parse_params(q, ignored),
            roc_log: q.get("roc") == Some("log"),
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = params_pairs(&self.params);
        if self.roc_log {
            pairs.push(("roc", "log".into()));
        }
        pairs
    }
}
