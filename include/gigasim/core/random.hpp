#pragma once
// Named random streams derived from one scenario seed.
//
// Every purpose (each workload source's arrivals, its sizes, its durations, later each factory's
// failures) draws from its own stream, so changing one part of a scenario (the policy, the plan,
// a chip-size distribution) leaves the other streams -- and so the job stream -- unchanged:
// common random numbers make comparisons fair. Distributions come from Boost.Random, whose
// algorithms are fixed, so results are identical on every standard library.
#include <cstdint>
#include <string_view>

#include <boost/random/mersenne_twister.hpp>

namespace gigasim {

using RandomEngine = boost::random::mt19937_64;

/// 64-bit FNV-1a of a byte string: stable across platforms and runs (unlike std::hash).
std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t h = 0xcbf29ce484222325ULL);

/// SplitMix64 finaliser: spreads nearby inputs (seed, seed+1) to unrelated outputs.
std::uint64_t splitmix64(std::uint64_t x);

/// Seed of the stream for `purpose` (e.g. "workload/3/arrivals") under the scenario seed.
std::uint64_t derive_seed(std::uint64_t scenario_seed, std::string_view purpose);

/// A ready-to-use engine for one purpose.
RandomEngine make_stream(std::uint64_t scenario_seed, std::string_view purpose);

}  // namespace gigasim
