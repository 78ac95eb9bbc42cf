//! The threshold-attack audit of a table: every available signal, plus the model's own figures.

use serde::{Deserialize, Serialize};

use crate::attack::empirical_epsilon::EpsilonAudit;
use crate::attack::empirical_epsilon::{split_half_audit_ranked, SplitHalves};
use crate::attack::exposure::{most_exposed_ranked, ExposedRecord};
use crate::attack::histogram::ScoreHistogram;
use crate::attack::per_class::{per_class_auc_ranked, ClassAuc};
use crate::attack::ranking::RankedRecords;
use crate::attack::roc::roc_from_ranked;
use crate::attack::summary::{masked_mean, mean};
use crate::attack::threshold::{
    attacker_advantage, best_balanced_accuracy, best_percentile_threshold_ranked, outcome_from_roc,
    PercentileThreshold, ThresholdOutcome,
};
use crate::confidence::{delong_auc_interval, AucInterval};
use crate::{
    auc, tpr_at_fpr, AuditTable, MetricError, RiskLevel, RocCurve, Signal, TprAtFpr, FPR_TARGETS,
};

/// Histogram bins used by the report.
pub const HISTOGRAM_BINS: usize = 40;
/// Rows in the most-exposed table.
pub const MOST_EXPOSED_ROWS: usize = 100;
/// δ at which the split-half audit picks its threshold (the page recomputes the bound at the δ the
/// user picks, on the held-out half).
pub const EPSILON_AUDIT_DELTA: f64 = 1e-5;
/// Confidence of the empirical ε lower bound.
pub const EPSILON_AUDIT_CONFIDENCE: f64 = 0.95;
/// Seed of the split into selection and evaluation halves.
pub const EPSILON_AUDIT_SEED: u64 = 0;

/// The threshold attack with one signal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignalReport {
    pub signal: Signal,
    pub auc: f64,
    pub roc: RocCurve,
    pub tpr_at_fpr: Vec<TprAtFpr>,
    pub attacker_advantage: f64,
    pub best_balanced_accuracy: f64,
    pub mean_threshold: ThresholdOutcome,
    pub best_percentile_threshold: PercentileThreshold,
    pub risk: RiskLevel,
    pub n_distinct_scores: usize,
    pub mean_score_members: f64,
    pub mean_score_nonmembers: f64,
    pub histogram: ScoreHistogram,
    pub per_class: Vec<ClassAuc>,
    pub most_exposed: Vec<ExposedRecord>,
    /// DeLong's 95 % interval for the AUC.
    #[serde(default)]
    pub auc_interval: Option<AucInterval>,
    /// The empirical ε lower bound's split-half threshold and held-out counts (audits only).
    #[serde(default)]
    pub epsilon_audit: Option<EpsilonAudit>,
}

/// Where the loss figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LossSource {
    /// The file's `loss` column.
    Column,
    /// `−ln p_y` from logits (exact) or from the confidence (floored at 1e-12).
    Derived,
}

/// Facts about the target model and data that do not depend on the signal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelSummary {
    pub n_rows: u64,
    pub n_members: u64,
    pub n_nonmembers: u64,
    pub n_classes: usize,
    pub has_logits: bool,
    pub mean_confidence_members: Option<f64>,
    pub mean_confidence_nonmembers: Option<f64>,
    pub mean_loss_members: Option<f64>,
    pub mean_loss_nonmembers: Option<f64>,
    /// `mean loss(non-members) − mean loss(members)`.
    pub generalization_gap: Option<f64>,
    pub loss_source: Option<LossSource>,
    /// Top-1 accuracy (argmax, ties to the lowest class) on members.
    pub target_train_accuracy: Option<f64>,
    /// Top-1 accuracy on non-members.
    pub target_test_accuracy: Option<f64>,
}

/// The full audit: the model summary and one report per available signal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditReport {
    pub summary: ModelSummary,
    pub signals: Vec<SignalReport>,
}

impl SignalReport {
    /// The threshold the page shows for a `wanted` one (`None` = the attacker's best, the
    /// max-advantage point; `fallback` when even that is undefined). When the ROC curve was thinned
    /// for sending (large inputs), the threshold snaps up to a kept point, whose rates are exact;
    /// on a full curve every threshold's rates are exact as given.
    pub fn shown_threshold(&self, wanted: Option<f64>, fallback: f64) -> f64 {
        let wanted = wanted
            .or_else(|| self.roc.max_advantage_threshold())
            .unwrap_or(fallback);
        let thinned = self.roc.len() < self.n_distinct_scores + 1;
        let snapped = self.roc.thresholds[self.roc.point_at(wanted)];
        if thinned && snapped.is_finite() {
            snapped
        } else {
            wanted
        }
    }
}

impl AuditReport {
    /// The report of one signal, if it was computed.
    pub fn signal(&self, s: Signal) -> Option<&SignalReport> {
        self.signals.iter().find(|r| r.signal == s)
    }

    /// The strongest attack: the signal with the highest AUC (the first on a tie), which is what
    /// a careful attacker would use.
    pub fn strongest(&self) -> Option<&SignalReport> {
        self.signals
            .iter()
            .fold(None, |best: Option<&SignalReport>, r| match best {
                Some(b) if b.auc >= r.auc => Some(b),
                _ => Some(r),
            })
    }
}

/// Audits every available signal of `table`.
pub fn audit(table: &AuditTable) -> Result<AuditReport, MetricError> {
    Ok(AuditReport {
        summary: model_summary(table),
        signals: audit_signals(table, &Signal::available(table))?,
    })
}

/// The reports of `signals` (those the table can provide), in that order, each with the
/// split-half ε audit. Several calls on parts of a signal list give the same reports as one call
/// (the split is seeded), so callers may run them on several threads.
pub fn audit_signals(
    table: &AuditTable,
    signals: &[Signal],
) -> Result<Vec<SignalReport>, MetricError> {
    let mut auditor = SignalAuditor::new(table, true);
    let mut reports = Vec::new();
    for &s in signals {
        if let Some(r) = auditor.audit(s)? {
            reports.push(r);
        }
    }
    Ok(reports)
}

/// The threshold attack with signal `s`, or `None` if the table cannot provide it, with the
/// split-half ε audit.
pub fn audit_signal(table: &AuditTable, s: Signal) -> Result<Option<SignalReport>, MetricError> {
    SignalAuditor::new(table, true).audit(s)
}

/// Audits the signals of one table one after the other, sharing the work they have in common:
/// the split into halves for the ε audit, and the rankings of the first and the previous signal
/// (signals that are monotone transforms of one another rank the records alike; see
/// [`rank_with_hints`](crate::attack::ranking::rank_with_hints): confidence, its logit and a loss
/// derived from it cost one sort).
pub struct SignalAuditor<'a> {
    table: &'a AuditTable,
    epsilon_audit: bool,
    /// The split for the ε audit, made on first use (`Some(None)`: too few records to split).
    halves: Option<Option<SplitHalves>>,
    /// The first signal's ranking and the previous one's, tried as hints.
    rankings: Vec<Vec<u32>>,
}

impl<'a> SignalAuditor<'a> {
    /// With `epsilon_audit`, each report carries the split-half ε audit.
    pub fn new(table: &'a AuditTable, epsilon_audit: bool) -> Self {
        SignalAuditor {
            table,
            epsilon_audit,
            halves: None,
            rankings: Vec::new(),
        }
    }

    /// The report of signal `s`, or `None` if the table cannot provide it.
    pub fn audit(&mut self, s: Signal) -> Result<Option<SignalReport>, MetricError> {
        let Some(scores) = s.scores(self.table) else {
            return Ok(None);
        };
        if let Some(index) = scores.iter().position(|v| v.is_nan()) {
            return Err(MetricError::NanScore { index });
        }
        let hints: Vec<&[u32]> = self.rankings.iter().rev().map(Vec::as_slice).collect();
        let members = &self.table.member;
        let ranked = RankedRecords::rank_with_hints(&scores, members, &hints);
        let mut report = report_ranked(self.table, s, &scores, &ranked)?;
        if self.epsilon_audit {
            let halves = self
                .halves
                .get_or_insert_with(|| SplitHalves::new(members, EPSILON_AUDIT_SEED));
            report.epsilon_audit = halves.as_ref().and_then(|h| {
                split_half_audit_ranked(&ranked, h, EPSILON_AUDIT_DELTA, EPSILON_AUDIT_CONFIDENCE)
            });
        }
        // Keep the first ranking and the latest (up to two rankings held, whatever the count).
        if self.rankings.len() == 2 {
            self.rankings.pop();
        }
        self.rankings.push(ranked.order);
        Ok(Some(report))
    }
}

/// The threshold-attack report of any per-record scores (higher = member) against the table's
/// member flags, e.g. a trained attack's membership probabilities; `s` names the report.
pub fn report_for_scores(
    table: &AuditTable,
    s: Signal,
    scores: &[f64],
) -> Result<SignalReport, MetricError> {
    if let Some(index) = scores.iter().position(|v| v.is_nan()) {
        return Err(MetricError::NanScore { index });
    }
    report_ranked(
        table,
        s,
        scores,
        &RankedRecords::rank(scores, &table.member),
    )
}

/// The report of `scores`, every figure read off one ranking of the records.
fn report_ranked(
    table: &AuditTable,
    s: Signal,
    scores: &[f64],
    ranked: &RankedRecords,
) -> Result<SignalReport, MetricError> {
    let m = &table.member;
    let roc = roc_from_ranked(ranked)?;
    let auc = auc(&roc);
    let one_class = || MetricError::OneClass {
        n_members: roc.n_members,
        n_nonmembers: roc.n_nonmembers,
    };
    Ok(SignalReport {
        signal: s,
        auc,
        tpr_at_fpr: FPR_TARGETS.iter().map(|&t| tpr_at_fpr(&roc, t)).collect(),
        attacker_advantage: attacker_advantage(&roc),
        best_balanced_accuracy: best_balanced_accuracy(&roc),
        // The naive attacker of Yeom et al.: threshold at the mean of all scores.
        mean_threshold: mean(scores)
            .map(|t| outcome_from_roc(&roc, t))
            .ok_or_else(one_class)?,
        best_percentile_threshold: best_percentile_threshold_ranked(ranked, &roc)
            .ok_or_else(one_class)?,
        risk: RiskLevel::from_auc(auc),
        n_distinct_scores: roc.len() - 1,
        mean_score_members: masked_mean(scores, m, true).ok_or_else(one_class)?,
        mean_score_nonmembers: masked_mean(scores, m, false).ok_or_else(one_class)?,
        histogram: ScoreHistogram::from_ranked(ranked, HISTOGRAM_BINS).ok_or_else(one_class)?,
        per_class: table
            .label
            .as_ref()
            .map(|l| per_class_auc_ranked(ranked, &ranked.lay_out(l)))
            .unwrap_or_default(),
        most_exposed: most_exposed_ranked(table, scores, &ranked.order, MOST_EXPOSED_ROWS),
        auc_interval: delong_auc_interval(&roc),
        epsilon_audit: None,
        roc,
    })
}

/// Counts, mean confidence and loss per side, the generalization gap and the target's accuracy.
pub fn model_summary(table: &AuditTable) -> ModelSummary {
    let m = &table.member;
    let conf = Signal::Confidence.scores(table);
    let loss: Option<Vec<f64>> = Signal::NegLoss
        .scores(table)
        .map(|v| v.into_iter().map(|x| -x).collect());
    let mean_of = |v: &Option<Vec<f64>>, side| v.as_ref().and_then(|v| masked_mean(v, m, side));
    let (loss_m, loss_n) = (mean_of(&loss, true), mean_of(&loss, false));
    let correct: Option<Vec<f64>> = match &table.folded {
        Some(f) => f
            .top_class_correct()
            .map(|c| c.iter().map(|ok| ok as u8 as f64).collect()),
        None => (table.label.is_some() && (table.probs.is_some() || table.logits.is_some())).then(
            || {
                (0..table.len())
                    .map(|i| table.class_outputs(i).top_class_is_label() as u8 as f64)
                    .collect()
            },
        ),
    };
    ModelSummary {
        n_rows: table.len() as u64,
        n_members: table.n_members(),
        n_nonmembers: table.n_nonmembers(),
        n_classes: table.n_classes,
        has_logits: table.has_logits(),
        mean_confidence_members: mean_of(&conf, true),
        mean_confidence_nonmembers: mean_of(&conf, false),
        mean_loss_members: loss_m,
        mean_loss_nonmembers: loss_n,
        generalization_gap: loss_m.zip(loss_n).map(|(a, b)| b - a),
        loss_source: loss.as_ref().map(|_| {
            if table.loss.is_some() {
                LossSource::Column
            } else {
                LossSource::Derived
            }
        }),
        target_train_accuracy: mean_of(&correct, true),
        target_test_accuracy: mean_of(&correct, false),
    }
}
