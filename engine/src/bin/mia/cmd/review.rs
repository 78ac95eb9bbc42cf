//! `mia review`: the privacy risk checklist and the review report on the command line, the same
//! engine functions as the page's checklist view; facts measured by an audit of FILE are filled
//! in, and facts given as options override them.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use mia_engine::checklist::prefill::measured_facts;
use mia_engine::checklist::review_report::{InputDescription, ReviewReport};
use mia_engine::checklist::{DeploymentFacts, Fact, FactError, FactOrigin, FactValue};
use mia_engine::ingest::fingerprint::sha256_hex;
use mia_engine::reference_attack::{
    read_reference_path, run_reference_attack_on_two_threads, ReferenceInputError,
    ReferenceSettings,
};
use mia_engine::{audit, ingest};

use super::{read_input, skipped_rows};
use crate::exit::{CliError, Status};

pub const ABOUT: &str = "Run the privacy risk checklist and write the review report";

pub const LONG_ABOUT: &str = "\
REVIEW: the privacy risk checklist. Sensitivity medical|financial|legal|biometric|general,
training standard|dp_sgd|federated, model size small|medium|large|xlarge, gap = train - test
accuracy. With FILE, the gap, the number of members and whether logits are present come from the
audit (options override them) and the measured attack is reported beside the checklist; --html
writes the self-contained review report.";

/// The options of `mia review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// A CSV of per-record model outputs to audit (optional)
    #[arg(value_name = "FILE.csv")]
    file: Option<PathBuf>,
    /// Data sensitivity: medical, financial, legal, biometric or general
    #[arg(long, value_name = "S", value_parser = fact(Fact::Sensitivity))]
    sensitivity: Option<FactValue>,
    /// Generalization gap, train accuracy - test accuracy, between -1 and 1 (empty: unknown)
    #[arg(long, value_name = "G", value_parser = fact(Fact::GeneralizationGap),
          allow_negative_numbers = true)]
    gap: Option<FactValue>,
    /// Number of training examples
    #[arg(long = "n-train", value_name = "N", value_parser = fact(Fact::TrainingExamples))]
    n_train: Option<FactValue>,
    /// Whether the API returns log-probabilities: yes or no
    #[arg(long, value_name = "yes|no", value_parser = fact(Fact::ReturnsLogprobs))]
    logprobs: Option<FactValue>,
    /// Whether the data includes EU residents: yes or no
    #[arg(long, value_name = "yes|no", value_parser = fact(Fact::EuResidents))]
    eu: Option<FactValue>,
    /// Training approach: standard, dp_sgd or federated
    #[arg(long, value_name = "T", value_parser = fact(Fact::Training))]
    training: Option<FactValue>,
    /// Model size: small, medium, large or xlarge
    #[arg(long = "model-size", value_name = "M", value_parser = fact(Fact::ModelSize))]
    model_size: Option<FactValue>,
    /// A reference-attack CSV (as for `mia lira`): its strongest variant is measured evidence
    /// too, and every variant goes into the report
    #[arg(long = "reference-attacks", value_name = "LIRA.csv")]
    reference_attacks: Option<PathBuf>,
    /// Print the report as JSON
    #[arg(long)]
    json: bool,
    /// Write the self-contained HTML review report to this file
    #[arg(long, value_name = "REPORT.html")]
    html: Option<PathBuf>,
    /// Exit with status 3 when the model is not approved for deployment
    #[arg(long)]
    fail_unapproved: bool,
    /// Exit with status 2 (after printing the output) when any row of FILE was skipped
    #[arg(long)]
    strict: bool,
}

/// The value parser of `fact`'s option: the engine's own check, the page's too.
fn fact(
    fact: Fact,
) -> impl Fn(&str) -> Result<FactValue, FactError> + Clone + Send + Sync + 'static {
    move |text| FactValue::parse(fact, text)
}

impl ReviewArgs {
    pub fn run(self, out: &mut dyn Write) -> Result<Status, CliError> {
        let mut facts = DeploymentFacts::default();
        let mut origins: Vec<(Fact, FactOrigin)> = Fact::ALL
            .iter()
            .map(|f| (*f, FactOrigin::Default))
            .collect();
        let (mut audited, mut input) = (None, None);
        if let Some(path) = &self.file {
            let bytes = read_input(path)?;
            let ingested = ingest(&bytes, None).map_err(|e| CliError::input(path, e))?;
            let report = audit(&ingested.table).map_err(|e| CliError::refused(path, e))?;
            for (value, origin) in measured_facts(&report.summary) {
                value.apply(&mut facts);
                origins.retain(|(f, _)| *f != value.fact());
                origins.push((value.fact(), origin));
            }
            input = Some(InputDescription {
                name: path.display().to_string(),
                size_bytes: Some(bytes.len() as u64),
                sha256: Some(sha256_hex(&bytes)),
            });
            audited = Some((report, ingested.report));
        }
        let entered = [
            self.sensitivity,
            self.gap,
            self.n_train,
            self.logprobs,
            self.eu,
            self.training,
            self.model_size,
        ];
        for value in entered.into_iter().flatten() {
            value.apply(&mut facts);
            origins.retain(|(f, _)| *f != value.fact());
            origins.push((value.fact(), FactOrigin::Entered));
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut report = ReviewReport::new(
            env!("CARGO_PKG_VERSION"),
            &format!("{now} (seconds since 1970-01-01 UTC)"),
            facts,
            origins,
            input,
            audited,
        );
        if let Some(path) = &self.reference_attacks {
            let got = read_reference_path(path).map_err(|e| match e {
                ReferenceInputError::Csv(e) => CliError::input(path, e),
                e => CliError::refused(path, e),
            })?;
            let attacks =
                run_reference_attack_on_two_threads(&got.table, ReferenceSettings::default());
            report = report.with_reference_attacks(attacks);
        }
        if let Some(html) = &self.html {
            std::fs::write(html, report.to_html(&[])).map_err(|source| CliError::Write {
                path: html.display().to_string(),
                source,
            })?;
        }
        if self.json {
            writeln!(out, "{}", report.to_json_pretty())?;
        } else {
            print_text(out, &report)?;
        }
        let ingest_report = report.audit.as_ref().map(|(_, ing)| ing);
        let status = match (ingest_report, &self.file) {
            (Some(ing), Some(path)) => {
                let listed = if self.json {
                    "see `audit.ingest.problems` in the JSON".to_string()
                } else {
                    format!("`mia audit {}` lists them", path.display())
                };
                skipped_rows(ing, &listed, self.strict)
            }
            _ => Status::Ok,
        };
        if status == Status::Ok && self.fail_unapproved && !report.assessment.approved {
            return Ok(Status::Gated);
        }
        Ok(status)
    }
}

fn print_text(out: &mut dyn Write, report: &ReviewReport) -> std::io::Result<()> {
    let a = &report.assessment;
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    writeln!(out, "overall risk: {}", a.overall)?;
    writeln!(out, "approved for deployment: {}", yes_no(a.approved))?;
    writeln!(
        out,
        "requires DP training: {}",
        yes_no(a.requires_dp_training)
    )?;
    for f in &a.findings {
        writeln!(out, "  [{}] {}: {}", f.level, f.id.key(), f.reason)?;
    }
    if let Some(e) = &report.evidence {
        writeln!(
            out,
            "measured attack: {} risk, AUC {:.4} ({})",
            e.risk, e.auc, e.attack
        )?;
    }
    if let Some(w) = report.evidence_warning() {
        writeln!(out, "warning: {w}")?;
    }
    writeln!(out, "recommendations:")?;
    for (i, r) in a.recommendations.iter().enumerate() {
        writeln!(out, "  {}. {r}", i + 1)?;
    }
    for f in Fact::ALL {
        if matches!(report.origin(f), FactOrigin::Default) {
            writeln!(
                out,
                "note: {} was not given; assumed {}",
                f.title(),
                report.facts.value_text(f)
            )?;
        }
    }
    Ok(())
}
