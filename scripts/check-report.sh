#!/usr/bin/env bash
# Renders gigasim's HTML reports in headless Chromium and saves screenshots, to look at them.
# Usage: scripts/check-report.sh [OUT_DIR]   (installs Debian's chromium when missing; as root)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/report-check}
mkdir -p "$out"
command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
build/gigasim run scenarios/default.yaml -q --report "$out/run.html"
build/gigasim bench scenarios/default.yaml --policies fifo,easy,sjf+easy,fair-share+easy --horizon 40d --replicas 3 -q --report "$out/bench.html"
build/gigasim sweep scenarios/default.yaml --set 'factories[1].chips=50000:100000:25000' --set policy.backfill=none,easy --horizon 30d --replicas 2 -q --report "$out/sweep.html"
build/gigasim compare scenarios/compare-plans.yaml --replicas 2 -q --report "$out/compare.html"
for r in run bench sweep compare; do
  # The flags keep Chromium off the network (none is reachable here) and out of first-run work.
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$(mktemp -d)" --window-size=1000,2600 \
    --screenshot="$out/$r.png" "file://$(realpath "$out/$r.html")" 2>/dev/null
  [ -s "$out/$r.png" ] || { echo "check-report: $r.html did not render" >&2; exit 1; }
  echo "check-report: $out/$r.png"
done
