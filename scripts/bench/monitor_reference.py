#!/usr/bin/env python3
"""Python reference for the query-log monitor, for benchmarks: the seed design's detector as a user would run
it on a log (scripts/reference/make_monitor_reference.py's transcription, imported from there), timed.

Run: python3 scripts/bench/monitor_reference.py LOG.csv [--limit N] [--check FIGURES.json] [--json]

- Reads the log with the csv module, parses the timestamps (float() or datetime.fromisoformat), sorts the
  queries by time (stably), and replays them through WindowedDetector (the seed's MembershipInferenceDetector
  with the window applied to the repeat counts, as the engine's default): record_query then
  get_risk_assessment for every query, keeping each key's final figures and first flag.
- --limit N: replay only the first N queries in time order and EXTRAPOLATE the replay's time to all of them
  (labelled so); the seed rebuilds each key's list on every query, so a full replay of a large log is slow.
- --check FIGURES.json: the per-key figures the Rust benchmark wrote (engine/examples/bench_monitor.rs
  --figures); total, unique, repeated_inputs, max_repeats, risk, action and first_flagged_at must be equal,
  diversity within 1e-12 (only without --limit). Exit status 1 on any difference.
- --json: one JSON object on stdout instead of text lines.

Used by scripts/bench/bench_monitor.sh (a benchmark, not a test). Standard library only.
"""
import argparse
import csv
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
from make_monitor_reference import WindowedDetector, parse_timestamp  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--check")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()

    t0 = time.perf_counter()
    with open(a.log, newline="", encoding="utf-8-sig") as f:
        rows = [(r["api_key"], r["input_hash"], parse_timestamp(r["timestamp"])) for r in csv.DictReader(f)]
    rows.sort(key=lambda r: r[2])
    read_s = time.perf_counter() - t0

    n = len(rows) if a.limit <= 0 else min(a.limit, len(rows))
    det = WindowedDetector()
    keys = {}
    t1 = time.perf_counter()
    for key, h, t in rows[:n]:
        det.record_query(key, h, t)
        r = det.get_risk_assessment(key)
        k = keys.setdefault(key, {"first_flagged_at": None})
        if r["action"] != "allow" and k["first_flagged_at"] is None:
            k["first_flagged_at"] = t
        k["last"] = r
    replay_s = time.perf_counter() - t1
    replay_all_s = replay_s * len(rows) / max(n, 1)

    differences, first = 0, []
    if a.check and n == len(rows):
        with open(a.check) as f:
            rust = json.load(f)
        if set(rust) != set(keys):
            differences += 1
            first.append(f"keys differ: {len(rust)} in Rust, {len(keys)} here")
        for key, k in keys.items():
            r, got = k["last"], rust.get(key)
            if got is None:
                continue
            want = {
                "total": r["perturbation_analysis"]["total_queries"],
                "unique": r["perturbation_analysis"]["unique_inputs"],
                "repeated_inputs": r["repeat_analysis"]["repeated_inputs"],
                "max_repeats": r["repeat_analysis"]["max_repeats"],
                "risk": r["risk_score"], "action": r["action"],
                "first_flagged_at": k["first_flagged_at"],
            }
            for field, w in want.items():
                if got[field] != w:
                    differences += 1
                    if len(first) < 5:
                        first.append(f"{key} {field}: Rust {got[field]}, Python {w}")
            if abs(got["diversity"] - r["perturbation_analysis"]["diversity"]) > 1e-12:
                differences += 1
                if len(first) < 5:
                    first.append(f"{key} diversity")
    result = {
        "rows": len(rows), "replayed": n, "keys": len(keys), "read_seconds": read_s,
        "replay_seconds": replay_s, "replay_seconds_all": replay_all_s,
        "total_seconds": read_s + replay_all_s, "extrapolated": n < len(rows),
        "check": {"done": bool(a.check) and n == len(rows), "differences": differences, "first": first},
    }
    if a.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k}: {v}")
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
