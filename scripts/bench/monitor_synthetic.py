#!/usr/bin/env python3
"""A synthetic API query log for the monitor benchmark (scripts/bench/bench_monitor.sh): api_key,input_hash,
timestamp over one day from 2024-03-01T00:00:00Z, 1,000 keys.

- 10 repeaters: 60 inputs asked again and again (3,000 queries within three hours);
- 10 sweepers: 3,000 distinct inputs within two hours;
- 10 that do both: a 2,500-input sweep with 12 inputs asked 5 times each, within 50 minutes;
- the other 970 keys fill the log to --lines: ordinary traffic through the day, each from its own pool of
  300 inputs and a shared pool of 50 popular ones.
Input hashes are SHA-256 in hex (64 digits). Times are Unix seconds to the microsecond, one in ten written
as ISO 8601 (Z); about 1 % of rows are swapped with a near neighbour (logs merged from several servers).

Run: python3 scripts/bench/monitor_synthetic.py OUT.csv [--lines 1000000] [--seed 1]
"""
import argparse
import hashlib
import random
from datetime import datetime, timezone

T0 = 1709251200  # 2024-03-01T00:00:00Z
DAY = 86400


def digest(*parts):
    return hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    rows = []

    def burst(key, inputs, span):
        start = rng.uniform(0, DAY - span)
        rows.extend((rng.uniform(start, start + span), key, i) for i in inputs)

    for k in range(10):
        pool = [digest("rep", k, i) for i in range(60)]
        burst(f"repeater-{k:02d}", [rng.choice(pool) for _ in range(3000)], 3 * 3600)
    for k in range(10):
        burst(f"sweeper-{k:02d}", [digest("sweep", k, i) for i in range(3000)], 2 * 3600)
    for k in range(10):
        inputs = [digest("both", k, i) for i in range(2500)] + [digest("both-rep", k, i % 12) for i in range(60)]
        burst(f"both-{k:02d}", inputs, 3000)
    popular = [digest("popular", i) for i in range(50)]
    left = max(a.lines - len(rows), 0)
    for n in range(left):
        k = n % 970
        source = popular if rng.random() < 0.2 else None
        h = rng.choice(source) if source else digest("user", k, rng.randrange(300))
        rows.append((rng.uniform(0, DAY), f"key-{k:03d}", h))
    rows.sort()
    for _ in range(len(rows) // 100):
        i = rng.randrange(len(rows) - 50)
        j = i + rng.randrange(1, 50)
        rows[i], rows[j] = rows[j], rows[i]
    with open(a.out, "w") as f:
        f.write("api_key,input_hash,timestamp\n")
        for t, key, h in rows:
            us = round((T0 + t) * 1e6)
            s, frac = divmod(us, 10**6)
            if rng.random() < 0.1:
                stamp = datetime.fromtimestamp(s, timezone.utc).replace(microsecond=frac)
                stamp = stamp.isoformat().replace("+00:00", "Z")
            else:
                stamp = f"{s}.{frac:06d}"
            f.write(f"{key},{h},{stamp}\n")


if __name__ == "__main__":
    main()
