#!/usr/bin/env bash
# Benchmark (NOT a test; CI never runs it): the query-log monitor (`read_query_log` + `analyse`, what
# `mia monitor` and the page's Monitor view run on a log) in native Rust against the Python transcription of
# the seed design's detector, on the same generated log, in one run.
#
#   bash scripts/bench/bench_monitor.sh [DIR]        # DIR holds the generated log (default /tmp/monitor-bench)
#
# It generates (once) a 1,000,000-line log with scripts/bench/monitor_synthetic.py (1,000 API keys over a
# day: 30 attackers that repeat, sweep or both, 970 ordinary keys; SHA-256 hex input hashes; Unix and
# ISO 8601 times; 1 % of rows out of order; about 92 MB), then runs
#   (a) the Rust timing programme engine/examples/bench_monitor.rs (release): the log read into memory (not
#       timed), then read_query_log and analyse MONITOR_BENCH_REPEAT times (default 3; the best counts), and
#       every key's final figures written for the check;
#   (b) python3 scripts/bench/monitor_reference.py: the csv module, the timestamps, a stable sort and the
#       seed's record_query + get_risk_assessment for every query (the window applied to the repeat counts);
#       with MONITOR_BENCH_LIMIT=N only the first N queries are replayed and the replay's time is
#       EXTRAPOLATED to all (labelled); without it the whole log is replayed (a few minutes) and every key's
#       figures are checked against Rust's;
#   (c) `mia monitor --follow` (release) with the log on standard input and the decisions to /dev/null,
#       MONITOR_BENCH_REPEAT times (the best counts): its sustained queries per second (the goal is at least
#       200,000), against the Python transcription's queries per second (its read and replay together);
# then prints the figures and the ratio Python/Rust.
#
# Environment: PYTHON = the interpreter (default /work/.venv/bin/python3 if it exists, else python3; the
# standard library is enough); CARGO_TARGET_DIR is honoured; MONITOR_BENCH_LINES changes the size;
# MONITOR_BENCH_BUILD=0 skips the build.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DIR=${1:-/tmp/monitor-bench}
LINES=${MONITOR_BENCH_LINES:-1000000}
REPEAT=${MONITOR_BENCH_REPEAT:-3}
LIMIT=${MONITOR_BENCH_LIMIT:-0}
SEED=1

if [ -z "${PYTHON:-}" ]; then
  if [ -x /work/.venv/bin/python3 ]; then PYTHON=/work/.venv/bin/python3; else PYTHON=python3; fi
fi
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BENCH=$TARGET/release/examples/bench_monitor
if [ "${MONITOR_BENCH_BUILD:-1}" = 1 ]; then
  echo "building: cargo build --release -p mia-engine --example bench_monitor" >&2
  cargo build --release -p mia-engine --example bench_monitor --bin mia >&2 || { echo "bench_monitor: cargo build failed" >&2; exit 2; }
fi
[ -x "$BENCH" ] || { echo "bench_monitor: no $BENCH (build it, or set CARGO_TARGET_DIR)" >&2; exit 2; }

mkdir -p "$DIR" || exit 2
LOG="$DIR/monitor_log_n${LINES}_s${SEED}.csv"
if [ ! -s "$LOG" ]; then
  echo "generating $LOG" >&2
  "$PYTHON" scripts/bench/monitor_synthetic.py "$LOG.part" --lines "$LINES" --seed "$SEED" && mv "$LOG.part" "$LOG" || exit 2
fi
FIGURES="$DIR/monitor.rust_figures.json"
RUST_OUT="$DIR/monitor.rust.txt"
PY_JSON="$DIR/monitor.python.json"
echo "timing Rust read_query_log + analyse on $LOG ($REPEAT runs)" >&2
"$BENCH" "$LOG" --repeat "$REPEAT" --figures "$FIGURES" >"$RUST_OUT" || { echo "bench_monitor: the Rust programme failed" >&2; exit 2; }
cat "$RUST_OUT" >&2
MIA=$TARGET/release/mia
FOLLOW_MS="$DIR/monitor.follow_ms.txt"
echo "timing mia monitor --follow < $LOG ($REPEAT runs)" >&2
: >"$FOLLOW_MS"
for _ in $(seq "$REPEAT"); do
  start=$(date +%s%N)
  "$MIA" monitor --follow <"$LOG" >/dev/null 2>"$DIR/monitor.follow.err" || { echo "bench_monitor: mia monitor --follow failed" >&2; cat "$DIR/monitor.follow.err" >&2; exit 2; }
  echo $(( ($(date +%s%N) - start) / 1000000 )) >>"$FOLLOW_MS"
done
tail -1 "$DIR/monitor.follow.err" >&2
echo "timing the Python transcription on $LOG (limit: ${LIMIT:-0}, 0 = every query)" >&2
"$PYTHON" scripts/bench/monitor_reference.py "$LOG" --limit "$LIMIT" --check "$FIGURES" --json >"$PY_JSON"
STATUS=$?
if [ "$STATUS" -gt 1 ]; then echo "bench_monitor: the reference failed" >&2; exit 2; fi

"$PYTHON" - "$RUST_OUT" "$PY_JSON" "$FOLLOW_MS" <<'PY'
import json, re, sys

text = open(sys.argv[1]).read()
best = {k: float(re.search(k + r" ms: .*best ([0-9.]+)", text).group(1)) for k in ("read", "replay", "total")}
py = json.load(open(sys.argv[2]))
star = "*" if py["extrapolated"] else ""
print()
print(f"{'':>8} {'rows':>9} {'read s':>8} {'replay s':>9} {'total s':>8}")
print(f"{'rust':>8} {py['rows']:>9} {best['read'] / 1e3:8.3f} {best['replay'] / 1e3:9.3f} {best['total'] / 1e3:8.3f}")
print(f"{'python':>8} {py['rows']:>9} {py['read_seconds']:8.2f} {py['replay_seconds_all']:8.1f}{star} "
      f"{py['total_seconds']:7.1f}{star}")
print()
print(f"python / rust: {py['total_seconds'] / (best['total'] / 1e3):.0f}x{star} in all, "
      f"{py['replay_seconds_all'] / (best['replay'] / 1e3):.0f}x{star} for the replay")
follow_ms = min(int(x) for x in open(sys.argv[3]).read().split())
follow_qps = py["rows"] / (follow_ms / 1e3)
py_qps = py["rows"] / py["total_seconds"]
print(f"mia monitor --follow: {py['rows']} lines in {follow_ms / 1e3:.2f} s = {follow_qps:,.0f} queries/s "
      f"({'meets' if follow_qps >= 200_000 else 'BELOW'} the 200,000/s goal); python {py_qps:,.0f}{star} queries/s; "
      f"ratio {follow_qps / py_qps:.0f}x{star}")
if py["extrapolated"]:
    print(f"* the Python replay ran on the first {py['replayed']} queries; its time is extrapolated to all.")
check = py["check"]
if check["done"]:
    print("check: every key's final figures equal" if check["differences"] == 0
          else f"check: {check['differences']} DIFFER: " + "; ".join(check["first"]))
else:
    print("check: not done (the Python replay did not run to the end)")
print("rust = the best of the runs (read_query_log: CSV, times, keys and inputs numbered, sorted; analyse: the")
print("replay with each key's figures, first flag, timeline and top inputs), in memory, on every core (a large log is read in parts and its keys replayed in ranges, one thread each).")
PY
exit $STATUS
