# Sourced by the benchmarks: sets MIA to the CLI to time, unless the caller set it: the newer of
# engine/target/release/mia and target/release/mia, built first when there is none or when the
# first argument is 1 (the second names the benchmark in messages). Needs ROOT.
newest() { # the most recently modified existing executable among the arguments
  local best="" f
  for f in "$@"; do
    if [ -x "$f" ] && { [ -z "$best" ] || [ "$f" -nt "$best" ]; }; then best=$f; fi
  done
  printf '%s' "$best"
}
find_mia() {
  local rebuild=${1:-0} bench=${2:-bench}
  [ -n "${MIA:-}" ] && return 0
  MIA=$(newest "$ROOT/engine/target/release/mia" "$ROOT/target/release/mia")
  if [ -z "$MIA" ] || [ "$rebuild" = 1 ]; then
    echo "building the CLI: cargo build --release -p mia-engine --bin mia" >&2
    cargo build --release -p mia-engine --bin mia >&2 || { echo "$bench: cargo build failed" >&2; exit 2; }
    MIA=$(newest "$ROOT/engine/target/release/mia" "$ROOT/target/release/mia")
  fi
}
