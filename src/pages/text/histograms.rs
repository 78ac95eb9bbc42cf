//! One histogram of training against held-out texts (a pair metric or a log-prob signal), with
//! the two means and an optional line at the metric's threshold.

use mia_engine::attack::histogram::ScoreHistogram;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::charts::histogram::draw_histogram;
use crate::format::sig;
use crate::widgets::chart_canvas::fit_canvas;

#[derive(Properties, PartialEq)]
pub struct TextHistogramProps {
    pub histogram: ScoreHistogram,
    pub title: AttrValue,
    /// A line at the metric's threshold (the seed's memorised line), if it has one.
    #[prop_or_default]
    pub threshold: Option<f64>,
    /// Means of training and held-out texts (or of every text, as the second, without `member`).
    pub means: (Option<f64>, Option<f64>),
    pub testid: AttrValue,
    pub window_width: f64,
}

#[component]
pub fn TextHistogram(props: &TextHistogramProps) -> Html {
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        let h = props.histogram.clone();
        let title = props.title.to_string();
        let t = props.threshold.unwrap_or(f64::NAN);
        use_effect_with(
            (h, t.to_bits(), props.window_width.to_bits()),
            move |(h, _, _)| {
                if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                    fit_canvas(&c, 0.6, 200);
                    draw_histogram(&c, h, t, &title);
                }
            },
        );
    }
    let has_members = props.histogram.members.iter().any(|&c| c > 0);
    let mean = |m: Option<f64>| m.map_or("–".to_string(), |v| sig(v, 3));
    html! {
        <figure class="chart text-hist" data-testid={props.testid.clone()}>
            <figcaption><span>{props.title.clone()}</span></figcaption>
            <div class="canvas-box"><canvas ref={canvas} aria-label={format!("Histogram of {}", props.title)}></canvas></div>
            <p class="legend small">
                if has_members {
                    <span class="legend-item"><span class="swatch member"></span>{format!("training (mean {})", mean(props.means.0))}</span>
                    <span class="legend-item"><span class="swatch nonmember"></span>{format!("held-out (mean {})", mean(props.means.1))}</span>
                } else {
                    <span class="legend-item"><span class="swatch nonmember"></span>{format!("every pair (mean {})", mean(props.means.1))}</span>
                }
            </p>
        </figure>
    }
}
