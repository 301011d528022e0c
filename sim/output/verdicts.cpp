#include "gigasim/output/verdicts.hpp"

#include <fmt/format.h>

namespace gigasim {

std::string format_verdicts(const std::string& name, const std::vector<const char*>& labels,
                            const std::vector<Verdict>& verdicts, const char* hint) {
  std::string better, worse, unclear, same;
  auto add = [](std::string& list, const char* label) { list += (list.empty() ? "" : ", ") + std::string(label); };
  for (std::size_t k = 0; k < verdicts.size() && k < labels.size(); ++k) {
    switch (verdicts[k]) {
      case Verdict::Better: add(better, labels[k]); break;
      case Verdict::Worse: add(worse, labels[k]); break;
      case Verdict::NotSignificant: add(unclear, labels[k]); break;
      case Verdict::Same: add(same, labels[k]); break;
      case Verdict::OneReplica: return fmt::format("{}: one replica, no verdict ({})", name, hint);
      case Verdict::NotApplicable: break;
    }
  }
  std::string s = name + ":";
  auto part = [&](const char* what, const std::string& list) {
    if (!list.empty()) s += fmt::format("{} {} {}", s.back() == ':' ? "" : ";", what, list);
  };
  part("better on", better);
  part("worse on", worse);
  part("no significant difference on", unclear);
  part("the same on", same);
  return s;
}

std::string format_precision_line(double precision, bool met, unsigned replicas) {
  return met ? fmt::format("precision: every headline figure's 95% half-width is within {:g}% of its mean after {} replicas",
                           100 * precision, replicas)
             : fmt::format("precision: {:g}% NOT reached -- the limit of {} replicas came first (--max-replicas)",
                           100 * precision, replicas);
}

}  // namespace gigasim
