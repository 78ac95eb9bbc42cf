#!/usr/bin/env bash
# Command 1 of the README: install what is missing, build the release bundle, serve it with the
# bundled samples at http://127.0.0.1:8080 (Ctrl-C stops).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/dev/ensure-tools.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
trunk build --release
node scripts/dev/bundle_size.mjs
exec node scripts/dev/serve.mjs dist "${PORT:-8080}"
