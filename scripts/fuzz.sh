#!/usr/bin/env bash
# Fuzzes the scenario loader (+ a short run) and the trace reader with libFuzzer under
# AddressSanitizer + UndefinedBehaviorSanitizer, for SECONDS per target (default 60).
#   bash scripts/fuzz.sh [SECONDS]          (FUZZ_SEED=N for another sequence; default 1)
#   FUZZ_RUNS=N bash scripts/fuzz.sh        (exactly N inputs per target instead: what CI does)
# A run bounded by time tries as many inputs as the machine's speed allows, so a slower or
# faster machine explores a different set and may find what this one did not: CI therefore
# runs a fixed number of inputs with a fixed seed, the same sequence on every machine (the
# time bound then only stops a run that got far too slow). Explore with long timed runs and
# other seeds locally; whatever they find becomes a regression input.
# Seeds: the bundled scenarios, every case of the scenario-error corpus, the test traces and
# the regression inputs. A crash, sanitizer report, timeout or out-of-memory input is saved in
# build-fuzz/findings/ and makes the script fail: copy it into tests/fuzz/regressions/<target>/
# (with the fix), where every build replays it (ctest fuzz.replay.*).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
bash scripts/setup.sh --fuzz

CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGIGASIM_SANITIZE=ON \
  -DGIGASIM_FUZZ=ON -DGIGASIM_LTO=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc 2>/dev/null || echo 2)" --target fuzz_scenario fuzz_trace

corpus=build-fuzz/corpus
findings=build-fuzz/findings
rm -rf "$corpus" "$findings" && mkdir -p "$corpus/scenario" "$corpus/trace" "$findings"
cp scenarios/*.yaml tests/fuzz/regressions/scenario/* "$corpus/scenario/"
# One seed per case of the error corpus ("### case N" headers, "--> message" lines dropped).
awk -v dir="$corpus/scenario" '/^### case /{f=dir "/error-case-" $3 ".yaml"; next} /^--> /{next} f{print > f}' \
  tests/golden/scenario-errors.txt
cp tests/data/*.csv tests/data/*.swf tests/data/*.txt tests/fuzz/regressions/trace/* "$corpus/trace/"
for t in scenarios/traces/*.csv; do [ -f "$t" ] && head -c 20000 "$t" > "$corpus/trace/$(basename "$t")"; done

bound=(-max_total_time="$seconds") amount="${seconds} s"
if [ -n "${FUZZ_RUNS:-}" ]; then bound=(-runs="$FUZZ_RUNS" -max_total_time=900) amount="$FUZZ_RUNS inputs"; fi

status=0
for target in scenario trace; do
  echo "fuzz: $target, $amount" >&2
  # -timeout: an input running over 10 s is a hang; -rss_limit_mb: over 2 GB is runaway memory.
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
       "build-fuzz/fuzz_$target" -seed="${FUZZ_SEED:-1}" "${bound[@]}" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$findings/$target-" -print_final_stats=1 "$corpus/$target" 2>"build-fuzz/fuzz-$target.log"; then
    status=1
    tail -40 "build-fuzz/fuzz-$target.log" >&2
  fi
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "build-fuzz/fuzz-$target.log" | sed "s/^/fuzz: $target /" >&2 || true
done
ls "$findings" | sed 's/^/fuzz: finding /' >&2 || true
exit $status
