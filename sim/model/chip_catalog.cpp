// Built-in accelerator catalog. Figures are public vendor datasheet values (dense, per chip),
// as collected in shared/design/figures.md; see docs/chips.md for the table with sources.
#include <algorithm>
#include <array>
#include <cctype>

#include "gigasim/model/chip.hpp"

namespace gigasim {

namespace {
constexpr double T = 1e12;   // TFLOP/s
constexpr double GB = 1e9;   // decimal GB as vendors quote HBM
constexpr double TBs = 1e12; // TB/s

const std::array<ChipType, 17>& catalog() {
  // name, vendor, model, year, BF16, FP8, HBM, HBM bw, TDP, scale-up domain
  static const std::array<ChipType, 17> chips{{
      // V100 has no BF16: its dense FP16 tensor rate (125 TFLOP/s, SXM2 datasheet) stands in.
      // In the catalog for replays of the Philly and ITP traces, which ran on V100-class GPUs.
      {"V100", "NVIDIA", "V100-SXM2-32GB", 2017, 125 * T, 0, 32 * GB, 0.9 * TBs, 300, 8},
      {"A100", "NVIDIA", "A100-SXM4-80GB", 2020, 312 * T, 0, 80 * GB, 2.04 * TBs, 400, 8},
      {"H100", "NVIDIA", "H100-SXM5", 2022, 989 * T, 1979 * T, 80 * GB, 3.35 * TBs, 700, 8},
      {"H200", "NVIDIA", "H200-SXM", 2024, 989 * T, 1979 * T, 141 * GB, 4.8 * TBs, 700, 8},
      // GH200 superchip as in JUPITER; TDP is the whole superchip module.
      {"GH200", "NVIDIA", "GH200", 2024, 989 * T, 1979 * T, 96 * GB, 4.0 * TBs, 680, 4},
      {"B200", "NVIDIA", "B200-HGX", 2024, 2250 * T, 4500 * T, 180 * GB, 8.0 * TBs, 1000, 8},
      {"GB200", "NVIDIA", "GB200-NVL72", 2025, 2500 * T, 5000 * T, 186 * GB, 8.0 * TBs, 1200, 72},
      {"B300", "NVIDIA", "B300-HGX", 2025, 2250 * T, 4500 * T, 270 * GB, 8.0 * TBs, 1100, 8},
      {"GB300", "NVIDIA", "GB300-NVL72", 2025, 2500 * T, 5000 * T, 279 * GB, 8.0 * TBs, 1400, 72},
      {"MI250X", "AMD", "Instinct MI250X", 2021, 383 * T, 0, 128 * GB, 3.2 * TBs, 560, 4},
      {"MI300X", "AMD", "Instinct MI300X", 2023, 1307 * T, 2615 * T, 192 * GB, 5.3 * TBs, 750, 8},
      {"MI325X", "AMD", "Instinct MI325X", 2024, 1307 * T, 2615 * T, 256 * GB, 6.0 * TBs, 1000, 8},
      // MI355X BF16 derived as FP8 / 2 (figures.md).
      {"MI355X", "AMD", "Instinct MI355X", 2025, 2500 * T, 5000 * T, 288 * GB, 8.0 * TBs, 1400, 8},
      // TPUs: TDP not published (0); scale-up = pod size reachable over ICI.
      {"TPUv5p", "Google", "TPU v5p", 2023, 459 * T, 459 * T, 95 * GB, 2.77 * TBs, 0, 8960},
      {"TPUv6e", "Google", "TPU v6e Trillium", 2024, 918 * T, 918 * T, 32 * GB, 1.64 * TBs, 0, 256},
      {"Ironwood", "Google", "TPU7x Ironwood", 2025, 2307 * T, 4614 * T, 192 * GB, 7.37 * TBs, 0, 9216},
      {"Gaudi3", "Intel", "Gaudi 3", 2024, 1835 * T, 1835 * T, 128 * GB, 3.67 * TBs, 900, 8},
  }};
  return chips;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}
}  // namespace

std::span<const ChipType> chip_catalog() { return catalog(); }

std::optional<ChipType> find_chip(std::string_view name) {
  for (const auto& c : catalog())
    if (iequals(c.name, name)) return c;
  return std::nullopt;
}

}  // namespace gigasim
