"""The monitor view's bundled sample: one day of a model API's query log (www/samples/monitor_log.csv).

Columns api_key, input_hash, timestamp (Unix seconds). Deterministic (seed 7). What is in it:
- 30 ordinary client keys (app-01 ... app-30): 40 to 250 queries each over the day, at random
  times, inputs drawn from a shared pool of 3,000 with a popular head (Zipf-like), so ordinary
  clients repeat a few inputs and never sweep;
- probe-7f3a: averages away noise on 14 records: each asked 6 to 12 times within 50 minutes
  (the seed design's repeated-input pattern; flagged for repeats);
- sweep-c210: builds shadow data, 900 distinct inputs in 45 minutes (flagged for diversity);
- mixed-91bd: does both in the same hour, 600 distinct inputs and 12 records asked 5 times each
  (risk 1: block);
- batch-etl: a nightly job, 2,000 distinct inputs over 6 hours (333 an hour, all distinct), so
  it is flagged for diversity: a false positive an operator must allow-list, as the view shows.
The rows are written in time order except for a few late-arriving lines, as real logs have.
"""
import hashlib
import os
import random

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "www", "samples", "monitor_log.csv")
DAY0 = 1764547200  # 2025-12-01T00:00:00Z
rng = random.Random(7)


def h(x):
    return hashlib.sha256(x.encode()).hexdigest()[:16]


pool = [h(f"record-{i}") for i in range(3000)]
weights = [1.0 / (i + 1) ** 1.1 for i in range(len(pool))]
rows = []
for k in range(1, 31):
    for _ in range(rng.randint(40, 250)):
        rows.append((f"app-{k:02d}", rng.choices(pool, weights)[0], DAY0 + rng.uniform(0, 86400)))
start = DAY0 + 10 * 3600
for r in range(14):
    target = h(f"patient-{r}")
    for _ in range(rng.randint(6, 12)):
        rows.append(("probe-7f3a", target, start + rng.uniform(0, 3000)))
start = DAY0 + 14 * 3600
for i in range(900):
    rows.append(("sweep-c210", h(f"synthetic-{i}"), start + i * 3.0))
start = DAY0 + 18 * 3600
for i in range(600):
    rows.append(("mixed-91bd", h(f"mix-{i}"), start + i * 5.0))
for r in range(12):
    for _ in range(5):
        rows.append(("mixed-91bd", h(f"mix-target-{r}"), start + rng.uniform(0, 1800)))
start = DAY0 + 1 * 3600
for i in range(2000):
    rows.append(("batch-etl", h(f"nightly-{i}"), start + i * 10.8))
rows.sort(key=lambda r: r[2])
# A few lines arrive late, out of order.
for _ in range(25):
    i = rng.randrange(len(rows) - 10)
    rows[i], rows[i + 7] = rows[i + 7], rows[i]
with open(OUT, "w") as f:
    f.write("api_key,input_hash,timestamp\n")
    for key, inp, t in rows:
        f.write(f"{key},{inp},{t:.3f}\n")
print(f"{OUT}: {len(rows)} queries, {os.path.getsize(OUT):,} bytes")
