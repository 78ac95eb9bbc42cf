//! The audit worker's side of its lifetime: a panic is logged and announced on the broadcast
//! channel the page listens on ([`crate::hooks::audit_worker`]), so the page replaces the worker
//! and ends the jobs it was running with a clear error instead of waiting forever.

/// The broadcast channel's name (the page's side has the same).
pub const DEATH_CHANNEL: &str = "mia-audit-worker";

/// Logs a panic to the console, then tells the page this worker is gone.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        if let Ok(channel) = web_sys::BroadcastChannel::new(DEATH_CHANNEL) {
            let _ = channel.post_message(&info.to_string().into());
            channel.close();
        }
    }));
}
