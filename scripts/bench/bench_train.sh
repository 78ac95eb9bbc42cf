#!/usr/bin/env bash
# Benchmark (NOT a test; CI never runs it, and it asserts nothing: a noisy machine makes timings vary) of
# the training lab's speed goals, in one run, on the same input everywhere: the plain digits (1,797
# records, half of them, 896, members), MLP 64→128→10, Adam, batch 32, lr 0.001, 60 epochs; DP-SGD with
# noise multiplier 1 and max grad norm 1.
#
#   bash scripts/bench/bench_train.sh [DIR]        # DIR keeps every run's JSON (default /tmp/train-bench)
#
# Works from a clean checkout: it needs `trunk build --release` (dist/) and
# `cargo build --release -p mia-engine --bin mia`, and runs each of them first when its output is missing
# (TRAIN_BENCH_BUILD=1 rebuilds both anyway). Node with playwright-core (npm ci; scripts/dev/serve.sh installs
# it and the build tools) and Chromium (CHROMIUM, default /usr/bin/chromium) run the page; Python needs numpy.
#
# TRAIN_BENCH_REPEAT rounds (default 3), alternating so that all three see the same moments of the machine:
#   (a) the numpy reference, scripts/bench/train_speed_reference.py (its own medians over 20 epochs after
#       2 warm-ups; BLAS pinned to one thread, as the lab's worker and the CLI use one core — set
#       REF_THREADS to change that),
#   (b) the native CLI: `mia train --dataset digits --epochs 60 --json`, then the same with
#       `--dp --noise-multiplier 1 --max-grad-norm 1`, each process timed whole; ms/epoch = total / 60,
#   (c) the page: scripts/bench/bench_train_browser.mjs --repeat 1 --no-profile (a plain and a DP run;
#       ms/epoch = the median of the lab's own per-epoch times in the worker).
# Then once each: the six-budget privacy-utility profile (ε 0.5, 1, 2, 4, 8 with DP-SGD, and no DP) in the
# page (bench_train_browser.mjs --profile-only) and with the CLI (six `mia train` processes, `--dp
# --target-epsilon E` for the budgets; timed whole). The numpy profile is an estimate: 5 × 60 DP epochs +
# 60 plain epochs from its medians (it has no accountant to find σ for an ε).
# The table gives, per goal, the medians over the rounds, the goal, pass/fail, and the ratios
# browser/numpy, browser/native and DP/plain in each of the three; every run is listed below it.
#
# Environment: MIA = the CLI binary (default: the newer of engine/target/release/mia and
# target/release/mia); PYTHON = the interpreter (default /work/.venv/bin/python3 if it exists, else python3).
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DIR=${1:-/tmp/train-bench}
REPEAT=${TRAIN_BENCH_REPEAT:-3}
EPOCHS=60
REF_THREADS=${REF_THREADS:-1}
mkdir -p "$DIR" || exit 2
rm -f "$DIR"/*.json

if [ -z "${PYTHON:-}" ]; then
  if [ -x /work/.venv/bin/python3 ]; then PYTHON=/work/.venv/bin/python3; else PYTHON=python3; fi
fi
if ! "$PYTHON" -c 'import numpy' 2>/dev/null; then
  echo "bench_train: $PYTHON cannot import numpy (python3 -m venv /work/.venv && /work/.venv/bin/pip install numpy," >&2
  echo "or set PYTHON). This is a benchmark; nothing else needs it." >&2
  exit 2
fi

if ! node -e "require.resolve('playwright-core')" 2>/dev/null; then
  echo "bench_train: node cannot find playwright-core: run npm ci (or bash scripts/dev/serve.sh, which installs it)" >&2
  exit 2
fi

# --- what it runs: the bundle and the CLI, built when missing
if [ "${TRAIN_BENCH_BUILD:-0}" = 1 ] || ! ls dist/index.html dist/*.wasm >/dev/null 2>&1; then
  echo "building the bundle: trunk build --release" >&2
  trunk build --release >&2 || { echo "bench_train: trunk build failed" >&2; exit 2; }
fi
. "$ROOT/scripts/bench/find_mia.sh"
find_mia "${TRAIN_BENCH_BUILD:-0}" bench_train
if [ -z "$MIA" ] || ! "$MIA" train --help >/dev/null 2>&1; then
  echo "bench_train: no mia binary with a 'train' subcommand (set MIA, or TRAIN_BENCH_BUILD=1 bash $0)" >&2
  exit 2
fi

now() { date +%s.%N; }
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
BUILT="bundle built $(date -u -r "$(ls -t dist/*.wasm | head -1)" '+%F %TZ'), CLI ($MIA) built $(date -u -r "$MIA" '+%F %TZ')"
echo "bench_train: $BUILT" >&2
ms_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }
TRAIN=(train --dataset digits --model mlp --hidden 128 --epochs "$EPOCHS" --batch 32 --lr 0.001 --optimizer adam --seed 0 --json)
DP=(--dp --noise-multiplier 1 --max-grad-norm 1)
NATIVE_PLAIN="" NATIVE_DP=""

for ((r = 1; r <= REPEAT; r++)); do
  echo "round $r/$REPEAT: numpy reference" >&2
  OPENBLAS_NUM_THREADS=$REF_THREADS OMP_NUM_THREADS=$REF_THREADS MKL_NUM_THREADS=$REF_THREADS \
    "$PYTHON" scripts/bench/train_speed_reference.py >"$DIR/numpy_$r.json" \
    || { echo "bench_train: the numpy reference failed" >&2; exit 2; }
  echo "round $r/$REPEAT: native mia train (plain, then DP-SGD)" >&2
  t0=$(now)
  "$MIA" "${TRAIN[@]}" >"$DIR/native_plain_$r.json" || { echo "bench_train: mia train failed" >&2; exit 2; }
  NATIVE_PLAIN+="$(ms_since "$t0"),"
  t0=$(now)
  "$MIA" "${TRAIN[@]}" "${DP[@]}" >"$DIR/native_dp_$r.json" || { echo "bench_train: mia train --dp failed" >&2; exit 2; }
  NATIVE_DP+="$(ms_since "$t0"),"
  echo "round $r/$REPEAT: the page (plain, then DP-SGD)" >&2
  node scripts/bench/bench_train_browser.mjs --repeat 1 --no-profile --epochs "$EPOCHS" >"$DIR/browser_$r.json" \
    || { echo "bench_train: the browser benchmark failed" >&2; exit 2; }
done

echo "profile: the page (6 budgets x $EPOCHS epochs)" >&2
node scripts/bench/bench_train_browser.mjs --profile-only --epochs "$EPOCHS" >"$DIR/browser_profile.json" \
  || { echo "bench_train: the browser profile failed" >&2; exit 2; }
echo "profile: native (6 mia train processes)" >&2
t0=$(now)
for eps in 0.5 1 2 4 8; do
  "$MIA" "${TRAIN[@]}" --dp --target-epsilon "$eps" >"$DIR/native_profile_eps$eps.json" \
    || { echo "bench_train: mia train --target-epsilon $eps failed" >&2; exit 2; }
done
"$MIA" "${TRAIN[@]}" >"$DIR/native_profile_nodp.json" || exit 2
NATIVE_PROFILE=$(ms_since "$t0")
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)

"$PYTHON" - "$DIR" "$REPEAT" "$EPOCHS" "${NATIVE_PLAIN%,}" "${NATIVE_DP%,}" "$NATIVE_PROFILE" "$REF_THREADS" \
  "$(nproc 2>/dev/null) cores, load average (1, 5, 15 min) ${LOAD_START:-?} at the start, ${LOAD_END:-?} at the end; $BUILT" <<'EOF'
import json, os, statistics, sys

d, repeat, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
native_plain = [float(x) for x in sys.argv[4].split(",")]
native_dp = [float(x) for x in sys.argv[5].split(",")]
native_profile_ms, ref_threads, machine = float(sys.argv[6]), sys.argv[7], sys.argv[8]
load = lambda name: json.load(open(os.path.join(d, name)))
med = statistics.median

numpy_runs = [load(f"numpy_{r}.json") for r in range(1, repeat + 1)]
browser_runs = [x for r in range(1, repeat + 1) for x in load(f"browser_{r}.json")["runs"]]
profile = load("browser_profile.json")["profile"]
notes = []
for r in range(1, repeat + 1):
    for kind in ("plain", "dp"):
        j = load(f"native_{kind}_{r}.json")
        if j["epochs_trained"] != epochs:
            notes.append(f"native {kind} run {r} trained {j['epochs_trained']} epochs")
for x in browser_runs:
    if x["reason"] != "finished" or x["epochs"] != epochs or x["epoch_ms_count"] != epochs:
        notes.append(f"browser {x['kind']} run {x['round']}: {x['reason']}, {x['epochs']} epochs, {x['epoch_ms_count']} epoch times")
    if x["errors"]:
        notes.append(f"browser {x['kind']} run {x['round']} page errors: {x['errors']}")
if profile["runs"] != 6:
    notes.append(f"browser profile: {profile['runs']} rows")
for row in profile["rows"]:
    if len(row) > 1 and row[1] != str(epochs):
        notes.append(f"browser profile row {row[0]!r}: {row[1]} epochs")
m = json.load(open(os.path.join(d, "native_plain_1.json")))
members = m["n_members"]

np_plain = med(x["ms_per_epoch_plain"] for x in numpy_runs)
np_dp = med(x["ms_per_epoch_dp"] for x in numpy_runs)
nat_plain = med(native_plain) / epochs
nat_dp = med(native_dp) / epochs
br = lambda kind, key: med(x[key] for x in browser_runs if x["kind"] == kind)
br_plain, br_dp = br("plain", "epoch_ms_median"), br("dp", "epoch_ms_median")
br_wall_plain, br_wall_dp = br("plain", "wall_ms_per_epoch"), br("dp", "wall_ms_per_epoch")
br_profile_s = profile["ms"] / 1000
np_profile_s = (5 * epochs * np_dp + epochs * np_plain) / 1000
nat_profile_s = native_profile_ms / 1000
lt_train = [x["longtasks"] for x in browser_runs]
lt_count = sum(t["count"] for t in lt_train) + profile["longtasks"]["count"]
lt_max = max([t["max_ms"] for t in lt_train] + [profile["longtasks"]["max_ms"]])

f = lambda x, p=3: "-" if x is None else f"{x:.{p}g}" if abs(x) < 10 ** p else f"{x:.0f}"
ok = lambda b: "PASS" if b else "FAIL"
rows = [
    # goal, measured (browser), goal text, pass, numpy, native, browser/numpy, browser/native
    ("1. plain epoch, ms", br_plain, "<= 30", br_plain <= 30, np_plain, nat_plain),
    ("   DP-SGD epoch, ms", br_dp, "", None, np_dp, nat_dp),
    ("2. DP-SGD / plain epoch", br_dp / br_plain, "<= 3", br_dp / br_plain <= 3, np_dp / np_plain, nat_dp / nat_plain),
    ("3. 6-budget profile, s", br_profile_s, "<= 30", br_profile_s <= 30, np_profile_s, nat_profile_s),
    ("4. long tasks >= 50 ms", lt_count, "0", lt_count == 0, None, None),
    ("   longest main-thread task, ms", lt_max, "< 50", lt_max < 50, None, None),
]
print()
print(f"Training lab speed: digits ({members} members of 1,797), MLP 64-128-10, Adam, batch 32, lr 0.001, "
      f"{epochs} epochs; DP-SGD sigma 1, C 1. Medians of {repeat} alternating rounds.")
print()
head = f"{'goal':<32} {'browser':>9} {'goal':>6} {'':>4} {'numpy':>9} {'native':>9} {'br/numpy':>9} {'br/native':>9}"
print(head)
print("-" * len(head))
for name, b, goal, passed, n, nat in rows:
    ratio = lambda other: "-" if other is None or name.startswith("2.") else f"{b / other:.2f}"
    print(f"{name:<32} {f(b):>9} {goal:>6} {'' if passed is None else ok(passed):>4} {f(n):>9} {f(nat):>9} "
          f"{ratio(n):>9} {ratio(nat):>9}")
print()
print(f"DP/plain: browser {br_dp / br_plain:.2f}, numpy {np_dp / np_plain:.2f}, native {nat_dp / nat_plain:.2f}.")
print(f"browser = the lab's own per-epoch time in the worker (median of the {epochs} epochs of a run, then over runs);")
print(f"  what the page takes per epoch, messages and renders included: plain {br_wall_plain:.1f} ms, DP-SGD {br_wall_dp:.1f} ms.")
print(f"numpy = scripts/bench/train_speed_reference.py, float64, BLAS threads {ref_threads}; of its epoch, training / the"
      f" measurement pass over all records: plain {med(x['train_ms_plain'] for x in numpy_runs):.1f} / "
      f"{med(x['measure_ms_plain'] for x in numpy_runs):.1f} ms, DP-SGD {med(x['train_ms_dp'] for x in numpy_runs):.1f} / "
      f"{med(x['measure_ms_dp'] for x in numpy_runs):.1f} ms; its profile is an estimate (5 x {epochs} DP + {epochs} plain epochs).")
print(f"native = `mia train ... --json`, the whole process / {epochs}; its profile = six processes (--target-epsilon), measured.")
print(f"long tasks: every main-thread task of 50 ms or more while training, over the {len(browser_runs)} runs and the profile"
      f" (page load apart: up to {max(t['before_max_ms'] for t in lt_train):.0f} ms).")
print(f"machine: {machine}.")
print()
print("runs:")
print(f"  numpy ms/epoch plain: {' '.join('%.1f' % x['ms_per_epoch_plain'] for x in numpy_runs)};"
      f" DP: {' '.join('%.1f' % x['ms_per_epoch_dp'] for x in numpy_runs)}")
print(f"  native process ms plain: {' '.join('%.0f' % x for x in native_plain)}; DP: {' '.join('%.0f' % x for x in native_dp)}")
for kind in ("plain", "dp"):
    xs = [x for x in browser_runs if x["kind"] == kind]
    print(f"  browser {kind:<5} epoch ms (median/mean/first/max): "
          + "; ".join(f"{x['epoch_ms_median']:.1f}/{x['epoch_ms_mean']:.1f}/{x['epoch_ms_first']:.0f}/{x['epoch_ms_max']:.0f}" for x in xs)
          + "  page ms (outside the epochs): " + " ".join(f"{x['wall_ms']} ({x['outside_epochs_ms']})" for x in xs)
          + "  long tasks (count, max ms): " + " ".join(f"({x['longtasks']['count']}, {x['longtasks']['max_ms']:.0f})" for x in xs))
print(f"  browser profile: {profile['runs']} runs in {profile['ms']} ms, long tasks ({profile['longtasks']['count']}, "
      f"{profile['longtasks']['max_ms']:.0f}); native profile {native_profile_ms:.0f} ms")
for line in notes:
    print("note:", line)
EOF
