#pragma once
// A minimal reference simulator of strict FIFO, to measure gigasim's overhead against (issue
// #13: "strict FIFO on the 10^6-job year <= 2x a minimal reference simulator").
//
// It knows only what the bench's year needs -- one generated workload, factories online from
// time 0 without failures, duration jobs on whole nodes, first-fit placement -- and does the
// least a correct simulator of that can do: the jobs pulled from the same generator, a binary
// heap of completions, a queue and per-factory free-node counts. It follows gigasim's event
// order (docs/semantics.md: completions, then arrivals, then one pass per instant; completions
// at equal times in start order; nothing starts at the horizon), so both must produce the same
// schedule; the bench checks that they do (jobs started and completed, busy chip-time).
#include <cstdint>

#include "gigasim/model/scenario.hpp"

namespace gigasim::bench {

struct ReferenceResult {
  std::uint64_t submitted = 0, started = 0, completed = 0;
  double utilisation = 0;  ///< busy chip-time / installed chip-time over [0, end]
};

/// Runs the scenario's single generator through strict FIFO with first-fit placement.
/// Throws std::invalid_argument for scenarios outside what it models.
ReferenceResult run_reference_fifo(const Scenario& sc);

}  // namespace gigasim::bench
