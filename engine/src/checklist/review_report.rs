//! The review report: what goes into the review file before a model trained on personal data is
//! deployed. It gathers the checklist's verdict, the facts it judged (and where each came from),
//! the measured attack, the regulations in play, and the audit's figures, as JSON ([`ReviewReport::to_json`])
//! and as one self-contained HTML page ([`ReviewReport::to_html`]).

pub mod html;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::checklist::{
    assess, attack_evidence, reference_evidence, regulations, stronger, AttackEvidence,
    ChecklistAssessment, DeploymentFacts, Fact, FactOrigin, RegulationRow,
};
use crate::output::report_json::report_json;
use crate::reference_attack::ReferenceReport;
use crate::text::summary::TextAuditSummary;
use crate::unlearning::report::UnlearningSummary;
use crate::{AuditReport, IngestReport};

/// What was audited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputDescription {
    /// The file name, or a description (a bundled sample, simulated scores).
    pub name: String,
    /// Size in bytes, for a file or sample.
    pub size_bytes: Option<u64>,
    /// SHA-256 of the bytes read, for a file or sample.
    pub sha256: Option<String>,
}

/// A chart embedded in the HTML report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartImage {
    pub title: String,
    /// A `data:image/png;base64,…` URL; anything else is left out of the report.
    pub png_data_url: String,
}

/// Everything the review report says.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewReport {
    pub app_version: String,
    /// When the report was made (ISO 8601, from the caller's clock).
    pub generated_at: String,
    pub input: Option<InputDescription>,
    pub facts: DeploymentFacts,
    /// Where each fact's value came from (facts not listed: entered by the reviewer).
    pub origins: Vec<(Fact, FactOrigin)>,
    pub assessment: ChecklistAssessment,
    pub evidence: Option<AttackEvidence>,
    pub regulations: Vec<RegulationRow>,
    /// The audit the evidence comes from.
    pub audit: Option<(AuditReport, IngestReport)>,
    /// The reference-model attacks, when they were run: their strongest variant competes with
    /// the audit's strongest signal for the evidence.
    pub reference_attacks: Option<ReferenceReport>,
    /// The last verification of an unlearning, when one was run (GDPR Art. 17, CCPA).
    pub unlearning: Option<UnlearningSummary>,
    /// The text and LLM memorisation audit, when one was run.
    pub text_audit: Option<TextAuditSummary>,
}

impl ReviewReport {
    /// Runs the checklist on `facts` and gathers the report.
    pub fn new(
        app_version: &str,
        generated_at: &str,
        facts: DeploymentFacts,
        origins: Vec<(Fact, FactOrigin)>,
        input: Option<InputDescription>,
        audit: Option<(AuditReport, IngestReport)>,
    ) -> ReviewReport {
        ReviewReport {
            app_version: app_version.to_string(),
            generated_at: generated_at.to_string(),
            input,
            assessment: assess(&facts),
            evidence: audit.as_ref().and_then(|(r, _)| attack_evidence(r)),
            regulations: regulations(&facts),
            facts,
            origins,
            audit,
            reference_attacks: None,
            unlearning: None,
            text_audit: None,
        }
    }

    /// Adds the last verification of an unlearning.
    pub fn with_unlearning(mut self, summary: UnlearningSummary) -> ReviewReport {
        self.unlearning = Some(summary);
        self
    }

    /// Adds the text and LLM memorisation audit.
    pub fn with_text_audit(mut self, summary: TextAuditSummary) -> ReviewReport {
        self.text_audit = Some(summary);
        self
    }

    /// Adds the reference-model attacks: the evidence becomes the stronger of the audit's and
    /// theirs ([`stronger`]), labelled with the attack's name.
    pub fn with_reference_attacks(mut self, report: ReferenceReport) -> ReviewReport {
        self.evidence = stronger(self.evidence.take(), reference_evidence(&report));
        self.reference_attacks = Some(report);
        self
    }

    /// Where `fact`'s value came from.
    pub fn origin(&self, fact: Fact) -> FactOrigin {
        self.origins
            .iter()
            .find(|(f, _)| *f == fact)
            .map_or(FactOrigin::Entered, |(_, o)| o.clone())
    }

    /// The warning when the measured attack is worse than the checklist says.
    pub fn evidence_warning(&self) -> Option<String> {
        self.evidence.as_ref()?.contradicts(&self.assessment)
    }

    /// [`to_json`](Self::to_json), indented.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(&self.to_json()).unwrap_or_default()
    }

    /// The report as JSON. The `audit` member has the keys of the CLI's `mia audit --json`.
    pub fn to_json(&self) -> Value {
        let f = &self.facts;
        let mut sources = Map::new();
        for fact in Fact::ALL {
            sources.insert(fact.key().into(), json!(self.origin(fact).describe()));
        }
        let a = &self.assessment;
        json!({
            "report": "membership-inference privacy review",
            "app": { "name": "mia-playground", "version": self.app_version },
            "generated_at": self.generated_at,
            "generated_in": "the browser (nothing was sent anywhere)",
            "input": self.input.as_ref().map(|i| json!({
                "name": i.name, "size_bytes": i.size_bytes, "sha256": i.sha256,
            })),
            "facts": {
                "sensitivity": f.sensitivity.key(),
                "generalization_gap": f.generalization_gap,
                "n_training_examples": f.n_training_examples,
                "returns_logprobs": f.returns_logprobs,
                "includes_eu_residents": f.includes_eu_residents,
                "training": f.training.key(),
                "model_size": f.model_size.key(),
            },
            "fact_sources": sources,
            "checklist": {
                "overall_risk": a.overall.key(),
                "approved_for_deployment": a.approved,
                "requires_dp_training": a.requires_dp_training,
                "findings": a.findings.iter().map(|x| json!({
                    "id": x.id.key(), "level": x.level.key(), "reason": x.reason,
                    "recommendations": x.recommendations,
                })).collect::<Vec<_>>(),
                "recommendations": a.recommendations,
            },
            "measured_attack": self.evidence.as_ref().map(|e| json!({
                "attack": e.attack,
                "signal": e.signal.map(|s| s.key()),
                "tpr_at_fpr_0.01": e.tpr_at_1_percent,
                "auc": e.auc,
                "risk_level": e.risk.key(),
                "tpr_at_fpr_0.001": e.tpr_at_low_fpr.map(|t| t.tpr),
                "tpr_at_fpr_0.001_measurable": e.tpr_at_low_fpr.map(|t| t.measurable),
                "n_members": e.n_members,
                "n_nonmembers": e.n_nonmembers,
                "warning": self.evidence_warning(),
            })),
            "regulations": self.regulations.iter().map(|r| json!({
                "key": r.key, "regulation": r.regulation, "provision": r.provision,
                "requirement": r.requirement, "remedy": r.remedy,
                "applicability": r.applicability.key(), "why": r.why,
            })).collect::<Vec<_>>(),
            "audit": self.audit.as_ref().map(|(r, i)| report_json(r, i, &[])),
            "reference_attacks": self.reference_attacks.as_ref().map(|r| json!({
                "n_reference_models": r.m,
                "n_records": r.n_records,
                "strongest": r.strongest().map(|(v, _)| v.name()),
                "variants": r.variants.iter().map(|v| (v.variant.name().to_string(), match v.metrics() {
                    Some(m) => json!({
                        "available": true,
                        "auc": m.auc,
                        "tpr_at_fpr": m.tpr_at_fpr.iter().map(|t| (t.target_fpr.to_string(), json!(t.tpr))).collect::<Map<String, Value>>(),
                        "attacker_advantage": m.attacker_advantage,
                    }),
                    None => json!({ "available": false, "reason": v.outcome.as_ref().err().map(|e| e.to_string()) }),
                })).collect::<Map<String, Value>>(),
                "warnings": r.warnings,
            })),
            "unlearning": self.unlearning,
            "text_audit": self.text_audit.as_ref().map(|t| json!({
                "file": t.file,
                "summary": t.sentence(),
                "figures": t.figures,
            })),
        })
    }
}
