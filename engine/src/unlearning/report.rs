//! The verification of an unlearning from a model's outputs: the seed design's test, the stronger
//! membership-inference test, utility before and after, and the forget records still exposed.

use serde::{Deserialize, Serialize};

use super::error::UnlearningError;
use super::input::{UnlearnSet, UnlearningInput};
use super::mi_test::MiVerification;
use super::seed_test::SeedVerification;
use crate::attack::exposure::ExposedRecord;
use crate::attack::report::AuditReport;
use crate::ingest::IngestReport;

/// Forget records listed as still exposed.
pub const EXPOSED_SHOWN: usize = 20;

/// Accuracy (top-1) on the retained and held-out records, before and after; `None` without
/// labels and per-class outputs, or without retained records.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Utility {
    pub retain_accuracy_before: Option<f64>,
    pub retain_accuracy_after: Option<f64>,
    pub held_out_accuracy_before: Option<f64>,
    pub held_out_accuracy_after: Option<f64>,
}

/// Everything the verification found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnlearningReport {
    pub files: Vec<String>,
    pub n_forget: usize,
    pub n_retain: usize,
    pub n_held_out: usize,
    /// Columns not used (neither outputs nor id, set, label, member).
    pub ignored_columns: Vec<String>,
    /// The seed design's test; `None` when no confidence can be read (no `confidence` column,
    /// and no label with per-class outputs).
    pub seed: Option<SeedVerification>,
    /// The threshold attack, forget set against held-out records, before and after.
    pub before: AuditReport,
    pub after: AuditReport,
    pub mi: MiVerification,
    pub utility: Utility,
    /// The forget records the strongest signal still singles out after unlearning, most exposed
    /// first (rows are the input file's).
    pub still_exposed: Vec<ExposedRecord>,
    /// How the audit read the outputs before and after (rows it had to skip are listed).
    pub ingest_before: IngestReport,
    pub ingest_after: IngestReport,
    /// Both tests passed.
    pub verified: bool,
    /// Which test failed and why.
    pub failed: Vec<String>,
}

/// What the review report and the checklist say of a verification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnlearningSummary {
    pub files: Vec<String>,
    pub n_forget: usize,
    pub verified: bool,
    /// The seed test's gap before and after, and its verdict.
    pub membership_gap_before: Option<f64>,
    pub membership_gap_after: Option<f64>,
    pub seed_verified: Option<bool>,
    /// The stronger test: its signal, the AUC after and its verdict.
    pub tested_signal: String,
    pub auc_after: f64,
    pub attack_verified: bool,
    pub failed: Vec<String>,
}

impl UnlearningReport {
    /// The verification in brief.
    pub fn summary(&self) -> UnlearningSummary {
        UnlearningSummary {
            files: self.files.clone(),
            n_forget: self.n_forget,
            verified: self.verified,
            membership_gap_before: self.seed.as_ref().map(|s| s.membership_gap_before),
            membership_gap_after: self.seed.as_ref().map(|s| s.membership_gap_after),
            seed_verified: self.seed.as_ref().map(|s| s.unlearning_verified),
            tested_signal: self.mi.tested.key().to_string(),
            auc_after: self.mi.auc_after,
            attack_verified: self.mi.verified,
            failed: self.failed.clone(),
        }
    }
}

/// Audits `input`'s `positive` set against `negative`, before or after unlearning; the rows of
/// problems and exposed records are mapped back to the input file's.
fn audit_of(
    input: &UnlearningInput,
    after: bool,
    positive: UnlearnSet,
    negative: UnlearnSet,
) -> Result<(AuditReport, IngestReport), UnlearningError> {
    let which = if after { "after" } else { "before" }.to_string();
    let (csv, rows) = input.audit_csv(after, positive, negative);
    let original = |r: u64| {
        r.checked_sub(2)
            .and_then(|i| rows.get(i as usize))
            .copied()
            .unwrap_or(r)
    };
    let ingested = crate::ingest(&csv, None).map_err(|error| UnlearningError::Ingest {
        which: which.clone(),
        error,
    })?;
    let mut report =
        crate::audit(&ingested.table).map_err(|error| UnlearningError::Metric { which, error })?;
    for s in &mut report.signals {
        for e in &mut s.most_exposed {
            e.row = original(e.row);
        }
    }
    let mut ingest = ingested.report;
    for p in &mut ingest.problems {
        p.row = original(p.row);
    }
    Ok((report, ingest))
}

/// Top-1 accuracy on the retained records, before or after unlearning: the table's summary
/// only (the attack's signals are not needed for it).
fn retain_accuracy(input: &UnlearningInput, after: bool) -> Result<Option<f64>, UnlearningError> {
    let (csv, _) = input.audit_csv(after, UnlearnSet::Retain, UnlearnSet::HeldOut);
    let ingested = crate::ingest(&csv, None).map_err(|error| UnlearningError::Ingest {
        which: if after { "after" } else { "before" }.to_string(),
        error,
    })?;
    Ok(crate::attack::report::model_summary(&ingested.table).target_train_accuracy)
}

/// Verifies the unlearning whose outputs `input` holds.
pub fn verify_unlearning(input: &UnlearningInput) -> Result<UnlearningReport, UnlearningError> {
    input.check_sizes()?;
    let (before, ingest_before) = audit_of(input, false, UnlearnSet::Forget, UnlearnSet::HeldOut)?;
    let (after, ingest_after) = audit_of(input, true, UnlearnSet::Forget, UnlearnSet::HeldOut)?;
    let (b, a) = (&before.summary, &after.summary);
    let seed = match (
        b.mean_confidence_members,
        a.mean_confidence_members,
        b.mean_confidence_nonmembers,
        a.mean_confidence_nonmembers,
    ) {
        (Some(bf), Some(af), Some(h), Some(ha)) => Some(SeedVerification::of_means(bf, af, h, ha)),
        _ => None,
    };
    let mi = MiVerification::of(&after).ok_or_else(|| UnlearningError::Metric {
        which: "after".into(),
        error: crate::MetricError::OneClass {
            n_members: a.n_members,
            n_nonmembers: a.n_nonmembers,
        },
    })?;
    let n_retain = input.count(UnlearnSet::Retain);
    let (retain_before, retain_after) = if n_retain > 0 {
        (
            retain_accuracy(input, false)?,
            retain_accuracy(input, true)?,
        )
    } else {
        (None, None)
    };
    let utility = Utility {
        retain_accuracy_before: retain_before,
        retain_accuracy_after: retain_after,
        held_out_accuracy_before: b.target_test_accuracy,
        held_out_accuracy_after: a.target_test_accuracy,
    };
    let still_exposed = after
        .signals
        .iter()
        .find(|s| s.signal == mi.strongest_after)
        .map(|s| {
            s.most_exposed
                .iter()
                .filter(|e| e.member)
                .take(EXPOSED_SHOWN)
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let mut failed = Vec::new();
    match &seed {
        Some(s) if !s.unlearning_verified => failed.push(format!(
            "The seed design's test: the mean confidence gap after unlearning is {:.4}, not below 0.05 in absolute value.",
            s.membership_gap_after
        )),
        None => failed.push(
            "The seed design's test needs a confidence: a `confidence` column, or a label with prob_ or logit_ columns."
                .to_string(),
        ),
        _ => {}
    }
    failed.extend(mi.failures.iter().map(|f| format!("The attack: {f}")));
    let verified = seed.as_ref().is_some_and(|s| s.unlearning_verified) && mi.verified;
    Ok(UnlearningReport {
        files: input.files.clone(),
        n_forget: input.count(UnlearnSet::Forget),
        n_retain,
        n_held_out: input.count(UnlearnSet::HeldOut),
        ignored_columns: input.ignored_columns.clone(),
        seed,
        before,
        after,
        mi,
        utility,
        still_exposed,
        ingest_before,
        ingest_after,
        verified,
        failed,
    })
}
