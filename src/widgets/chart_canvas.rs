//! Helpers shared by the chart components: sizing a canvas to its container and exporting PNGs.

use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

/// Sets the canvas's drawing size to its container's width (plotters-canvas draws in the canvas's
/// own pixel grid, so attributes and CSS size must agree). Height is `aspect` × width, at least
/// `min_height`.
pub fn fit_canvas(canvas: &HtmlCanvasElement, aspect: f64, min_height: u32) {
    let width = canvas
        .parent_element()
        .map(|p| p.client_width())
        .filter(|&w| w > 0)
        .unwrap_or(600) as u32;
    let height = ((width as f64 * aspect) as u32).max(min_height);
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
}

#[derive(Properties, PartialEq)]
pub struct ExportPngProps {
    pub canvas: NodeRef,
    pub file_name: AttrValue,
}

/// A button that saves the chart as a PNG file (made in the browser, nothing is sent).
#[component]
pub fn ExportPng(props: &ExportPngProps) -> Html {
    let onclick = {
        let canvas = props.canvas.clone();
        let file_name = props.file_name.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(c) = canvas.cast::<HtmlCanvasElement>() else {
                return;
            };
            let Ok(url) = c.to_data_url_with_type("image/png") else {
                return;
            };
            let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            let Ok(a) = doc.create_element("a") else {
                return;
            };
            let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() else {
                return;
            };
            a.set_href(&url);
            a.set_download(&file_name);
            a.click();
        })
    };
    html! { <button class="export" onclick={onclick} title="Save this chart as a PNG image">{"PNG"}</button> }
}

/// The width a page's charts are drawn at: the window's while the page is on screen, 0 while it
/// is hidden (so its charts redraw at the right size when it is shown again).
pub fn chart_width(visible: bool, window_width: f64) -> f64 {
    if visible {
        window_width
    } else {
        0.0
    }
}

/// The generation a chart's drawings are counted with by [`draw_later`], kept across renders.
#[hook]
pub fn use_drawings() -> std::rc::Rc<std::cell::Cell<u32>> {
    (*use_memo((), |_| std::rc::Rc::new(std::cell::Cell::new(0u32)))).clone()
}

/// Runs `draw` in a task of its own, after the browser has drawn its next frame, unless a newer
/// call on the same `generation` came meanwhile (a chart redrawn while data streams in draws only
/// its latest state). After the frame the page's layout is up to date, so the drawing's text
/// measurements (plotters measures each label in the document) do not force a layout of the
/// whole page, and a page's render and its charts' drawings never add up to one long
/// main-thread task.
pub fn draw_later(generation: &std::rc::Rc<std::cell::Cell<u32>>, draw: impl FnOnce() + 'static) {
    let mine = generation.get().wrapping_add(1);
    generation.set(mine);
    let generation = generation.clone();
    yew::platform::spawn_local(async move {
        next_frame().await;
        yew::platform::time::sleep(std::time::Duration::ZERO).await;
        if generation.get() == mine {
            draw();
        }
    });
}

/// Marks a canvas as drawn (`data-drawn`, counting its drawings), for whoever waits for the
/// chart rather than the figures beside it (the page's tests and benchmarks).
pub fn mark_drawn(canvas: &HtmlCanvasElement) {
    let n = canvas
        .get_attribute("data-drawn")
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(0);
    let _ = canvas.set_attribute("data-drawn", &(n + 1).to_string());
}

/// Resolves at the browser's next animation frame (at once where there is none).
async fn next_frame() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if window.request_animation_frame(&resolve).is_err() {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
