// Fuzz target: a scenario file's bytes -> the loader -> a short run of every plan it holds.
//
// Bad input must end in an InputError (exit 2 in the CLI) or, for a run that passes a resource
// bound, an Error (exit 1). Anything else -- another exception, a crash, a sanitizer report, a
// hang -- is a finding. Runs are bounded (a few thousand instants, a small queue limit) so that
// every input finishes in milliseconds. Built by scripts/fuzz.sh with libFuzzer; the same
// function replays tests/fuzz/regressions/ in the normal test suite (fuzz_replay.cpp).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gigasim/engine/simulation.hpp"
#include "gigasim/error.hpp"
#include "gigasim/scenario/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gigasim;
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  std::vector<Scenario> plans;
  try {
    // Traces resolve against tests/data, so seeds that name the bundled traces read them.
    plans = parse_plans(yaml, "fuzz.yaml", GIGASIM_SOURCE_DIR "/tests/data");
  } catch (const InputError&) {
    return 0;
  }
  for (const Scenario& sc : plans) {
    SimulationOptions o;
    o.limits.active_jobs = 20'000;
    try {
      Simulation sim(sc, o);
      for (int steps = 0; steps < 5'000 && sim.step(); ++steps) {
      }
      sim.stop();
      (void)sim.result();  // the metrics of what was simulated
    } catch (const PolicyError&) {
      std::abort();  // a built-in policy made a decision the engine refuses: a bug
    } catch (const Error&) {
      // InputError (e.g. an endless generator without a horizon) or a resource bound
    }
  }
  return 0;
}
