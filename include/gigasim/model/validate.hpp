#pragma once
// Checks a Scenario built in code (an embedding, the Python bindings, a test) as the YAML loader
// checks a file: the same messages, without file positions, e.g.
//   "factories[0].chips: expected a multiple of node_size (8), got '100'".
// simulate() and Simulation call it, so a scenario that would run with nonsense accounting, a
// job that would "complete" with 0 chips or an index out of range never reaches the engine.
#include "gigasim/model/scenario.hpp"

namespace gigasim {

/// Throws InputError naming the first invalid value (its path in the scenario, what was
/// expected and what it is). O(jobs listed) for job tables.
void validate(const Scenario& scenario);

}  // namespace gigasim
