#pragma once
// The jobs of a replayed trace (CSV, SWF, sacct), in submit order, as the loader prepared them:
// every row read and checked once at load time, then either
//   - streamed: the file is read again, row by row, while the run consumes it, so a run's
//     memory does not depend on the trace's length (a sorted trace in a regular file, whose
//     `repeat` copies do not overlap in time), or
//   - held: kept in a compact table of ~48 bytes per job plus its id (an unsorted trace, a
//     pipe, or overlapping `repeat` copies), sorted once.
// Both yield the same jobs in the same order (docs/scenario-format.md, "How traces are read").
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gigasim/core/time.hpp"

namespace gigasim {

/// One trace job after the source's transformations (rebase, time_scale, shift, chip_scale).
struct TraceJob {
  SimTime submit;
  Duration duration;        ///< run time once started (> 0)
  Duration estimate;        ///< the job's own runtime estimate; zero = none
  double memory_bytes = 0;  ///< needed inside one scale-up domain (SWF requested memory); 0 = none
  std::uint32_t chips = 0;
  std::uint16_t tenant = 0;
};

/// Reads a trace's jobs in order. Not thread-safe; every run opens its own.
class TraceCursor {
 public:
  virtual ~TraceCursor() = default;
  /// The next job and its id (empty when the trace names no jobs); false at the end. Throws
  /// InputError if a streamed file no longer holds what was loaded.
  virtual bool next(TraceJob& job, std::string& id) = 0;
  /// An independent cursor at the same position (Simulation::fork).
  virtual std::unique_ptr<TraceCursor> clone() const = 0;
};

/// Immutable once loaded: scenarios copied for sweeps and replicas share one table.
class TraceTable {
 public:
  virtual ~TraceTable() = default;
  /// Jobs it yields (after sample_every and repeat).
  virtual std::uint64_t size() const = 0;
  /// True when read from its file during the run rather than held in memory.
  virtual bool streamed() const = 0;
  virtual std::unique_ptr<TraceCursor> open() const = 0;
};

/// A trace job with its id, as read_all returns them.
struct TracedJob {
  TraceJob job;
  std::string id;
};

/// Every job of `table`, in order (for tests and small traces: this holds them all).
std::vector<TracedJob> read_all(const TraceTable& table);

}  // namespace gigasim
