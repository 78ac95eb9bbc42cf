//! `mia`: the audit engine on the command line, for scripted privacy reviews and CI gates.

use std::process::ExitCode;

use mia_engine::report_json::report_json;
use mia_engine::{audit, ingest, RiskLevel, Signal};

const USAGE: &str = "\
mia - membership-inference audit of per-record model outputs (runs locally)

USAGE:
    mia audit FILE.csv [--signal NAME] [--json] [--fail-on LEVEL]

OPTIONS:
    --signal NAME     report only this signal (repeatable): confidence, neg_loss, max_prob,
                      neg_entropy, neg_modified_entropy, logit_confidence
    --json            print JSON with the keys of the conformance cases' expected.json
    --fail-on LEVEL   exit with status 3 when the risk level of any reported signal is at or
                      above LEVEL (low, medium, high, critical): a gate for CI pipelines

EXIT STATUS: 0 ok, 2 bad usage or unreadable input, 3 risk at or above --fail-on.";

struct Args {
    file: String,
    signals: Vec<Signal>,
    json: bool,
    fail_on: Option<RiskLevel>,
}

fn parse_args(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
    match it.next().as_deref() {
        Some("audit") => {}
        Some("-h" | "--help") | None => return Err(String::new()),
        Some(other) => return Err(format!("unknown command `{other}`")),
    }
    let (mut file, mut signals, mut json, mut fail_on) = (None, Vec::new(), false, None);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => json = true,
            "--signal" => {
                let v = it.next().ok_or("--signal needs a name")?;
                signals.push(Signal::from_key(&v).ok_or(format!("unknown signal `{v}`"))?);
            }
            "--fail-on" => {
                let v = it.next().ok_or("--fail-on needs a level")?;
                fail_on = Some(RiskLevel::from_key(&v).ok_or(format!("unknown risk level `{v}`"))?);
            }
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with("--") => return Err(format!("unknown option `{s}`")),
            s if file.is_none() => file = Some(s.to_string()),
            s => return Err(format!("unexpected argument `{s}`")),
        }
    }
    Ok(Args {
        file: file.ok_or("audit needs a CSV file")?,
        signals,
        json,
        fail_on,
    })
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(msg) => {
            if msg.is_empty() {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {msg}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", args.file);
            return ExitCode::from(2);
        }
    };
    let ingested = match ingest(&bytes, None) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {}: {e}", args.file);
            return ExitCode::from(2);
        }
    };
    let report = match audit(&ingested.table) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {}: {e}", args.file);
            return ExitCode::from(2);
        }
    };
    for s in &args.signals {
        if report.signal(*s).is_none() {
            eprintln!(
                "error: signal `{}` needs columns this file does not have",
                s.key()
            );
            return ExitCode::from(2);
        }
    }
    let shown: Vec<_> = report
        .signals
        .iter()
        .filter(|r| args.signals.is_empty() || args.signals.contains(&r.signal))
        .collect();
    if args.json {
        let v = report_json(&report, &ingested.report, &args.signals);
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        print_text(&args.file, &ingested.report, &report.summary, &shown);
    }
    let worst = shown.iter().map(|r| r.risk).max();
    match (args.fail_on, worst) {
        (Some(gate), Some(w)) if w >= gate => {
            eprintln!("risk level {w} is at or above --fail-on {gate}");
            ExitCode::from(3)
        }
        _ => ExitCode::SUCCESS,
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or("n/a".to_string(), |v| format!("{v:.6}"))
}

fn print_text(
    file: &str,
    ing: &mia_engine::IngestReport,
    s: &mia_engine::audit_report::ModelSummary,
    shown: &[&mia_engine::SignalReport],
) {
    println!("Membership-inference audit of {file}");
    println!(
        "  {} records ({} members, {} non-members), {} classes{}",
        s.n_rows,
        s.n_members,
        s.n_nonmembers,
        s.n_classes,
        if s.has_logits { ", logits present" } else { "" }
    );
    if ing.n_skipped > 0 {
        println!(
            "  {} of {} data rows skipped:",
            ing.n_skipped, ing.n_data_rows
        );
        for p in ing.problems.iter().take(10) {
            println!("    {p}");
        }
    }
    for w in &ing.warnings {
        println!("  warning: {w}");
    }
    println!(
        "  mean confidence: members {}, non-members {}",
        opt(s.mean_confidence_members),
        opt(s.mean_confidence_nonmembers)
    );
    println!(
        "  generalization gap (mean loss non-members - members): {}",
        opt(s.generalization_gap)
    );
    println!();
    println!(
        "  {:<22} {:>8} {:>10} {:>10} {:>10} {:>10} {:>10}  risk",
        "signal", "AUC", "TPR@0.1%", "TPR@1%", "TPR@10%", "advantage", "bal.acc"
    );
    for r in shown {
        let tpr: Vec<String> = r
            .tpr_at_fpr
            .iter()
            .map(|t| {
                if t.measurable {
                    format!("{:.4}", t.tpr)
                } else {
                    "n/m".to_string()
                }
            })
            .collect();
        println!(
            "  {:<22} {:>8.4} {:>10} {:>10} {:>10} {:>10.4} {:>10.4}  {}",
            r.signal.key(),
            r.auc,
            tpr[0],
            tpr[1],
            tpr[2],
            r.attacker_advantage,
            r.best_balanced_accuracy,
            r.risk
        );
    }
    if shown
        .iter()
        .any(|r| r.tpr_at_fpr.iter().any(|t| !t.measurable))
    {
        println!(
            "  n/m = not measurable: fewer than 1/FPR non-members, so that FPR cannot be resolved."
        );
    }
    if let Some(worst) = shown.iter().max_by_key(|r| r.risk) {
        println!();
        println!(
            "Risk: {} ({}). {}",
            worst.risk,
            worst.signal.key(),
            worst.risk.meaning()
        );
        for rec in worst.risk.recommendations() {
            println!("  - {rec}");
        }
    }
}
