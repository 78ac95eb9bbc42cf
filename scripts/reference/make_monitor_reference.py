#!/usr/bin/env python3
"""Reference figures for the query-log monitor (issue 21): a Python transcription of the seed design's
MembershipInferenceDetector (../shared/seeds/004_751ca26da57f8243.txt, lines 143-211) replayed over
generated logs. Writes
  engine/tests/fixtures/monitor/log.csv        api_key,input_hash,timestamp
  engine/tests/fixtures/monitor/log_input.csv  api_key;input;timestamp (a byte-order mark, semicolons,
                                               raw inputs hashed with SHA-256, quoted cells)
  engine/tests/fixtures/monitor/reference.json the per-key figures of each log under each variant

The transcription keeps the seed's code; only what the seed leaves to its caller is added:
- `now` is the query's timestamp from the log (the seed reads time.time());
- the thresholds are parameters (the seed's literals 3, 10, 0.9, 100, 0.7, 0.3 are the defaults);
- the log is replayed in time order, sorted stably (rows with equal times keep the file's order);
  after each record_query comes get_risk_assessment, which is the decision for that query.
Variants:
- the seed's own counter (`all_time`): repeat_counts is never pruned, as the seed writes it;
- issue 21's window (`window`): the repeat figures count the queries in the pruned window
  (query_hashes), like total and unique; WindowedDetector overrides only where the counts come from.
Per key: the figures after its last query (the seed prunes only in record_query, so that is what
get_risk_assessment reports at the end of the log), the time of the first query after which the action
was monitor or block, the first block, the peak risk, how many queries got each action, and the inputs
it queried most (count > 1, most first, ties by hash, 10 at most) from the counts the repeat figures use,
and (not in the seed) the queries of the repeated inputs, their counts summed.

Timestamps: Unix seconds are read with float(); ISO 8601 with datetime.fromisoformat(s).timestamp()
(a zone is required). Times are generated as whole microseconds so every written form is exact.

Run: python3 scripts/reference/make_monitor_reference.py   (standard library only; deterministic)
"""
import csv
import hashlib
import io
import json
import os
import random
from collections import defaultdict
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "engine", "tests", "fixtures", "monitor")

T0 = 1709294400  # 2024-03-01T12:00:00Z
US = 10**6


# ---- The seed's detector, transcribed --------------------------------------------------------------

class MembershipInferenceDetector:
    def __init__(self, window_seconds=3600, repeat_threshold=3, repeated_inputs_threshold=10,
                 diversity_threshold=0.9, min_total=100, block_risk=0.7, monitor_risk=0.3):
        self.window = window_seconds
        self.query_hashes = defaultdict(list)  # api_key -> [(hash, timestamp)]
        self.repeat_counts = defaultdict(lambda: defaultdict(int))
        self.repeat_threshold = repeat_threshold
        self.repeated_inputs_threshold = repeated_inputs_threshold
        self.diversity_threshold = diversity_threshold
        self.min_total = min_total
        self.block_risk = block_risk
        self.monitor_risk = monitor_risk

    def record_query(self, api_key, input_hash, now):
        # The seed: now = time.time()
        self.query_hashes[api_key].append((input_hash, now))
        self.repeat_counts[api_key][input_hash] += 1

        # Prune old entries
        cutoff = now - self.window
        self.query_hashes[api_key] = [
            (h, t) for h, t in self.query_hashes[api_key] if t > cutoff
        ]

    def repeat_source(self, api_key):
        """The counts check_repeated_queries reads: the seed's never-pruned counter."""
        return self.repeat_counts[api_key]

    def check_repeated_queries(self, api_key):
        repeats = {h: c for h, c in self.repeat_source(api_key).items() if c > self.repeat_threshold}
        return {
            "repeated_inputs": len(repeats),
            "max_repeats": max(repeats.values()) if repeats else 0,
            "suspicious": len(repeats) > self.repeated_inputs_threshold,
        }

    def check_perturbation_pattern(self, api_key, input_hashes):
        unique = len(set(input_hashes))
        total = len(input_hashes)
        diversity = unique / total if total > 0 else 0
        return {
            "unique_inputs": unique,
            "total_queries": total,
            "diversity_ratio": round(diversity, 3),
            "diversity": diversity,  # unrounded: what `suspicious` compares
            "suspicious": diversity > self.diversity_threshold and total > self.min_total,
        }

    def get_risk_assessment(self, api_key):
        hashes = [h for h, _ in self.query_hashes[api_key]]
        repeat_check = self.check_repeated_queries(api_key)
        perturbation_check = self.check_perturbation_pattern(api_key, hashes)

        risk_score = 0.0
        if repeat_check["suspicious"]:
            risk_score += 0.5
        if perturbation_check["suspicious"]:
            risk_score += 0.5

        return {
            "api_key": api_key,
            "risk_score": risk_score,
            "repeat_analysis": repeat_check,
            "perturbation_analysis": perturbation_check,
            "action": "block" if risk_score > self.block_risk
            else "monitor" if risk_score > self.monitor_risk else "allow",
        }


class WindowedDetector(MembershipInferenceDetector):
    """Issue 21: the window applies to the repeat counts too."""

    def repeat_source(self, api_key):
        counts = defaultdict(int)
        for h, _ in self.query_hashes[api_key]:
            counts[h] += 1
        return counts


# ---- Reading a log ---------------------------------------------------------------------------------

def parse_timestamp(s):
    s = s.strip()
    if len(s) >= 5 and s[:4].isdigit() and s[4] == "-":
        d = datetime.fromisoformat(s)
        assert d.tzinfo is not None, s
        return d.timestamp()
    return float(s)


def read_log(path, delimiter):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f, delimiter=delimiter))
    queries = []
    for r in rows:
        if "input_hash" in r:
            h = r["input_hash"]
        else:
            h = hashlib.sha256(r["input"].encode("utf-8")).hexdigest()
        queries.append((r["api_key"], h, parse_timestamp(r["timestamp"])))
    return queries


def replay(queries, detector):
    out_of_order = sum(1 for a, b in zip(queries, queries[1:]) if b[2] < a[2])
    keys = {}
    for key, h, t in sorted(queries, key=lambda q: q[2]):  # stable
        detector.record_query(key, h, t)
        a = detector.get_risk_assessment(key)
        k = keys.setdefault(key, {"queries": 0, "first_seen": t, "peak_risk": 0.0,
                                  "first_flagged_at": None, "first_blocked_at": None,
                                  "decisions": {"allow": 0, "monitor": 0, "block": 0}})
        k["queries"] += 1
        k["last_seen"] = t
        k["peak_risk"] = max(k["peak_risk"], a["risk_score"])
        if a["action"] != "allow" and k["first_flagged_at"] is None:
            k["first_flagged_at"] = t
        if a["action"] == "block" and k["first_blocked_at"] is None:
            k["first_blocked_at"] = t
        k["decisions"][a["action"]] += 1
        rep, per = a["repeat_analysis"], a["perturbation_analysis"]
        k.update({
            "total": per["total_queries"], "unique": per["unique_inputs"],
            "repeated_inputs": rep["repeated_inputs"], "max_repeats": rep["max_repeats"],
            "suspicious_repeat": rep["suspicious"], "diversity": per["diversity"],
            "suspicious_diversity": per["suspicious"], "risk": a["risk_score"], "action": a["action"],
        })
    for key, k in keys.items():
        counts = detector.repeat_source(key)
        # Not in the seed: the queries of the repeated inputs (the exposition's summary _sum).
        k["repeated_queries"] = sum(c for c in counts.values() if c > detector.repeat_threshold)
        top = sorted(((h, c) for h, c in counts.items() if c > 1), key=lambda hc: (-hc[1], hc[0]))
        k["top_inputs"] = [[h, c] for h, c in top[:10]]
    return {"n_queries": len(queries), "out_of_order": out_of_order,
            "keys": dict(sorted(keys.items()))}


# ---- Generating the logs ---------------------------------------------------------------------------

def write_time(us, rng):
    """Whole microseconds since the epoch in one of the forms a log writes (each exact)."""
    s, frac = divmod(us, US)
    d = datetime.fromtimestamp(s, timezone.utc).replace(microsecond=frac)
    form = rng.randrange(6)
    if form == 0 and frac == 0:
        return str(s)
    if form <= 1:
        return f"{s}.{frac:06d}".rstrip("0").rstrip(".")
    if form == 2:
        return d.isoformat().replace("+00:00", "Z")
    if form == 3:
        return d.astimezone(timezone(timedelta(hours=2))).isoformat()
    if form == 4:
        return d.astimezone(timezone(-timedelta(hours=5, minutes=30))).isoformat(sep=" ")
    return d.isoformat()  # +00:00


def h(*parts):
    return hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:12]


def main_log(rng):
    """(key, input_hash, time in microseconds), in the order written."""
    rows = []

    def spread(key, inputs, start_s, span_s):
        times = sorted(rng.randrange(start_s * US, (start_s + span_s) * US) for _ in inputs)
        rows.extend((key, i, t) for i, t in zip(inputs, times))

    base = T0
    # Only repeats: 12 inputs 5 times each (repeated 12 > 10), and 10 inputs (10 is not > 10).
    spread("repeat_only", [h("r", i % 12) for i in range(60)], base, 1800)
    spread("repeat_ten", [h("r10", i % 10) for i in range(50)], base, 1800)
    # Only sweeps: 150 distinct; exactly 100 (not > 100); diversity exactly 0.9 (not > 0.9).
    spread("sweep_only", [h("s", i) for i in range(150)], base + 600, 2400)
    spread("sweep_exact_100", [h("s100", i) for i in range(100)], base, 1200)
    spread("sweep_diversity_0.9", [h("s90", i) for i in range(180)] + [h("s90", i) for i in range(20)],
           base, 3000)
    # Both: 400 distinct and 11 inputs 4 times each: unique 411 / 444 > 0.9 and 11 > 10 repeated.
    spread("both", [h("b", i) for i in range(400)] + [h("br", i % 11) for i in range(44)], base, 3000)
    # Under the volume threshold: all distinct, 60 queries.
    spread("quiet", [h("q", i) for i in range(60)], base, 3000)
    # Ordinary traffic over six hours from a shared pool (some repeats, some flags or none).
    pool = [h("pool", i) for i in range(40)]
    for n in range(5):
        spread(f"normal_{n}", [rng.choice(pool) for _ in range(rng.randrange(80, 160))], base, 6 * 3600)
    # The window's edge: 101 distinct inputs, the first at T, the last exactly one window later (the
    # first is then out: 100 queries, not > 100) or one microsecond earlier (101: monitor).
    for key, last in [("edge_out", 3600 * US), ("edge_in", 3600 * US - 1)]:
        t = (base + 7200) * US
        rows.append((key, h(key, 0), t))
        rows.extend((key, h(key, i), t + (1000 + i) * US) for i in range(1, 100))
        rows.append((key, h(key, 100), t + last))
    # The same with a time no binary fraction holds (.1 s): the seed's float comparison decides.
    t = (base + 9000) * US + 100_000
    rows.append(("edge_frac", h("ef", 0), t))
    rows.extend(("edge_frac", h("ef", i), t + (1000 + i) * US) for i in range(1, 100))
    rows.append(("edge_frac", h("ef", 100), t + 3600 * US))
    # Repeats that leave the window: 11 inputs 4 times, each first query at T..T+10 s; the last query
    # (another input) at T+3610 s drops them all (T+10 exactly on the edge): the window sees 3 of each,
    # the seed's all-time counter 4.
    t = (base + 12000) * US
    rows.extend(("repeat_edge", h("re", i), t + i * US) for i in range(11))
    rows.extend(("repeat_edge", h("re", i % 11), t + (2000 + i) * US) for i in range(33))
    rows.append(("repeat_edge", h("re", "last"), t + 3610 * US))
    # Equal times: the stable sort keeps the file's order.
    t = (base + 15000) * US
    rows.extend(("ties", h("t", i % 3), t + (i // 4) * US) for i in range(24))
    # Out of order in the file: one key written backwards, and neighbours swapped here and there.
    rows.sort(key=lambda r: r[2])
    back = [r for r in rows if r[0] == "quiet"]
    rows = [r for r in rows if r[0] != "quiet"] + back[::-1]
    for _ in range(len(rows) // 10):
        i = rng.randrange(len(rows) - 20)
        j = i + rng.randrange(1, 20)
        rows[i], rows[j] = rows[j], rows[i]
    return rows


def input_log(rng):
    """(key, raw input, time in microseconds) for the `input` column variant."""
    texts = ["age=42,zip=10115", 'name="Ada"', "naïve café ✓", "", "  spaced  ", "two\nlines", "x;y"]
    rows = []
    t = T0 * US
    for i in range(120):  # a sweep over distinct texts
        rows.append(("sweeper", f"record {i}; value {i * 7}", t + i * 20 * US))
    for i in range(60):  # 12 inputs 5 times
        rows.append(("prober", texts[i % 12 % len(texts)] + f"#{i % 12}", t + i * 30 * US))
    for i in range(30):
        rows.append(("casual", rng.choice(texts), t + i * 100 * US))
    rng.shuffle(rows)
    return rows


def write_csv(path, header, rows, delimiter, bom, rng):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(header)
    for key, value, us in rows:
        w.writerow([key, value, write_time(us, rng)])
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        f.write(buf.getvalue())


VARIANTS = {
    "window": (WindowedDetector, {}),
    "all_time": (MembershipInferenceDetector, {}),
    "custom_window": (WindowedDetector, dict(window_seconds=900.25, repeat_threshold=2,
                                             repeated_inputs_threshold=5, diversity_threshold=0.8,
                                             min_total=50, block_risk=0.4, monitor_risk=0.2)),
}


def settings_of(cls, params):
    d = dict(window_seconds=3600.0, repeat_threshold=3, repeated_inputs_threshold=10,
             diversity_threshold=0.9, min_total=100, block_risk=0.7, monitor_risk=0.3)
    d.update(params)
    d["window_seconds"] = float(d["window_seconds"])
    d["repeat_scope"] = "window" if cls is WindowedDetector else "all_time"
    return d


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = random.Random(21)
    logs = {
        "log.csv": (["api_key", "input_hash", "timestamp"], main_log(rng), ",", False),
        "log_input.csv": (["api_key", "input", "timestamp"], input_log(rng), ";", True),
    }
    reference = {"generator": "scripts/reference/make_monitor_reference.py", "logs": {}}
    for name, (header, rows, delimiter, bom) in logs.items():
        path = os.path.join(OUT, name)
        write_csv(path, header, rows, delimiter, bom, rng)
        queries = read_log(path, delimiter)
        reference["logs"][name] = {
            name_v: dict(settings=settings_of(cls, params), **replay(queries, cls(**params)))
            for name_v, (cls, params) in VARIANTS.items()
        }
        print(f"{name}: {len(rows)} rows, {os.path.getsize(path)} bytes")
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump(reference, f, indent=1)
        f.write("\n")
    for name, variants in reference["logs"].items():
        for v, r in variants.items():
            flags = {k: x["action"] for k, x in r["keys"].items()}
            print(name, v, flags)


if __name__ == "__main__":
    main()
