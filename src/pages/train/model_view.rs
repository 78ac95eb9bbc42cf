//! The current model under the threshold attack: the −loss histograms of members and held-out
//! records and the ROC (log-log by default), drawn by the audit's own chart widgets.

use std::rc::Rc;

use mia_engine::{RocCurve, Signal};
use yew::prelude::*;

use crate::protocol::CurrentAttack;
use crate::widgets::chart_canvas::{draw_later, use_drawings};
use crate::widgets::histogram_chart::HistogramChart;
use crate::widgets::roc_chart::RocChart;

#[derive(Properties, PartialEq)]
pub struct ModelViewProps {
    pub attack: Rc<CurrentAttack>,
    pub window_width: f64,
    pub log_roc: bool,
    pub on_log: Callback<bool>,
}

/// The threshold with the largest TPR − FPR.
fn best_threshold(roc: &RocCurve) -> f64 {
    (0..roc.thresholds.len())
        .max_by(|&a, &b| (roc.tpr[a] - roc.fpr[a]).total_cmp(&(roc.tpr[b] - roc.fpr[b])))
        .and_then(|i| roc.thresholds.get(i).copied())
        .filter(|t| t.is_finite())
        .unwrap_or(0.0)
}

#[component]
pub fn ModelView(props: &ModelViewProps) -> Html {
    // The charts take each new model a frame after the page has rendered it (see `draw_later`):
    // their drawing never joins the page's render in one long main-thread task.
    let shown = use_state(|| None::<Rc<CurrentAttack>>);
    {
        let shown = shown.clone();
        let drawings = use_drawings();
        use_effect_with(props.attack.clone(), move |attack| {
            let attack = attack.clone();
            draw_later(&drawings, move || shown.set(Some(attack)));
        });
    }
    // The user's threshold, until a new model arrives.
    let chosen = use_state(|| None::<f64>);
    {
        let chosen = chosen.clone();
        use_effect_with((*shown).clone(), move |_| chosen.set(None));
    }
    let Some(a) = (*shown).clone() else {
        return html! { <div class="charts" /> };
    };
    let threshold = chosen.unwrap_or_else(|| best_threshold(&a.roc));
    let rates = a.roc.at_threshold(threshold);
    let on_threshold = {
        let chosen = chosen.clone();
        Callback::from(move |t: Option<f64>| chosen.set(t))
    };
    let roc = Rc::new(a.roc.clone());
    let point = (rates.1, rates.0);
    html! {
        <div class="charts">
            <HistogramChart histogram={a.histogram.clone()} signal={Signal::NegLoss} threshold={threshold}
                rates={rates} on_threshold={on_threshold} window_width={props.window_width} />
            <RocChart roc={roc} signal={Signal::NegLoss} auc={a.auc} point={point}
                window_width={props.window_width} log={props.log_roc} on_log={props.on_log.clone()} />
        </div>
    }
}
