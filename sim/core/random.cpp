#include "gigasim/core/random.hpp"

namespace gigasim {

std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t h) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t derive_seed(std::uint64_t scenario_seed, std::string_view purpose) {
  return splitmix64(splitmix64(scenario_seed) ^ fnv1a64(purpose));
}

RandomEngine make_stream(std::uint64_t scenario_seed, std::string_view purpose) {
  return RandomEngine(derive_seed(scenario_seed, purpose));
}

}  // namespace gigasim
