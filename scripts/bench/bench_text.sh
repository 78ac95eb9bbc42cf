#!/usr/bin/env bash
# Benchmark (NOT a test; CI never runs it): the text pairs audit (`audit_pairs`, what `mia text` and the
# page's Text view run on a pairs file) in native Rust against the Python a user would otherwise run, on
# the same input in one run.
#
#   bash scripts/bench/bench_text.sh [DIR]        # DIR holds the generated inputs (default /tmp/text-bench)
#
# For the two mixes of scripts/bench/text_pairs_synthetic.py (10,000 pairs of 300-word texts, seed 1;
# generated only if DIR does not have them yet, about 33 MB each):
#   realistic: a quarter each verbatim copies, light edits (~5% of words), heavy paraphrases (~50%),
#              unrelated texts;
#   unrelated: all unrelated (the worst case: the whole edit-distance matrix for every pair),
# it runs
#   (a) the Rust timing programme engine/examples/bench_text_pairs.rs (release): reads the file with
#       read_pairs (not timed), times audit_pairs TEXT_BENCH_REPEAT times (default 3; the best counts),
#       and writes every pair's figures;
#   (b) python3 scripts/bench/text_pairs_reference.py: the seed's verbatim test on every row (measured),
#       the extraction metrics (difflib, numpy Levenshtein and word LCS) on TEXT_BENCH_SUBSET rows
#       (default 200) EXTRAPOLATED to every row; it also checks the Rust figures (word and 5-gram
#       overlap on every row, the subset's longest common substring, word LCS ratio and exact match
#       equal, edit similarity within 1e-12);
#   (c) when node and the wasm32-unknown-unknown target are there (TEXT_BENCH_WASM=0 skips it): the same
#       example built as WebAssembly, audit_pairs timed in node (V8, as in Chrome; one thread, as the
#       page's worker runs it);
# then prints a table: mix, rows, Rust ms, wasm ms, Python seconds (seed measured; total extrapolated),
# the ratios Python/Rust, and the check.
#
# Environment: PYTHON = the interpreter (default /work/.venv/bin/python3 if it exists, else python3; it
# needs numpy); CARGO_TARGET_DIR is honoured; TEXT_BENCH_PAIRS / TEXT_BENCH_WORDS change the size (a
# smaller one to try the script); TEXT_BENCH_BUILD=0 skips the build (uses the built programme).
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DIR=${1:-/tmp/text-bench}
PAIRS=${TEXT_BENCH_PAIRS:-10000}
WORDS=${TEXT_BENCH_WORDS:-300}
REPEAT=${TEXT_BENCH_REPEAT:-3}
SUBSET=${TEXT_BENCH_SUBSET:-200}
SEED=1

if [ -z "${PYTHON:-}" ]; then
  if [ -x /work/.venv/bin/python3 ]; then PYTHON=/work/.venv/bin/python3; else PYTHON=python3; fi
fi
if ! "$PYTHON" -c 'import numpy' 2>/dev/null; then
  echo "bench_text: $PYTHON cannot import numpy, which the reference needs. Install it, e.g.:" >&2
  echo "  python3 -m venv /work/.venv && /work/.venv/bin/pip install numpy" >&2
  exit 2
fi

TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BENCH=$TARGET/release/examples/bench_text_pairs
if [ "${TEXT_BENCH_BUILD:-1}" = 1 ]; then
  echo "building: cargo build --release -p mia-engine --example bench_text_pairs" >&2
  cargo build --release -p mia-engine --example bench_text_pairs >&2 || { echo "bench_text: cargo build failed" >&2; exit 2; }
fi
[ -x "$BENCH" ] || { echo "bench_text: no $BENCH (build it, or set CARGO_TARGET_DIR)" >&2; exit 2; }
WASM=$TARGET/wasm32-unknown-unknown/release/examples/bench_text_pairs.wasm
if [ "${TEXT_BENCH_WASM:-1}" = 1 ] && command -v node >/dev/null \
  && rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
  if [ "${TEXT_BENCH_BUILD:-1}" = 1 ]; then
    echo "building: cargo build --release -p mia-engine --example bench_text_pairs --target wasm32-unknown-unknown" >&2
    cargo build --release -p mia-engine --example bench_text_pairs --target wasm32-unknown-unknown >&2 || WASM=""
  fi
else
  WASM=""
fi
[ -n "$WASM" ] && [ ! -s "$WASM" ] && WASM=""
# Times audit_pairs in the wasm module: node - WASM FILE REPEAT.
WASM_TIMER='
const fs = require("fs");
const [wasm, csv, repeat] = process.argv.slice(1);
const e = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(wasm)), {}).exports;
const bytes = fs.readFileSync(csv);
const ptr = e.buffer(bytes.length);
new Uint8Array(e.memory.buffer, ptr, bytes.length).set(bytes);
const rows = e.load();
const runs = [];
for (let r = 0; r < Number(repeat); r++) {
  const t = performance.now();
  e.run();
  runs.push(performance.now() - t);
}
console.log(`wasm (node ${process.version}) rows ${rows} audit_pairs ms: ${runs.map((x) => x.toFixed(1)).join(" ")} best ${Math.min(...runs).toFixed(1)}`);
'

mkdir -p "$DIR" || exit 2
RESULTS=()
STATUS=0
for mix in realistic unrelated; do
  FILE="$DIR/text_pairs_${mix}_n${PAIRS}_w${WORDS}_s${SEED}.csv"
  if [ ! -s "$FILE" ]; then
    echo "generating $FILE" >&2
    "$PYTHON" scripts/bench/text_pairs_synthetic.py "$FILE.part" --pairs "$PAIRS" --words "$WORDS" \
      --mix "$mix" --seed "$SEED" && mv "$FILE.part" "$FILE" || exit 2
  fi
  FIGURES="$DIR/text_pairs_${mix}.rust_figures.csv"
  RUST_OUT="$DIR/text_pairs_${mix}.rust.txt"
  PY_JSON="$DIR/text_pairs_${mix}.python.json"
  echo "timing Rust audit_pairs on $FILE ($REPEAT runs)" >&2
  "$BENCH" "$FILE" --repeat "$REPEAT" --figures "$FIGURES" --stages >"$RUST_OUT" || { echo "bench_text: the Rust programme failed" >&2; exit 2; }
  cat "$RUST_OUT" >&2
  WASM_OUT="$DIR/text_pairs_${mix}.wasm.txt"
  rm -f "$WASM_OUT"
  if [ -n "$WASM" ]; then
    echo "timing the wasm audit_pairs in node on $FILE ($REPEAT runs)" >&2
    node -e "$WASM_TIMER" "$WASM" "$FILE" "$REPEAT" >"$WASM_OUT" || rm -f "$WASM_OUT"
    [ -s "$WASM_OUT" ] && cat "$WASM_OUT" >&2
  fi
  echo "timing the Python reference on $FILE (extraction metrics on $SUBSET rows)" >&2
  "$PYTHON" scripts/bench/text_pairs_reference.py "$FILE" --subset "$SUBSET" --check "$FIGURES" --json >"$PY_JSON"
  rc=$?
  if [ "$rc" = 1 ]; then STATUS=1; elif [ "$rc" != 0 ]; then echo "bench_text: the reference failed" >&2; exit 2; fi
  RESULTS+=("$mix $RUST_OUT $PY_JSON $WASM_OUT")
done

"$PYTHON" - "${RESULTS[@]}" <<'EOF'
import json, os, re, sys

print()
print(f"{'mix':>10} {'rows':>6} {'rust ms':>8} {'wasm ms':>8} {'py seed s':>9} {'py total s*':>11} "
      f"{'seed/rust':>9} {'total/rust*':>11} {'check':>14}")
notes = []
for arg in sys.argv[1:]:
    mix, rust_out, py_json, wasm_out = arg.split(" ")
    text = open(rust_out).read()
    best = float(re.search(r"best ([0-9.]+)", text).group(1))
    wasm = "-"
    if os.path.exists(wasm_out):
        wasm = re.search(r"best ([0-9.]+)", open(wasm_out).read()).group(1)
    py = json.load(open(py_json))
    seed, total = py["seed_seconds"], py["total_seconds_extrapolated"]
    diffs = py["check"]["differences"]
    check = "equal" if diffs == 0 else f"{diffs} DIFFER"
    print(f"{mix:>10} {py['rows']:>6} {best:8.1f} {wasm:>8} {seed:9.2f} {total:11.1f} "
          f"{seed / (best / 1e3):9.1f} {total / (best / 1e3):11.0f} {check:>14}")
    for line in py["check"]["first"]:
        notes.append(f"{mix}: {line}")
print()
print("rust ms = the best of the runs of audit_pairs (every figure of every pair, as `mia text` runs it);")
print("wasm ms = the same, built as WebAssembly and run in node (V8), as the page's worker runs it.")
print("py seed s = the seed's verbatim test (word and 5-gram overlap) on every row, measured.")
print("py total s* = that plus the extraction metrics (difflib longest common substring, numpy Levenshtein")
print("and word LCS) measured on a subset of rows and EXTRAPOLATED to every row. Ratios are Python/Rust.")
print("check = the Rust figures against Python's: word and 5-gram overlap on every row; on the subset the")
print("longest common substring, word LCS ratio, exact match equal and edit similarity within 1e-12.")
for line in notes:
    print("note:", line)
EOF
exit $STATUS
