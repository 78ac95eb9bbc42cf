//! `mia dp-epsilon` and `mia dp-sigma`: the DP-SGD accountant on the command line, the same engine
//! functions as the page's DP view.

use std::process::ExitCode;

use mia_engine::dp::{dp_sgd_epsilon, noise_multiplier_for_epsilon, DpSgdSchedule, EpsilonBand};
use serde_json::json;

/// Options as name → value; flags (`--json`) map to an empty value.
fn options(args: &[String], known: &[&str]) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => out.push(("json".into(), String::new())),
            "-h" | "--help" => return Err(String::new()),
            o if o.starts_with("--") && known.contains(&&o[2..]) => {
                let v = it.next().ok_or(format!("{o} needs a value"))?;
                out.push((o[2..].to_string(), v.clone()));
            }
            o => return Err(format!("unknown argument `{o}`")),
        }
    }
    Ok(out)
}

fn get(opts: &[(String, String)], name: &str) -> Result<f64, String> {
    let v = opts
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
        .ok_or(format!("--{name} is required"))?;
    v.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or(format!("--{name} `{v}` is not a number"))
}

fn steps(opts: &[(String, String)]) -> Result<u64, String> {
    let s = get(opts, "steps")?;
    if s < 0.0 || s.fract() != 0.0 {
        return Err(format!("--steps {s} must be a whole number"));
    }
    Ok(s as u64)
}

fn run(
    args: &[String],
    usage: &str,
    f: impl Fn(&[(String, String)]) -> Result<(), String>,
    known: &[&str],
) -> ExitCode {
    let result = options(args, known).and_then(|o| f(&o));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(m) if m.is_empty() => {
            println!("{usage}");
            ExitCode::SUCCESS
        }
        Err(m) => {
            eprintln!("error: {m}\n\n{usage}");
            ExitCode::from(2)
        }
    }
}

pub fn epsilon_main(args: &[String], usage: &str) -> ExitCode {
    run(
        args,
        usage,
        |o| {
            let s = DpSgdSchedule {
                sampling_rate: get(o, "q")?,
                noise_multiplier: get(o, "sigma")?,
                steps: steps(o)?,
            };
            let delta = get(o, "delta")?;
            let e = dp_sgd_epsilon(&s, delta).map_err(|e| e.to_string())?;
            let band = EpsilonBand::of(e.epsilon);
            if o.iter().any(|(k, _)| k == "json") {
                println!(
                    "{}",
                    json!({
                        "q": s.sampling_rate, "sigma": s.noise_multiplier, "steps": s.steps, "delta": delta,
                        "epsilon": e.epsilon, "optimal_order": e.optimal_order,
                        "order_at_grid_edge": e.order_at_grid_edge, "excluded_orders": e.excluded_orders,
                        "band": band.key(),
                    })
                );
            } else {
                println!("epsilon: {} (delta {delta})", e.epsilon);
                println!("optimal RDP order: {}", e.optimal_order);
                println!(
                    "{}: {} ({}; {})",
                    band.title(),
                    band.range(),
                    band.accuracy_cost(),
                    band.use_case()
                );
                if !e.excluded_orders.is_empty() {
                    println!(
                        "note: {} orders did not converge and were left out",
                        e.excluded_orders.len()
                    );
                }
            }
            Ok(())
        },
        &["q", "sigma", "steps", "delta"],
    )
}

pub fn sigma_main(args: &[String], usage: &str) -> ExitCode {
    run(
        args,
        usage,
        |o| {
            let (q, t, delta, target) = (
                get(o, "q")?,
                steps(o)?,
                get(o, "delta")?,
                get(o, "epsilon")?,
            );
            let sigma =
                noise_multiplier_for_epsilon(q, t, delta, target).map_err(|e| e.to_string())?;
            let e = dp_sgd_epsilon(
                &DpSgdSchedule {
                    sampling_rate: q,
                    noise_multiplier: sigma,
                    steps: t,
                },
                delta,
            )
            .map_err(|e| e.to_string())?;
            if o.iter().any(|(k, _)| k == "json") {
                println!(
                    "{}",
                    json!({ "q": q, "steps": t, "delta": delta, "target_epsilon": target,
                            "sigma": sigma, "epsilon": e.epsilon, "optimal_order": e.optimal_order })
                );
            } else {
                println!("noise multiplier: {sigma}");
                println!(
                    "epsilon at that sigma: {} (order {})",
                    e.epsilon, e.optimal_order
                );
            }
            Ok(())
        },
        &["q", "steps", "delta", "epsilon"],
    )
}
