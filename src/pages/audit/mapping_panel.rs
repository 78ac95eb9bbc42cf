//! Overrides the automatic column detection: which column is the member flag, the label, etc.

use mia_engine::{detect_columns, ColumnMapping};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct MappingPanelProps {
    pub headers: Vec<String>,
    /// The mapping in use; `None` = what detection finds.
    pub mapping: Option<ColumnMapping>,
    pub on_apply: Callback<ColumnMapping>,
    /// Open by default (after a failure).
    pub open: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Role {
    Member,
    Id,
    Label,
    Confidence,
    Loss,
}

const ROLES: [(Role, &str, &str); 5] = [
    (
        Role::Member,
        "Member flag",
        "1 = in the training set (also true/false, yes/no, in/out, train/test)",
    ),
    (Role::Label, "True label", "class index 0, 1, 2, …"),
    (
        Role::Confidence,
        "Confidence",
        "probability of the true label",
    ),
    (Role::Loss, "Loss", "cross-entropy loss of the record"),
    (Role::Id, "Record id", "shown in the exposed-records table"),
];

fn slot(m: &mut ColumnMapping, r: Role) -> &mut Option<usize> {
    match r {
        Role::Member => &mut m.member,
        Role::Id => &mut m.id,
        Role::Label => &mut m.label,
        Role::Confidence => &mut m.confidence,
        Role::Loss => &mut m.loss,
    }
}

#[component]
pub fn MappingPanel(props: &MappingPanelProps) -> Html {
    let detected = detect_columns(&props.headers);
    let base = props.mapping.clone().unwrap_or_else(|| detected.clone());
    let draft = use_state(|| base.clone());
    {
        let draft = draft.clone();
        use_effect_with(base.clone(), move |b| draft.set(b.clone()));
    }
    let selects = ROLES.iter().map(|&(role, title, hint)| {
        let mut m = (*draft).clone();
        let current = *slot(&mut m, role);
        let onchange = {
            let draft = draft.clone();
            Callback::from(move |e: Event| {
                let sel: HtmlSelectElement = e.target_unchecked_into();
                let mut m = (*draft).clone();
                *slot(&mut m, role) = sel.value().parse::<usize>().ok();
                draft.set(m);
            })
        };
        html! {
            <label class="map-row">
                <span class="map-title">{title}<small>{hint}</small></span>
                <select onchange={onchange} data-testid={format!("map-{}", title.to_lowercase().replace(' ', "-"))}>
                    <option value="" selected={current.is_none()}>{"(none)"}</option>
                    { for props.headers.iter().enumerate().map(|(i, h)| html! {
                        <option value={i.to_string()} selected={current == Some(i)}>{h}</option>
                    }) }
                </select>
            </label>
        }
    });
    let class_cols = |name: &str, cols: &[usize], detected: &[usize]| {
        let n = cols.len().max(detected.len());
        (n > 0).then(|| (name.to_string(), cols.len(), detected.len()))
    };
    let toggles = [
        class_cols("prob", &draft.probs, &detected.probs).map(|t| (t, true)),
        class_cols("logit", &draft.logits, &detected.logits).map(|t| (t, false)),
    ];
    let toggle_html = toggles
        .into_iter()
        .flatten()
        .map(|((name, used, found), is_prob)| {
            let draft = draft.clone();
            let detected = detected.clone();
            let onchange = Callback::from(move |e: Event| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                let mut m = (*draft).clone();
                let cols = if input.checked() {
                    if is_prob {
                        detected.probs.clone()
                    } else {
                        detected.logits.clone()
                    }
                } else {
                    Vec::new()
                };
                if is_prob {
                    m.probs = cols
                } else {
                    m.logits = cols
                }
                draft.set(m);
            });
            html! {
                <label class="map-check">
                    <input type="checkbox" checked={used > 0} onchange={onchange} />
                    {format!("Use the {found} `{name}_*` columns (one per class)")}
                </label>
            }
        });
    let apply = {
        let draft = draft.clone();
        let on_apply = props.on_apply.clone();
        Callback::from(move |_: MouseEvent| on_apply.emit((*draft).clone()))
    };
    let changed = *draft != base || props.mapping.is_none();
    html! {
        <details class="panel mapping" open={props.open}>
            <summary>{"Column mapping"}</summary>
            <p class="muted">{"Detected from the header names (case-insensitive). Change a role and re-run the audit."}</p>
            { for selects }
            { for toggle_html }
            <button class="primary" onclick={apply} disabled={!changed} data-testid="apply-mapping">{"Re-run with this mapping"}</button>
        </details>
    }
}
