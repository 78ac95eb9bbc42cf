#!/usr/bin/env bash
# Installs what building the app needs, skipping whatever is already there:
# the wasm32 target, wasm-bindgen-cli (= the crate's pinned version), trunk, and wasm-opt (npm binaryen).
# Recipes verified on Debian 12 with rustc 1.95 (see ../shared/TOOLCHAIN.md).
set -euo pipefail
cd "$(dirname "$0")/../.."

WASM_BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.21.14
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

say() { printf '\033[1m[ensure-tools]\033[0m %s\n' "$*"; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes)"
  # Not --locked: one locked dependency is missing from the registry mirror.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (about 10 minutes)"
  # --locked: without it lightningcss fails to build; trunk 0.22 needs a newer rustc.
  cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  say "installing Node.js and npm from Debian"
  apt-get update -qq && apt-get install -y -qq nodejs npm
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (binaryen for wasm-opt, playwright-core for tests)"
  npm ci --no-audit --no-fund
fi
say "tools ready: $(wasm-bindgen --version), $(trunk --version), wasm-opt $(wasm-opt --version | awk '{print $3}')"
