//! The review report as one self-contained HTML page: inline styles, charts as `data:` images,
//! and a Content-Security-Policy that lets the file load nothing from anywhere.

use std::fmt::Write;

use super::{ChartImage, ReviewReport};
use crate::checklist::regulation::Applicability;
use crate::checklist::Fact;
use crate::output::number_format::{count, fpr_label, percent, sig};
use crate::RiskLevel;

/// Escapes text for HTML element content and double-quoted attributes.
///
/// # Examples
/// ```
/// use mia_engine::checklist::review_report::html::escape;
/// assert_eq!(escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
/// ```
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// True for a base64 PNG data URL (letters, digits, `+`, `/`, `=` only after the prefix).
fn is_png_data_url(u: &str) -> bool {
    u.strip_prefix("data:image/png;base64,").is_some_and(|b| {
        !b.is_empty()
            && b.bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='))
    })
}

const STYLE: &str = r#"
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2433;max-width:960px;margin:2rem auto;padding:0 1.2rem}
h1{font-size:1.6rem;margin:0 0 .2rem}h2{font-size:1.15rem;margin:1.8rem 0 .5rem;border-bottom:1px solid #d5dbe5;padding-bottom:.2rem}
.meta{color:#55607a;margin:0}table{border-collapse:collapse;width:100%;margin:.4rem 0}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e7ee;vertical-align:top}th{background:#f3f5f9;font-weight:600}
td.num{font-variant-numeric:tabular-nums;white-space:nowrap}code{font-size:.85em;word-break:break-all}
.verdict{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}.card{border:1px solid #d5dbe5;border-radius:8px;padding:.6rem .9rem;min-width:11rem}
.card .label{font-size:.8rem;color:#55607a;text-transform:uppercase;letter-spacing:.03em}.card .value{font-size:1.3rem;font-weight:700}
.risk-low{color:#1a7f37}.risk-medium{color:#9a6700}.risk-high{color:#c2410c}.risk-critical{color:#b42318}
.badge{display:inline-block;border-radius:4px;padding:0 .4rem;font-size:.8rem;font-weight:600;border:1px solid currentColor}
tr.applies td{background:#fff4e5}tr.check td{background:#f6f8fb}.warn{border-left:4px solid #b42318;background:#fdf0ef;padding:.5rem .8rem}
figure{margin:1rem 0;page-break-inside:avoid}figure img{max-width:100%;border:1px solid #e3e7ee}figcaption{font-weight:600;margin-bottom:.3rem}
.foot{margin-top:2rem;color:#55607a;font-size:.85rem}
@media print{body{margin:0;max-width:none;font-size:11pt}h2{page-break-after:avoid}tr{page-break-inside:avoid}}
"#;

fn risk_badge(level: RiskLevel) -> String {
    format!("<span class=\"badge risk-{k}\">{k}</span>", k = level.key())
}

impl ReviewReport {
    /// The report as a self-contained HTML page, with `charts` embedded as images.
    pub fn to_html(&self, charts: &[ChartImage]) -> String {
        let mut h = String::new();
        let a = &self.assessment;
        let title = match &self.input {
            Some(i) => format!("Privacy review: {}", i.name),
            None => "Privacy review".to_string(),
        };
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\
             <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
             <title>{}</title><style>{STYLE}</style></head><body>\n",
            escape(&title)
        );
        let _ = write!(
            h,
            "<h1>Membership-inference privacy review</h1>\n<p class=\"meta\">Generated {} by mia-playground {} in the browser; nothing was uploaded or sent anywhere.</p>\n",
            escape(&self.generated_at),
            escape(&self.app_version)
        );

        // The decision.
        let _ = write!(
            h,
            "<div class=\"verdict\">\
             <div class=\"card\"><div class=\"label\">Overall risk (checklist)</div><div class=\"value risk-{o}\" id=\"overall-risk\">{o}</div></div>\
             <div class=\"card\"><div class=\"label\">Approved for deployment</div><div class=\"value\" id=\"approved\">{ap}</div></div>\
             <div class=\"card\"><div class=\"label\">Requires DP training first</div><div class=\"value\" id=\"requires-dp\">{dp}</div></div>",
            o = a.overall.key(),
            ap = if a.approved { "yes" } else { "no" },
            dp = if a.requires_dp_training { "yes" } else { "no" },
        );
        if let Some(e) = &self.evidence {
            let _ = write!(
                h,
                "<div class=\"card\"><div class=\"label\">Strongest measured attack</div><div class=\"value risk-{k}\">{k}</div><div id=\"measured-attack\">{name}: AUC {auc}{tpr}</div></div>",
                k = e.risk.key(),
                auc = sig(e.auc, 4),
                name = escape(&e.attack),
                tpr = e.tpr_at_1_percent.map_or(String::new(), |t| format!(", TPR {} at 1 % FPR", sig(t, 4))),
            );
        }
        h.push_str("</div>\n");
        if let Some(w) = self.evidence_warning() {
            let _ = writeln!(h, "<p class=\"warn\">{}</p>", escape(&w));
        }

        // The input.
        h.push_str("<h2>Input</h2>\n<table>");
        match &self.input {
            Some(i) => {
                let _ = write!(h, "<tr><th>Audited</th><td>{}</td></tr>", escape(&i.name));
                if let Some(n) = i.size_bytes {
                    let _ = write!(h, "<tr><th>Size</th><td class=\"num\">{} bytes</td></tr>", count(n));
                }
                if let Some(d) = &i.sha256 {
                    let _ = write!(h, "<tr><th>SHA-256</th><td><code>{}</code></td></tr>", escape(d));
                }
            }
            None => h.push_str("<tr><th>Audited</th><td>no audit was run; the checklist rests on the entered facts only</td></tr>"),
        }
        if let Some((_, ingest)) = &self.audit {
            let _ = write!(
                h,
                "<tr><th>Rows used</th><td class=\"num\">{} of {} ({} skipped)</td></tr>",
                count(ingest.n_kept),
                count(ingest.n_data_rows),
                count(ingest.n_skipped)
            );
        }
        h.push_str("</table>\n");

        // The facts.
        h.push_str(
            "<h2>Deployment facts</h2>\n<table><tr><th>Fact</th><th>Value</th><th>Source</th></tr>",
        );
        for fact in Fact::ALL {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                fact.title(),
                escape(&self.facts.value_text(fact)),
                escape(&self.origin(fact).describe())
            );
        }
        h.push_str("</table>\n");

        // Findings and recommendations.
        h.push_str("<h2>Checklist findings</h2>\n");
        if a.findings.is_empty() {
            h.push_str("<p>No rule of the checklist fired.</p>\n");
        } else {
            h.push_str("<table><tr><th>Level</th><th>Finding</th><th>Why</th></tr>");
            for f in &a.findings {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                    risk_badge(f.level),
                    f.id.key(),
                    escape(&f.reason)
                );
            }
            h.push_str("</table>\n");
        }
        h.push_str("<h2>Recommendations</h2>\n");
        if a.recommendations.is_empty() {
            h.push_str("<p>None from the checklist. Keep access controls on the model's outputs and re-audit after retraining.</p>\n");
        } else {
            h.push_str("<ol>");
            for r in &a.recommendations {
                let _ = write!(h, "<li>{}</li>", escape(r));
            }
            h.push_str("</ol>\n");
        }

        // Regulations.
        h.push_str("<h2>Regulations</h2>\n<table><tr><th>Regulation</th><th>Requires</th><th>Remedy</th><th>Status</th></tr>");
        for r in &self.regulations {
            let class = match r.applicability {
                Applicability::Applies => "applies",
                Applicability::Check => "check",
                Applicability::NotIndicated => "",
            };
            let _ = write!(
                h,
                "<tr class=\"{class}\"><td><strong>{}</strong><br>{}</td><td>{}</td><td>{}</td><td><strong>{}</strong><br>{}</td></tr>",
                escape(r.regulation),
                escape(r.provision),
                escape(r.requirement),
                escape(r.remedy),
                r.applicability.title(),
                escape(&r.why)
            );
        }
        h.push_str("</table>\n");

        // The measured attack.
        if let Some((report, _)) = &self.audit {
            let s = &report.summary;
            h.push_str("<h2>Measured attack (threshold attack, Yeom et al. 2018)</h2>\n");
            let _ = write!(
                h,
                "<p>{} members, {} non-members, {} classes.",
                count(s.n_members),
                count(s.n_nonmembers),
                s.n_classes
            );
            if let (Some(tr), Some(te)) = (s.target_train_accuracy, s.target_test_accuracy) {
                let _ = write!(
                    h,
                    " Target accuracy {} on members, {} on non-members.",
                    percent(tr),
                    percent(te)
                );
            }
            h.push_str("</p>\n<table><tr><th>Signal</th><th>AUC</th><th>AUC 95% CI (DeLong)</th>");
            if let Some(first) = report.signals.first() {
                for t in &first.tpr_at_fpr {
                    let _ = write!(h, "<th>TPR at {} FPR</th>", fpr_label(t.target_fpr));
                }
            }
            h.push_str(
                "<th>Attacker advantage</th><th>Best balanced accuracy</th><th>Risk</th></tr>",
            );
            for r in &report.signals {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
                    r.signal.title(),
                    sig(r.auc, 4),
                    r.auc_interval.map_or_else(
                        || "n/a".to_string(),
                        |i| format!("{}–{}", sig(i.lower, 3), sig(i.upper, 3))
                    )
                );
                for t in &r.tpr_at_fpr {
                    if t.measurable {
                        let _ = write!(h, "<td class=\"num\">{}</td>", sig(t.tpr, 4));
                    } else {
                        h.push_str("<td>not measurable</td>");
                    }
                }
                let _ = write!(
                    h,
                    "<td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                    sig(r.attacker_advantage, 4),
                    sig(r.best_balanced_accuracy, 4),
                    risk_badge(r.risk)
                );
            }
            h.push_str("</table>\n<p>TPR at an FPR is not measurable when there are fewer than 1/FPR non-members.</p>\n");
        }
        if let Some(u) = &self.unlearning {
            h.push_str("<h2>Unlearning verification (GDPR Art. 17, CCPA)</h2>\n");
            let gap = |g: Option<f64>| g.map_or("not available".to_string(), |g| sig(g, 4));
            let _ = writeln!(
                h,
                "<p id=\"unlearning\"><strong>{}</strong>: {} ({} records to forget). The seed design's test: mean confidence gap {} before, {} after (verified when below 0.05 in absolute value). The threshold attack on {} after unlearning: AUC {}.</p>",
                if u.verified { "Verified" } else { "Not verified" },
                escape(&u.files.join(" + ")),
                count(u.n_forget as u64),
                gap(u.membership_gap_before),
                gap(u.membership_gap_after),
                escape(&u.tested_signal),
                sig(u.auc_after, 4)
            );
            if !u.failed.is_empty() {
                h.push_str("<ul>");
                for f in &u.failed {
                    let _ = write!(h, "<li>{}</li>", escape(f));
                }
                h.push_str("</ul>\n");
            }
        }
        if let Some(t) = &self.text_audit {
            h.push_str("<h2>Text and LLM memorisation audit</h2>\n");
            let _ = writeln!(
                h,
                "<p id=\"text-audit\"><strong>{}</strong>: {}</p>",
                escape(&t.file),
                escape(&t.sentence())
            );
        }
        if let Some(r) = &self.reference_attacks {
            h.push_str("<h2>Reference-model attacks (LiRA, Carlini et al. 2022; RMIA, Zarifzadeh et al. 2024)</h2>\n");
            let _ = write!(
                h,
                "<p>{} records ({} members), {} reference models.</p>\n<table id=\"reference-attacks\"><tr><th>Attack</th><th>AUC</th><th>TPR at 0.1% FPR</th><th>TPR at 1% FPR</th><th>TPR at 10% FPR</th><th>Attacker advantage</th></tr>",
                count(r.n_records as u64),
                count(r.n_members),
                r.m
            );
            for v in &r.variants {
                match v.metrics() {
                    Some(m) => {
                        let _ = write!(
                            h,
                            "<tr><td>{}</td><td class=\"num\">{}</td>",
                            escape(v.variant.label()),
                            sig(m.auc, 4)
                        );
                        for t in &m.tpr_at_fpr {
                            let _ = write!(h, "<td class=\"num\">{}</td>", sig(t.tpr, 4));
                        }
                        let _ = write!(
                            h,
                            "<td class=\"num\">{}</td></tr>",
                            sig(m.attacker_advantage, 4)
                        );
                    }
                    None => {
                        let _ = write!(
                            h,
                            "<tr><td>{}</td><td colspan=\"5\">not available: {}</td></tr>",
                            escape(v.variant.label()),
                            escape(
                                &v.outcome
                                    .as_ref()
                                    .err()
                                    .map(|e| e.to_string())
                                    .unwrap_or_default()
                            )
                        );
                    }
                }
            }
            h.push_str("</table>\n");
            for w in &r.warnings {
                let _ = writeln!(h, "<p class=\"warn\">{}</p>", escape(w));
            }
        }
        for c in charts.iter().filter(|c| is_png_data_url(&c.png_data_url)) {
            let _ = writeln!(
                h,
                "<figure><figcaption>{t}</figcaption><img alt=\"{t}\" src=\"{u}\"></figure>",
                t = escape(&c.title),
                u = c.png_data_url
            );
        }
        let _ = write!(
            h,
            "<p class=\"foot\">Risk bands of the measured attack: AUC &gt; 0.75 critical, &gt; 0.65 high, &gt; 0.55 medium. \
             The checklist's overall risk: any critical finding → critical; two or more high → high; any finding → medium; else low. \
             Approved unless critical. mia-playground {}.</p>\n</body></html>\n",
            escape(&self.app_version)
        );
        h
    }
}
