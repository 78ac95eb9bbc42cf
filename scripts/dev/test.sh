#!/usr/bin/env bash
# Command 2 of the README (and .ci/run): install what tests need, then run every test:
#   1. native: formatting, clippy, engine unit/doc/conformance tests, CLI tests;
#   2. wasm-bindgen-test in headless Chromium;
#   3. end-to-end: the release bundle in Chromium, driven by playwright-core; the monitor's
#      Prometheus rules and metrics against promtool, and a real Prometheus server scraping
#      `mia monitor --follow` (Debian's prometheus, installed if missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

say() { printf '\n\033[1m[test]\033[0m %s\n' "$*"; }

bash scripts/dev/ensure-tools.sh
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing Chromium and chromedriver from Debian"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium chromium-driver
fi

say "native: fmt, clippy, tests"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown -p mia-playground --all-targets -- -D warnings
cargo test --workspace

say "wasm-bindgen-test in headless Chromium"
CHROMEDRIVER="$(command -v chromedriver)" cargo test --target wasm32-unknown-unknown -p mia-playground --test web

say "end-to-end: release bundle in Chromium"
trunk build --release
node scripts/dev/bundle_size.mjs
cargo build --release -p mia-engine --bin mia

say "Prometheus: the monitor's rules and metrics against promtool and a real server"
if ! command -v promtool >/dev/null || ! command -v prometheus >/dev/null; then
  say "installing Debian's prometheus (promtool)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends prometheus
fi
bash tests/prometheus/check.sh
node --test tests/prometheus/

node --test --test-concurrency=1 tests/e2e/
say "all tests passed; screenshots in tests/e2e/out/"
