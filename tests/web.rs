//! wasm-bindgen tests, run in headless Chromium: the engine gives the same figures compiled to
//! wasm as natively, and the page's browser-only pieces work.
#![cfg(target_arch = "wasm32")]

use mia_engine::{audit, ingest, Signal};
use mia_playground::charts::histogram::draw_histogram;
use mia_playground::charts::roc::{draw_roc, RocAxes, RocOverlays};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CASE03: &[u8] =
    include_bytes!("../engine/tests/fixtures/conformance/case03_breast_cancer_logreg.csv");

/// scikit-learn's figures for case03 (from `case03_breast_cancer_logreg.expected.json`).
const CASE03_CONFIDENCE_AUC: f64 = 0.5045218680504078;
const CASE03_TPR_AT_1PCT: f64 = 0.02112676056338028;
const CASE03_ADVANTAGE: f64 = 0.040906844576229284;

#[wasm_bindgen_test]
fn engine_in_wasm_matches_scikit_learn() {
    let ing = ingest(CASE03, None).expect("case03 parses");
    let report = audit(&ing.table).expect("case03 audits");
    let r = report
        .signal(Signal::Confidence)
        .expect("confidence signal");
    assert!(
        (r.auc - CASE03_CONFIDENCE_AUC).abs() <= 1e-9,
        "AUC {}",
        r.auc
    );
    assert!((r.tpr_at_fpr[1].tpr - CASE03_TPR_AT_1PCT).abs() <= 1e-9);
    assert!((r.attacker_advantage - CASE03_ADVANTAGE).abs() <= 1e-9);
}

fn canvas(w: u32, h: u32) -> web_sys::HtmlCanvasElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let c: web_sys::HtmlCanvasElement = doc.create_element("canvas").unwrap().dyn_into().unwrap();
    c.set_width(w);
    c.set_height(h);
    doc.body().unwrap().append_child(&c).unwrap();
    c
}

/// The canvas's RGBA bytes.
fn pixels(c: &web_sys::HtmlCanvasElement) -> Vec<u8> {
    let ctx: web_sys::CanvasRenderingContext2d =
        c.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    ctx.get_image_data(0.0, 0.0, c.width() as f64, c.height() as f64)
        .unwrap()
        .data()
        .to_vec()
}

/// Whether any pixel in the canvas differs from white.
fn has_ink(c: &web_sys::HtmlCanvasElement) -> bool {
    pixels(c)
        .chunks(4)
        .any(|p| p[0] < 200 || p[1] < 200 || p[2] < 200)
}

#[wasm_bindgen_test]
fn histogram_draws_and_maps_pointer_positions_back_to_scores() {
    let report = audit(&ingest(CASE03, None).unwrap().table).unwrap();
    let r = report.signal(Signal::NegLoss).unwrap();
    let c = canvas(600, 330);
    let map = draw_histogram(&c, &r.histogram, -0.1, "negative loss").expect("drawn");
    assert!(has_ink(&c));
    assert!(map.left_px > 0.0 && map.right_px < 600.0 && map.left_px < map.right_px);
    assert_eq!(map.value_at(map.left_px), r.histogram.lo);
    assert_eq!(map.value_at(map.right_px), r.histogram.hi);
    let mid = map.value_at((map.left_px + map.right_px) / 2.0);
    assert!((mid - (r.histogram.lo + r.histogram.hi) / 2.0).abs() < 1e-9);
}

#[wasm_bindgen_test]
fn roc_draws_on_both_axes() {
    let report = audit(&ingest(CASE03, None).unwrap().table).unwrap();
    let roc = &report.signal(Signal::Confidence).unwrap().roc;
    for axes in [RocAxes::Linear, RocAxes::LogLog] {
        let c = canvas(500, 375);
        let draw = |overlays| {
            draw_roc(
                &c,
                &roc.fpr,
                &roc.tpr,
                (0.1, 0.2),
                axes,
                "confidence",
                overlays,
            )
            .expect("drawn")
        };
        draw(RocOverlays::default());
        assert!(has_ink(&c));
        assert_eq!(bound_pixels(&c), 0);
        // A claimed (ε, δ) adds the DP bound in its own colour.
        draw(RocOverlays {
            dp_bound: Some((0.5, 1e-5)),
            ..RocOverlays::default()
        });
        assert!(bound_pixels(&c) > 200, "{axes:?}");
    }
}

/// Pixels in the DP bound's colour.
fn bound_pixels(c: &web_sys::HtmlCanvasElement) -> usize {
    pixels(c)
        .chunks(4)
        .filter(|p| p[0].abs_diff(200) < 12 && p[1] < 60 && p[2].abs_diff(45) < 15)
        .count()
}

/// Same numbers as the native test `engine/tests/simulator.rs::default_draws_are_pinned`.
#[wasm_bindgen_test]
fn simulation_draws_are_the_same_in_the_browser() {
    use mia_engine::simulator::{simulate, Family, SimulationParams};
    let p = SimulationParams::default();
    let s = simulate(&p).unwrap();
    assert_eq!(
        s.members[..3],
        [0.6716971857526532, 0.8001105915347712, 0.5683699975093455]
    );
    assert_eq!(
        s.nonmembers[..3],
        [0.48076018250797176, 0.5450308159173912, 0.31653386189658106]
    );
    let b = simulate(&SimulationParams {
        family: Family::Beta,
        ..p
    })
    .unwrap();
    assert_eq!(
        b.members[..3],
        [0.5123834382679864, 0.632222090000147, 0.6956369566088494]
    );
}

#[wasm_bindgen_test]
fn csp_lockdown_is_added_once() {
    mia_playground::csp::lock_down_connections();
    mia_playground::csp::lock_down_connections();
    let doc = web_sys::window().unwrap().document().unwrap();
    let metas = doc.query_selector_all("meta#csp-lockdown").unwrap();
    assert_eq!(metas.length(), 1);
    let content = metas
        .get(0)
        .unwrap()
        .dyn_into::<web_sys::Element>()
        .unwrap()
        .get_attribute("content")
        .unwrap();
    assert!(content.contains("connect-src 'none'"));
}
