//! The lab's unlearning, compared: each method's course live (forget loss, retain and held-out
//! accuracy), then the verification of each side by side with its distance from the retrained
//! model ("did it forget, or just get worse?"), and any method's full verification report.

use std::rc::Rc;

use mia_engine::unlearning::lab::{ForgetChoice, MethodResult, UnlearnMethod};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::charts::unlearning_courses::draw_unlearning_courses;
use crate::format::{percent, sig};
use crate::pages::unlearn::results::UnlearnResults;
use crate::protocol::{LabUnlearnSnapshot, UnlearnOutcome};
use crate::widgets::chart_canvas::{draw_later, fit_canvas, use_drawings, ExportPng};

#[derive(Properties, PartialEq)]
pub struct LabUnlearnResultsProps {
    pub snapshot: Rc<LabUnlearnSnapshot>,
    pub running: bool,
    pub cancelled: bool,
    pub window_width: f64,
    pub log_roc: bool,
    pub on_log: Callback<bool>,
}

fn title(m: &UnlearnMethod) -> String {
    match m {
        UnlearnMethod::GradientAscent(a) => format!(
            "{} ({} steps at {}, λ = {})",
            m.kind().title(),
            a.unlearn_steps,
            a.unlearn_lr,
            a.retain_regularization
        ),
        UnlearnMethod::FineTune { epochs } => format!("{} ({epochs} epochs)", m.kind().title()),
        UnlearnMethod::Retrain => m.kind().title().to_string(),
    }
}

/// A table cell with its full-precision value for tests, or a dash.
fn cell(id: String, v: Option<f64>, show: impl Fn(f64) -> Html) -> Html {
    match v.filter(|x| x.is_finite()) {
        Some(x) => {
            html! { <td class="num" data-testid={id} data-value={x.to_string()}>{show(x)}</td> }
        }
        None => html! { <td class="num" data-testid={id}>{"—"}</td> },
    }
}

/// What the forget choice was, in words.
fn choice_words(f: &ForgetChoice, class_names: &[String]) -> String {
    match f {
        ForgetChoice::Random { k } => format!("{k} members at random"),
        ForgetChoice::Class { class } => format!(
            "every member of class {}",
            class_names
                .get(*class)
                .cloned()
                .unwrap_or_else(|| class.to_string())
        ),
        ForgetChoice::Rows(r) => format!("{} ids", r.len()),
    }
}

/// One row of the comparison: a label and one cell per method.
fn row(
    label: &str,
    note: &str,
    results: &[MethodResult],
    f: impl Fn(&MethodResult) -> Html,
) -> Html {
    html! {
        <tr>
            <th scope="row">{label.to_string()}if !note.is_empty() { <br /><span class="muted small">{note.to_string()}</span> }</th>
            { for results.iter().map(&f) }
        </tr>
    }
}

fn comparison(results: &[MethodResult]) -> Html {
    let id = |what: &str, r: &MethodResult| format!("train-unlearn-{what}-{}", r.method.key());
    let verdict = |r: &MethodResult| {
        let v = &r.verification;
        html! {
            <td data-testid={id("verdict", r)} data-value={if v.verified { "verified" } else { "not_verified" }}
                class={classes!("verdict-cell", if v.verified { "good" } else { "bad" })}>
                <strong>{if v.verified { "Verified" } else { "Not verified" }}</strong>
                // Which test failed, by name; the reasons are in the method's full report below.
                if !v.failed.is_empty() {
                    <ul class="small">{ for v.failed.iter().map(|f| html! {
                        <li title={f.clone()}>{format!("{} failed", f.split(':').next().unwrap_or(f))}</li>
                    }) }</ul>
                }
            </td>
        }
    };
    let tested = |r: &MethodResult| {
        let v = &r.verification;
        v.after
            .signals
            .iter()
            .find(|s| s.signal == v.mi.tested)
            .cloned()
    };
    html! {
        <div class="table-scroll">
            <table class="unlearn-compare" data-testid="train-unlearn-table">
                <thead><tr><th></th>{ for results.iter().map(|r| html! { <th scope="col">{title(&r.method)}</th> }) }</tr></thead>
                <tbody>
                    {row("Verdict", "both tests must pass", results, verdict)}
                    {row("Seed test: gap after", "forget − held-out mean confidence; passes below 0.05", results, |r| {
                        cell(id("gap-after", r), r.verification.seed.as_ref().map(|s| s.membership_gap_after), |x| html! { sig(x, 3) })
                    })}
                    {row("Gap reduction", "", results, |r| {
                        cell(id("gap-reduction", r), r.verification.seed.as_ref().map(|s| s.gap_reduction), |x| html! { percent(x) })
                    })}
                    {row("Attack AUC after", "confidence, forget vs held-out; 0.5 = chance", results, |r| {
                        let t = tested(r);
                        cell(id("auc", r), Some(r.verification.mi.auc_after), move |x| html! {
                            <>{sig(x, 3)}if let Some(i) = t.as_ref().and_then(|t| t.auc_interval) {
                                <span class="muted small">{format!(" ({}–{})", sig(i.lower, 3), sig(i.upper, 3))}</span>
                            }</>
                        })
                    })}
                    {row("TPR at 1% FPR after", "", results, |r| {
                        let t = tested(r).and_then(|t| t.tpr_at_fpr.iter().find(|p| p.target_fpr == 0.01 && p.measurable).copied());
                        cell(id("tpr-1", r), t.map(|p| p.tpr), |x| html! { percent(x) })
                    })}
                    {row("Retained records' accuracy", "before → after", results, |r| {
                        let u = r.verification.utility;
                        cell(id("retain-acc", r), u.retain_accuracy_after, move |x| html! {
                            <>{u.retain_accuracy_before.map(percent).unwrap_or_default()}{" → "}{percent(x)}</>
                        })
                    })}
                    {row("Held-out accuracy", "before → after", results, |r| {
                        let u = r.verification.utility;
                        cell(id("heldout-acc", r), u.held_out_accuracy_after, move |x| html! {
                            <>{u.held_out_accuracy_before.map(percent).unwrap_or_default()}{" → "}{percent(x)}</>
                        })
                    })}
                    {row("Forget loss increase", "gradient ascent: final / initial; “successful” above 2", results, |r| {
                        let a = r.ascent.clone();
                        cell(id("ratio", r), a.as_ref().map(|a| a.loss_increase_ratio), move |x| html! {
                            <>{format!("{}×", sig(x, 3))}if let Some(a) = &a {
                                <br /><span class="muted small" title={a.recommendation.clone()}>
                                    {if a.unlearning_successful { "successful" } else { "not successful" }}
                                </span>
                            }</>
                        })
                    })}
                    {row("KL from the retrained model", "mean KL(retrained ‖ method) on the forget set; 0 = the same outputs", results, |r| {
                        cell(id("kl", r), r.kl_to_retrained, |x| html! { sig(x, 3) })
                    })}
                    {row("AUC against the retrained model", "telling their forget-set losses apart; 0.5 = indistinguishable", results, |r| {
                        cell(id("auc-vs-retrained", r), r.auc_vs_retrained, |x| html! { sig(x, 3) })
                    })}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn LabUnlearnResults(props: &LabUnlearnResultsProps) -> Html {
    let s = &props.snapshot;
    let canvas = use_node_ref();
    let drawings = use_drawings();
    let selected = use_state(|| 0usize);
    {
        let canvas = canvas.clone();
        use_effect_with(
            (s.clone(), props.window_width.to_bits()),
            move |(snap, _)| {
                let snap = snap.clone();
                draw_later(&drawings, move || {
                    if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                        if !snap.courses.is_empty() {
                            fit_canvas(&c, 0.5, 240);
                            draw_unlearning_courses(&c, &snap.courses);
                        }
                    }
                });
            },
        );
    }
    let status = match s.trained {
        None => format!(
            "Training the model to unlearn ({} of {} epochs)…",
            s.trained_epochs, s.settings.epochs
        ),
        Some((acc, auc)) => format!(
            "{}: the model trained {} epochs (held-out accuracy {}, loss-attack AUC {}). Forgetting {} ({} records), keeping {} members; {} held-out records.",
            s.dataset,
            s.trained_epochs,
            percent(acc),
            sig(auc, 3),
            choice_words(&s.unlearning.forget, &s.class_names),
            s.forget.len(),
            s.n_retain,
            s.n_held_out
        ),
    };
    // Every step's forget loss at full precision, for tests and scripts to compare with
    // `mia train`: once the comparison has ended (a long ascent's list is not rewritten live).
    let ended = !props.running;
    let losses = |key: &str| {
        if !ended {
            return None;
        }
        s.courses.iter().find(|c| c.method.key() == key).map(|c| {
            c.forget_losses
                .iter()
                .map(f64::to_string)
                .collect::<Vec<_>>()
                .join(",")
        })
    };
    let results = &s.results;
    let chosen = results.get(*selected).or_else(|| results.first());
    let detail = chosen.map(|r| {
        let outcome = Rc::new(UnlearnOutcome {
            source_name: format!("{}, {}", s.dataset, title(&r.method)),
            report: r.verification.clone(),
        });
        html! {
            <UnlearnResults outcome={outcome} window_width={props.window_width} log_roc={props.log_roc}
                on_log={props.on_log.clone()} prefix="train-unlearn-detail" file_rows={false} />
        }
    });
    let tabs = results.iter().enumerate().map(|(i, r)| {
        let selected = selected.clone();
        let onclick = Callback::from(move |_: MouseEvent| selected.set(i));
        let on = chosen.is_some_and(|c| c.method == r.method);
        html! {
            <button class={classes!("tab", on.then_some("on"))} aria-pressed={on.to_string()} onclick={onclick}
                data-testid={format!("train-unlearn-show-{}", r.method.key())}>{title(&r.method)}</button>
        }
    });
    html! {
        <div class="lab-unlearn">
            <p class="muted small" data-testid="train-unlearn-counts" data-forget={s.forget.iter().map(usize::to_string).collect::<Vec<_>>().join(",")}>
                {status}
            </p>
            if !s.courses.is_empty() {
                <figure class="chart">
                    <figcaption>
                        <span>{"Step by step: the loss on the forget set, and accuracy on the records kept and never seen"}</span>
                        <ExportPng canvas={canvas.clone()} file_name="unlearning-courses.png" />
                    </figcaption>
                    <div class="canvas-box">
                        <canvas ref={canvas} data-testid="train-unlearn-courses"
                            data-methods={s.courses.iter().map(|c| c.method.key()).collect::<Vec<_>>().join(",")}
                            data-forget-losses-gradient_ascent={losses("gradient_ascent")}
                            data-forget-losses-fine_tune={losses("fine_tune")}
                            data-forget-losses-retrain={losses("retrain")}
                            aria-label="Forget loss and accuracy over each method's steps"></canvas>
                    </div>
                </figure>
            }
            if !results.is_empty() {
                <h3>{"Did it forget, or just get worse?"}</h3>
                <p class="muted small">{"A method has forgotten when the attack can no longer tell the forget set from records never trained on (the verdict) and its outputs on the forget set are close to those of the model retrained without them (KL near 0, AUC against the retrained model near 0.5). A method that only wrecks the model passes neither: its accuracy falls and it moves away from the retrained model."}</p>
                if matches!(s.unlearning.forget, ForgetChoice::Class { .. }) {
                    <p class="notice" data-testid="train-unlearn-class-note">{"A whole class is forgotten. The model retrained without it cannot recognise that class at all, so its forget records look less familiar than held-out records of every class: the gap goes below 0, the AUC below 0.5, and both tests, which expect the forget set to look like records never trained on, can fail even for retraining. For class forgetting, judge it by the distance from the retrained model (KL and the AUC against it)."}</p>
                }
                {comparison(results)}
            }
            if !props.running && s.finished {
                <p class="muted small" data-testid="train-unlearn-done" data-reason="finished">{format!("Done: {} methods compared.", results.len())}</p>
            } else if !props.running && props.cancelled {
                <p class="muted small" data-testid="train-unlearn-done" data-reason="cancelled">{format!("Cancelled; {} of the methods had finished.", results.len())}</p>
            }
            if let Some(d) = detail {
                <h3>{"One method's verification in full"}</h3>
                <div class="tabs" role="group" aria-label="Method">{ for tabs }</div>
                {d}
            }
        </div>
    }
}
