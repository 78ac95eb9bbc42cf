//! Member / non-member histograms with a threshold the user drags; TPR, FPR and accuracy at the
//! threshold update live.

use mia_engine::attack::histogram::ScoreHistogram;
use mia_engine::Signal;
use web_sys::{HtmlCanvasElement, HtmlInputElement, PointerEvent};
use yew::prelude::*;

use crate::charts::histogram::draw_histogram;
use crate::charts::XAxisMap;
use crate::format::{percent, sig};
use crate::widgets::chart_canvas::{fit_canvas, ExportPng};

#[derive(Properties, PartialEq)]
pub struct HistogramChartProps {
    pub histogram: ScoreHistogram,
    pub signal: Signal,
    pub threshold: f64,
    /// TPR, FPR and accuracy of "member iff score ≥ threshold".
    pub rates: (f64, f64, f64),
    pub on_threshold: Callback<Option<f64>>,
    pub window_width: f64,
    /// Switches to a signal that spreads scores out, offered when most scores share one bin.
    #[prop_or_default]
    pub on_spread: Option<Callback<()>>,
}

#[component]
pub fn HistogramChart(props: &HistogramChartProps) -> Html {
    let canvas = use_node_ref();
    let axis = use_mut_ref(XAxisMap::default);
    {
        let canvas = canvas.clone();
        let axis = axis.clone();
        let h = props.histogram.clone();
        let title = props.signal.title().to_string();
        use_effect_with(
            (h, props.threshold, props.window_width.to_bits()),
            move |(h, t, _)| {
                if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                    fit_canvas(&c, 0.55, 240);
                    if let Some(map) = draw_histogram(&c, h, *t, &title) {
                        *axis.borrow_mut() = map;
                    }
                }
            },
        );
    }
    let set_from_pointer = {
        let axis = axis.clone();
        let on_threshold = props.on_threshold.clone();
        move |e: &PointerEvent| {
            let Some(c) = e.target_dyn_into::<HtmlCanvasElement>() else {
                return;
            };
            // Canvas pixels equal CSS pixels (see fit_canvas), so offset_x maps directly.
            let scale = c.width() as f64 / c.client_width().max(1) as f64;
            // Read the mapping before emitting: the redraw it triggers writes the mapping.
            let value = axis.borrow().value_at(e.offset_x() as f64 * scale);
            on_threshold.emit(Some(value));
        }
    };
    let on_down = {
        let set = set_from_pointer.clone();
        Callback::from(move |e: PointerEvent| {
            if let Some(c) = e.target_dyn_into::<HtmlCanvasElement>() {
                let _ = c.set_pointer_capture(e.pointer_id());
            }
            set(&e);
        })
    };
    let on_move = Callback::from(move |e: PointerEvent| {
        if e.buttons() & 1 == 1 {
            set_from_pointer(&e);
        }
    });
    let h = &props.histogram;
    let step = (h.hi - h.lo) / 1000.0;
    let on_slider = {
        let on_threshold = props.on_threshold.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().parse::<f64>() {
                on_threshold.emit(Some(v));
            }
        })
    };
    let on_reset = {
        let on_threshold = props.on_threshold.clone();
        Callback::from(move |_: MouseEvent| on_threshold.emit(None))
    };
    let (tpr, fpr, acc) = props.rates;
    let clipped = h.n_below + h.n_above;
    let total: u64 = h.members.iter().chain(&h.nonmembers).sum();
    let fullest = h
        .members
        .iter()
        .zip(&h.nonmembers)
        .map(|(a, b)| a + b)
        .max()
        .unwrap_or(0);
    let bunched = total > 0 && fullest * 2 > total;
    html! {
        <figure class="chart">
            <figcaption>
                <span>{"Scores of members and non-members"}</span>
                <ExportPng canvas={canvas.clone()} file_name={format!("histogram_{}.png", props.signal.key())} />
            </figcaption>
            <div class="legend">
                <span><span class="swatch member"></span>{"members"}</span>
                <span><span class="swatch nonmember"></span>{"non-members"}</span>
                <span><span class="swatch threshold"></span>{"threshold (drag it)"}</span>
            </div>
            <div class="canvas-box">
                <canvas ref={canvas.clone()} class="draggable" onpointerdown={on_down} onpointermove={on_move}
                    aria-label="Histogram of the membership score for members and non-members; drag to move the threshold"></canvas>
            </div>
            <div class="threshold-controls">
                <label>{"Threshold "}
                    <input type="range" min={h.lo.to_string()} max={h.hi.to_string()} step={step.to_string()}
                        value={props.threshold.to_string()} oninput={on_slider} data-testid="threshold-slider" />
                </label>
                <button class="link" onclick={on_reset} title="The threshold with the largest TPR − FPR">{"best threshold"}</button>
            </div>
            <p class="readout" data-testid="threshold-readout">
                {"Predict “member” when score ≥ "}<strong>{sig(props.threshold, 4)}</strong>{": "}
                {"TPR "}<strong data-testid="threshold-tpr">{percent(tpr)}</strong>
                {", FPR "}<strong data-testid="threshold-fpr">{percent(fpr)}</strong>
                {", accuracy "}<strong data-testid="threshold-accuracy">{percent(acc)}</strong>
            </p>
            if bunched {
                <p class="hint small">
                    {format!("{} % of the records fall in one bin: the differences are in digits this axis cannot show. ", fullest * 100 / total)}
                    if let Some(cb) = props.on_spread.clone() {
                        <button class="link" onclick={Callback::from(move |_: MouseEvent| cb.emit(()))}>
                            {"Show the logit-scaled confidence, which spreads them out"}</button>
                    }
                </p>
            }
            if clipped > 0 {
                <p class="muted small">{format!("The axis spans the 0.5th–99.5th percentile; {clipped} records beyond it are counted in the end bins.")}</p>
            }
        </figure>
    }
}
