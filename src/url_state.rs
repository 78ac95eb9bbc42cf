//! The page's state in the URL query (`?view=audit&sample=…&signal=…`), so any view is a link.

use mia_engine::Signal;
use web_sys::UrlSearchParams;

/// The views of the app. Later capabilities add variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Audit,
}

impl View {
    pub fn key(self) -> &'static str {
        match self {
            View::Audit => "audit",
        }
    }
}

/// What the URL asks for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UrlState {
    pub sample: Option<String>,
    pub signal: Option<Signal>,
    pub threshold: Option<f64>,
    pub roc_log: bool,
    /// An unknown `view=` value, to tell the user.
    pub unknown_view: Option<String>,
}

fn params() -> Option<UrlSearchParams> {
    let search = web_sys::window()?.location().search().ok()?;
    UrlSearchParams::new_with_str(&search).ok()
}

/// Reads the current URL.
pub fn read() -> UrlState {
    let Some(p) = params() else {
        return UrlState::default();
    };
    let view = p.get("view");
    UrlState {
        sample: p.get("sample"),
        signal: p.get("signal").and_then(|s| Signal::from_key(&s)),
        threshold: p
            .get("threshold")
            .and_then(|t| t.parse::<f64>().ok())
            .filter(|t| t.is_finite()),
        roc_log: p.get("roc").as_deref() == Some("log"),
        unknown_view: view.filter(|v| v != View::Audit.key()),
    }
}

/// Replaces the URL's query (no new history entry) with the given state.
pub fn write(sample: Option<&str>, signal: Option<Signal>, threshold: Option<f64>, roc_log: bool) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(p) = UrlSearchParams::new() else {
        return;
    };
    p.set("view", View::Audit.key());
    if let Some(s) = sample {
        p.set("sample", s);
    }
    if let Some(s) = signal {
        p.set("signal", s.key());
    }
    if let Some(t) = threshold {
        p.set("threshold", &t.to_string());
    }
    if roc_log {
        p.set("roc", "log");
    }
    let query: String = p.to_string().into();
    let path = window.location().pathname().unwrap_or_default();
    let url = format!("{path}?{query}");
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
