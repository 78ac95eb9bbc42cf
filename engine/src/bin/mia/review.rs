//! `mia review`: the privacy risk checklist and the review report on the command line, the same
//! engine functions as the page's checklist view.

use std::process::ExitCode;

use mia_engine::checklist::prefill::measured_facts;
use mia_engine::checklist::review_report::{InputDescription, ReviewReport};
use mia_engine::checklist::{DeploymentFacts, Fact, FactOrigin, FactValue};
use mia_engine::ingest::fingerprint::sha256_hex;
use mia_engine::{audit, ingest};

/// The option that sets `fact`.
fn option_name(fact: Fact) -> &'static str {
    match fact {
        Fact::Sensitivity => "sensitivity",
        Fact::GeneralizationGap => "gap",
        Fact::TrainingExamples => "n-train",
        Fact::ReturnsLogprobs => "logprobs",
        Fact::EuResidents => "eu",
        Fact::Training => "training",
        Fact::ModelSize => "model-size",
    }
}

fn fact_of_option(name: &str) -> Option<Fact> {
    Fact::ALL.into_iter().find(|f| option_name(*f) == name)
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
        if let Some(fact) = a.strip_prefix("--").and_then(fact_of_option) {
            let v = it.next().ok_or(format!("{a} needs a value"))?;
            entered.push((fact, v.clone()));
            continue;
        }
        match a.as_str() {
            "--json" => json = true,
            "--fail-unapproved" => fail = true,
            "--html" => html = Some(it.next().cloned().ok_or("--html needs a file name")?),
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with("--") => return Err(format!("unknown option `{s}`")),
            s if file.is_none() => file = Some(s.to_string()),
            s => return Err(format!("unexpected argument `{s}`")),
        }
    }
    Ok(ReviewArgs {
        file,
        entered,
        json,
        html,
        fail_unapproved: fail,
    })
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
        for (value, origin) in measured_facts(&report.summary) {
            value.apply(&mut facts);
            origins.retain(|(f, _)| *f != value.fact());
            origins.push((value.fact(), origin));
        }
        input = Some(InputDescription {
            name: path.clone(),
            size_bytes: Some(bytes.len() as u64),
            sha256: Some(sha256_hex(&bytes)),
        });
        audited = Some((report, ingested.report));
    }
    for (fact, v) in &entered {
        match FactValue::parse(*fact, v) {
            Ok(value) => value.apply(&mut facts),
            Err(m) => return fail(format!("--{}: {m}", option_name(*fact))),
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
        println!("{}", report.to_json_pretty());
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
