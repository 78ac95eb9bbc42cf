//! The report as JSON, with the keys of the conformance cases' `expected.json` files, so a
//! pipeline can diff the CLI's output against scikit-learn's.

use serde_json::{json, Map, Value};

use crate::attack::empirical_epsilon::epsilon_lower_bound;
use crate::attack::report::{EPSILON_AUDIT_CONFIDENCE, EPSILON_AUDIT_DELTA};
use crate::{AuditReport, IngestReport, SignalReport};

/// The FPR target as a JSON key: `"0.001"`, `"0.01"`, `"0.1"`.
pub fn fpr_key(t: f64) -> String {
    format!("{t}")
}

/// One signal's figures.
pub fn signal_json(r: &SignalReport) -> Value {
    let mut tpr = Map::new();
    let mut measurable = Map::new();
    let mut tpr_ci = Map::new();
    for t in &r.tpr_at_fpr {
        tpr.insert(fpr_key(t.target_fpr), json!(t.tpr));
        measurable.insert(fpr_key(t.target_fpr), json!(t.measurable));
        tpr_ci.insert(
            fpr_key(t.target_fpr),
            json!([t.interval.lower, t.interval.upper]),
        );
    }
    let epsilon_audit = r.epsilon_audit.map(|a| {
        let b = epsilon_lower_bound(&a.evaluation, EPSILON_AUDIT_DELTA, EPSILON_AUDIT_CONFIDENCE);
        json!({
            "method": "split-half: threshold chosen on one half (seeded), bound on the other",
            "seed": a.seed,
            "threshold": a.threshold,
            "held_out": {
                "tp": a.evaluation.tp, "fp": a.evaluation.fp,
                "n_members": a.evaluation.n_members, "n_nonmembers": a.evaluation.n_nonmembers,
            },
            "delta": b.delta,
            "confidence": b.confidence,
            "epsilon_lower_bound": b.epsilon,
            "fpr_upper": b.fpr_upper,
            "fnr_upper": b.fnr_upper,
        })
    });
    json!({
        "auc": r.auc,
        "tpr_at_fpr": tpr,
        "tpr_at_fpr_measurable": measurable,
        "tpr_at_fpr_ci_95": tpr_ci,
        "auc_ci_95": r.auc_interval.map(|i| json!({
            "method": "DeLong", "lower": i.lower, "upper": i.upper, "std_error": i.std_error,
        })),
        "epsilon_audit": epsilon_audit,
        "best_balanced_accuracy": r.best_balanced_accuracy,
        "attacker_advantage": r.attacker_advantage,
        "mean_threshold": {
            "threshold": r.mean_threshold.threshold,
            "accuracy": r.mean_threshold.accuracy,
            "tpr": r.mean_threshold.tpr,
            "fpr": r.mean_threshold.fpr,
        },
        "best_percentile_threshold": {
            "percentile": r.best_percentile_threshold.percentile,
            "threshold": r.best_percentile_threshold.outcome.threshold,
            "accuracy": r.best_percentile_threshold.outcome.accuracy,
        },
        "risk_level": r.risk.key(),
        "recommendations": r.risk.recommendations(),
        "n_roc_points": r.roc.len(),
        "n_distinct_scores": r.n_distinct_scores,
        "mean_score_members": r.mean_score_members,
        "mean_score_nonmembers": r.mean_score_nonmembers,
        "per_class_auc": r.per_class.iter().map(|c| json!({
            "label": c.label, "auc": c.auc, "n_members": c.n_members, "n_nonmembers": c.n_nonmembers,
        })).collect::<Vec<_>>(),
    })
}

/// The whole report. `signals` limits which signals appear (all when empty).
pub fn report_json(report: &AuditReport, ingest: &IngestReport, only: &[crate::Signal]) -> Value {
    let s = &report.summary;
    let mut scores = Map::new();
    for r in &report.signals {
        if only.is_empty() || only.contains(&r.signal) {
            scores.insert(r.signal.key().to_string(), signal_json(r));
        }
    }
    json!({
        "n_rows": s.n_rows,
        "n_members": s.n_members,
        "n_nonmembers": s.n_nonmembers,
        "n_classes": s.n_classes,
        "has_logits": s.has_logits,
        "target_train_accuracy": s.target_train_accuracy,
        "target_test_accuracy": s.target_test_accuracy,
        "mean_confidence_members": s.mean_confidence_members,
        "mean_confidence_nonmembers": s.mean_confidence_nonmembers,
        "mean_loss_members": s.mean_loss_members,
        "mean_loss_nonmembers": s.mean_loss_nonmembers,
        "generalization_gap": s.generalization_gap,
        "scores": scores,
        "ingest": {
            "delimiter": (ingest.delimiter as char).to_string(),
            "had_bom": ingest.had_bom,
            "n_data_rows": ingest.n_data_rows,
            "n_kept": ingest.n_kept,
            "n_skipped": ingest.n_skipped,
            "problems": ingest.problems.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
            "warnings": ingest.warnings,
        },
    })
}
