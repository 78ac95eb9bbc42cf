//! `mia dp-epsilon` and `mia dp-sigma`: the accountant's figures through the CLI, the engine's
//! refusals, the checks of every option's value, a closed output pipe and help.

mod common;

use common::{
    assert_help_mentions, assert_quiet_when_output_closed, assert_stderr_contains,
    assert_stdout_contains, assert_success, assert_usage_error, run_mia, stdout_json,
};
use mia_engine::dp::{dp_sgd_epsilon, DpSgdSchedule};
use serde_json::Value;

const OPACUS: [&str; 9] = [
    "dp-epsilon",
    "--q",
    "0.04",
    "--sigma",
    "1.5",
    "--steps",
    "2250",
    "--delta",
    "1e-5",
];

const SIGMA: [&str; 9] = [
    "dp-sigma",
    "--q",
    "0.04",
    "--steps",
    "2250",
    "--delta",
    "1e-5",
    "--epsilon",
    "7.329334702382641",
];

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

#[test]
fn cli_dp_epsilon_and_dp_sigma() {
    let out = run_mia(OPACUS.iter().chain(&["--json"]));
    assert_eq!(out.status.code(), Some(0));
    let j = stdout_json(&out);
    let s = DpSgdSchedule {
        sampling_rate: 0.04,
        noise_multiplier: 1.5,
        steps: 2250,
    };
    assert_eq!(
        num(&j["epsilon"]),
        dp_sgd_epsilon(&s, 1e-5).unwrap().epsilon
    );
    assert_eq!(num(&j["optimal_order"]), 3.9);
    assert_eq!(j["band"], "moderate");
    let out = run_mia(SIGMA.iter().chain(&["--json"]));
    let j = stdout_json(&out);
    assert!((num(&j["sigma"]) - 1.5).abs() < 1e-5);
    let bad = run_mia([
        "dp-epsilon",
        "--q",
        "2",
        "--sigma",
        "1",
        "--steps",
        "3",
        "--delta",
        "1e-5",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("between 0 and 1"));
    // A missing option is named as required (clap: "the following required arguments were not
    // provided: --epsilon <E>").
    let missing = run_mia(["dp-sigma", "--q", "0.1", "--steps", "3", "--delta", "1e-5"]);
    assert_usage_error(&missing, "required");
    assert_stderr_contains(&missing, "--epsilon");
}

#[test]
fn text_output_and_steps_written_as_a_float() {
    let out = run_mia(OPACUS);
    assert_success(&out);
    // The engine's ε, in full (dp_accounting gives 7.3293; `accountant_matches_dp_accounting_*`
    // check the value), then the δ as given.
    let e = dp_sgd_epsilon(
        &DpSgdSchedule {
            sampling_rate: 0.04,
            noise_multiplier: 1.5,
            steps: 2250,
        },
        1e-5,
    )
    .unwrap();
    assert!((e.epsilon - 7.3293).abs() < 1e-4, "{}", e.epsilon);
    assert_stdout_contains(&out, &format!("epsilon: {} (delta 0.00001)", e.epsilon));
    assert_stdout_contains(&out, "optimal RDP order: 3.9");
    // `2.25e3` steps is the whole number 2250, as the page's field takes it.
    let mut args = OPACUS;
    args[6] = "2.25e3";
    assert_eq!(run_mia(args).stdout, out.stdout);
}

#[test]
fn bad_values_and_missing_options_exit_2_naming_the_option() {
    let with = |i: usize, v: &'static str| {
        let mut args = OPACUS;
        args[i] = v;
        run_mia(args)
    };
    assert_usage_error(&with(6, "1.5"), "--steps");
    assert_usage_error(&with(6, "-3"), "--steps");
    assert_usage_error(&with(2, "abc"), "--q");
    assert_usage_error(&with(4, "nan"), "--sigma");
    assert_usage_error(&run_mia(OPACUS.iter().chain(&["--bogus"])), "--bogus");
    assert_usage_error(&run_mia(["dp-epsilon"]), "--q");
    assert_usage_error(&run_mia(["dp-sigma", "--q"]), "--q");
}

#[test]
fn help_and_a_closed_output_pipe() {
    for (command, text) in [("dp-epsilon", "DP-EPSILON"), ("dp-sigma", "DP-SIGMA")] {
        assert_help_mentions(
            &[command, "--help"],
            &["--q", "--steps", "--delta", "--json", text],
        );
    }
    for args in [&OPACUS[..], &SIGMA, &["dp-epsilon", "--help"]] {
        assert_quiet_when_output_closed(args);
    }
}
