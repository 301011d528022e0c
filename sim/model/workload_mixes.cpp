#include "gigasim/model/workload_mixes.hpp"

namespace gigasim {

namespace {

constexpr double kMin = 60, kHour = 3600, kDay = 86400;

ChipsDistribution chips_table(std::vector<double> pct, std::vector<double> chips) {
  ChipsDistribution d;
  d.kind = ChipsDistribution::Kind::Empirical;
  for (double& p : pct) p /= 100.0;
  d.table = {std::move(pct), std::move(chips)};
  return d;
}

DurationDistribution duration_table(std::vector<double> pct, std::vector<double> seconds) {
  DurationDistribution d;
  d.kind = DurationDistribution::Kind::Empirical;
  for (double& p : pct) p /= 100.0;
  d.table = {std::move(pct), std::move(seconds)};
  return d;
}

JobClassSpec job_class(std::string name, double share, ChipsDistribution chips, DurationDistribution duration) {
  JobClassSpec c;
  c.name = std::move(name);
  c.share = share;
  c.chips = std::move(chips);
  c.duration = std::move(duration);
  return c;
}

// LLM development cluster (Hu et al., NSDI'24, Seren cluster; figures in docs/compute-model.md).
// Job shares are the paper's; the percentile tables are fitted so that
// the mix reproduces its aggregate figures: pre-training ~0.9% of jobs but ~70% of GPU time,
// evaluation ~65% of jobs but a few % of GPU time, ~55% single-GPU jobs, median job ~2 min,
// ~70% of jobs within 5 min; pre-training median 5 min, p90 6.9 h, p99 3.6 days.
std::vector<JobClassSpec> llm_dev() {
  return {
      job_class("evaluation", 64.9, chips_table({60, 81, 93, 100}, {1, 2, 4, 8}),
                duration_table({0, 50, 75, 95, 100}, {10, 90, 4 * kMin, 40 * kMin, 8 * kHour})),
      job_class("fine-tuning", 14.9, chips_table({25, 45, 94, 98.5, 100}, {1, 4, 8, 16, 32}),
                duration_table({0, 50, 90, 99, 100}, {30, 6 * kMin, 3 * kHour, 24 * kHour, 3 * kDay})),
      job_class("other", 14.6, chips_table({72, 92, 98, 100}, {1, 2, 4, 8}),
                duration_table({0, 50, 90, 100}, {5, 100, 40 * kMin, 12 * kHour})),
      job_class("multimodal", 2.9, chips_table({30, 66, 90, 100}, {1, 8, 16, 32}),
                duration_table({0, 50, 90, 100}, {30, 12 * kMin, 6 * kHour, 2 * kDay})),
      job_class("debugging", 1.9, chips_table({40, 80, 100}, {1, 8, 32}),
                duration_table({0, 50, 90, 100}, {10, 3 * kMin, 30 * kMin, 4 * kHour})),
      job_class("pretraining", 0.9, chips_table({15, 35, 62, 88, 98, 100}, {8, 32, 128, 256, 512, 1024}),
                duration_table({0, 50, 90, 99, 100}, {30, 5 * kMin, 6.9 * kHour, 3.6 * kDay, 6 * kDay})),
  };
}

}  // namespace

std::optional<std::vector<JobClassSpec>> find_workload_mix(std::string_view name) {
  if (name == "llm-dev") return llm_dev();
  return std::nullopt;
}

std::vector<std::string> workload_mix_names() { return {"llm-dev"}; }

}  // namespace gigasim
