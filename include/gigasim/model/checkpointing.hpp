#pragma once
// The timeline of one attempt of a job (a run from a start or restart until it completes or is
// interrupted), under periodic checkpointing:
//
//   | restart R | work tau | ckpt C | work tau | ckpt C | ... | work (last, <= tau) |
//
// R is paid only on restarts; no checkpoint follows the last piece of work. A failure at
// elapsed time e keeps the work of every checkpoint completed by e and loses the rest.
#include <cstdint>

#include "gigasim/core/time.hpp"

namespace gigasim {

struct AttemptPlan {
  Duration restart;                    ///< R, 0 on a first start
  Duration work;                       ///< W, useful work to do
  Duration interval = Duration::max(); ///< tau; Duration::max() = never checkpoint
  Duration cost;                       ///< C
};

/// R + W + C x (ceil(W / tau) - 1): the attempt's wall time if nothing fails, at most
/// Duration::max() (~73 million years: an attempt that long never ends within a run).
Duration attempt_wall_time(const AttemptPlan& p);

/// Useful work done by elapsed time e (whether or not yet saved by a checkpoint).
Duration work_done_by(const AttemptPlan& p, Duration elapsed);

/// Work kept if the attempt is interrupted at elapsed time e: tau x (checkpoints completed by e).
Duration work_saved_by(const AttemptPlan& p, Duration elapsed);

/// Young's optimal checkpoint interval sqrt(2 x C x M) for a job whose own MTBF is M
/// (node MTBF / nodes it holds); at least 1 s.
Duration young_interval(Duration cost, Duration job_mtbf);

}  // namespace gigasim
