//! `mia`: the audit engine on the command line, for scripted privacy reviews and CI gates.

mod dp;
mod review;

use std::process::ExitCode;

use mia_engine::attack::report::{audit_signals, model_summary};
use mia_engine::ingest::{check_input_size, IngestProgress};
use mia_engine::output::report_json::report_json;
use mia_engine::{ingest, AuditReport, IngestError, Ingested, MetricError, RiskLevel, Signal};

const USAGE: &str = "\
mia - membership-inference audit of per-record model outputs (runs locally)

USAGE:
    mia audit FILE.csv [--signal NAME] [--json] [--fail-on LEVEL]
    mia shadow DATASET.csv [--shadows N] [--model logreg|mlp] [--hidden H] [--epochs E]
                           [--per-class] [--seed S] [--json]
    mia restrict FILE.csv --temperature T [--cap C] [--precision P] [--label-only] [--json]
                          [--out RESTRICTED.csv]
    mia review [FILE.csv] [--sensitivity S] [--gap G] [--n-train N] [--logprobs yes|no]
                          [--eu yes|no] [--training T] [--model-size M] [--json]
                          [--html REPORT.html] [--fail-unapproved]
    mia dp-epsilon --q Q --sigma S --steps T --delta D [--json]
    mia dp-sigma --q Q --steps T --delta D --epsilon E [--json]

OPTIONS:
    --signal NAME     report only this signal (repeatable): confidence, neg_loss, max_prob,
                      neg_entropy, neg_modified_entropy, logit_confidence
    --json            print JSON with the keys of the conformance cases' expected.json
    --fail-on LEVEL   exit with status 3 when the risk level of any reported signal is at or
                      above LEVEL (low, medium, high, critical): a gate for CI pipelines

SHADOW (Shokri et al. 2017): trains a target and N shadow models (1..16, default 4) on the dataset
(numeric features + a class column), trains the attack on the shadows and attacks the target;
prints the same figures as the page's shadow view for the same seed (default 0).

RESTRICT: applies softmax(logits/T) -> cap -> round to the file's logit_* (or prob_*) columns and
prints each signal's threshold-attack figures before and after, and the utility cost (top-1
agreement, accuracy, 15-bin ECE, confidences made non-distinct); --out writes the restricted CSV.

REVIEW: the privacy risk checklist. Sensitivity medical|financial|legal|biometric|general,
training standard|dp_sgd|federated, model size small|medium|large|xlarge, gap = train - test
accuracy. With FILE, the gap, the number of members and whether logits are present come from the
audit (options override them) and the measured attack is reported beside the checklist; --html
writes the self-contained review report.

DP-EPSILON: epsilon of DP-SGD (Poisson sampling rate Q = batch/dataset, noise multiplier S, T steps)
by the RDP accountant with dp_accounting's orders and conversion; DP-SIGMA: the smallest noise
multiplier reaching epsilon E.

EXIT STATUS: 0 ok, 2 bad usage or unreadable input, 3 risk at or above --fail-on, or (review)
not approved with --fail-unapproved.";

struct Args {
    file: String,
    signals: Vec<Signal>,
    json: bool,
    fail_on: Option<RiskLevel>,
}

fn parse_args(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
    match it.next().as_deref() {
        Some("audit") => {}
        Some("-h" | "--help") | None => return Err(String::new()),
        Some(other) => return Err(format!("unknown command `{other}`")),
    }
    let (mut file, mut signals, mut json, mut fail_on) = (None, Vec::new(), false, None);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => json = true,
            "--signal" => {
                let v = it.next().ok_or("--signal needs a name")?;
                signals.push(Signal::from_key(&v).ok_or(format!("unknown signal `{v}`"))?);
            }
            "--fail-on" => {
                let v = it.next().ok_or("--fail-on needs a level")?;
                fail_on = Some(RiskLevel::from_key(&v).ok_or(format!("unknown risk level `{v}`"))?);
            }
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with("--") => return Err(format!("unknown option `{s}`")),
            s if file.is_none() => file = Some(s.to_string()),
            s => return Err(format!("unexpected argument `{s}`")),
        }
    }
    Ok(Args {
        file: file.ok_or("audit needs a CSV file")?,
        signals,
        json,
        fail_on,
    })
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if argv.first().map(String::as_str) == Some("shadow") {
        return shadow_main(&argv[1..]);
    }
    if argv.first().map(String::as_str) == Some("restrict") {
        return restrict_main(&argv[1..]);
    }
    if argv.first().map(String::as_str) == Some("dp-epsilon") {
        return dp::epsilon_main(&argv[1..], USAGE);
    }
    if argv.first().map(String::as_str) == Some("dp-sigma") {
        return dp::sigma_main(&argv[1..], USAGE);
    }
    if argv.first().map(String::as_str) == Some("review") {
        return review::review_main(&argv[1..], USAGE);
    }
    let args = match parse_args(argv.into_iter()) {
        Ok(a) => a,
        Err(msg) => {
            if msg.is_empty() {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {msg}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let ingested = match read_file(&args.file) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {}: {e}", args.file);
            return ExitCode::from(2);
        }
    };
    let report = match audit_on_two_threads(&ingested.table) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {}: {e}", args.file);
            return ExitCode::from(2);
        }
    };
    for s in &args.signals {
        if report.signal(*s).is_none() {
            eprintln!(
                "error: signal `{}` needs columns this file does not have",
                s.key()
            );
            return ExitCode::from(2);
        }
    }
    let shown: Vec<_> = report
        .signals
        .iter()
        .filter(|r| args.signals.is_empty() || args.signals.contains(&r.signal))
        .collect();
    if args.json {
        let v = report_json(&report, &ingested.report, &args.signals);
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        print_text(&args.file, &ingested.report, &report.summary, &shown);
    }
    let worst = shown.iter().map(|r| r.risk).max();
    match (args.fail_on, worst) {
        (Some(gate), Some(w)) if w >= gate => {
            eprintln!("risk level {w} is at or above --fail-on {gate}");
            ExitCode::from(3)
        }
        _ => ExitCode::SUCCESS,
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or("n/a".to_string(), |v| format!("{v:.6}"))
}

fn print_text(
    file: &str,
    ing: &mia_engine::IngestReport,
    s: &mia_engine::attack::report::ModelSummary,
    shown: &[&mia_engine::SignalReport],
) {
    println!("Membership-inference audit of {file}");
    println!(
        "  {} records ({} members, {} non-members), {} classes{}",
        s.n_rows,
        s.n_members,
        s.n_nonmembers,
        s.n_classes,
        if s.has_logits { ", logits present" } else { "" }
    );
    if ing.n_skipped > 0 {
        println!(
            "  {} of {} data rows skipped:",
            ing.n_skipped, ing.n_data_rows
        );
        for p in ing.problems.iter().take(10) {
            println!("    {p}");
        }
    }
    for w in &ing.warnings {
        println!("  warning: {w}");
    }
    println!(
        "  mean confidence: members {}, non-members {}",
        opt(s.mean_confidence_members),
        opt(s.mean_confidence_nonmembers)
    );
    println!(
        "  generalization gap (mean loss non-members - members): {}",
        opt(s.generalization_gap)
    );
    println!();
    println!(
        "  {:<22} {:>8} {:>10} {:>10} {:>10} {:>10} {:>10}  risk",
        "signal", "AUC", "TPR@0.1%", "TPR@1%", "TPR@10%", "advantage", "bal.acc"
    );
    for r in shown {
        let tpr: Vec<String> = r
            .tpr_at_fpr
            .iter()
            .map(|t| {
                if t.measurable {
                    format!("{:.4}", t.tpr)
                } else {
                    "n/m".to_string()
                }
            })
            .collect();
        println!(
            "  {:<22} {:>8.4} {:>10} {:>10} {:>10} {:>10.4} {:>10.4}  {}",
            r.signal.key(),
            r.auc,
            tpr[0],
            tpr[1],
            tpr[2],
            r.attacker_advantage,
            r.best_balanced_accuracy,
            r.risk
        );
    }
    if shown
        .iter()
        .any(|r| r.tpr_at_fpr.iter().any(|t| !t.measurable))
    {
        println!(
            "  n/m = not measurable: fewer than 1/FPR non-members, so that FPR cannot be resolved."
        );
    }
    if let Some(worst) = shown.iter().max_by_key(|r| r.risk) {
        println!();
        println!(
            "Risk: {} ({}). {}",
            worst.risk,
            worst.signal.key(),
            worst.risk.meaning()
        );
        for rec in worst.risk.recommendations() {
            println!("  - {rec}");
        }
    }
}

fn shadow_main(args: &[String]) -> ExitCode {
    use mia_engine::shadow::{ModelKind, ShadowConfig, ShadowExperiment, TabularDataset};
    let mut config = ShadowConfig::default();
    let (mut file, mut json, mut mlp, mut hidden, mut epochs) =
        (None, false, false, 64usize, 100usize);
    let mut it = args.iter();
    let usage = |msg: &str| {
        eprintln!("error: {msg}\n\n{USAGE}");
        ExitCode::from(2)
    };
    while let Some(a) = it.next() {
        let mut num = |name: &str| -> Result<u64, String> {
            it.next()
                .and_then(|v| v.parse::<u64>().ok())
                .ok_or(format!("{name} needs a whole number"))
        };
        let parsed = match a.as_str() {
            "--json" => {
                json = true;
                Ok(())
            }
            "--per-class" => {
                config.attack.per_class = true;
                Ok(())
            }
            "--shadows" => num("--shadows").map(|v| config.n_shadows = v as usize),
            "--seed" => num("--seed").map(|v| config.seed = v),
            "--hidden" => num("--hidden").map(|v| hidden = v as usize),
            "--epochs" => num("--epochs").map(|v| epochs = v as usize),
            "--model" => match it.next().map(String::as_str) {
                Some(m @ ("logreg" | "mlp")) => {
                    mlp = m == "mlp";
                    Ok(())
                }
                _ => Err("--model is logreg or mlp".to_string()),
            },
            s if s.starts_with("--") => Err(format!("unknown option `{s}`")),
            s if file.is_none() => {
                file = Some(s.to_string());
                Ok(())
            }
            s => Err(format!("unexpected argument `{s}`")),
        };
        if let Err(e) = parsed {
            return usage(&e);
        }
    }
    if mlp {
        config.model = ModelKind::Mlp { hidden, epochs };
    }
    let Some(file) = file else {
        return usage("shadow needs a dataset CSV");
    };
    let data = match std::fs::read(&file)
        .map_err(|e| e.to_string())
        .and_then(|b| TabularDataset::from_csv(&b))
    {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let report = match ShadowExperiment::run(data, config) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let shadow_auc = report.shadow_attack.as_ref().map(|r| r.auc);
    let threshold_auc = report.threshold_attack.as_ref().map(|r| r.auc);
    if json {
        let v = serde_json::json!({
            "n_shadows": report.n_shadows,
            "model": report.model,
            "seed": config.seed,
            "n_shadow_records": report.n_shadow_records,
            "attack_oof_accuracy": report.attack_oof_accuracy,
            "shadow_auc": shadow_auc,
            "threshold_auc": threshold_auc,
            "shadow_tpr_at_fpr": report.shadow_attack.as_ref().map(|r| r.tpr_at_fpr.iter().map(|t| t.tpr).collect::<Vec<_>>()),
            "n_target_records": report.verdicts.len(),
            "n_predicted_members": report.n_predicted_members,
            "n_high_confidence": report.n_high_confidence,
            "target_train_accuracy": report.target_train_accuracy,
            "target_test_accuracy": report.target_test_accuracy,
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        println!(
            "Shadow-model attack on {file}: {} shadow models, {}",
            report.n_shadows, report.model
        );
        println!(
            "  target accuracy: train {}, test {}",
            opt(report.target_train_accuracy),
            opt(report.target_test_accuracy)
        );
        println!(
            "  attack accuracy on held-out shadow records: {:.4}",
            report.attack_oof_accuracy
        );
        println!(
            "  shadow attack AUC {}   threshold attack AUC {}",
            opt(shadow_auc),
            opt(threshold_auc)
        );
        println!(
            "  {} of {} target records predicted members ({} with high confidence)",
            report.n_predicted_members,
            report.verdicts.len(),
            report.n_high_confidence
        );
    }
    ExitCode::SUCCESS
}

fn restrict_main(args: &[String]) -> ExitCode {
    use mia_engine::restriction::{evaluate, restricted_csv, RestrictionSetting};
    let mut setting = RestrictionSetting::default();
    let (mut file, mut json, mut out, mut has_t) = (None, false, None, false);
    let mut it = args.iter();
    let usage = |msg: &str| {
        eprintln!("error: {msg}\n\n{USAGE}");
        ExitCode::from(2)
    };
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or(format!("{name} needs a value"));
        let parsed: Result<(), String> = match a.as_str() {
            "--json" => {
                json = true;
                Ok(())
            }
            "--label-only" => {
                setting.label_only = true;
                Ok(())
            }
            "--temperature" => value("--temperature").and_then(|v| {
                let t: f64 = v
                    .parse()
                    .map_err(|_| format!("--temperature `{v}` is not a number"))?;
                if !(t > 0.0 && t.is_finite()) {
                    return Err("--temperature must be positive".into());
                }
                setting.temperature = t;
                has_t = true;
                Ok(())
            }),
            "--cap" => value("--cap").and_then(|v| {
                let c: f64 = v
                    .parse()
                    .map_err(|_| format!("--cap `{v}` is not a number"))?;
                if !(c > 0.0 && c <= 1.0) {
                    return Err("--cap must be in (0, 1]".into());
                }
                setting.max_confidence = Some(c);
                Ok(())
            }),
            "--precision" => value("--precision").and_then(|v| {
                let p: u32 = v
                    .parse()
                    .map_err(|_| format!("--precision `{v}` is not a whole number"))?;
                setting.precision = Some(p);
                Ok(())
            }),
            "--out" => value("--out").map(|v| out = Some(v)),
            s if s.starts_with("--") => Err(format!("unknown option `{s}`")),
            s if file.is_none() => {
                file = Some(s.to_string());
                Ok(())
            }
            s => Err(format!("unexpected argument `{s}`")),
        };
        if let Err(e) = parsed {
            return usage(&e);
        }
    }
    let Some(file) = file else {
        return usage("restrict needs a CSV file");
    };
    if !has_t
        && !setting.label_only
        && setting.max_confidence.is_none()
        && setting.precision.is_none()
    {
        return usage("give at least --temperature, --cap, --precision or --label-only");
    }
    let table = match std::fs::read(&file)
        .map_err(|e| e.to_string())
        .and_then(|b| ingest(&b, None).map_err(|e| e.to_string()))
    {
        Ok(i) => i.table,
        Err(e) => {
            eprintln!("error: {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let report = match evaluate(&table, &setting) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {file}: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(path) = &out {
        let csv = restricted_csv(&table, &setting).unwrap_or_default();
        if let Err(e) = std::fs::write(path, csv) {
            eprintln!("error: cannot write {path}: {e}");
            return ExitCode::from(2);
        }
    }
    let figures = |v: &[mia_engine::restriction::evaluation::AttackFigures]| -> serde_json::Value {
        v.iter()
            .map(|f| {
                (
                    f.signal.key().to_string(),
                    serde_json::json!({
                        "auc": f.auc,
                        "tpr_at_fpr": f.tpr_at_fpr.iter().map(|t| (format!("{}", t.target_fpr), serde_json::json!(t.tpr))).collect::<serde_json::Map<_, _>>(),
                        "attacker_advantage": f.advantage,
                    }),
                )
            })
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    if json {
        let v = serde_json::json!({
            "setting": {
                "temperature": setting.temperature,
                "max_confidence": setting.max_confidence,
                "precision": setting.precision,
                "label_only": setting.label_only,
            },
            "before": figures(&report.before),
            "after": figures(&report.after),
            "utility": {
                "top1_agreement": report.utility.top1_agreement,
                "accuracy_before": report.accuracy_before,
                "accuracy_after": report.utility.accuracy,
                "ece_before": report.ece_before,
                "ece_after": report.utility.ece,
                "n_lost_distinct_confidence": report.utility.n_lost_distinct,
            },
            "label_only_auc": report.label_only_auc,
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        println!(
            "Confidence restriction of {file}: T = {}, cap {}, precision {}{}",
            setting.temperature,
            setting
                .max_confidence
                .map_or("off".into(), |c| c.to_string()),
            setting.precision.map_or("off".into(), |p| p.to_string()),
            if setting.label_only {
                ", top-1 label only"
            } else {
                ""
            }
        );
        println!(
            "  {:<22} {:>10} {:>10} {:>12} {:>12}",
            "signal", "AUC before", "AUC after", "TPR@1% bef.", "TPR@1% aft."
        );
        for (b, a) in report.before.iter().zip(&report.after) {
            println!(
                "  {:<22} {:>10.4} {:>10.4} {:>12.4} {:>12.4}",
                b.signal.key(),
                b.auc,
                a.auc,
                b.tpr_at_fpr[1].tpr,
                a.tpr_at_fpr[1].tpr
            );
        }
        let u = &report.utility;
        println!("  top-1 agreement {:.4}; accuracy {} -> {}; ECE {} -> {}; {} confidences no longer distinct",
            u.top1_agreement, opt(report.accuracy_before), opt(u.accuracy), opt(report.ece_before), opt(u.ece), u.n_lost_distinct);
        if let Some(l) = report.label_only_auc {
            println!("  label-only attacker (member iff correctly classified): AUC {l:.4}, unchanged by any restriction");
        }
    }
    ExitCode::SUCCESS
}

/// Reads a CSV file as a stream (never whole) for an audit: only the parsed columns are held, and
/// the per-class columns only as the signals folded from them. A large file is read in two parts
/// on two threads (see `mia_engine::ingest::split`), unless the cut is not a record boundary.
fn read_file(path: &str) -> Result<Ingested, IngestError> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = std::fs::File::open(path).map_err(cannot_read)?;
    let size = file.metadata().map_err(cannot_read)?.len();
    check_input_size(size)?;
    if size == 0 {
        return Err(IngestError::Empty);
    }
    let cut = if size >= TWO_THREADS_MIN_BYTES {
        let mut window = Vec::with_capacity(1 << 20);
        file.seek(SeekFrom::Start(size / 2)).map_err(cannot_read)?;
        (&mut file)
            .take(1 << 20)
            .read_to_end(&mut window)
            .map_err(cannot_read)?;
        file.seek(SeekFrom::Start(0)).map_err(cannot_read)?;
        mia_engine::ingest::split::line_start_after(&window, size / 2, size)
    } else {
        None
    };
    let Some(cut) = cut else {
        return read_in_one_go(file, size);
    };
    let head = read_head(&mut file).map_err(cannot_read)?;
    let first_bytes = cut - head.len() as u64;
    // A header the first part cannot read (say, megabytes of blank lines before it) is for the
    // single read to explain.
    let Ok(first) = IngestProgress::start_stream(head, file.take(first_bytes), size, None, true)
    else {
        return read_in_one_go(std::fs::File::open(path).map_err(cannot_read)?, size);
    };
    let mut first = first.fold_class_outputs();
    let mut rest = std::fs::File::open(path).map_err(cannot_read)?;
    rest.seek(SeekFrom::Start(cut)).map_err(cannot_read)?;
    let plan = first.part_plan();
    let (read_first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(move || {
            let mut part = IngestProgress::start_part(plan, rest, size - cut);
            while !part.step(usize::MAX)? {}
            Ok::<_, IngestError>(part.finish_part())
        });
        let read_first = (|| {
            while !first.step(usize::MAX)? {}
            Ok::<_, IngestError>(())
        })();
        let second = second
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (read_first, second)
    });
    read_first?;
    match second {
        Ok(part) if first.ended_on_line_end() => {
            first.append_part(part)?;
            first.finish()
        }
        // The cut was inside a quoted field (or the second part could not be read): one read.
        _ => read_in_one_go(std::fs::File::open(path).map_err(cannot_read)?, size),
    }
}

/// The first bytes of a file (its header line, mostly), to sniff the delimiter from.
fn read_head(file: &mut std::fs::File) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut head = Vec::with_capacity(HEAD_BYTES as usize);
    file.take(HEAD_BYTES).read_to_end(&mut head)?;
    Ok(head)
}

/// [`read_file`] on one thread.
fn read_in_one_go(mut file: std::fs::File, size: u64) -> Result<Ingested, IngestError> {
    let head = read_head(&mut file).map_err(cannot_read)?;
    let mut reading =
        IngestProgress::start_stream(head, file, size, None, true)?.fold_class_outputs();
    while !reading.step(usize::MAX)? {}
    reading.finish()
}

fn cannot_read(e: std::io::Error) -> IngestError {
    IngestError::Malformed {
        row: 1,
        message: format!("the file could not be read: {e}"),
    }
}

/// Bytes read first to sniff the delimiter.
const HEAD_BYTES: u64 = 64 << 10;

/// Files from this size on are read on two threads.
const TWO_THREADS_MIN_BYTES: u64 = 16 << 20;

/// The audit with the signals split over two threads (each its own rankings; the ε audit's split
/// is seeded, so the reports equal a one-thread [`mia_engine::audit`]'s).
fn audit_on_two_threads(table: &mia_engine::AuditTable) -> Result<AuditReport, MetricError> {
    let signals = Signal::available(table);
    let (first, second) = signals.split_at(signals.len().div_ceil(2));
    let (a, b, summary) = std::thread::scope(|scope| {
        let other = scope.spawn(|| audit_signals(table, second));
        let a = audit_signals(table, first);
        let summary = model_summary(table);
        let b = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (a, b, summary)
    });
    let mut reports = a?;
    reports.extend(b?);
    Ok(AuditReport {
        summary,
        signals: reports,
    })
}
