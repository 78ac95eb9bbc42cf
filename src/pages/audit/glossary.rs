//! What each figure means, in a few sentences.

use yew::prelude::*;

const ENTRIES: [(&str, &str); 8] = [
    ("Threshold attack", "Yeom et al. (2018): the attacker scores each record (e.g. the model's confidence on it) and calls it a member when the score passes a threshold. Models are more confident on what they were trained on, so this works whenever the model overfits."),
    ("AUC", "The probability that a random member scores higher than a random non-member (ties count half). 0.5 is guessing; 1 means members and non-members are perfectly separable. Computed exactly as scikit-learn's roc_auc_score."),
    ("TPR at low FPR", "The share of members the attacker identifies while wrongly flagging at most 0.1 %, 1 % or 10 % of non-members. Carlini et al. (2022) argue this matters more than AUC: an attack that confidently exposes a few people is a real breach even when the AUC looks harmless. It is not measurable when there are fewer than 1/FPR non-members."),
    ("Attacker advantage", "max(TPR − FPR) over thresholds (Yeom et al.): how much better than chance the best threshold is. 0 = no leak, 1 = total."),
    ("Balanced accuracy", "max over thresholds of (TPR + TNR)/2: the attack's accuracy when members and non-members are equally likely."),
    ("Generalization gap", "Mean loss on non-members minus mean loss on members. A large gap means overfitting, the root cause of membership leakage."),
    ("Risk level", "From the AUC: above 0.75 critical, above 0.65 high, above 0.55 medium, otherwise low."),
    ("Signals", "Confidence, loss, max probability, entropy, modified entropy (Song & Mittal 2021) and the logit-scaled confidence used by LiRA (Carlini et al. 2022). Each is oriented so a higher score means “more likely a member”."),
];

#[component]
pub fn Glossary() -> Html {
    html! {
        <section class="panel glossary">
            <h3>{"What the figures mean"}</h3>
            <dl>{ for ENTRIES.iter().map(|(t, d)| html! { <><dt>{*t}</dt><dd>{*d}</dd></> }) }</dl>
        </section>
    }
}
