// Fuzz target: a trace's bytes -> every trace reader (CSV under option sets that change how
// rows are read -- strict and on_bad_row: skip, transformations, the Acme preset -- SWF, sacct).
// A bad trace must end in an InputError; anything else is a finding (see fuzz_scenario.cpp).
#include <cstdint>
#include <string>

#include "gigasim/error.hpp"
#include "gigasim/scenario/trace_csv.hpp"
#include "gigasim/scenario/trace_sacct.hpp"
#include "gigasim/scenario/trace_swf.hpp"

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
    opt.drop_unrun = variant == 3;
    try {
      (void)parse_trace_csv(text, "fuzz.csv", tenants, opt);
    } catch (const InputError&) {
    }
    try {
      SwfOptions swf;
      swf.common = opt;
      swf.keep_cancelled = variant & 1;
      if (variant >= 2) {
        swf.tenant_field = SwfOptions::TenantField::Queue;
        swf.tenant_map = {{"1", 0}, {"2", 1}};
      }
      (void)parse_swf(text, "fuzz.swf", tenants, swf);
    } catch (const InputError&) {
    }
    try {
      SacctOptions sacct;
      sacct.common = opt;
      sacct.chips = variant & 1 ? SacctOptions::Chips::Cpu : SacctOptions::Chips::Gpu;
      if (variant == 2) sacct.states = {"COMPLETED"};
      (void)parse_sacct(text, "fuzz.txt", tenants, sacct);
    } catch (const InputError&) {
    }
  }
  return 0;
}
