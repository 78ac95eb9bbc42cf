//! The unlearning verification's job: read the outputs (a bundled sample, or the picked files
//! through the slice reader), then the seed design's test and the threshold attack before and
//! after (the engine's `unlearning` module).

use mia_engine::unlearning::{verify_unlearning, UnlearningInput, UnlearningReport};

use crate::protocol::job::{JobError, JobId, JobOutcome, Stage};
use crate::protocol::{UnlearnOutcome, UnlearnRequest};
use crate::samples::unlearn_sample_bytes;
use crate::worker::pacing::{progress, JobResult, Scope, Stop, ROC_POINTS_SENT};
use crate::worker::read::read_upload_bytes;

pub async fn run(
    scope: &mut Scope,
    job: JobId,
    request: UnlearnRequest,
) -> Result<JobResult, Stop> {
    let (name, input) = match &request {
        UnlearnRequest::Sample { id } => match unlearn_sample_bytes(id) {
            Some(bytes) => (
                crate::samples::unlearn_sample_title(id).to_string(),
                UnlearningInput::from_csv(id, bytes),
            ),
            None => return Ok(Err(JobError::UnknownSample { id: id.clone() })),
        },
        UnlearnRequest::Upload { before, after } => {
            let b = match read_upload_bytes(scope, job, before).await? {
                Ok(b) => b,
                Err(e) => return Ok(Err(e)),
            };
            match after {
                None => (
                    before.name.clone(),
                    UnlearningInput::from_csv(&before.name, &b),
                ),
                Some(after) => {
                    let a = match read_upload_bytes(scope, job, after).await? {
                        Ok(a) => a,
                        Err(e) => return Ok(Err(e)),
                    };
                    (
                        format!("{} + {}", before.name, after.name),
                        UnlearningInput::from_two_csvs(&before.name, &b, &after.name, &a),
                    )
                }
            }
        }
    };
    let input = match input {
        Ok(i) => i,
        Err(error) => return Ok(Err(JobError::Unlearning { error })),
    };
    progress(scope, job, Stage::Verifying, 0.5).await?;
    let mut report = match verify_unlearning(&input) {
        Ok(r) => r,
        Err(error) => return Ok(Err(JobError::Unlearning { error })),
    };
    thin_report(&mut report);
    Ok(Ok(JobOutcome::Unlearn(Box::new(UnlearnOutcome {
        source_name: name,
        report,
    }))))
}

/// `report` with every ROC curve thinned for sending (its figures come from the full curves).
pub(super) fn thin_report(report: &mut UnlearningReport) {
    for s in report
        .before
        .signals
        .iter_mut()
        .chain(report.after.signals.iter_mut())
    {
        s.roc = s.roc.thinned(ROC_POINTS_SENT);
    }
}
