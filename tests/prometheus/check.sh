#!/usr/bin/env bash
# The monitor's Prometheus exports against Debian's promtool: the alert rules and the metrics
# `mia monitor` writes for the bundled log (with the seed's settings and with edited ones) pass
# `promtool check rules` / `promtool check metrics`, and `promtool test rules` (rules_test.yml)
# feeds the rules synthetic series and checks which alerts fire, for which key, and when.
# Needs target/release/mia and promtool (scripts/dev/test.sh installs Debian's prometheus).
set -euo pipefail
cd "$(dirname "$0")/../.."
mia=target/release/mia
log=www/samples/monitor_log.csv
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$mia" monitor "$log" --rules-out "$work/rules.yml" --metrics-out "$work/metrics.prom" >/dev/null
promtool check rules "$work/rules.yml"
promtool check metrics <"$work/metrics.prom"
# Edited thresholds, durations and severities are still accepted.
"$mia" monitor "$log" --window 1800 --diversity 0.85 --min-total 50 --all-time-repeats \
  --rule-for 15m,1h,2m --rule-severity page,ticket,critical \
  --rules-out "$work/edited.yml" --metrics-out "$work/edited.prom" >/dev/null
promtool check rules "$work/edited.yml"
promtool check metrics <"$work/edited.prom"
# The unit test reads the seed-default rules beside it.
cp tests/prometheus/rules_test.yml "$work/"
promtool test rules "$work/rules_test.yml"
echo "promtool: rules, metrics and the alert unit test pass"
