//! The text audit in the review report: each mode's headline figures, in the JSON and the HTML,
//! taken from the audit itself; the prompt builder, not an audit, has none; a pair too long for
//! the quadratic metrics keeps its other figures and says so.

use mia_engine::checklist::review_report::ReviewReport;
use mia_engine::checklist::DeploymentFacts;
use mia_engine::text::extraction::QUADRATIC_LIMIT;
use mia_engine::text::pair_metrics::{distributions, PairMetric};
use mia_engine::text::report::{audit_text, TextReport};
use mia_engine::text::settings::TextSettings;
use mia_engine::text::summary::{TextAuditFigures, TextAuditSummary};
use serde_json::Value;

fn sample(name: &str) -> (String, TextReport) {
    let path = format!("{}/../www/samples/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap();
    let report = audit_text(name, &bytes, &TextSettings::default()).unwrap();
    (name.to_string(), report)
}

fn review(summary: TextAuditSummary) -> (Value, String) {
    let report = ReviewReport::new(
        "t",
        "2026-12-03",
        DeploymentFacts::default(),
        vec![],
        None,
        None,
    )
    .with_text_audit(summary);
    let json: Value = serde_json::from_str(&report.to_json_pretty()).unwrap();
    (json, report.to_html(&[]))
}

#[test]
fn each_mode_s_figures_reach_the_review_report() {
    let (name, report) = sample("text_pairs.csv");
    let TextReport::Pairs(a) = &report else {
        panic!("pairs")
    };
    let (json, html) = review(TextAuditSummary::of_report(&name, &report).unwrap());
    let f = &json["text_audit"]["figures"];
    assert_eq!(f["mode"], "pairs");
    assert_eq!(f["memorized"].as_u64(), Some(a.memorized_count as u64));
    assert_eq!(f["critical"].as_u64(), Some(a.critical_count as u64));
    let rate = a.memorization_risk.as_ref().unwrap().memorization_rate;
    assert_eq!(f["memorization_rate"].as_f64(), Some(rate));
    assert!(html.contains("<h2>Text and LLM memorisation audit</h2>"));
    assert!(html.contains(&format!(
        "{} of {} texts memorised",
        a.memorized_count,
        a.texts.len()
    )));

    let (name, report) = sample("text_logprobs.csv");
    let TextReport::Logprobs(a) = &report else {
        panic!("logprobs")
    };
    let summary = TextAuditSummary::of_report(&name, &report).unwrap();
    let TextAuditFigures::Logprobs {
        signals, strongest, ..
    } = &summary.figures
    else {
        panic!()
    };
    // The strongest has the highest TPR at 1 % FPR of the signals that ran.
    let tpr1 = |s: &mia_engine::text::attack::TextSignalReport| {
        s.metrics
            .tpr_at_fpr
            .iter()
            .find(|t| t.target_fpr == 0.01)
            .unwrap()
            .tpr
    };
    let best = a.signals.iter().map(tpr1).fold(f64::NEG_INFINITY, f64::max);
    let named = signals
        .iter()
        .find(|s| Some(&s.signal) == strongest.as_ref())
        .unwrap();
    assert_eq!(named.tpr_at_fpr_0_01, Some(best));
    let (json, _) = review(summary);
    assert_eq!(
        json["text_audit"]["figures"]["signals"]
            .as_array()
            .unwrap()
            .len(),
        a.signals.len()
    );

    let (name, report) = sample("text_canaries.csv");
    let TextReport::Canaries(a) = &report else {
        panic!("canaries")
    };
    let (json, html) = review(TextAuditSummary::of_report(&name, &report).unwrap());
    assert_eq!(
        json["text_audit"]["figures"]["highest_exposure"].as_f64(),
        Some(a.highest_exposure)
    );
    assert!(html.contains(&a.highest_exposure_canary));

    let (name, report) = sample("text_texts.csv");
    assert!(matches!(report, TextReport::Prompts(_)));
    assert!(TextAuditSummary::of_report(&name, &report).is_none());
}

#[test]
fn a_pair_too_long_for_the_quadratic_metrics_keeps_the_others() {
    // Two unrelated texts whose lengths multiply past the limit, and a short pair.
    let side = (QUADRATIC_LIMIT as f64).sqrt() as usize + 10;
    let a: String = "ab ".repeat(side / 3 + 1);
    let b: String = "cd ".repeat(side / 3 + 1);
    let csv =
        format!("id,reference,model_output\nlong,{a},{b}\nshort,one two three,one two four\n");
    let report = audit_text("t.csv", csv.as_bytes(), &TextSettings::default()).unwrap();
    let TextReport::Pairs(audit) = report else {
        panic!("pairs")
    };
    let long = &audit.pairs[0];
    assert_eq!(long.extraction.edit_similarity, None);
    assert_eq!(long.signal.word_overlap, 0.0);
    assert_eq!(long.extraction.longest_common_substring, 1);
    // Words: the product of the token counts is below the limit, so the word LCS is computed.
    assert_eq!(long.extraction.word_lcs_ratio, Some(0.0));
    let short = &audit.pairs[1];
    assert_eq!(short.extraction.edit_similarity, Some(1.0 - 5.0 / 13.0));
    let d = distributions(&audit, 10);
    let edit = d
        .iter()
        .find(|d| d.metric == PairMetric::EditSimilarity)
        .unwrap();
    assert_eq!(edit.not_computed, 1);
    assert_eq!(edit.mean, 1.0 - 5.0 / 13.0);
    // Identical long texts need no quadratic work: similarity 1.
    let csv = format!("id,reference,model_output\nsame,{a},{a}\n");
    let TextReport::Pairs(same) =
        audit_text("t.csv", csv.as_bytes(), &TextSettings::default()).unwrap()
    else {
        panic!()
    };
    assert_eq!(same.pairs[0].extraction.edit_similarity, Some(1.0));
    assert_eq!(same.pairs[0].extraction.word_lcs_ratio, Some(1.0));
}
