#pragma once
// Accelerator types and the built-in catalog of real parts.
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gigasim {

/// One accelerator type. Figures are per chip, dense (no sparsity).
struct ChipType {
  std::string name;        ///< catalog key used in scenarios, e.g. "H100"
  std::string vendor;
  std::string model;       ///< the full part name, e.g. "H100-SXM5"
  int year = 0;
  double bf16_flops = 0;   ///< peak dense BF16, FLOP/s
  double fp8_flops = 0;    ///< peak dense FP8, FLOP/s (0 = not supported)
  double hbm_bytes = 0;    ///< HBM capacity, bytes
  double hbm_bandwidth = 0;///< bytes/s
  double tdp_watts = 0;    ///< 0 = not published
  int scale_up = 8;        ///< chips in one scale-up (NVLink/ICI) domain
};

/// The built-in catalog (sources: vendor datasheets, see sim/model/chip_catalog.cpp and docs/chips.md).
std::span<const ChipType> chip_catalog();

/// Looks a chip up by catalog name, case-insensitively; nullopt when unknown.
std::optional<ChipType> find_chip(std::string_view name);

}  // namespace gigasim
