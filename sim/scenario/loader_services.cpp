// The scenario loader's inference services: a workload entry with a `service:` mapping
// (docs/scenario-format.md, "Inference services").
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "gigasim/scenario/units.hpp"
#include "loader_parts.hpp"

namespace gigasim::detail {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

// Where time 0 falls in its week: 1970-01-01 was a Thursday (3 days after a Monday).
std::int64_t week_offset_of(std::optional<std::int64_t> start_epoch_ms) {
  if (!start_epoch_ms) return 0;
  constexpr std::int64_t kWeekMs = 7 * kDayMs;
  return ((*start_epoch_ms + 3 * kDayMs) % kWeekMs + kWeekMs) % kWeekMs;
}

double share_of_peak(const YamlCursor& c) {
  const double v = c.real();
  if (!(v >= 0 && v <= 1)) c.expected("a share of the peak in [0, 1]");
  return v;
}

}  // namespace

ServiceSpec parse_service(const YamlCursor& entry, const std::vector<TenantSpec>& tenants,
                          const std::vector<FactorySpec>& factories, std::optional<SimTime> horizon,
                          const LoadContext& ctx) {
  entry.check_keys({"name", "tenant", "service"});
  const YamlCursor s = entry.required("service");
  if (!s.is_map()) s.expected("a mapping with peak, trough, peak_at, hourly, weekly, growth, step, start, until, sites, priority");
  s.check_keys({"peak", "trough", "peak_at", "hourly", "weekly", "growth", "step", "start", "until", "sites", "priority"});
  ServiceSpec spec;
  spec.name = entry.has("name") ? entry.required("name").text() : entry.path();
  spec.tenant = tenant_of(entry, tenants, std::nullopt);
  spec.priority = tenants[spec.tenant].priority;
  spec.week_offset_ms = week_offset_of(ctx.start_epoch_ms);

  const YamlCursor peak = s.required("peak");
  spec.peak_chips = peak.positive_real();
  if (spec.peak_chips > 1e9) peak.expected("chips at the daily peak, at most 1e9");
  if (auto h = s.optional("hourly")) {
    for (const char* k : {"trough", "peak_at"})
      if (s.has(k)) s.required(k).fail("`hourly` gives the whole daily profile; leave out trough and peak_at");
    if (h->size() != 24) h->expected("24 shares of the peak, one per hour from 00:00");
    for (std::size_t i = 0; i < 24; ++i) spec.hourly.push_back(share_of_peak((*h)[i]));
  }
  if (auto t = s.optional("trough")) spec.trough = share_of_peak(*t);
  if (auto p = s.optional("peak_at")) {
    spec.peak_at = p->duration();
    if (spec.peak_at.ms() >= kDayMs) p->expected("a time of day, e.g. 14h or 13h30m (below 24h)");
  }
  if (auto w = s.optional("weekly")) {
    if (w->size() != 7) w->expected("7 factors, Monday to Sunday");
    for (std::size_t i = 0; i < 7; ++i) {
      const double v = (*w)[i].real();
      if (!(v >= 0 && v <= 100)) (*w)[i].expected("a factor in [0, 100]");
      spec.weekly[i] = v;
    }
  }
  if (auto g = s.optional("growth")) {
    spec.growth_per_year = g->real();
    if (!(spec.growth_per_year > -1 && spec.growth_per_year <= 100))
      g->expected("a yearly growth rate above -1 (e.g. 0.5 for +50% a year), at most 100");
  }
  if (auto st = s.optional("step")) {
    spec.step = st->positive_duration();
    if (spec.step < Duration::seconds(60)) st->expected("a step of at least 1m (the demand changes once per step)");
  }
  if (auto st = s.optional("start")) spec.start = time_point(*st, ctx, true);
  if (auto u = s.optional("until")) {
    spec.until = time_point(*u, ctx, false);
    if (*spec.until <= spec.start) u->expected("a time after the service's start");
  } else if (!horizon) {
    s.fail("this service never ends and the scenario has no `horizon`; give `horizon`, or the service `until`");
  }
  const SimTime end = spec.until ? *spec.until : *horizon;
  if (end > spec.start && (end - spec.start).seconds_f() / spec.step.seconds_f() > 1e8)
    s.fail(fmt::format("would change its demand {:.2g} times (at most 1e8); use a longer `step`",
                       (end - spec.start).seconds_f() / spec.step.seconds_f()));
  if (auto p = s.optional("priority")) spec.priority = static_cast<int>(p->integer(-1000000, 1000000, "an integer"));

  // Where it may run: its own `sites` (in order of preference), within its tenant's.
  const std::vector<std::uint32_t>& allowed = tenants[spec.tenant].sites;
  auto may_use = [&](std::uint32_t f) { return allowed.empty() || std::find(allowed.begin(), allowed.end(), f) != allowed.end(); };
  if (auto list = s.optional("sites")) {
    if (list->size() == 0) list->fail("expected at least one factory name (or leave `sites` out)");
    for (std::size_t k = 0; k < list->size(); ++k) {
      const YamlCursor c = (*list)[k];
      const std::uint32_t f = factory_named(c, factories);
      if (!may_use(f)) c.fail("tenant '" + tenants[spec.tenant].name + "' may not use factory '" + c.text() + "' (its `sites`)");
      if (std::find(spec.sites.begin(), spec.sites.end(), f) != spec.sites.end()) c.fail("factory '" + c.text() + "' is listed twice");
      spec.sites.push_back(f);
    }
  } else {
    for (std::uint32_t f = 0; f < factories.size(); ++f)
      if (may_use(f)) spec.sites.push_back(f);
  }
  for (std::size_t k = 0; k < spec.sites.size(); ++k) {
    const FactorySpec& f = factories[spec.sites[k]];
    if (f.topology) {
      const YamlCursor at = s.has("sites") ? s.required("sites")[k] : s;
      at.fail("factory '" + f.name + "' has a `topology`: services are served on factories without scale-up "
              "domains only (yet); list other `sites`");
    }
  }
  return spec;
}

}  // namespace gigasim::detail
