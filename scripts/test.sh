#!/usr/bin/env bash
# Sets up (dependencies), builds and runs the whole test suite with ctest:
#   1. Release build in build/ (what users run),
#   2. AddressSanitizer + UndefinedBehaviorSanitizer build in build-asan/, the Python tests
#      included (the extension module instrumented, the runtime preloaded; skip with --no-sanitizers),
#   3. a libFuzzer run of the loader and trace reader (scripts/fuzz.sh; skipped with
#      --no-sanitizers): FUZZ_RUNS inputs per target (default 60000, about 30-40 s each), a
#      fixed number so that every machine tries the same inputs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

jobs=$(nproc 2>/dev/null || echo 2)
sanitizers=1
[ "${1:-}" = "--no-sanitizers" ] && sanitizers=0

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGIGASIM_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")

if [ "$sanitizers" = 1 ]; then
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGIGASIM_SANITIZE=ON >/dev/null
  cmake --build build-asan -j"$jobs"
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure -j"$jobs" -LE slow)
  FUZZ_RUNS="${FUZZ_RUNS:-60000}" bash scripts/fuzz.sh
fi
