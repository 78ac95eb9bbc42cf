//! The checklist's verdict: the overall risk, whether the model may be deployed, and whether it
//! must be retrained with differential privacy first.

use serde::{Deserialize, Serialize};

use super::facts::DeploymentFacts;
use super::rules::{findings, RiskFinding};
use crate::RiskLevel;

/// What the checklist concludes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChecklistAssessment {
    pub overall: RiskLevel,
    pub findings: Vec<RiskFinding>,
    /// Every finding's recommendations, duplicates removed, first occurrence kept.
    pub recommendations: Vec<String>,
    /// Approved for deployment unless the overall risk is critical.
    pub approved: bool,
    /// DP training is required: overall critical or high on medical, financial, legal or
    /// biometric data.
    pub requires_dp_training: bool,
}

/// The overall risk of a set of findings: any critical → critical; else two or more high → high;
/// else any finding → medium; else low.
///
/// # Examples
/// ```
/// use mia_engine::checklist::assessment::overall_risk;
/// use mia_engine::RiskLevel::*;
/// assert_eq!(overall_risk(&[High, Medium]), Medium);
/// assert_eq!(overall_risk(&[High, High]), High);
/// assert_eq!(overall_risk(&[]), Low);
/// ```
pub fn overall_risk(levels: &[RiskLevel]) -> RiskLevel {
    let highs = levels.iter().filter(|&&l| l == RiskLevel::High).count();
    if levels.contains(&RiskLevel::Critical) {
        RiskLevel::Critical
    } else if highs >= 2 {
        RiskLevel::High
    } else if !levels.is_empty() {
        RiskLevel::Medium
    } else {
        RiskLevel::Low
    }
}

/// Runs the checklist on `facts`.
///
/// # Examples
/// ```
/// use mia_engine::checklist::{assess, DataSensitivity, DeploymentFacts};
/// let a = assess(&DeploymentFacts { sensitivity: DataSensitivity::Medical, ..DeploymentFacts::default() });
/// assert_eq!(a.overall, mia_engine::RiskLevel::Critical);
/// assert!(!a.approved && a.requires_dp_training);
/// ```
pub fn assess(facts: &DeploymentFacts) -> ChecklistAssessment {
    let findings = findings(facts);
    let levels: Vec<RiskLevel> = findings.iter().map(|f| f.level).collect();
    let overall = overall_risk(&levels);
    let mut recommendations: Vec<String> = Vec::new();
    for r in findings.iter().flat_map(|f| &f.recommendations) {
        if !recommendations.contains(r) {
            recommendations.push(r.clone());
        }
    }
    ChecklistAssessment {
        overall,
        recommendations,
        approved: overall != RiskLevel::Critical,
        requires_dp_training: matches!(overall, RiskLevel::Critical | RiskLevel::High)
            && facts.sensitivity.is_sensitive(),
        findings,
    }
}
