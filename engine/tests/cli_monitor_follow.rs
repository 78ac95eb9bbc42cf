//! `mia monitor --follow`: a log piped in line by line gets one decision per query, and over a
//! replay in time order each key's decisions are the seed transcription's (how many allow,
//! monitor and block, and the last one's action and risk), in the window and all-time; a line
//! that cannot be read is counted, named by its row on standard error and skipped while the
//! stream goes on; a header-less stream with --columns; the metrics served at --metrics-addr
//! while the stream is open (a real HTTP request to the port bound); the refusals.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::{assert_success, assert_usage_error, fixture, fixture_json, read, run_mia, stderr};
use mia_engine::monitor::read_query_log;
use serde_json::Value;

/// Runs `mia monitor --follow ARGS` with `input` on standard input.
fn follow(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mia"))
        .args(["monitor", "--follow"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

/// The decisions printed, one JSON object per line.
fn decisions(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A CSV cell, quoted when it must be.
fn cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The fixture log in time order (as a replay sorts it), its times as Unix seconds.
fn sorted_log(name: &str) -> String {
    let log = read_query_log(&read(&fixture(&format!("monitor/{name}")))).unwrap();
    let mut text = String::from("api_key,input_hash,timestamp\n");
    for q in &log.queries {
        text.push_str(&format!(
            "{},{},{}\n",
            cell(&log.keys[q.key as usize]),
            cell(log.inputs.get(q.input)),
            q.time
        ));
    }
    text
}

/// Each key's decisions over the stream equal the reference's count per action, and its last
/// decision has the reference's final action and risk.
fn assert_decisions_are_the_reference_s(ds: &[Value], want: &Value) {
    let keys = want["keys"].as_object().unwrap();
    assert_eq!(ds.len() as u64, want["n_queries"].as_u64().unwrap());
    let mut counts: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut last: BTreeMap<String, &Value> = BTreeMap::new();
    for (i, d) in ds.iter().enumerate() {
        assert_eq!(
            d["row"].as_u64(),
            Some(i as u64 + 2),
            "rows are the stream's lines"
        );
        let key = d["api_key"].as_str().unwrap().to_string();
        let action = d["action"].as_str().unwrap().to_string();
        *counts
            .entry(key.clone())
            .or_default()
            .entry(action)
            .or_default() += 1;
        last.insert(key, d);
    }
    assert_eq!(counts.len(), keys.len());
    for (name, w) in keys {
        for action in ["allow", "monitor", "block"] {
            let got = counts[name].get(action).copied().unwrap_or(0);
            assert_eq!(Value::from(got), w["decisions"][action], "{name}: {action}");
        }
        assert_eq!(last[name]["action"], w["action"], "{name}: last action");
        assert_eq!(last[name]["risk"], w["risk"], "{name}: last risk");
    }
}

#[test]
fn each_key_s_decisions_are_the_seed_transcription_s() {
    let reference = fixture_json("monitor/reference.json");
    for name in ["log.csv", "log_input.csv"] {
        let log = sorted_log(name);
        let out = follow(&[], log.as_bytes());
        assert_success(&out);
        let want = &reference["logs"][name];
        assert_decisions_are_the_reference_s(&decisions(&out), &want["window"]);
        let err = stderr(&out);
        assert!(err.contains("0 lines skipped"), "{err}");

        let out = follow(&["--all-time-repeats"], log.as_bytes());
        assert_success(&out);
        assert_decisions_are_the_reference_s(&decisions(&out), &want["all_time"]);
    }
}

#[test]
fn bad_lines_are_counted_named_and_skipped_and_the_stream_goes_on() {
    let long = format!("k1,{},5\n", "x".repeat((1 << 20) + 10));
    let input = format!(
        "\u{feff}api_key,input,timestamp\n\
         k1,hello,1\n\
         \n\
         k1,\"open,2\n\
         k2,only-two\n\
         ,empty-key,3\n\
         k3,x,soon\n\
         {long}\
         k1,\"a,\"\"quoted\"\"\",2024-03-01T12:00:00Z\n\
         k1,hello,2024-03-01T12:00:01Z"
    );
    let out = follow(&[], input.as_bytes());
    assert_success(&out);
    let ds = decisions(&out);
    let rows: Vec<u64> = ds.iter().map(|d| d["row"].as_u64().unwrap()).collect();
    assert_eq!(
        rows,
        [2, 9, 10],
        "the last line has no line end and still counts"
    );
    assert!(ds
        .iter()
        .all(|d| d["api_key"] == "k1" && d["action"] == "allow"));
    let err = stderr(&out);
    for needle in [
        "line skipped (1 so far): row 4: the line has a quoted field that is not closed",
        "line skipped (2 so far): row 5: the line has 2 fields where the header's columns need 3",
        "line skipped (3 so far): row 6, column `api_key`: the key is empty",
        "line skipped (4 so far): row 7, column `timestamp`: `soon` is neither",
        "line skipped (5 so far): row 8: the line is longer than 1 MiB",
        "the stream ended: 3 queries from 1 API key, 5 lines skipped. The first: row 4",
    ] {
        assert!(err.contains(needle), "{needle}\n{err}");
    }
}

#[test]
fn columns_name_a_stream_without_a_header() {
    let out = follow(
        &["--columns", "timestamp\tapi_key\tinput_hash"],
        b"100\tk1\th1\n101\tk1\th1\n",
    );
    assert_success(&out);
    let ds = decisions(&out);
    assert_eq!(ds.len(), 2);
    assert_eq!(ds[0]["row"], 1, "the first line read is row 1");
    assert_eq!(ds[1]["api_key"], "k1");
}

#[test]
fn refusals_name_what_to_do() {
    let out = follow(&[], b"key,hash,time\nk,h,1\n");
    assert_usage_error(&out, "no `api_key` column among `key`, `hash`, `time`");
    assert_usage_error(&out, "give its columns with --columns");
    let out = follow(&[], b"\n\n");
    assert_usage_error(&out, "the stream ended before its header line");
    let out = follow(&["--columns", "api_key,hash"], b"");
    assert_usage_error(&out, "(the header given with --columns)");
    let out = follow(
        &["--metrics-addr", "127.0.0.1"],
        b"api_key,input_hash,timestamp\n",
    );
    assert_usage_error(&out, "--metrics-addr `127.0.0.1`");
    let out = follow(&["--window", "0"], b"");
    assert_usage_error(&out, "--window");
    for args in [
        vec!["monitor", "--follow", "x.csv"],
        vec!["monitor", "--follow", "--json"],
        vec!["monitor", "--follow", "--metrics-out", "m.prom"],
        vec!["monitor", "x.csv", "--metrics-addr", "127.0.0.1:0"],
        vec!["monitor", "x.csv", "--columns", "a,b,c"],
    ] {
        let out = run_mia(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("cannot be used with") || stderr(&out).contains("required"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

/// A GET of `path` on `addr`: the status line and the body.
fn get(addr: &str, path: &str) -> (String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_string(), body.to_string())
}

#[test]
fn metrics_are_served_while_the_stream_is_open() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mia"))
        .args([
            "monitor",
            "--follow",
            "--metrics-addr",
            "127.0.0.1:0/metrics",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A watchdog: if the test hangs, the monitor is killed and the reads below fail.
    let pid = child.id().to_string();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(60));
        let _ = Command::new("kill").arg(&pid).status();
    });
    let mut stdin = child.stdin.take().unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut out = BufReader::new(child.stdout.take().unwrap());
    writeln!(stdin, "api_key,input_hash,timestamp").unwrap();
    for i in 0..120 {
        writeln!(stdin, "sweeper,input-{i},{}", 1000 + i).unwrap();
    }
    writeln!(stdin, "normal,a,1000\nnormal,a,1001\nnormal,b,bad").unwrap();
    stdin.flush().unwrap();
    let mut first = String::new();
    err.read_line(&mut first).unwrap();
    let url = first
        .trim()
        .strip_prefix("mia monitor --follow: serving metrics at http://")
        .unwrap_or_else(|| panic!("{first}"))
        .to_string();
    let (addr, path) = url.split_at(url.find('/').unwrap());
    assert_eq!(path, "/metrics");
    // Every decision is out before the next line arrives: the stream is still open.
    let mut line = String::new();
    for _ in 0..122 {
        line.clear();
        out.read_line(&mut line).unwrap();
    }
    let last: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(last["api_key"], "normal");
    let (status, body) = get(addr, "/metrics");
    assert!(status.contains("200"), "{status}");
    for needle in [
        "inference_requests_total{api_key=\"sweeper\"} 120\n",
        "inference_unique_inputs_ratio{api_key=\"sweeper\"} 1\n",
        "membership_inference_risk_score{api_key=\"sweeper\"} 0.5\n",
        "inference_input_repeat_count{api_key=\"normal\"} 0\n",
        "mia_monitor_queries_total 122\n",
        "mia_monitor_skipped_lines_total 1\n",
    ] {
        assert!(body.contains(needle), "{needle}\n{body}");
    }
    let (status, body) = get(addr, "/other");
    assert!(
        status.contains("404") && body.contains("/metrics"),
        "{status} {body}"
    );
    // An hour later the sweeper has been idle for a whole window: its gauges read 0.
    writeln!(stdin, "normal,c,4800").unwrap();
    stdin.flush().unwrap();
    line.clear();
    out.read_line(&mut line).unwrap();
    let (_, body) = get(addr, "/metrics");
    assert!(
        body.contains("membership_inference_risk_score{api_key=\"sweeper\"} 0\n")
            && body.contains("inference_requests_total{api_key=\"sweeper\"} 120\n"),
        "{body}"
    );
    drop(stdin);
    let status = child.wait().unwrap();
    assert!(status.success());
}
