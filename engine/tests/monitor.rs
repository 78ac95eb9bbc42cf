//! The query-log monitor against `scripts/reference/make_monitor_reference.py` (a Python
//! transcription of the seed's `MembershipInferenceDetector`, replayed over generated logs: keys
//! that only repeat, only sweep, do both, stay under the volume threshold; queries exactly one
//! window old and a microsecond younger; repeats that leave the window; equal times; rows out of
//! order; Unix and ISO 8601 times in five forms; raw inputs hashed with SHA-256). Every figure is
//! exact: the same float operations on the same numbers. Then the settings' and the reader's
//! refusals, each naming what to fix, and memory over 10 million streamed queries.

mod common;

use common::{fixture, fixture_json, read};
use mia_engine::monitor::{
    analyse, read_query_log, Detector, DetectorSettings, KeyReport, MonitorReport, RepeatScope,
    Replay,
};
use serde_json::Value;
use std::fmt::Write;

const LOGS: [&str; 2] = ["log.csv", "log_input.csv"];
const VARIANTS: [&str; 3] = ["window", "all_time", "custom_window"];

fn settings_of(v: &Value) -> DetectorSettings {
    let s = &v["settings"];
    DetectorSettings {
        window_seconds: s["window_seconds"].as_f64().unwrap(),
        repeat_threshold: s["repeat_threshold"].as_u64().unwrap() as u32,
        repeated_inputs_threshold: s["repeated_inputs_threshold"].as_u64().unwrap() as u32,
        diversity_threshold: s["diversity_threshold"].as_f64().unwrap(),
        min_total: s["min_total"].as_u64().unwrap(),
        block_risk: s["block_risk"].as_f64().unwrap(),
        monitor_risk: s["monitor_risk"].as_f64().unwrap(),
        repeat_scope: match s["repeat_scope"].as_str().unwrap() {
            "window" => RepeatScope::Window,
            _ => RepeatScope::AllTime,
        },
    }
}

/// The engine's replay of `log` under the reference's `variant`, with the reference.
fn replayed(log: &str, variant: &str) -> (MonitorReport, Value) {
    let want = fixture_json("monitor/reference.json")["logs"][log][variant].clone();
    let settings = settings_of(&want).check().unwrap();
    let parsed = read_query_log(&read(&fixture(&format!("monitor/{log}")))).unwrap();
    (analyse(&parsed, &settings), want)
}

fn assert_key(k: &KeyReport, w: &Value, at: &str) {
    let f = &k.figures;
    let time = |v: &Value| v.as_f64();
    let ints = [
        ("queries", k.queries),
        ("total", f.total),
        ("unique", f.unique),
        ("repeated_inputs", f.repeated_inputs),
        ("max_repeats", f.max_repeats),
        ("repeated_queries", f.repeated_queries),
        ("allow", k.decisions.allow),
        ("monitor", k.decisions.monitor),
        ("block", k.decisions.block),
    ];
    for (name, got) in ints {
        let want = w.get(name).unwrap_or(&w["decisions"][name]);
        assert_eq!(got, want.as_u64().unwrap(), "{at}: {name}");
    }
    assert!(
        (f.diversity - w["diversity"].as_f64().unwrap()).abs() <= 1e-12,
        "{at}: diversity"
    );
    assert_eq!(
        f.suspicious_repeat,
        w["suspicious_repeat"].as_bool().unwrap(),
        "{at}"
    );
    assert_eq!(
        f.suspicious_diversity,
        w["suspicious_diversity"].as_bool().unwrap(),
        "{at}"
    );
    assert_eq!(f.risk, w["risk"].as_f64().unwrap(), "{at}: risk");
    assert_eq!(
        f.action.key(),
        w["action"].as_str().unwrap(),
        "{at}: action"
    );
    assert_eq!(
        k.peak_risk,
        w["peak_risk"].as_f64().unwrap(),
        "{at}: peak risk"
    );
    assert_eq!(
        k.first_seen,
        w["first_seen"].as_f64().unwrap(),
        "{at}: first seen"
    );
    assert_eq!(
        k.last_seen,
        w["last_seen"].as_f64().unwrap(),
        "{at}: last seen"
    );
    assert_eq!(
        k.first_flagged_at,
        time(&w["first_flagged_at"]),
        "{at}: first flagged"
    );
    assert_eq!(
        k.first_blocked_at,
        time(&w["first_blocked_at"]),
        "{at}: first blocked"
    );
    let top: Vec<(String, u64)> = w["top_inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_u64().unwrap()))
        .collect();
    let got: Vec<(String, u64)> = k
        .top_inputs
        .iter()
        .map(|t| (t.input_hash.clone(), t.count))
        .collect();
    assert_eq!(got, top, "{at}: top inputs");
}

#[test]
fn every_key_s_figures_are_the_seed_transcription_s() {
    for log in LOGS {
        for variant in VARIANTS {
            let (report, want) = replayed(log, variant);
            let at = format!("{log} {variant}");
            assert_eq!(
                report.n_queries,
                want["n_queries"].as_u64().unwrap(),
                "{at}"
            );
            assert_eq!(
                report.out_of_order,
                want["out_of_order"].as_u64().unwrap(),
                "{at}"
            );
            let keys = want["keys"].as_object().unwrap();
            let names: Vec<&str> = report.keys.iter().map(|k| k.api_key.as_str()).collect();
            assert_eq!(
                names,
                keys.keys().map(String::as_str).collect::<Vec<_>>(),
                "{at}"
            );
            for k in &report.keys {
                assert_key(k, &keys[&k.api_key], &format!("{at} {}", k.api_key));
            }
        }
    }
}

#[test]
fn the_generated_cases_are_there() {
    let (window, _) = replayed("log.csv", "window");
    let (all_time, _) = replayed("log.csv", "all_time");
    let key = |r: &MonitorReport, name: &str| {
        let k = r.keys.iter().find(|k| k.api_key == name).unwrap();
        (
            k.figures.total,
            k.figures.repeated_inputs,
            k.figures.action.key(),
        )
    };
    // The window's edge: a query exactly one window old is out, a microsecond younger is in.
    assert_eq!(key(&window, "edge_out"), (100, 0, "allow"));
    assert_eq!(key(&window, "edge_in"), (101, 0, "monitor"));
    // Strict comparisons: 10 repeated inputs, 100 queries, diversity 0.9 exactly flag nothing.
    assert_eq!(key(&window, "repeat_ten").2, "allow");
    assert_eq!(key(&window, "sweep_exact_100").2, "allow");
    assert_eq!(key(&window, "sweep_diversity_0.9").2, "allow");
    assert_eq!(key(&window, "both").2, "block");
    // Repeats that left the window count only in the seed's all-time counter.
    assert_eq!(key(&window, "repeat_edge"), (34, 0, "allow"));
    assert_eq!(key(&all_time, "repeat_edge"), (34, 11, "monitor"));
    assert!(window.out_of_order > 100);
}

#[test]
fn the_stream_decides_as_the_replay() {
    let bytes = read(&fixture("monitor/log.csv"));
    let log = read_query_log(&bytes).unwrap();
    for scope in [RepeatScope::Window, RepeatScope::AllTime] {
        let settings = DetectorSettings {
            repeat_scope: scope,
            ..DetectorSettings::default()
        }
        .check()
        .unwrap();
        let report = analyse(&log, &settings);
        let mut d = Detector::new(settings);
        let mut decisions = std::collections::BTreeMap::<&str, [u64; 3]>::new();
        for q in &log.queries {
            let key = log.keys[q.key as usize].as_str();
            let a = d.push(key, log.inputs.get(q.input), q.time);
            decisions.entry(key).or_default()[a.action as usize] += 1;
        }
        for k in &report.keys {
            assert_eq!(
                d.assess(&k.api_key),
                Some(k.figures),
                "{scope:?} {}",
                k.api_key
            );
            let c = k.decisions;
            assert_eq!(decisions[k.api_key.as_str()], [c.allow, c.monitor, c.block]);
        }
        // Step by step, as the page's worker runs it, the same report.
        let mut replay = Replay::new(&log, &settings);
        while !replay.step(97) {}
        assert_eq!(replay.finish(), report);
    }
}

#[test]
fn settings_are_refused_with_what_to_give() {
    let with = |f: fn(&mut DetectorSettings)| {
        let mut s = DetectorSettings::default();
        f(&mut s);
        s.check().unwrap_err().to_string()
    };
    for (got, want) in [
        (
            with(|s| s.window_seconds = 0.0),
            "window = 0 s: give a positive number of seconds (3600 is one hour).",
        ),
        (
            with(|s| s.window_seconds = -60.0),
            "window = -60 s: give a positive number of seconds (3600 is one hour).",
        ),
        (
            with(|s| s.window_seconds = f64::NAN),
            "window = NaN s: give a positive number of seconds (3600 is one hour).",
        ),
        (
            with(|s| s.window_seconds = f64::INFINITY),
            "window = inf s: give a positive number of seconds (3600 is one hour).",
        ),
        (
            with(|s| s.block_risk = -0.1),
            "block risk = -0.1: give a number from 0 to 1.",
        ),
        (
            with(|s| s.monitor_risk = f64::NAN),
            "monitor risk = NaN: give a number from 0 to 1.",
        ),
        (
            with(|s| s.diversity_threshold = 2.0),
            "diversity threshold = 2: give a number from 0 to 1.",
        ),
        (
            with(|s| s.monitor_risk = 0.9),
            "monitor risk 0.9 is above block risk 0.7: give a monitor level at most the block level.",
        ),
    ] {
        assert_eq!(got, want);
    }
}

#[test]
fn bad_rows_are_named() {
    const H: &str = "api_key,input_hash,timestamp\n";
    for (csv, want) in [
        (
            format!("{H}k,h,1\nk,h,2024-03-01T12:00:00\n"),
            "row 3, column `timestamp`: `2024-03-01T12:00:00` has no time zone: end it with Z or \
             an offset such as +01:00. Give Unix seconds (1709294400 or 1709294400.25) or ISO \
             8601 with a zone (2024-03-01T12:00:00Z, 2024-03-01T13:00:00+01:00).",
        ),
        (
            format!("{H}k,h,1\n,h,2\n"),
            "row 3, column `api_key`: the key is empty. Give every query the API key that sent it.",
        ),
        (
            format!("{H}k,,1\n"),
            "row 2, column `input_hash`: the hash is empty.",
        ),
        (
            "api_key,hash,timestamp\nk,h,1\n".to_string(),
            "row 1 (the header): no `input_hash` column among `api_key`, `hash`, `timestamp`. A \
             query log needs the columns api_key, input_hash (or input, which is then hashed with \
             SHA-256) and timestamp.",
        ),
        (
            "key,input,time\n".to_string(),
            "row 1 (the header): no `api_key` column among `key`, `input`, `time`.",
        ),
        (
            H.to_string(),
            "the log has a header and no queries: add one row per query.",
        ),
        (
            "\n \n".to_string(),
            "the log is empty: give a CSV with a header",
        ),
        (
            format!("{H}k,h,1\nk,h,x1\n"),
            "row 3, column `timestamp`: `x1` is neither",
        ),
        (
            format!("{H}k,h\n"),
            "row 2, column `timestamp`: `` is empty.",
        ),
    ] {
        let got = read_query_log(csv.as_bytes()).unwrap_err().to_string();
        assert!(got.starts_with(want), "{csv:?}:\n{got}\nwant: {want}");
    }
    let not_utf8 = read_query_log(b"api_key,input_hash,timestamp\n\xff,h,1\n").unwrap_err();
    assert_eq!(
        not_utf8.to_string(),
        "row 2, column `api_key`: the bytes are not UTF-8; save the log as UTF-8."
    );
}

#[test]
fn a_stream_reader_goes_on_after_a_bad_row() {
    let csv = "api_key,input_hash,timestamp\nk,h,1\nk,h,never\nk,h2,3\n";
    let mut read = mia_engine::monitor::QueryLogRead::start_stream(
        csv.as_bytes()[..10].to_vec(),
        &csv.as_bytes()[10..],
        csv.len() as u64,
    )
    .unwrap();
    let mut seen = Vec::new();
    loop {
        match read.next_query() {
            Ok(Some(q)) => seen.push(format!("{} {} {}", q.row, q.input_hash, q.time)),
            Ok(None) => break,
            Err(e) => seen.push(e.to_string()[..6].to_string()),
        }
    }
    assert_eq!(seen, ["2 h 1", "row 3,", "4 h2 3"]);
}

/// 10 million queries from 1,000 keys, a tenth of them inputs never seen before: the entries the
/// detector holds (window queries, per-input counts, numbered inputs) stay flat once the first
/// window has filled, bounded by the queries in a window.
#[test]
fn memory_stays_flat_over_ten_million_queries() {
    const QUERIES: u64 = 10_000_000;
    const KEYS: u64 = 1_000;
    const STEP: f64 = 0.01; // seconds between queries: 360,000 queries per hour-long window
    let settings = DetectorSettings::default().check().unwrap();
    let per_window = (settings.get().window_seconds / STEP) as usize;
    let mut d = Detector::new(settings);
    let keys: Vec<String> = (0..KEYS).map(|k| format!("key-{k}")).collect();
    let pool: Vec<String> = (0..64).map(|i| format!("pool-{i}")).collect();
    let mut fresh = String::new();
    let mut state = 21u64;
    let mut checkpoints = Vec::new();
    for i in 0..QUERIES {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let input = if (state >> 40).is_multiple_of(10) {
            // A new input every time: without pruning, these alone would grow without bound.
            fresh.clear();
            write!(fresh, "{i}").unwrap();
            &fresh
        } else {
            &pool[((state >> 48) % 64) as usize]
        };
        d.push(&keys[(i % KEYS) as usize], input, i as f64 * STEP);
        if i % 1_000_000 == 999_999 {
            checkpoints.push(d.retained());
        }
    }
    assert_eq!(d.n_keys(), KEYS as usize);
    eprintln!("entries held at each million queries: {checkpoints:?}");
    // After the first window (360,000 queries), every checkpoint holds about the same.
    let settled = &checkpoints[1..];
    let (low, high) = (
        *settled.iter().min().unwrap(),
        *settled.iter().max().unwrap(),
    );
    assert!(
        high <= 3 * per_window + 2 * KEYS as usize * 64,
        "{checkpoints:?}"
    );
    assert!((high - low) * 50 < high, "not flat: {checkpoints:?}");
}

/// Cut, spliced and scrambled logs: a log or an error naming what is wrong, never a panic.
#[test]
fn any_bytes_give_a_log_or_an_error() {
    let good = read(&fixture("monitor/log_input.csv"));
    let settings = DetectorSettings::default().check().unwrap();
    let mut state = 99u64;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % n.max(1)
    };
    let mut refused = 0;
    for case in 0..400 {
        let mut bytes = good[..next(good.len())].to_vec();
        for _ in 0..case % 7 {
            let at = next(bytes.len() + 1);
            let byte = [b',', b';', b'"', b'\n', b'\r', b'-', b'T', b':', 0xff, b'9'][next(10)];
            bytes.insert(at.min(bytes.len()), byte);
        }
        match read_query_log(&bytes) {
            Ok(log) => {
                let report = analyse(&log, &settings);
                assert_eq!(report.n_queries as usize, log.queries.len());
            }
            Err(e) => {
                assert!(!e.to_string().is_empty());
                refused += 1;
            }
        }
    }
    assert!(refused > 0 && refused < 400, "{refused}");
}
