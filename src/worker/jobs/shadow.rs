//! The shadow attack's job (Shokri et al. 2017): train a target and shadows here (mode B), or
//! attack from given outputs (mode A).

use mia_engine::shadow::{
    ShadowConfig, ShadowError, ShadowExperiment, ShadowReport, ShadowStage, TabularDataset,
};

use crate::protocol::job::{JobError, JobId, JobOutcome, Stage};
use crate::protocol::{DatasetSource, ShadowRequest, Upload};
use crate::samples::dataset_bytes;
use crate::worker::pacing::{progress, JobResult, Scope, Stop, ROC_POINTS_SENT};
use crate::worker::read::{read_upload, read_upload_bytes, Purpose};

pub async fn run(scope: &mut Scope, job: JobId, request: ShadowRequest) -> Result<JobResult, Stop> {
    match request {
        ShadowRequest::Train { dataset, config } => train(scope, job, dataset, config).await,
        ShadowRequest::FromOutputs {
            shadows,
            target,
            config,
        } => from_outputs(scope, job, shadows, target, config).await,
    }
}

fn thin_report(mut r: ShadowReport) -> JobOutcome {
    for sr in [&mut r.shadow_attack, &mut r.threshold_attack]
        .into_iter()
        .flatten()
    {
        sr.roc = sr.roc.thinned(ROC_POINTS_SENT);
    }
    JobOutcome::Shadow(Box::new(r))
}

async fn train(
    scope: &mut Scope,
    job: JobId,
    dataset: DatasetSource,
    config: ShadowConfig,
) -> Result<JobResult, Stop> {
    let (name, bytes): (String, std::borrow::Cow<[u8]>) = match &dataset {
        DatasetSource::Bundled { id } => match dataset_bytes(id) {
            Some(b) => (id.clone(), b.into()),
            None => return Ok(Err(JobError::UnknownDataset { id: id.clone() })),
        },
        DatasetSource::Upload(upload) => match read_upload_bytes(scope, job, upload).await? {
            Ok(b) => (upload.name.clone(), b.into()),
            Err(e) => return Ok(Err(e)),
        },
    };
    let data = match TabularDataset::from_csv(&bytes) {
        Ok(d) => d,
        Err(error) => return Ok(Err(JobError::Dataset { input: name, error })),
    };
    let failed = |error: ShadowError| JobError::ShadowExperiment {
        input: name.clone(),
        error,
    };
    let mut experiment = match ShadowExperiment::new(data, config) {
        Ok(e) => e,
        Err(e) => return Ok(Err(failed(e))),
    };
    loop {
        let (stage, fraction) = (experiment.stage(), experiment.fraction_done());
        progress(scope, job, Stage::Training(stage), fraction).await?;
        match experiment.step() {
            Ok(true) => break,
            Ok(false) => {}
            Err(e) => return Ok(Err(failed(e))),
        }
    }
    Ok(match experiment.into_report() {
        Some(r) => Ok(thin_report(r)),
        None => Err(failed(ShadowError::NoReport)),
    })
}

async fn from_outputs(
    scope: &mut Scope,
    job: JobId,
    shadows: Vec<Upload>,
    target: Upload,
    config: ShadowConfig,
) -> Result<JobResult, Stop> {
    let in_file = |role: &str, name: &str, error: JobError| JobError::InFile {
        role: role.into(),
        name: name.into(),
        error: Box::new(error),
    };
    let mut tables = Vec::with_capacity(shadows.len());
    for f in &shadows {
        match read_upload(scope, job, f, None, Purpose::Table).await? {
            Ok((t, ..)) => tables.extend(mia_engine::shadow::from_outputs::split_by_shadow(
                &f.name, t,
            )),
            Err(e) => return Ok(Err(in_file("Shadow", &f.name, e))),
        }
    }
    let target_table = match read_upload(scope, job, &target, None, Purpose::Target).await? {
        Ok((t, ..)) => t,
        Err(e) => return Ok(Err(in_file("Target", &target.name, e))),
    };
    progress(scope, job, Stage::Training(ShadowStage::TrainAttack), 0.8).await?;
    // Without a member column the target gets verdicts but no score against the truth.
    let labelled = target_table.mapping.member.is_some();
    Ok(
        match mia_engine::shadow::from_outputs::attack_from_outputs(
            &tables,
            &target_table,
            labelled,
            &config.attack,
            config.seed,
        ) {
            Ok(r) => Ok(thin_report(r)),
            Err(error) => Err(JobError::ShadowAttack { error }),
        },
    )
}
