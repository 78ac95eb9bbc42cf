//! `mia dp-sigma`: the smallest DP-SGD noise multiplier that reaches a target ε (bisection on the
//! RDP accountant), the same engine function as the page's DP view.

use std::io::Write;

use clap::Args;
use mia_engine::dp::{dp_sgd_epsilon, noise_multiplier_for_epsilon, DpSgdSchedule};
use serde::Serialize;

use super::dp_epsilon::steps;
use super::{finite, write_json};
use crate::exit::{CliError, Status};

pub const ABOUT: &str = "The smallest DP-SGD noise multiplier reaching a target epsilon";

pub const LONG_ABOUT: &str = "\
DP-SIGMA: the smallest noise multiplier for which DP-SGD (Poisson sampling rate Q, T steps) reaches
epsilon E at delta D, by the same RDP accountant as dp-epsilon.";

/// The options of `mia dp-sigma`.
#[derive(Debug, Args)]
pub struct DpSigmaArgs {
    /// Poisson sampling rate q = batch size / dataset size, in (0, 1]
    #[arg(long, value_name = "Q", value_parser = finite, allow_negative_numbers = true)]
    q: f64,
    /// Number of steps (a whole number)
    #[arg(long, value_name = "T", value_parser = steps, allow_negative_numbers = true)]
    steps: u64,
    /// delta of the (epsilon, delta) guarantee
    #[arg(long, value_name = "D", value_parser = finite, allow_negative_numbers = true)]
    delta: f64,
    /// The target epsilon
    #[arg(long, value_name = "E", value_parser = finite, allow_negative_numbers = true)]
    epsilon: f64,
    /// Print JSON
    #[arg(long)]
    json: bool,
}

/// `mia dp-sigma --json` (keys in alphabetical order, as before).
#[derive(Serialize)]
struct SigmaJson {
    delta: f64,
    epsilon: f64,
    optimal_order: f64,
    q: f64,
    sigma: f64,
    steps: u64,
    target_epsilon: f64,
}

impl DpSigmaArgs {
    pub fn run(self, out: &mut dyn Write) -> Result<Status, CliError> {
        let (q, t, delta, target) = (self.q, self.steps, self.delta, self.epsilon);
        let refused = |e: mia_engine::dp::DpError| CliError::Usage(e.to_string());
        let sigma = noise_multiplier_for_epsilon(q, t, delta, target).map_err(refused)?;
        let schedule = DpSgdSchedule {
            sampling_rate: q,
            noise_multiplier: sigma,
            steps: t,
        };
        let e = dp_sgd_epsilon(&schedule, delta).map_err(refused)?;
        if self.json {
            let v = SigmaJson {
                delta,
                epsilon: e.epsilon,
                optimal_order: e.optimal_order,
                q,
                sigma,
                steps: t,
                target_epsilon: target,
            };
            write_json(out, &v, false)?;
        } else {
            writeln!(out, "noise multiplier: {sigma}")?;
            writeln!(
                out,
                "epsilon at that sigma: {} (order {})",
                e.epsilon, e.optimal_order
            )?;
        }
        Ok(Status::Ok)
    }
}
