#!/usr/bin/env bash
# Benchmark (NOT a test; CI never runs it): the reference-model attacks (LiRA, RMIA) in the native CLI
# against the vectorised numpy reference a user would otherwise write, on the same machine in one run.
#
#   bash scripts/bench/bench_lira.sh [DIR]          # DIR holds the generated inputs (default /tmp/lira-bench)
#
# For n = 100,000 x M = 64 and n = 1,000,000 x M = 16 (logit mode, scripts/bench/lira_synthetic.py, seed 1;
# generated only if DIR does not have them yet, about 135 MB and 390 MB), it times, alternately and
# LIRA_BENCH_REPEAT times each (default 3; the table gives the medians and lists every run),
#   (a) python3 scripts/reference/lira_reference.py FILE   (its printed "seconds": reading the CSV to the
#       last figure, and the wall time of the whole process),
#   (b) $MIA lira FILE --json                               (wall time of the whole process),
# then prints a table (size, python seconds, mia seconds, ratio python/mia) and, per size, the largest
# |AUC difference| between the two over the variants both report as available.
#
# Environment: MIA = the CLI binary (default: the newer of engine/target/release/mia and target/release/mia;
# built with `cargo build --release -p mia-engine --bin mia` when neither exists, or first when MIA_BUILD=1);
# LIRA_BENCH_SIZES = the sizes as NxM words (default "100000x64 1000000x16"; smaller ones to try the script);
# PYTHON = the interpreter (default /work/.venv/bin/python3 if it exists, else python3). Python needs numpy,
# pandas and scikit-learn, e.g.  python3 -m venv /work/.venv && /work/.venv/bin/pip install numpy scipy
# scikit-learn pandas
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DIR=${1:-/tmp/lira-bench}
read -r -a SIZES <<<"${LIRA_BENCH_SIZES:-100000x64 1000000x16}"
SEED=1
REPEAT=${LIRA_BENCH_REPEAT:-3}

if [ -z "${PYTHON:-}" ]; then
  if [ -x /work/.venv/bin/python3 ]; then PYTHON=/work/.venv/bin/python3; else PYTHON=python3; fi
fi
if ! "$PYTHON" -c 'import numpy, pandas, sklearn' 2>/dev/null; then
  echo "bench_lira: $PYTHON cannot import numpy, pandas and scikit-learn, which the generator and the" >&2
  echo "reference need. Install them, e.g.:" >&2
  echo "  python3 -m venv /work/.venv && /work/.venv/bin/pip install numpy scipy scikit-learn pandas" >&2
  echo "(or set PYTHON to an interpreter that has them). This is a benchmark; nothing else needs them." >&2
  exit 2
fi

. "$ROOT/scripts/bench/find_mia.sh"
find_mia "${MIA_BUILD:-0}" bench_lira
MIA_OK=1
if [ -z "$MIA" ] || [ ! -x "$MIA" ]; then
  echo "bench_lira: no mia binary (set MIA, or build with cargo build --release -p mia-engine --bin mia)" >&2
  MIA_OK=0
elif ! "$MIA" lira --help >/dev/null 2>&1; then
  echo "bench_lira: $MIA has no 'lira' subcommand (rebuild it: MIA_BUILD=1 bash $0); timing python only" >&2
  MIA_OK=0
fi

mkdir -p "$DIR" || exit 2
now() { date +%s.%N; }
RESULTS=()
for size in "${SIZES[@]}"; do
  N=${size%x*} M=${size#*x}
  FILE="$DIR/lira_n${N}_M${M}_s${SEED}.csv"
  if [ ! -s "$FILE" ]; then
    echo "generating $FILE" >&2
    "$PYTHON" scripts/bench/lira_synthetic.py "$N" "$M" "$SEED" "$FILE.part" && mv "$FILE.part" "$FILE" || exit 2
  fi
  PY_JSON="$DIR/lira_n${N}_M${M}.python.json"
  MIA_JSON="$DIR/lira_n${N}_M${M}.mia.json"
  PY_OWN="" PY_WALL="" MIA_WALL=""
  [ "$MIA_OK" = 1 ] || rm -f "$MIA_JSON"
  # The two alternate, REPEAT times each, so that both see the same moments of a noisy machine.
  for ((r = 1; r <= REPEAT; r++)); do
    echo "timing python on $FILE ($r/$REPEAT)" >&2
    t0=$(now)
    "$PYTHON" scripts/reference/lira_reference.py "$FILE" >"$PY_JSON" || { echo "bench_lira: the reference failed" >&2; exit 2; }
    t1=$(now)
    PY_WALL+="$(awk "BEGIN{print $t1 - $t0}"),"
    PY_OWN+="$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds"])' "$PY_JSON"),"
    if [ "$MIA_OK" = 1 ]; then
      echo "timing $MIA lira on $FILE ($r/$REPEAT)" >&2
      t0=$(now)
      "$MIA" lira "$FILE" --json >"$MIA_JSON"
      rc=$?
      t1=$(now)
      MIA_WALL+="$(awk "BEGIN{print $t1 - $t0}"),"
      if [ "$rc" != 0 ]; then echo "bench_lira: '$MIA lira' exited with $rc" >&2; fi
    fi
  done
  RESULTS+=("$N $M ${PY_OWN%,} ${PY_WALL%,} ${MIA_WALL%,} $PY_JSON $MIA_JSON")
done

"$PYTHON" - "${RESULTS[@]}" <<'EOF'
import json, os, sys

import statistics

rows = [r.split(" ") for r in sys.argv[1:]]
median = lambda text: statistics.median(float(x) for x in text.split(",") if x) if text else None
print()
print(f"{'size':>16} {'python s':>9} {'python wall':>11} {'mia wall':>9} {'python/mia':>10} {'wall/wall':>9} "
      f"{'max |dAUC|':>11} {'max |dTPR|':>10}")
notes = []
for n, m, py_own, py_wall, mia_wall, py_json, mia_json in rows:  # mia_wall is "" without mia
    py = json.load(open(py_json))
    py_s, py_wall = median(py_own), median(py_wall)
    size = f"{int(n):,} x {m}"
    if not mia_wall or not os.path.exists(mia_json):
        print(f"{size:>16} {py_s:9.2f} {py_wall:11.2f} {'-':>9} {'-':>10} {'-':>9} {'-':>11} {'-':>10}")
        continue
    mw = median(mia_wall)
    try:
        mj = json.load(open(mia_json))
        mv = mj["variants"]
    except Exception as e:  # noqa: BLE001 - report and go on
        notes.append(f"{size}: cannot read mia's JSON ({e})")
        mv = {}
    dauc = dtpr = None
    for name, pv in py["variants"].items():
        q = mv.get(name)
        if q is None:
            notes.append(f"{size}: mia reports no variant {name}")
            continue
        if not pv["available"] or not q.get("available", True):
            if pv["available"] != q.get("available", True):
                notes.append(f"{size}: {name} available: python {pv['available']}, mia {q.get('available')}")
            continue
        d = abs(pv["auc"] - q["auc"])
        dauc = d if dauc is None else max(dauc, d)
        if d > 1e-9:
            notes.append(f"{size}: {name} AUC python {pv['auc']!r} mia {q['auc']!r}")
        for t, v in pv["tpr_at_fpr"].items():
            dt = abs(v - q["tpr_at_fpr"][t])
            dtpr = dt if dtpr is None else max(dtpr, dt)
            if dt != 0:
                notes.append(f"{size}: {name} TPR@{t} python {v!r} mia {q['tpr_at_fpr'][t]!r}")
    fmt = lambda x: "-" if x is None else f"{x:.3g}"
    print(f"{size:>16} {py_s:9.2f} {py_wall:11.2f} {mw:9.2f} {py_s / mw:10.2f} "
          f"{py_wall / mw:9.2f} {fmt(dauc):>11} {fmt(dtpr):>10}")
    print(f"{'':>16} runs: python s {py_own.replace(',', ' ')}; mia wall {mia_wall.replace(',', ' ')}")
print()
print("Medians of the runs. python s = the reference's own timing (reading the CSV to the last figure);")
print("python wall / mia wall = the whole process (start-up, reading, every variant, JSON).")
print("python/mia = python s / mia wall.")
for line in notes:
    print("note:", line)
EOF
