//! `mia review`: the privacy risk checklist and the review report on the command line, the same
//! engine functions as the page's checklist view.

use std::process::ExitCode;

use mia_engine::checklist::prefill::measured_facts;
use mia_engine::checklist::{
    DataSensitivity, DeploymentFacts, Fact, FactOrigin, ModelSize, TrainingApproach,
};
use mia_engine::fingerprint::sha256_hex;
use mia_engine::review_report::{InputDescription, ReviewReport};
use mia_engine::{audit, ingest};

fn yes_no(name: &str, v: &str) -> Result<bool, String> {
    match v.to_ascii_lowercase().as_str() {
        "yes" | "true" | "1" => Ok(true),
        "no" | "false" | "0" => Ok(false),
        _ => Err(format!("{name} takes yes or no, not `{v}`")),
    }
}

/// The command line of `mia review`.
struct ReviewArgs {
    file: Option<String>,
    /// Facts given as options, in order, as typed.
    entered: Vec<(Fact, String)>,
    json: bool,
    html: Option<String>,
    fail_unapproved: bool,
}

/// Reads the options; an entered value later overrides what the audit measured.
fn parse(args: &[String]) -> Result<ReviewArgs, String> {
    let (mut file, mut entered, mut json, mut html, mut fail) =
        (None, Vec::new(), false, None, false);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let fact = match a.as_str() {
            "--json" => {
                json = true;
                continue;
            }
            "--fail-unapproved" => {
                fail = true;
                continue;
            }
            "--html" => {
                html = Some(it.next().cloned().ok_or("--html needs a file name")?);
                continue;
            }
            "--sensitivity" => Fact::Sensitivity,
            "--gap" => Fact::GeneralizationGap,
            "--n-train" => Fact::TrainingExamples,
            "--logprobs" => Fact::ReturnsLogprobs,
            "--eu" => Fact::EuResidents,
            "--training" => Fact::Training,
            "--model-size" => Fact::ModelSize,
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with("--") => return Err(format!("unknown option `{s}`")),
            s if file.is_none() => {
                file = Some(s.to_string());
                continue;
            }
            s => return Err(format!("unexpected argument `{s}`")),
        };
        let v = it.next().ok_or(format!("{a} needs a value"))?;
        entered.push((fact, v.clone()));
    }
    Ok(ReviewArgs {
        file,
        entered,
        json,
        html,
        fail_unapproved: fail,
    })
}

fn set(facts: &mut DeploymentFacts, fact: Fact, v: &str) -> Result<(), String> {
    match fact {
        Fact::Sensitivity => {
            facts.sensitivity = DataSensitivity::from_key(v).ok_or(format!(
                "--sensitivity: medical, financial, legal, biometric or general, not `{v}`"
            ))?
        }
        Fact::GeneralizationGap => {
            let g: f64 = v
                .parse()
                .map_err(|_| format!("--gap `{v}` is not a number"))?;
            if !(-1.0..=1.0).contains(&g) {
                return Err("--gap is an accuracy difference between -1 and 1".into());
            }
            facts.generalization_gap = Some(g);
        }
        Fact::TrainingExamples => {
            facts.n_training_examples = v
                .replace([',', '_'], "")
                .parse()
                .map_err(|_| format!("--n-train `{v}` is not a whole number"))?
        }
        Fact::ReturnsLogprobs => facts.returns_logprobs = yes_no("--logprobs", v)?,
        Fact::EuResidents => facts.includes_eu_residents = yes_no("--eu", v)?,
        Fact::Training => {
            facts.training = TrainingApproach::from_key(v).ok_or(format!(
                "--training: standard, dp_sgd or federated, not `{v}`"
            ))?
        }
        Fact::ModelSize => {
            facts.model_size = ModelSize::from_key(v).ok_or(format!(
                "--model-size: small, medium, large or xlarge, not `{v}`"
            ))?
        }
    }
    Ok(())
}

pub fn review_main(args: &[String], usage: &str) -> ExitCode {
    let fail = |msg: String| {
        if msg.is_empty() {
            println!("{usage}");
            return ExitCode::SUCCESS;
        }
        eprintln!("error: {msg}\n\n{usage}");
        ExitCode::from(2)
    };
    let ReviewArgs {
        file,
        entered,
        json,
        html,
        fail_unapproved,
    } = match parse(args) {
        Ok(p) => p,
        Err(m) => return fail(m),
    };
    let mut facts = DeploymentFacts::default();
    let mut origins: Vec<(Fact, FactOrigin)> = Fact::ALL
        .iter()
        .map(|f| (*f, FactOrigin::Default))
        .collect();
    let mut audited = None;
    let mut input = None;
    if let Some(path) = &file {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => return fail(format!("cannot read {path}: {e}")),
        };
        let ingested = match ingest(&bytes, None) {
            Ok(i) => i,
            Err(e) => return fail(format!("{path}: {e}")),
        };
        let report = match audit(&ingested.table) {
            Ok(r) => r,
            Err(e) => return fail(format!("{path}: {e}")),
        };
        for (m, origin) in measured_facts(&report.summary) {
            m.apply(&mut facts);
            origins.retain(|(f, _)| *f != m.fact());
            origins.push((m.fact(), origin));
        }
        input = Some(InputDescription {
            name: path.clone(),
            size_bytes: Some(bytes.len() as u64),
            sha256: Some(sha256_hex(&bytes)),
        });
        audited = Some((report, ingested.report));
    }
    for (fact, v) in &entered {
        if let Err(m) = set(&mut facts, *fact, v) {
            return fail(m);
        }
        origins.retain(|(f, _)| f != fact);
        origins.push((*fact, FactOrigin::Entered));
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let report = ReviewReport::new(
        env!("CARGO_PKG_VERSION"),
        &format!("{now} (seconds since 1970-01-01 UTC)"),
        facts,
        origins,
        input,
        audited,
    );
    if let Some(out) = &html {
        if let Err(e) = std::fs::write(out, report.to_html(&[])) {
            return fail(format!("cannot write {out}: {e}"));
        }
    }
    let a = &report.assessment;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report.to_json()).unwrap_or_default()
        );
    } else {
        println!("overall risk: {}", a.overall);
        println!(
            "approved for deployment: {}",
            if a.approved { "yes" } else { "no" }
        );
        println!(
            "requires DP training: {}",
            if a.requires_dp_training { "yes" } else { "no" }
        );
        for f in &a.findings {
            println!("  [{}] {}: {}", f.level, f.id.key(), f.reason);
        }
        if let Some(e) = &report.evidence {
            println!(
                "measured attack: {} risk, AUC {:.4} ({})",
                e.risk,
                e.auc,
                e.signal.key()
            );
        }
        if let Some(w) = report.evidence_warning() {
            println!("warning: {w}");
        }
        println!("recommendations:");
        for (i, r) in a.recommendations.iter().enumerate() {
            println!("  {}. {r}", i + 1);
        }
        for f in Fact::ALL {
            if matches!(report.origin(f), FactOrigin::Default) {
                println!(
                    "note: {} was not given; assumed {}",
                    f.title(),
                    report.facts.value_text(f)
                );
            }
        }
    }
    if fail_unapproved && !a.approved {
        return ExitCode::from(3);
    }
    ExitCode::SUCCESS
}
