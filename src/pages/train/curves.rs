//! The live curves of a run, drawn by [`crate::charts::training_curves`] each time the worker
//! sends the run as it stands.

use std::rc::Rc;

use mia_engine::training::run::EpochRecord;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::charts::training_curves::draw_training_curves;
use crate::protocol::TrainSnapshot;
use crate::widgets::chart_canvas::{draw_later, fit_canvas, use_drawings, ExportPng};

#[derive(Properties, PartialEq)]
pub struct TrainingCurvesProps {
    pub snapshot: Rc<TrainSnapshot>,
    pub window_width: f64,
}

#[component]
pub fn TrainingCurves(props: &TrainingCurvesProps) -> Html {
    let canvas = use_node_ref();
    let drawings = use_drawings();
    {
        let canvas = canvas.clone();
        use_effect_with(
            (props.snapshot.clone(), props.window_width.to_bits()),
            move |(snap, _)| {
                let snap = snap.clone();
                draw_later(&drawings, move || {
                    if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                        // The width from the container; the drawing sets the height it needs.
                        fit_canvas(&c, 0.6, 240);
                        let s = &snap.settings;
                        let target = (s.early_stop
                            == mia_engine::training::settings::EarlyStop::Gap)
                            .then_some(s.target_gap);
                        draw_training_curves(&c, &snap.history, s.epochs, target);
                    }
                });
            },
        );
    }
    // Every epoch's figures at full precision, for tests and scripts to compare with `mia train`.
    let h = &props.snapshot.history;
    let series = |f: fn(&EpochRecord) -> f64| {
        h.iter()
            .map(|r| f(r).to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    html! {
        <figure class="chart">
            <figcaption>
                <span>{"Epoch by epoch"}</span>
                <ExportPng canvas={canvas.clone()} file_name="training-curves.png" />
            </figcaption>
            <div class="canvas-box">
                <canvas ref={canvas} data-testid="train-curves" data-epochs={h.len().to_string()}
                    data-auc={series(|r| r.attack_auc)} data-heldout-loss={series(|r| r.held_out_loss)}
                    aria-label="Train and held-out loss and accuracy, the generalisation gap and the attack per epoch"></canvas>
            </div>
        </figure>
    }
}
