//! The page's state in the URL query, so any view is a shareable link (TensorFlow Playground
//! style): `?view=audit&sample=…&signal=…` or `?view=simulator&gap=…&std=…`. URLs are replaced,
//! never pushed, so moving a slider does not flood the history.

pub mod shadow;

use mia_engine::checklist::{Fact, FactValue};
use mia_engine::simulator::{Family, SimulationParams};
use mia_engine::Signal;
use web_sys::UrlSearchParams;

/// The views of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Audit,
    Simulator,
    Shadow,
    Restrict,
    Checklist,
    Dp,
}

impl View {
    pub const ALL: [View; 6] = [
        View::Audit,
        View::Simulator,
        View::Shadow,
        View::Restrict,
        View::Checklist,
        View::Dp,
    ];

    pub fn key(self) -> &'static str {
        match self {
            View::Audit => "audit",
            View::Simulator => "simulator",
            View::Shadow => "shadow",
            View::Restrict => "restrict",
            View::Checklist => "checklist",
            View::Dp => "dp",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            View::Audit => "Audit a model",
            View::Simulator => "Simulator",
            View::Shadow => "Shadow-model attack",
            View::Restrict => "Restrict outputs",
            View::Checklist => "Checklist & report",
            View::Dp => "Differential privacy",
        }
    }

    pub fn from_key(s: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.key() == s)
    }
}

/// What the URL asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct UrlState {
    pub view: View,
    /// An unknown `view=` value, to tell the user.
    pub unknown_view: Option<String>,
    pub sample: Option<String>,
    /// `source=simulation`: the audit view audits simulated scores.
    pub audit_simulation: bool,
    pub signal: Option<Signal>,
    pub threshold: Option<f64>,
    pub roc_log: bool,
    pub sim: SimulationParams,
    pub shadow: shadow::ShadowSettings,
    /// Parameters the URL gave but that could not be used, with why.
    pub ignored: Vec<String>,
    /// Controls hidden with `NAME_hide=true`.
    pub hidden: Vec<String>,
    /// Checklist facts given in the link (by [`Fact::key`]).
    pub checklist: Vec<FactValue>,
}

fn params() -> Option<UrlSearchParams> {
    let search = web_sys::window()?.location().search().ok()?;
    UrlSearchParams::new_with_str(&search).ok()
}

/// Reads the current URL. Malformed values fall back to defaults and are listed in `ignored`.
pub fn read() -> UrlState {
    let p = params();
    let get = |k: &str| p.as_ref().and_then(|p| p.get(k));
    let mut ignored = Vec::new();
    let view_key = get("view");
    let view = view_key
        .as_deref()
        .map_or(Some(View::Audit), View::from_key);
    let mut sim = SimulationParams::default();
    let mut num = |key: &str, target: &mut f64| {
        if let Some(v) = get(key) {
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
    if let Some(f) = get("family") {
        match Family::from_key(&f) {
            Some(f) => sim.family = f,
            None => ignored.push(format!("family={f} (use normal or beta)")),
        }
    }
    let mut shadow = shadow::ShadowSettings::default();
    if let Some(m) = get("mode") {
        shadow.mode = if m == "outputs" {
            shadow::ShadowMode::Outputs
        } else {
            shadow::ShadowMode::Train
        };
    }
    if let Some(d) = get("dataset") {
        shadow.dataset = d;
    }
    shadow.mlp = get("model").as_deref() == Some("mlp");
    let mut whole = |key: &str, target: &mut usize, (lo, hi): (usize, usize)| {
        if let Some(v) = get(key) {
            match v.parse::<usize>() {
                Ok(x) if (lo..=hi).contains(&x) => *target = x,
                _ => ignored.push(format!("{key}={v} (use {lo} to {hi})")),
            }
        }
    };
    whole("shadows", &mut shadow.n_shadows, (1, 16));
    whole("hidden", &mut shadow.hidden, (1, 512));
    whole("epochs", &mut shadow.epochs, (1, 2000));
    shadow.per_class = get("per_class").as_deref() == Some("true");
    shadow.top_k = get("top_k").as_deref() == Some("true");
    if let Some(s) = get("seed").and_then(|s| s.parse::<u64>().ok()) {
        shadow.seed = s;
    }
    let mut checklist = Vec::new();
    for fact in Fact::ALL {
        if let Some(v) = get(fact.key()) {
            match FactValue::parse(fact, &v) {
                Ok(value) => checklist.push(value),
                Err(m) => ignored.push(format!("{}={v} ({m})", fact.key())),
            }
        }
    }
    let hidden = p
        .as_ref()
        .map(|p| {
            let keys: Vec<String> = js_sys::Array::from(&js_sys::Array::from(&p.keys().into()))
                .iter()
                .filter_map(|k| k.as_string())
                .collect();
            keys.into_iter()
                .filter_map(|k| {
                    let name = k.strip_suffix("_hide")?.to_string();
                    (p.get(&k).as_deref() == Some("true")).then_some(name)
                })
                .collect()
        })
        .unwrap_or_default();
    UrlState {
        view: view.unwrap_or(View::Audit),
        unknown_view: if view.is_none() { view_key } else { None },
        sample: get("sample"),
        audit_simulation: get("source").as_deref() == Some("simulation"),
        signal: get("signal").and_then(|s| Signal::from_key(&s)),
        threshold: get("threshold")
            .and_then(|t| t.parse::<f64>().ok())
            .filter(|t| t.is_finite()),
        roc_log: get("roc").as_deref() == Some("log"),
        sim,
        shadow,
        ignored,
        hidden,
        checklist,
    }
}

/// The simulator's parameters as query pairs.
pub fn simulation_pairs(p: &SimulationParams) -> Vec<(&'static str, String)> {
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

/// Query keys of the DP claim, kept whatever view writes the URL.
pub const CLAIM_KEYS: [&str; 2] = ["claim_epsilon", "claim_delta"];

/// Replaces the URL's query (no new history entry) with `view` and `pairs`, keeping any
/// `*_hide=true` parameters so a guided exercise stays guided.
pub fn write(view: View, pairs: &[(&str, String)]) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(out) = UrlSearchParams::new() else {
        return;
    };
    out.set("view", view.key());
    for (k, v) in pairs {
        // An empty claim value removes the claim from the link.
        if !(v.is_empty() && CLAIM_KEYS.contains(k)) {
            out.set(k, v);
        }
    }
    for name in read_hidden() {
        out.set(&format!("{name}_hide"), "true");
    }
    // The DP claim under review applies to every view's ROC charts: it stays in the link.
    for key in CLAIM_KEYS {
        if let Some(v) = param(key) {
            if !pairs.iter().any(|(k, _)| *k == key) {
                out.set(key, &v);
            }
        }
    }
    let query: String = out.to_string().into();
    let path = window.location().pathname().unwrap_or_default();
    let url = format!("{path}?{query}");
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

fn read_hidden() -> Vec<String> {
    read().hidden
}

/// One query parameter of the current URL.
pub fn param(key: &str) -> Option<String> {
    params().and_then(|p| p.get(key))
}
