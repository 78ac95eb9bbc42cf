//! Locks the page down once it has loaded: after this, the page cannot open any connection.
//!
//! `index.html` allows `connect-src 'self'` so the browser can fetch the app's own wasm. Once the
//! app runs, it adds a second policy with `connect-src 'none'`; browsers enforce every policy, so
//! from then on no fetch, XHR, WebSocket or beacon can leave the page.

/// The policy added after load.
pub const LOCKDOWN_POLICY: &str = "connect-src 'none'; form-action 'none'";

/// Adds the lockdown policy as a `<meta http-equiv>` element (idempotent).
pub fn lock_down_connections() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if doc.get_element_by_id("csp-lockdown").is_some() {
        return;
    }
    let Ok(meta) = doc.create_element("meta") else {
        return;
    };
    meta.set_id("csp-lockdown");
    let _ = meta.set_attribute("http-equiv", "Content-Security-Policy");
    let _ = meta.set_attribute("content", LOCKDOWN_POLICY);
    if let Some(head) = doc.head() {
        let _ = head.append_child(&meta);
    }
}
