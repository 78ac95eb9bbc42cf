//! Benchmark (not a test): times the query-log monitor on a log, as `scripts/bench/bench_monitor.sh`
//! runs it.
//!
//!   cargo run --release -p mia-engine --example bench_monitor -- LOG.csv [--repeat N]
//!       [--figures OUT.json] [--all-time]
//!
//! Reads LOG.csv into memory (not timed), then N times (default 3): `read_query_log` (CSV, times,
//! keys and inputs numbered, sorted) and `analyse` (the replay, every key's figures, first flag,
//! timeline and top inputs), as `mia monitor` runs them; prints each run's milliseconds and the
//! best. `--figures` writes every key's final figures as JSON for the Python cross-check.

use std::collections::BTreeMap;
use std::time::Instant;

use mia_engine::monitor::{analyse, read_query_log, DetectorSettings, RepeatScope};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut file, mut repeat, mut figures, mut all_time) = (None, 3usize, None, false);
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--repeat" => {
                i += 1;
                repeat = args
                    .get(i)
                    .and_then(|s| s.parse().ok())
                    .expect("--repeat N");
            }
            "--figures" => {
                i += 1;
                figures = args.get(i).cloned();
            }
            "--all-time" => all_time = true,
            f => file = Some(f.to_string()),
        }
        i += 1;
    }
    let file =
        file.expect("usage: bench_monitor LOG.csv [--repeat N] [--figures OUT.json] [--all-time]");
    let bytes = std::fs::read(&file).expect("read the log");
    let settings = DetectorSettings {
        repeat_scope: if all_time {
            RepeatScope::AllTime
        } else {
            RepeatScope::Window
        },
        ..DetectorSettings::default()
    }
    .check()
    .expect("settings");
    let (mut reads, mut replays, mut totals) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        let log = read_query_log(&bytes).expect("a query log");
        let read_ms = t.elapsed().as_secs_f64() * 1e3;
        let t2 = Instant::now();
        let report = analyse(&log, &settings);
        let replay_ms = t2.elapsed().as_secs_f64() * 1e3;
        reads.push(read_ms);
        replays.push(replay_ms);
        totals.push(read_ms + replay_ms);
        last = Some(report);
    }
    let report = last.expect("one run");
    let best = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let list = |v: &[f64]| {
        v.iter()
            .map(|ms| format!("{ms:.1}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    println!(
        "queries {}  keys {}  out of order {}  MB {:.1}",
        report.n_queries,
        report.keys.len(),
        report.out_of_order,
        bytes.len() as f64 / 1e6
    );
    println!("read ms: {}  best {:.1}", list(&reads), best(&reads));
    println!("replay ms: {}  best {:.1}", list(&replays), best(&replays));
    println!("total ms: {}  best {:.1}", list(&totals), best(&totals));
    let a = report.final_actions;
    println!(
        "final actions: block {} monitor {} allow {}; ever flagged {}",
        a.block, a.monitor, a.allow, report.ever_flagged
    );
    if let Some(path) = figures {
        let keys: BTreeMap<&str, serde_json::Value> = report
            .keys
            .iter()
            .map(|k| {
                let f = &k.figures;
                let v = serde_json::json!({
                    "total": f.total, "unique": f.unique, "repeated_inputs": f.repeated_inputs,
                    "max_repeats": f.max_repeats, "diversity": f.diversity, "risk": f.risk,
                    "action": f.action.key(), "first_flagged_at": k.first_flagged_at,
                });
                (k.api_key.as_str(), v)
            })
            .collect();
        let text = serde_json::to_string(&keys).expect("json");
        std::fs::write(&path, text).expect("write the figures");
    }
}
