#!/usr/bin/env bash
# Re-records every golden output (tests/golden/run/ and the scenario-error messages) from the
# Release build in build/. Run it only after a change of behaviour that is intended, and say
# in the commit why the outputs changed; `git diff tests/golden` shows what did.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
grep -vE '^\s*(#|$)' tests/golden/cases.txt | cut -d'|' -f1 | while read -r name; do
  bash tests/golden/check.sh "$PWD/build/gigasim" "$PWD" "$name" --update
done
GIGASIM_UPDATE_GOLDEN=1 build/gigasim_tests "[golden]" >/dev/null
echo "golden: error messages recorded in tests/golden/scenario-errors.txt"
