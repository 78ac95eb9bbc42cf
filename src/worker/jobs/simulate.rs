//! The simulator's job: draw scores, attack them, add the closed form and the gap sweep.

use mia_engine::attack::report::{audit_signal, model_summary};
use mia_engine::simulator::sweep::{sweep_gaps, sweep_point};
use mia_engine::simulator::{
    analytic_auc, analytic_roc, simulate, simulated_table, Family, SimulationParams, SweepPoint,
};
use mia_engine::Signal;

use crate::protocol::job::{JobError, JobId, JobOutcome, Stage};
use crate::protocol::SimulationOutcome;
use crate::worker::pacing::{progress, JobResult, Scope, Stop, ROC_POINTS_SENT};

/// The sweep depends on every parameter but the gap; it is kept between requests.
pub type SweepCache = Option<(SimulationParams, Vec<SweepPoint>)>;

fn sweep_key(p: &SimulationParams) -> SimulationParams {
    SimulationParams { gap: 0.0, ..*p }
}

pub async fn run(
    scope: &mut Scope,
    job: JobId,
    params: SimulationParams,
    cache: &mut SweepCache,
) -> Result<JobResult, Stop> {
    progress(scope, job, Stage::Simulating, 0.0).await?;
    let scores = match simulate(&params) {
        Ok(s) => s,
        Err(e) => {
            return Ok(Err(JobError::Simulation {
                message: e.to_string(),
            }))
        }
    };
    let table = simulated_table(&scores);
    progress(scope, job, Stage::Attacking(Signal::Confidence), 0.3).await?;
    let report = match audit_signal(&table, Signal::Confidence) {
        Ok(Some(mut r)) => {
            r.roc = r.roc.thinned(ROC_POINTS_SENT);
            r
        }
        Ok(None) => return Ok(Err(JobError::NoScores)),
        Err(error) => {
            return Ok(Err(JobError::Metric {
                signal: Signal::Confidence,
                error,
            }))
        }
    };
    let key = sweep_key(&params);
    let sweep = match cache {
        Some((k, s)) if *k == key => s.clone(),
        _ => {
            let gaps = sweep_gaps();
            let mut points = Vec::with_capacity(gaps.len());
            for (i, g) in gaps.iter().enumerate() {
                if i % 5 == 0 {
                    progress(scope, job, Stage::Sweeping, i as f64 / gaps.len() as f64).await?;
                }
                if let Ok(p) = sweep_point(&params, *g) {
                    points.push(p);
                }
            }
            *cache = Some((key, points.clone()));
            points
        }
    };
    let normal = params.family == Family::Normal;
    Ok(Ok(JobOutcome::Simulation(Box::new(SimulationOutcome {
        params,
        summary: model_summary(&table),
        report,
        analytic_auc: normal
            .then(|| analytic_auc(params.gap, params.std))
            .flatten(),
        analytic_roc: normal
            .then(|| analytic_roc(params.gap, params.std))
            .flatten(),
        sweep,
    }))))
}
