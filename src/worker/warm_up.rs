//! Warming the worker's code up while the page is idle.
//!
//! Browsers compile WebAssembly in tiers: a function first runs as quickly compiled baseline code
//! and is recompiled optimised only once it has run a while. The first large upload on a fresh
//! page used to pay for that (the README's performance section has the figures). So once the
//! page's first request is answered, the worker reads and audits two generated files, one in the
//! wide layout (labels, probabilities, logits, confidence and loss) and one in the narrow one
//! (confidence and loss), then reads a generated reference-attack file and runs every reference
//! attack on it, which runs every hot function enough to be optimised. It sends nothing, and
//! stops at the first message from the page.

use std::fmt::Write;

use futures::{FutureExt, StreamExt};
use mia_engine::attack::report::{model_summary, SignalAuditor};
use mia_engine::reference_attack::{ReferenceAttackRun, ReferenceSettings};
use mia_engine::Signal;

use crate::worker::pacing::{Scope, Stop};
use crate::worker::read::{open_upload, Purpose};

/// Records in the generated wide file.
const RECORDS: usize = 10_000;
/// Records in the generated narrow file.
const NARROW_RECORDS: usize = 20_000;
/// Classes of the generated model outputs.
const CLASSES: usize = 10;

/// A deterministic audit CSV in the wide layout (numbers need not be consistent: only the code
/// paths matter).
pub fn generated_audit_csv() -> String {
    let mut s = String::with_capacity(RECORDS * 240);
    s.push_str("id,member,label");
    for k in 0..CLASSES {
        let _ = write!(s, ",prob_{k}");
    }
    for k in 0..CLASSES {
        let _ = write!(s, ",logit_{k}");
    }
    s.push_str(",confidence,loss\n");
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut draw = |below: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % below
    };
    for i in 0..RECORDS {
        let label = draw(CLASSES as u64);
        let _ = write!(s, "{i},{},{label}", i & 1);
        for _ in 0..CLASSES {
            let _ = write!(s, ",0.{:08}", draw(12_500_000));
        }
        for _ in 0..CLASSES {
            let _ = write!(s, ",-{}.{:05}", draw(3), draw(100_000));
        }
        let _ = writeln!(
            s,
            ",0.{:08},{}.{:08}",
            draw(100_000_000),
            draw(4),
            draw(100_000_000)
        );
    }
    s
}

/// A deterministic audit CSV in the narrow layout: id, member, confidence, loss.
pub fn generated_narrow_csv() -> String {
    let mut s = String::with_capacity(NARROW_RECORDS * 32);
    s.push_str("id,member,confidence,loss\n");
    for i in 0..NARROW_RECORDS {
        // Distinct confidences, their loss decreasing with them (as -ln c does).
        let c = 500_000 + (i * 7_919) % 499_999;
        let _ = writeln!(s, "{i},{},0.{c:06},0.{:06}", i & 1, 1_000_000 - c);
    }
    s
}

/// Records and references of the generated reference-attack file.
const REFERENCE_RECORDS: usize = 3_000;
const REFERENCES: usize = 16;

/// A deterministic reference-attack CSV (logit mode: `phi` and `ref_phi_j`, written with every
/// digit of a double as Python's `repr` writes them, the layout of real exports).
pub fn generated_reference_csv() -> String {
    let mut s = String::with_capacity(REFERENCE_RECORDS * REFERENCES * 24);
    s.push_str("id,member,phi");
    for j in 0..REFERENCES {
        let _ = write!(s, ",ref_in_{j},ref_phi_{j}");
    }
    s.push('\n');
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut uniform = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for i in 0..REFERENCE_RECORDS {
        let member = i & 1;
        let _ = write!(s, "{i},{member},{}", 2.0 + member as f64 + uniform() - 0.5);
        for _ in 0..REFERENCES {
            let in_ = uniform() < 0.5;
            let phi = 2.0 + f64::from(u8::from(in_)) + 2.0 * (uniform() - 0.5);
            let _ = write!(s, ",{},{phi}", u8::from(in_));
        }
        s.push('\n');
    }
    s
}

/// The generated reference-attack file as a `File`.
pub fn generated_reference_file() -> Option<web_sys::File> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&generated_reference_csv()));
    web_sys::File::new_with_str_sequence(&parts, "warm-up-reference.csv").ok()
}

/// The generated files as `File`s, read as an upload is.
pub fn generated_audit_files() -> Vec<web_sys::File> {
    [
        ("warm-up-wide.csv", generated_audit_csv()),
        ("warm-up-narrow.csv", generated_narrow_csv()),
    ]
    .into_iter()
    .filter_map(|(name, csv)| {
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&csv));
        web_sys::File::new_with_str_sequence(&parts, name).ok()
    })
    .collect()
}

/// Reads and audits [`generated_audit_files`] in steps, looking at the inbox between steps:
/// `Err` with what the page sent, which ends the warm-up.
pub async fn warm_up(scope: &mut Scope) -> Result<(), Stop> {
    async fn look(scope: &mut Scope) -> Result<(), Stop> {
        crate::worker::event_loop::yield_to_event_loop().await;
        match scope.next().now_or_never() {
            None => Ok(()),
            Some(None) => Err(Stop::Closed),
            Some(Some(req)) => Err(Stop::Superseded(Box::new(req))),
        }
    }
    // The part worker warms itself up meanwhile.
    crate::worker::part::warm_up_part_worker();
    // Read as an upload is (the same compiled code: the reader is generic over its input).
    for file in generated_audit_files() {
        let Ok((Ok(mut reading), slices)) = open_upload(file, None, None, Purpose::Audit) else {
            continue;
        };
        loop {
            look(scope).await?;
            slices.read_ahead().await;
            match reading.step_stream(5_000) {
                Ok(true) => break,
                Ok(false) => {}
                Err(_) => break,
            }
        }
        let Ok(ingested) = reading.finish() else {
            continue;
        };
        let table = ingested.table;
        let mut auditor = SignalAuditor::new(&table, true);
        for s in Signal::available(&table) {
            look(scope).await?;
            let _ = auditor.audit(s);
        }
        let _ = model_summary(&table);
    }
    // The reference attacks: read as an upload is, then every task.
    let Some(file) = generated_reference_file() else {
        return Ok(());
    };
    let Ok((Ok(mut reading), slices)) = crate::worker::read::open_reference_upload(file, None)
    else {
        return Ok(());
    };
    loop {
        look(scope).await?;
        slices.read_ahead().await;
        match reading.step_stream(1_000) {
            Ok(true) => break,
            Ok(false) => {}
            Err(_) => return Ok(()),
        }
    }
    let Ok(ingested) = reading.finish() else {
        return Ok(());
    };
    let mut run = ReferenceAttackRun::new(&ingested.table, ReferenceSettings::default());
    loop {
        look(scope).await?;
        if run.step() {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_generated_file_reads_cleanly_and_gives_every_signal() {
        let csv = super::generated_audit_csv();
        let read = mia_engine::ingest(csv.as_bytes(), None).unwrap();
        assert_eq!(read.report.n_kept, super::RECORDS as u64);
        assert_eq!(read.report.n_skipped, 0);
        assert_eq!(
            mia_engine::Signal::available(&read.table),
            mia_engine::Signal::ALL.to_vec()
        );
        let reference = mia_engine::reference_attack::read_reference_csv(
            super::generated_reference_csv().as_bytes(),
        )
        .unwrap();
        assert_eq!(reference.report.n_skipped, 0);
        assert_eq!(
            (reference.table.len(), reference.table.m),
            (super::REFERENCE_RECORDS, super::REFERENCES)
        );
        let narrow = mia_engine::ingest(super::generated_narrow_csv().as_bytes(), None).unwrap();
        assert_eq!(narrow.report.n_kept, super::NARROW_RECORDS as u64);
        assert_eq!(narrow.report.n_skipped, 0);
        assert_eq!(mia_engine::Signal::available(&narrow.table).len(), 3);
    }
}
