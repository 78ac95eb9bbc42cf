//! The page's URL: read once at start, replaced (never pushed) as a view's controls move.

use super::{Query, UrlState, View};

/// The current page's query string.
fn search() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Reads the current URL. Malformed values fall back to defaults and are listed in `ignored`.
pub fn read() -> UrlState {
    UrlState::parse(&search())
}

/// Replaces the URL's query (no new history entry) with `view` and `pairs`, keeping any
/// `*_hide=true` parameters, so a guided exercise stays guided, and the DP claim under review,
/// which applies to every view's ROC charts.
pub fn write(view: View, pairs: &[(&str, String)]) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let current = Query::parse(&search());
    let mut carried: Vec<(String, String)> = current
        .hidden()
        .into_iter()
        .map(|name| (format!("{name}_hide"), "true".to_string()))
        .collect();
    carried.extend(current.claim_pairs());
    let query = Query::encode(view, pairs, &carried);
    let path = window.location().pathname().unwrap_or_default();
    let url = format!("{path}?{query}");
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
