//! The audit worker: parses the CSV and computes the report off the main thread, in steps, so it
//! can report progress and be cancelled between steps.
//!
//! The bundled samples are compiled into the worker, so loading one makes no network request.

use std::time::Duration;

use futures::{FutureExt, SinkExt, StreamExt};
use mia_engine::audit_report::{audit_signal, model_summary};
use mia_engine::ingest::IngestProgress;
use mia_engine::{AuditReport, ColumnMapping, Signal};
use serde::{Deserialize, Serialize};
use yew::platform::time::sleep;
use yew_agent::prelude::*;

use crate::samples::sample_bytes;
use crate::worker_protocol::{AuditOutcome, InputSource, Stage, WorkerEvent, WorkerRequest};

/// Rows parsed between two progress reports (and chances to cancel).
const ROWS_PER_STEP: usize = 20_000;
/// ROC points sent to the page per signal: enough to draw and to move the threshold smoothly,
/// while the message stays small for millions of records. The headline figures are computed
/// on the full curve before thinning.
const ROC_POINTS_SENT: usize = 4_000;

/// Why a job stopped early.
enum Stop {
    Cancelled,
    /// A newer request arrived; it replaces this one.
    Superseded(WorkerRequest),
    Closed,
}

/// Yields to the worker's event loop, then looks at what the page sent meanwhile.
async fn checkpoint(
    scope: &mut ReactorScope<WorkerRequest, WorkerEvent>,
    job: u32,
) -> Result<(), Stop> {
    sleep(Duration::ZERO).await;
    match scope.next().now_or_never() {
        None => Ok(()),
        Some(None) => Err(Stop::Closed),
        Some(Some(WorkerRequest::Cancel { job: j })) if j == job => Err(Stop::Cancelled),
        Some(Some(WorkerRequest::Cancel { .. })) => Ok(()),
        Some(Some(req)) => Err(Stop::Superseded(req)),
    }
}

async fn run_audit(
    scope: &mut ReactorScope<WorkerRequest, WorkerEvent>,
    job: u32,
    source: InputSource,
    mapping: Option<ColumnMapping>,
) -> Result<WorkerEvent, Stop> {
    let bytes: std::borrow::Cow<[u8]> = match &source {
        InputSource::Sample { id } => match sample_bytes(id) {
            Some(b) => b.into(),
            None => {
                return Ok(WorkerEvent::Failed {
                    job,
                    message: format!("There is no bundled sample called `{id}`."),
                    headers: Vec::new(),
                })
            }
        },
        InputSource::File { bytes, .. } => bytes.as_slice().into(),
    };
    let failed = |message: String, bytes: &[u8]| WorkerEvent::Failed {
        job,
        message,
        headers: mia_engine::ingest::read_headers(bytes).unwrap_or_default(),
    };
    let mut progress = match IngestProgress::start(&bytes, mapping) {
        Ok(p) => p,
        Err(e) => return Ok(failed(e.to_string(), &bytes)),
    };
    loop {
        match progress.step(ROWS_PER_STEP) {
            Ok(true) => break,
            Ok(false) => {}
            Err(e) => return Ok(failed(e.to_string(), &bytes)),
        }
        let _ = scope
            .send(WorkerEvent::Progress {
                job,
                stage: Stage::Reading,
                fraction: progress.fraction_done(),
            })
            .await;
        checkpoint(scope, job).await?;
    }
    let ingested = match progress.finish() {
        Ok(i) => i,
        Err(e) => return Ok(failed(e.to_string(), &bytes)),
    };
    let table = &ingested.table;
    let signals = Signal::available(table);
    let mut reports = Vec::with_capacity(signals.len());
    for (i, s) in signals.iter().enumerate() {
        let _ = scope
            .send(WorkerEvent::Progress {
                job,
                stage: Stage::Attacking(*s),
                fraction: i as f64 / signals.len() as f64,
            })
            .await;
        checkpoint(scope, job).await?;
        match audit_signal(table, *s) {
            Ok(Some(mut r)) => {
                r.roc = r.roc.thinned(ROC_POINTS_SENT);
                reports.push(r);
            }
            Ok(None) => {}
            Err(e) => return Ok(failed(format!("{}: {e}", s.title()), &bytes)),
        }
    }
    let summary = model_summary(table);
    Ok(WorkerEvent::Done {
        job,
        outcome: Box::new(AuditOutcome {
            source: source.without_bytes(),
            headers: table.headers.clone(),
            mapping: table.mapping.clone(),
            ingest: ingested.report,
            report: AuditReport {
                summary,
                signals: reports,
            },
        }),
    })
}

/// The worker's message loop.
#[reactor]
pub async fn AuditReactor(mut scope: ReactorScope<WorkerRequest, WorkerEvent>) {
    let mut next = scope.next().await;
    while let Some(req) = next.take() {
        match req {
            WorkerRequest::Cancel { .. } => {}
            WorkerRequest::Audit {
                job,
                source,
                mapping,
            } => match run_audit(&mut scope, job, source, mapping).await {
                Ok(ev) => {
                    let _ = scope.send(ev).await;
                }
                Err(Stop::Cancelled) => {
                    let _ = scope.send(WorkerEvent::Cancelled { job }).await;
                }
                Err(Stop::Superseded(req)) => {
                    next = Some(req);
                    continue;
                }
                Err(Stop::Closed) => return,
            },
        }
        next = scope.next().await;
    }
}

/// Keeps `Serialize`/`Deserialize` in scope for the reactor macro's generated code.
#[allow(dead_code)]
fn _assert_serde<T: Serialize + for<'de> Deserialize<'de>>() {}
