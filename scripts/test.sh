#!/usr/bin/env bash
# Runs every test. Installs what is missing first (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test -p mia-engine
