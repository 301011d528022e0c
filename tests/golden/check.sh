#!/usr/bin/env bash
# Runs one golden-output case of tests/golden/cases.txt and compares it with the recorded output.
#   check.sh GIGASIM_BINARY SOURCE_DIR CASE [--update]
# Exits non-zero with a diff when the table or the JSON differ, or when the per-job CSV's hash
# does. --update records the current output instead (scripts/update-golden.sh does every case).
set -euo pipefail
bin=$1 src=$2 name=$3 mode=${4:-}
line=$(grep -E "^${name//./\\.} *\|" "$src/tests/golden/cases.txt" || true)
[ -n "$line" ] || { echo "golden: no case '$name' in tests/golden/cases.txt" >&2; exit 2; }
args=$(echo "$line" | cut -d'|' -f3-)
out="$src/tests/golden/run/$name"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src"
# shellcheck disable=SC2086  # the arguments are words on purpose
"$bin" run $args --json "$tmp/out.json" --jobs-csv "$tmp/jobs.csv" >"$tmp/out.txt"
(cd "$tmp" && sha256sum jobs.csv) >"$tmp/jobs.sha256"
if [ "$mode" = "--update" ]; then
  cp "$tmp/out.txt" "$out.txt"; cp "$tmp/out.json" "$out.json"; cp "$tmp/jobs.sha256" "$out.jobs.sha256"
  echo "golden: recorded $name"
  exit 0
fi
status=0
diff -u "$out.txt" "$tmp/out.txt" || status=1
diff -u "$out.json" "$tmp/out.json" || status=1
diff -u "$out.jobs.sha256" "$tmp/jobs.sha256" || { echo "golden: $name: the per-job records differ" >&2; status=1; }
[ $status = 0 ] || echo "golden: $name differs from tests/golden/run/ (intended? bash scripts/update-golden.sh)" >&2
exit $status
