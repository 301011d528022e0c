// Fuzz target: a CSV trace's bytes -> the trace reader, under each of its option sets that
// change how rows are read (strict and on_bad_row: skip, numeric and mapped columns).
// A bad trace must end in an InputError; anything else is a finding (see fuzz_scenario.cpp).
#include <cstdint>
#include <string>

#include "gigasim/error.hpp"
#include "gigasim/scenario/trace_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gigasim;
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<TenantSpec> tenants(2);
  tenants[0].name = "research";
  tenants[1].name = "industry";
  for (int variant = 0; variant < 4; ++variant) {
    TraceOptions opt;
    opt.skip_bad_rows = variant & 1;
    opt.default_tenant = variant < 2 ? 0 : -1;
    if (variant >= 2) {
      opt.time_unit_s = 60;
      opt.chip_scale = 0.5;
      opt.repeat = 3;
      opt.repeat_shift = Duration::days(7);
      opt.max_jobs = 100'000;
    }
    try {
      (void)parse_trace_csv(text, "fuzz.csv", tenants, opt);
    } catch (const InputError&) {
    }
  }
  return 0;
}
