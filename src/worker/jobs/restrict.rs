//! The restriction job: restrict a table's outputs and compare the attack before and after,
//! optionally over the settings grid; and the restricted outputs as CSV.

use mia_engine::attack::report::audit_signal;
use mia_engine::restriction::frontier::{frontier_point, grid, mark_frontier};
use mia_engine::restriction::{evaluate, restricted_csv, restricted_table, RestrictionSetting};
use mia_engine::{AuditTable, Signal};

use crate::protocol::job::{JobError, JobId, JobOutcome, Stage};
use crate::protocol::{InputSource, RestrictRequest, RestrictionOutcome};
use crate::samples::sample_bytes;
use crate::worker::pacing::{progress, JobResult, Scope, Stop};
use crate::worker::read::{read_csv, read_upload, Purpose};

/// ROC points sent per curve: the view only draws the two curves (its figures are computed on
/// the full curves), and it redraws them whenever a control moves.
const RESTRICTION_ROC_POINTS: usize = 1_000;

/// The last table read for the restriction view, so moving a control does not re-read it.
pub type RestrictCache = Option<(InputSource, AuditTable)>;

pub async fn run(
    scope: &mut Scope,
    job: JobId,
    request: RestrictRequest,
    cache: &mut RestrictCache,
) -> Result<JobResult, Stop> {
    match request {
        RestrictRequest::Evaluate {
            source,
            setting,
            frontier,
        } => evaluate_setting(scope, job, source, setting, frontier, cache).await,
        RestrictRequest::Export { setting } => Ok(match cache {
            Some((_, t)) => Ok(JobOutcome::RestrictedCsv(
                restricted_csv(t, &setting).unwrap_or_default(),
            )),
            None => Err(JobError::NoData {
                message: "Load data first.".into(),
            }),
        }),
    }
}

async fn evaluate_setting(
    scope: &mut Scope,
    job: JobId,
    source: InputSource,
    setting: RestrictionSetting,
    want_frontier: bool,
    cache: &mut RestrictCache,
) -> Result<JobResult, Stop> {
    // The same source again (a moved control) is not read again.
    if matches!(cache, Some((k, _)) if *k == source) {
        // The table is kept: the file's handle, sent again with the request, is not needed.
        if let InputSource::Upload(upload) = &source {
            let _ = crate::protocol::codec::take_file(upload.file_id);
        }
    } else {
        let loaded = match &source {
            InputSource::Sample { id } => match sample_bytes(id) {
                Some(b) => read_csv(scope, job, b, None).await?,
                None => Err(JobError::UnknownSample { id: id.clone() }),
            },
            InputSource::Upload(upload) => read_upload(scope, job, upload, None, Purpose::Table)
                .await?
                .map(|(t, r, ..)| (t, r)),
            InputSource::Simulation { .. } => Err(JobError::NoData {
                message: "The restriction view restricts a sample or a file.".into(),
            }),
        };
        match loaded {
            Ok((t, _)) => *cache = Some((source.clone(), t)),
            Err(e) => return Ok(Err(e)),
        }
    }
    let Some((_, table)) = cache.as_ref() else {
        return Ok(Err(JobError::NoData {
            message: "No data to restrict.".into(),
        }));
    };
    progress(scope, job, Stage::Attacking(Signal::Confidence), 0.1).await?;
    let report = match evaluate(table, &setting) {
        Ok(r) => r,
        Err(error) => return Ok(Err(JobError::Restriction { error })),
    };
    let roc = |s: &RestrictionSetting| {
        restricted_table(table, s)
            .and_then(|t| audit_signal(&t, Signal::Confidence).ok().flatten())
            .map(|r| r.roc.thinned(RESTRICTION_ROC_POINTS))
    };
    let (Some(roc_before), Some(roc_after)) = (roc(&RestrictionSetting::default()), roc(&setting))
    else {
        return Ok(Err(JobError::NoData {
            message: "The confidence signal needs a `label` column.".into(),
        }));
    };
    let frontier = if want_frontier {
        let settings = grid();
        let mut points = Vec::with_capacity(settings.len());
        for (i, s) in settings.iter().enumerate() {
            if i % 8 == 0 {
                let fraction = i as f64 / settings.len() as f64;
                progress(scope, job, Stage::Sweeping, fraction).await?;
            }
            points.extend(frontier_point(table, s));
        }
        mark_frontier(&mut points);
        Some(points)
    } else {
        None
    };
    Ok(Ok(JobOutcome::Restriction(Box::new(RestrictionOutcome {
        source,
        report,
        roc_before,
        roc_after,
        frontier,
    }))))
}
