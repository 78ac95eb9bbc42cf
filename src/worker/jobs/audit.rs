//! The audit job: read the input, then the threshold attack with every available signal.

use mia_engine::attack::report::{model_summary, SignalAuditor};
use mia_engine::checklist::review_report::InputDescription;
use mia_engine::simulator::{simulate, simulated_table};
use mia_engine::{AuditReport, AuditTable, IngestReport, Signal};

use crate::protocol::job::{JobError, JobId, JobOutcome, Stage};
use crate::protocol::{AuditOutcome, AuditRequest, InputSource, WorkTimings};
use crate::samples::sample_bytes;
use crate::worker::pacing::{progress, JobResult, Scope, Stop, ROC_POINTS_SENT};
use crate::worker::read::{read_csv, read_upload, Purpose};

/// The threshold attack with every available signal, one checkpoint per signal.
async fn attack_all(
    scope: &mut Scope,
    job: JobId,
    table: &AuditTable,
) -> Result<Result<AuditReport, JobError>, Stop> {
    let signals = Signal::available(table);
    let mut reports = Vec::with_capacity(signals.len());
    let mut auditor = SignalAuditor::new(table, true);
    for (i, s) in signals.iter().enumerate() {
        let fraction = i as f64 / signals.len() as f64;
        progress(scope, job, Stage::Attacking(*s), fraction).await?;
        match auditor.audit(*s) {
            Ok(Some(mut r)) => {
                r.roc = r.roc.thinned(ROC_POINTS_SENT);
                reports.push(r);
            }
            Ok(None) => {}
            Err(error) => return Ok(Err(JobError::Metric { signal: *s, error })),
        }
    }
    Ok(Ok(AuditReport {
        summary: model_summary(table),
        signals: reports,
    }))
}

pub async fn run(scope: &mut Scope, job: JobId, request: AuditRequest) -> Result<JobResult, Stop> {
    let AuditRequest { source, mapping } = request;
    let started = js_sys::Date::now();
    let read_bytes: Option<&[u8]> = match &source {
        InputSource::Sample { id } => sample_bytes(id),
        InputSource::Simulation { .. } | InputSource::Upload(_) => None,
    };
    let mut input = InputDescription {
        name: source.display_name(),
        size_bytes: read_bytes.map(|b| b.len() as u64),
        sha256: read_bytes.map(mia_engine::ingest::fingerprint::sha256_hex),
    };
    let mut read_by_workers = 1;
    let loaded = match &source {
        InputSource::Sample { id } => match sample_bytes(id) {
            Some(b) => read_csv(scope, job, b, mapping).await?,
            None => Err(JobError::UnknownSample { id: id.clone() }),
        },
        InputSource::Upload(upload) => {
            match read_upload(scope, job, upload, mapping, Purpose::Audit).await? {
                Ok((table, report, described, workers)) => {
                    input = described;
                    read_by_workers = workers;
                    Ok((table, report))
                }
                Err(e) => Err(e),
            }
        }
        InputSource::Simulation { params } => {
            progress(scope, job, Stage::Simulating, 0.0).await?;
            match simulate(params) {
                Ok(s) => {
                    let table = simulated_table(&s);
                    let n = table.len() as u64;
                    let report = IngestReport {
                        n_data_rows: n,
                        n_kept: n,
                        delimiter: b',',
                        ..IngestReport::default()
                    };
                    Ok((table, report))
                }
                Err(e) => Err(JobError::Simulation {
                    message: e.to_string(),
                }),
            }
        }
    };
    let (table, ingest) = match loaded {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    let read = js_sys::Date::now();
    let report = match attack_all(scope, job, &table).await? {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    let timings = WorkTimings {
        read_ms: read - started,
        attack_ms: js_sys::Date::now() - read,
        read_by_workers,
        attack_by_workers: 1,
        attack_table_joined_there: false,
        slices_read_here: None,
    };
    Ok(Ok(JobOutcome::Audit(Box::new(AuditOutcome {
        source,
        input,
        headers: table.headers.clone(),
        mapping: table.mapping.clone(),
        ingest,
        report,
        timings,
        fingerprint_error: None,
    }))))
}
