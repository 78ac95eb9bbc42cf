//! `mia dp-epsilon`: the ε of a DP-SGD run from the RDP accountant, the same engine function as
//! the page's DP view.

use std::io::Write;

use clap::Args;
use mia_engine::dp::{dp_sgd_epsilon, DpSgdSchedule, EpsilonBand};
use serde::Serialize;

use super::{finite, write_json};
use crate::exit::{CliError, Status};

pub const ABOUT: &str = "Epsilon of a DP-SGD run (RDP accountant)";

pub const LONG_ABOUT: &str = "\
DP-EPSILON: epsilon of DP-SGD (Poisson sampling rate Q = batch/dataset, noise multiplier S, T steps)
by the RDP accountant with dp_accounting's orders and conversion.";

/// The options of `mia dp-epsilon`.
#[derive(Debug, Args)]
pub struct DpEpsilonArgs {
    /// Poisson sampling rate q = batch size / dataset size, in (0, 1]
    #[arg(long, value_name = "Q", value_parser = finite, allow_negative_numbers = true)]
    q: f64,
    /// Noise multiplier sigma
    #[arg(long, value_name = "S", value_parser = finite, allow_negative_numbers = true)]
    sigma: f64,
    /// Number of steps (a whole number)
    #[arg(long, value_name = "T", value_parser = steps, allow_negative_numbers = true)]
    steps: u64,
    /// delta of the (epsilon, delta) guarantee
    #[arg(long, value_name = "D", value_parser = finite, allow_negative_numbers = true)]
    delta: f64,
    /// Print JSON
    #[arg(long)]
    json: bool,
}

/// A number of steps: a whole number, not negative, written as an integer or not (`2250`,
/// `2.25e3`), as the page's field takes it (a value parser).
pub fn steps(s: &str) -> Result<u64, String> {
    let t = finite(s)?;
    if t < 0.0 || t.fract() != 0.0 {
        return Err(format!("{t} is not a whole number of steps"));
    }
    Ok(t as u64)
}

/// `mia dp-epsilon --json` (keys in alphabetical order, as before).
#[derive(Serialize)]
struct EpsilonJson {
    band: &'static str,
    delta: f64,
    epsilon: f64,
    excluded_orders: Vec<f64>,
    optimal_order: f64,
    order_at_grid_edge: bool,
    q: f64,
    sigma: f64,
    steps: u64,
}

impl DpEpsilonArgs {
    pub fn run(self, out: &mut dyn Write) -> Result<Status, CliError> {
        let s = DpSgdSchedule {
            sampling_rate: self.q,
            noise_multiplier: self.sigma,
            steps: self.steps,
        };
        let delta = self.delta;
        let e = dp_sgd_epsilon(&s, delta).map_err(|e| CliError::Usage(e.to_string()))?;
        let band = EpsilonBand::of(e.epsilon);
        if self.json {
            let v = EpsilonJson {
                band: band.key(),
                delta,
                epsilon: e.epsilon,
                excluded_orders: e.excluded_orders.clone(),
                optimal_order: e.optimal_order,
                order_at_grid_edge: e.order_at_grid_edge,
                q: s.sampling_rate,
                sigma: s.noise_multiplier,
                steps: s.steps,
            };
            write_json(out, &v, false)?;
        } else {
            writeln!(out, "epsilon: {} (delta {delta})", e.epsilon)?;
            writeln!(out, "optimal RDP order: {}", e.optimal_order)?;
            writeln!(
                out,
                "{}: {} ({}; {})",
                band.title(),
                band.range(),
                band.accuracy_cost(),
                band.use_case()
            )?;
            if !e.excluded_orders.is_empty() {
                writeln!(
                    out,
                    "note: {} orders did not converge and were left out",
                    e.excluded_orders.len()
                )?;
            }
        }
        Ok(Status::Ok)
    }
}
