#!/usr/bin/env bash
# Writes each kind of HTML report for the bundled scenarios and screenshots it in headless
# Chromium at two widths (1400 and 700 px), for a person to look at after changing the reports
# (docs/metrics.md, "--report"). Not part of the test suite: the tests check the numbers'
# formatting and each chart's data; this shows what a reader sees.
#   bash scripts/screenshot-reports.sh [OUT_DIR]      (default: build/report-shots)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build/report-shots}"
mkdir -p "$out"
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y chromium >/dev/null; else echo "needs Debian's chromium (apt-get install chromium)" >&2; exit 1; fi
fi
g=build/gigasim
$g run scenarios/default.yaml -q --report "$out/run-default.html"
$g run scenarios/eu-ai-factories-2026.yaml -q --report "$out/run-eu-ai-factories.html"
$g compare scenarios/compare-plans.yaml -q --replicas 3 --report "$out/compare.html"
$g bench scenarios/default.yaml -q --replicas 3 --policies fifo,easy,fair-share+easy --report "$out/bench.html"
$g sweep scenarios/default.yaml -q --set 'factories[0].chips=10000,20000,30000' --set policy.backfill=none,easy \
  --report "$out/sweep.html"
for page in "$out"/*.html; do
  for width in 1400 700; do
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$width,4000" \
      --screenshot="${page%.html}-$width.png" "file://$(realpath "$page")" >/dev/null 2>&1
  done
done
ls "$out"/*.png
