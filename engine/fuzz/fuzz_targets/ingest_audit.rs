//! Fuzz target: any bytes through CSV ingest (whole, and streamed from a head split at a point the
//! input chooses, folding the per-class columns into their signals as an audit's read does) and,
//! when they make a table, through the full audit report and its JSON. Nothing may panic; the
//! streamed read must give the same table (but for the folded columns), the same ingest report
//! and the same audit as the whole read. A read in two parts, cut at a line start the input
//! chooses, must equal the whole read whenever the first part ends on a record boundary.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mia_engine::{audit, ingest, IngestProgress};

fuzz_target!(|data: &[u8]| {
    if data.is_empty() {
        return;
    }
    // The first byte picks where the streamed read's head ends.
    let (split, bytes) = (data[0] as usize, &data[1..]);
    let whole = ingest(bytes, None);
    let head = bytes[..split.min(bytes.len())].to_vec();
    let rest = &bytes[head.len()..];
    let streamed = IngestProgress::start_stream(head, rest, bytes.len() as u64, None, true)
        .map(IngestProgress::fold_class_outputs)
        .and_then(|mut p| {
            while !p.step(7)? {}
            p.finish()
        });
    match (&whole, &streamed) {
        (Ok(a), Ok(b)) => {
            let mut kept = b.table.clone();
            kept.probs = a.table.probs.clone();
            kept.logits = a.table.logits.clone();
            kept.folded = None;
            assert_eq!(a.table, kept);
            assert_eq!(a.report, b.report);
            if a.table.len() <= 5_000 {
                let json = |t| audit(t).map(|r| serde_json::to_string(&r).unwrap_or_default());
                match (json(&a.table), json(&b.table)) {
                    (Ok(x), Ok(y)) => assert_eq!(x, y, "folding changed the audit"),
                    (Err(x), Err(y)) => assert_eq!(x.to_string(), y.to_string()),
                    (x, y) => panic!("folding changed the audit: {x:?} vs {y:?}"),
                }
            }
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("whole and streamed reads disagree: {whole:?} vs {streamed:?}"),
    }
    // The second byte picks where a second reader starts: the first line start from there on.
    if let Some(&at) = data.get(1) {
        let from = at as usize * bytes.len() / 256;
        if let Some(i) = bytes[from..].iter().position(|&b| b == b'\n') {
            let cut = from + i + 1;
            if let Ok(mut first) = IngestProgress::start(&bytes[..cut], None) {
                while !first.step(5).expect("slices cannot fail") {}
                if first.ended_on_line_end() {
                    let rest = &bytes[cut..];
                    let mut second =
                        IngestProgress::start_part(first.part_plan(), rest, rest.len() as u64);
                    while !second.step(3).expect("slices cannot fail") {}
                    let mut part = second.finish_part();
                    let floats = part.take_float_columns();
                    assert!(part.put_float_columns(floats));
                    first.append_part(part).expect("the parts share a plan");
                    let joined = first.finish();
                    match (&whole, &joined) {
                        (Ok(a), Ok(b)) => assert_eq!(a, b),
                        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                        _ => panic!("whole and two-part reads disagree: {whole:?} vs {joined:?}"),
                    }
                }
            }
        }
    }
    if let Ok(ing) = whole {
        if ing.table.len() <= 5_000 {
            if let Ok(report) = audit(&ing.table) {
                let _ = mia_engine::output::report_json::report_json(&report, &ing.report, &[]);
            }
        }
    }
});
