//! The query-log monitor's job: read the log (a bundled sample, or the picked file through the
//! slice reader, so a large log streams), then replay it in time order through the engine's
//! detector, in steps with progress and cancel.

use mia_engine::monitor::Replay;

use crate::protocol::job::{JobError, JobId, JobOutcome, Stage};
use crate::protocol::{MonitorOutcome, MonitorRequest, MonitorSource};
use crate::samples::{monitor_sample_bytes, monitor_sample_title};
use crate::worker::pacing::{progress, JobResult, Scope, Stop};
use crate::worker::read::{read_query_log_bytes, read_query_log_upload};

/// Queries replayed between progress reports.
const QUERIES_PER_STEP: usize = 200_000;

pub async fn run(
    scope: &mut Scope,
    job: JobId,
    request: MonitorRequest,
) -> Result<JobResult, Stop> {
    let settings = match request.settings.check() {
        Ok(s) => s,
        Err(e) => return Ok(Err(JobError::Monitor { error: e.into() })),
    };
    let started = js_sys::Date::now();
    let (name, log) = match &request.source {
        MonitorSource::Sample { id } => match monitor_sample_bytes(id) {
            Some(b) => (
                monitor_sample_title(id).to_string(),
                read_query_log_bytes(scope, job, b).await?,
            ),
            None => return Ok(Err(JobError::UnknownSample { id: id.clone() })),
        },
        MonitorSource::Upload(upload) => (
            upload.name.clone(),
            read_query_log_upload(scope, job, upload).await?,
        ),
    };
    let log = match log {
        Ok(log) => log,
        Err(e) => return Ok(Err(e)),
    };
    let read_ms = js_sys::Date::now() - started;
    let started = js_sys::Date::now();
    let mut replay = Replay::new(&log, &settings);
    loop {
        progress(scope, job, Stage::ReplayingLog, replay.fraction_done()).await?;
        if replay.step(QUERIES_PER_STEP) {
            break;
        }
    }
    let report = replay.finish();
    Ok(Ok(JobOutcome::Monitor(Box::new(MonitorOutcome {
        source_name: name,
        read_ms,
        replay_ms: js_sys::Date::now() - started,
        report,
    }))))
}
