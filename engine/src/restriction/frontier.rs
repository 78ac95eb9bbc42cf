//! The privacy–utility frontier over a grid of restriction settings.

use serde::{Deserialize, Serialize};

use super::headline::strongest_auc;
use super::{evaluate, RestrictionSetting};
use crate::AuditTable;

/// One setting of the grid: the strongest attack left (max AUC over signals) and the utility.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FrontierPoint {
    pub setting: RestrictionSetting,
    pub max_auc: f64,
    /// Accuracy against the labels, or top-1 agreement without labels.
    pub utility: f64,
    pub ece: Option<f64>,
    /// No other setting has both higher utility and lower attack AUC (Pareto-optimal).
    pub on_frontier: bool,
    /// No other setting has both lower ECE and lower attack AUC (Pareto-optimal in calibration).
    pub on_frontier_ece: bool,
}

/// The grid: T ∈ {0.5, 1, 2, 4, 8}, cap ∈ {off, 0.99, 0.9, 0.7}, precision ∈ {off, 3, 2, 1}.
pub fn grid() -> Vec<RestrictionSetting> {
    let mut out = Vec::new();
    for t in [0.5, 1.0, 2.0, 4.0, 8.0] {
        for cap in [None, Some(0.99), Some(0.9), Some(0.7)] {
            for precision in [None, Some(3), Some(2), Some(1)] {
                out.push(RestrictionSetting {
                    temperature: t,
                    max_confidence: cap,
                    precision,
                    label_only: false,
                });
            }
        }
    }
    out
}

/// Evaluates one grid setting.
pub fn frontier_point(table: &AuditTable, s: &RestrictionSetting) -> Option<FrontierPoint> {
    let r = evaluate(table, s).ok()?;
    let max_auc = strongest_auc(&r.after);
    Some(FrontierPoint {
        setting: *s,
        max_auc,
        utility: r.utility.accuracy.unwrap_or(r.utility.top1_agreement),
        ece: r.utility.ece,
        on_frontier: false,
        on_frontier_ece: false,
    })
}

/// Marks the Pareto-optimal points: no other point has utility ≥ and AUC ≤ with one strict
/// (and, for calibration, ECE ≤ and AUC ≤ with one strict).
pub fn mark_frontier(points: &mut [FrontierPoint]) {
    let snapshot: Vec<(f64, f64, Option<f64>)> = points
        .iter()
        .map(|p| (p.utility, p.max_auc, p.ece))
        .collect();
    for p in points.iter_mut() {
        let (pu, pa) = (p.utility, p.max_auc);
        p.on_frontier = !snapshot
            .iter()
            .any(|&(u, a, _)| u >= pu && a <= pa && (u > pu || a < pa));
        p.on_frontier_ece = match p.ece {
            Some(pe) => !snapshot
                .iter()
                .any(|&(_, a, e)| e.is_some_and(|e| e <= pe && a <= pa && (e < pe || a < pa))),
            None => false,
        };
    }
}
