//! The workers, started once for the whole page: every page below reaches them through the
//! hooks in this folder.

use yew::prelude::*;
use yew_agent::reactor::ReactorProvider;

use super::audit_worker::AuditWorkerProvider;
use crate::protocol::codec::{BulkBincode, FINGERPRINT_WORKER};
use crate::worker::fingerprint::FingerprintReactor;

/// A worker script's absolute URL. Workers are started from a blob, where a relative path
/// would not resolve, and the page may live under any sub-path.
fn worker_url(script: &str) -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|base| web_sys::Url::new_with_base(script, &base).ok())
        .map(|u| u.href())
        .unwrap_or_else(|| script.to_string())
}

#[derive(Properties, PartialEq)]
pub struct WorkerProvidersProps {
    pub children: Html,
}

/// Starts the audit worker and the fingerprint worker for everything below it.
#[component]
pub fn WorkerProviders(props: &WorkerProvidersProps) -> Html {
    html! {
        <AuditWorkerProvider path={worker_url("worker.js")}>
            <ReactorProvider<FingerprintReactor, BulkBincode<FINGERPRINT_WORKER>> path={worker_url("fingerprint.js")}>
                { props.children.clone() }
            </ReactorProvider<FingerprintReactor, BulkBincode<FINGERPRINT_WORKER>>>
        </AuditWorkerProvider>
    }
}
