#include "gigasim/model/validate.hpp"

#include <cmath>
#include <set>
#include <string>

#include <fmt/format.h>

#include "gigasim/error.hpp"
#include "gigasim/model/job.hpp"

namespace gigasim {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) { throw InputError(path + ": " + what); }

std::string at(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

std::string num(double v) { return fmt::format("{:g}", v); }
std::string dur(Duration d) { return fmt::format("{:g}s", d.seconds_f()); }

void positive(const std::string& path, Duration d, const char* what = "a positive duration") {
  if (d.ms() <= 0) fail(path, std::string("expected ") + what + ", got '" + dur(d) + "'");
}

void check_mfu(const std::string& path, double mfu) {
  if (!(mfu > 0 && mfu <= 1)) fail(path, "expected an MFU in (0, 1] (e.g. 0.4 for 40%), got '" + num(mfu) + "'");
}

// An elastic range: a fixed minimum, a maximum at least as large, and work (not a duration).
void check_elastic(const std::string& path, std::uint32_t min, std::uint32_t max, bool by_work) {
  if (min == 0) fail(path + ".chips.min", "expected a fixed positive chip count (an elastic job's minimum)");
  if (max < min)
    fail(path + ".chips.max", "expected a chip count >= min (" + std::to_string(min) + "), got '" + std::to_string(max) + "'");
  if (!by_work) fail(path + ".duration", kElasticNeedsWork);
}

void check_chips_dist(const std::string& path, const ChipsDistribution& c) {
  using K = ChipsDistribution::Kind;
  switch (c.kind) {
    case K::Fixed:
      if (c.value == 0) fail(path, "expected a positive integer, got '0'");
      break;
    case K::Choice:
      if (c.values.empty() || c.values.size() != c.weights.size())
        fail(path + ".weights", "expected one weight per value (" + std::to_string(c.values.size()) + " weights)");
      for (std::size_t i = 0; i < c.values.size(); ++i)
        if (c.values[i] == 0) fail(at(path + ".values", i), "expected a positive integer, got '0'");
      break;
    case K::Pow2:
      if (c.min == 0 || (c.min & (c.min - 1)) != 0) fail(path + ".min", "expected a power of two, got '" + std::to_string(c.min) + "'");
      if (c.max == 0 || (c.max & (c.max - 1)) != 0) fail(path + ".max", "expected a power of two, got '" + std::to_string(c.max) + "'");
      if (c.max < c.min)
        fail(path + ".max", "expected a value >= min (" + std::to_string(c.min) + "), got '" + std::to_string(c.max) + "'");
      break;
    case K::Empirical:
      if (c.table.value.empty() || c.table.value.front() < 1) fail(path + ".percentiles", "expected chip counts >= 1");
      break;
  }
}

void check_duration_dist(const std::string& path, const DurationDistribution& d) {
  using K = DurationDistribution::Kind;
  if (d.kind == K::Empirical) {
    if (d.table.value.empty()) fail(path + ".percentiles", "expected at least one point");
    return;
  }
  if (!(d.a > 0)) fail(path, "expected a positive duration, got '" + num(d.a) + " s'");
  if (d.kind == K::Lognormal && !(d.b >= 0)) fail(path + ".sigma", "expected a number >= 0, got '" + num(d.b) + "'");
  if (d.kind == K::Uniform && !(d.b >= d.a)) fail(path + ".max", "expected a value >= min, got '" + num(d.b) + " s'");
}

void check_factory(const Scenario& sc, std::size_t i, std::set<std::string>& names) {
  const FactorySpec& f = sc.factories[i];
  const std::string p = at("factories", i);
  if (f.name.empty()) fail(p + ".name", "expected a name");
  if (!names.insert(f.name).second) fail(p + ".name", "duplicate factory name '" + f.name + "'");
  if (f.node_size == 0) fail(p + ".node_size", "expected a positive integer, got '0'");
  if (f.chips == 0) fail(p + ".chips", "expected a positive integer, got '0'");
  if (f.chips % f.node_size != 0)
    fail(p + ".chips", "expected a multiple of node_size (" + std::to_string(f.node_size) + "), got '" +
                           std::to_string(f.chips) + "'");
  if (!(f.chip.bf16_flops > 0)) fail(p + ".chip", "expected a chip with a positive BF16 peak ('" + f.chip.name + "' has none)");
  if (f.chip.scale_up == 0) fail(p + ".chip", "expected a chip with a scale-up domain of at least 1 chip");
  if (f.online < SimTime::zero()) fail(p + ".online", "expected a time at or after the start");
  if (f.spares >= f.nodes())
    fail(p + ".spares", "expected fewer spare nodes than the factory's " + std::to_string(f.nodes()) + " nodes, got '" +
                            std::to_string(f.spares) + "'");
  if (f.failures) positive(p + ".failures.node_mtbf", f.failures->node_mtbf);
  if (const auto& fl = f.failures) {
    check_duration_dist(p + ".failures.repair", fl->repair);
    if (!(fl->repair_success >= 0 && fl->repair_success <= 1))
      fail(p + ".failures.repair_success", "expected a probability in [0, 1], got '" + num(fl->repair_success) + "'");
    if (fl->manual_repair) check_duration_dist(p + ".failures.manual_repair", *fl->manual_repair);
    // A manual repair that never succeeds would keep the node down for ever, one event at a time.
    if (!(fl->manual_success > 0 && fl->manual_success <= 1))
      fail(p + ".failures.manual_success", "expected a number in (0, 1], got '" + num(fl->manual_success) + "'");
    if (fl->manual_success < 0.01)
      fail(p + ".failures.manual_success",
           fmt::format("a manual repair that succeeds with probability {:g} is repeated {:.0f} times on average: "
                       "expected at least 0.01", fl->manual_success, 1 / fl->manual_success));
    if (fl->escalates() && !fl->manual_repair)
      fail(p + ".failures", fmt::format("automatic repairs fail with probability {:g} (repair_success): give "
                                        "`manual_repair`, the time of the manual repair they escalate to",
                                        1 - fl->repair_success));
  }
  if (const auto& m = f.maintenance) {
    positive(p + ".maintenance.every", m->every);
    positive(p + ".maintenance.duration", m->duration);
    if (m->duration >= m->every)
      fail(p + ".maintenance.duration", "expected a window shorter than `every`, got '" + dur(m->duration) + "'");
    if (!(m->fraction > 0 && m->fraction <= 1))
      fail(p + ".maintenance.fraction", "expected a number in (0, 1], got '" + num(m->fraction) + "'");
  }
  std::int64_t installed = f.chips;
  SimTime last = f.online;
  for (std::size_t k = 0; k < f.phases.size(); ++k) {
    const CapacityPhase& ph = f.phases[k];
    const std::string pp = at(p + ".phases", k);
    if (ph.chips == 0 || ph.chips % static_cast<std::int64_t>(f.node_size) != 0)
      fail(pp + ".chips", "expected a non-zero multiple of node_size (" + std::to_string(f.node_size) + "), got '" +
                              std::to_string(ph.chips) + "'");
    if (ph.at < last) fail(pp + ".at", "expected phases in time order, after the factory's `online`");
    last = ph.at;
    installed += ph.chips;
    if (installed < 0 || (installed == 0 && k + 1 != f.phases.size()))
      fail(pp + ".chips", "expected a change that leaves chips installed (use `retire` to remove all), got '" +
                              std::to_string(ph.chips) + "'");
    if (installed > 0xffffffffLL) fail(pp + ".chips", "expected at most 4294967295 chips installed");
  }
  if (!(f.power.pue >= 1 && f.power.pue <= 5)) fail(p + ".power.pue", "expected a PUE in [1, 5], got '" + num(f.power.pue) + "'");
  if (!(f.power.idle_fraction >= 0 && f.power.idle_fraction <= 1))
    fail(p + ".power.idle_fraction", "expected a fraction in [0, 1], got '" + num(f.power.idle_fraction) + "'");
  if (f.power.cap_mw && f.power_cap_nodes(f.nodes()) == 0)
    fail(p + ".power.cap_mw", "expected a cap that lets at least one node run, got '" + num(*f.power.cap_mw) + "'");
  positive(p + ".cost.depreciation", f.cost.depreciation);
  for (const auto& [v, key] : {std::pair{f.cost.energy_eur_per_mwh, "energy_eur_per_mwh"},
                               std::pair{f.cost.capex_per_chip_eur, "capex_per_chip_eur"},
                               std::pair{f.cost.capex_per_mw_eur, "capex_per_mw_eur"}})
    if (!(v >= 0)) fail(p + ".cost." + key, "expected an amount >= 0, got '" + num(v) + "'");
  if (const auto& t = f.topology) {
    if (f.spares)
      fail(p + ".spares",
           "`spares` cannot be combined with `topology`: give `topology.spares_per_domain` (a spare can replace a "
           "failed node only inside its own domain)");
    if (t->domain_nodes == 0 || f.nodes() % t->domain_nodes != 0)
      fail(p + ".topology", "the factory's " + std::to_string(f.nodes()) + " nodes are not whole domains of " +
                                std::to_string(t->domain_nodes) + " nodes");
    const std::int64_t domain_chips = static_cast<std::int64_t>(t->domain_nodes) * f.node_size;
    for (std::size_t k = 0; k < f.phases.size(); ++k) {
      const std::string where = at(p + ".phases", k) + ".chips";
      if (f.phases[k].chips < 0)
        fail(where, "a removal of capacity cannot be combined with `topology` (not supported yet; growth can)");
      if (f.phases[k].chips % domain_chips != 0)
        fail(where, "expected whole domains: a multiple of " + std::to_string(domain_chips) + " chips (" +
                        std::to_string(t->domain_nodes) + " nodes of " + std::to_string(f.node_size) + "), got '" +
                        std::to_string(f.phases[k].chips) + "'");
    }
    if (t->spares_per_domain >= t->domain_nodes)
      fail(p + ".topology.spares_per_domain", "expected fewer spare nodes than a domain's " +
                                                  std::to_string(t->domain_nodes) + " nodes, got '" +
                                                  std::to_string(t->spares_per_domain) + "'");
    if (!(t->span_slowdown >= 0)) fail(p + ".topology.span_slowdown", "expected a number >= 0, got '" + num(t->span_slowdown) + "'");
    if (t->failures) positive(p + ".topology.failures.mtbf", t->failures->mtbf);
  }
}

void check_tenant(const Scenario& sc, std::size_t i, std::set<std::string>& names) {
  const TenantSpec& t = sc.tenants[i];
  const std::string p = at("tenants", i);
  if (t.name.empty()) fail(p + ".name", "expected a name");
  if (!names.insert(t.name).second) fail(p + ".name", "duplicate tenant name '" + t.name + "'");
  if (!(t.share > 0) || !std::isfinite(t.share)) fail(p + ".share", "expected a positive number, got '" + num(t.share) + "'");
  for (std::size_t k = 0; k < t.sites.size(); ++k)
    if (t.sites[k] >= sc.factories.size())
      fail(at(p + ".sites", k), "unknown factory index " + std::to_string(t.sites[k]) + " (the scenario has " +
                                    std::to_string(sc.factories.size()) + " factories)");
  if (t.quota && !(*t.quota > 0 && *t.quota <= 1)) fail(p + ".quota", "expected a fraction in (0, 1], got '" + num(*t.quota) + "'");
  if (t.allocation_chip_hours && !(*t.allocation_chip_hours >= 0))
    fail(p + ".allocation", "expected chip-hours >= 0, got '" + num(*t.allocation_chip_hours) + "'");
}

void check_policy(const PolicySpec& pol) {
  // The names of queue order, backfill and placement are the registry's to check (policy
  // layer, above this one): make_scheduler refuses an unknown one with the known ones listed.
  if (!pol.conservative_mode.empty() && pol.conservative_mode != "guarantee" && pol.conservative_mode != "replan")
    fail("policy.conservative", "expected guarantee or replan, got '" + pol.conservative_mode + "'");
  const EstimateSpec& e = pol.estimate;
  if (e.kind != EstimateSpec::Kind::Exact && !(e.a > 0 && std::isfinite(e.a)))
    fail("policy.estimate", "expected a positive factor, got '" + num(e.a) + "'");
  if (e.kind == EstimateSpec::Kind::Uniform && !(e.b >= e.a && std::isfinite(e.b)))
    fail("policy.estimate.max", "expected a factor >= min, got '" + num(e.b) + "'");
  positive("policy.fair_share_half_life", pol.fair_share_half_life);
}

void check_checkpoint(const std::string& p, const CheckpointSpec& c) {
  if (c.mode == CheckpointSpec::Mode::Fixed) positive(p + ".interval", c.interval);
  if (c.mode == CheckpointSpec::Mode::Auto && c.cost.ms() <= 0)
    fail(p, "`interval: auto` needs a positive checkpoint `cost` (Young's interval is sqrt(2 x cost x MTBF))");
  if (c.cost.ms() < 0) fail(p + ".cost", "expected a duration >= 0");
  if (c.restart.ms() < 0) fail(p + ".restart", "expected a duration >= 0");
}

void check_workload(const Scenario& sc, std::size_t i) {
  const WorkloadSpec& w = sc.workload[i];
  const std::string p = at("workload", i);
  auto check_tenant_index = [&](const std::string& path, std::uint16_t t) {
    if (t >= sc.tenants.size())
      fail(path, "unknown tenant index " + std::to_string(t) + " (the scenario has " + std::to_string(sc.tenants.size()) +
                     " tenants)");
  };
  if (w.checkpoint) check_checkpoint(p + ".checkpoint", *w.checkpoint);
  if (const auto* g = std::get_if<GeneratorSpec>(&w.source)) {
    check_tenant_index(p + ".tenant", g->tenant);
    const ArrivalProcess& a = g->arrivals;
    if (a.kind == ArrivalProcess::Kind::Poisson && !(a.rate_per_s > 0 && std::isfinite(a.rate_per_s)))
      fail(p + ".arrivals.rate", "expected a positive rate like 40/d, got '" + num(a.rate_per_s) + "/s'");
    if (a.kind == ArrivalProcess::Kind::Fixed && a.interval.ms() < 0)  // 0: every job at once
      fail(p + ".arrivals.interval", "expected a duration >= 0, got '" + dur(a.interval) + "'");
    if (a.kind == ArrivalProcess::Kind::Fixed && !(a.rate_per_s >= 0 && std::isfinite(a.rate_per_s)))
      fail(p + ".arrivals.rate", "expected a rate >= 0, got '" + num(a.rate_per_s) + "/s'");
    if (a.count && *a.count == 0) fail(p + ".arrivals.count", "expected a positive integer, got '0'");
    if (g->classes.empty()) fail(p, "a generator needs at least one job class");
    for (std::size_t k = 0; k < g->classes.size(); ++k) {
      const JobClassSpec& c = g->classes[k];
      const std::string cp = g->classes.size() > 1 ? at(p + ".classes", k) : p;
      if (!(c.share > 0)) fail(cp + ".share", "expected a positive number, got '" + num(c.share) + "'");
      check_chips_dist(cp + ".chips", c.chips);
      if (c.max_chips > 0) check_elastic(cp, c.chips.kind == ChipsDistribution::Kind::Fixed ? c.chips.value : 0,
                                         c.max_chips, c.length != JobClassSpec::Length::Duration);
      if (c.length == JobClassSpec::Length::Duration) check_duration_dist(cp + ".duration", c.duration);
      else check_mfu(cp + ".mfu", c.mfu);
    }
    return;
  }
  if (const auto* t = std::get_if<TraceSpec>(&w.source)) {
    // The loader checked every row (tenants, chips, times, order) when it read the file.
    if (!t->table) fail(p, "a trace source without its table (load traces with the scenario loader)");
    return;
  }
  const auto& jobs = std::get<JobTableSpec>(w.source).jobs;
  for (std::size_t k = 0; k < jobs.size(); ++k) {
    const JobEntry& j = jobs[k];
    const std::string jp = at(p + ".jobs", k);
    if (j.chips == 0) fail(jp + ".chips", "expected a positive integer, got '0'");
    if (j.max_chips > 0) check_elastic(jp, j.chips, j.max_chips, j.work.flops > 0);
    check_tenant_index(jp + ".tenant", j.tenant);
    if (j.submit < SimTime::zero()) fail(jp + ".at", "expected a time at or after the start");
    if (k > 0 && j.submit < jobs[k - 1].submit) fail(jp + ".at", "expected jobs sorted by submission time");
    if (j.work.flops > 0) check_mfu(jp + ".mfu", j.work.mfu);
    else if (j.duration.ms() <= 0) fail(jp, "a job needs `duration`, or its work: `flops`, or `params` and `tokens`");
    if (!(j.memory_bytes >= 0)) fail(jp + ".memory", "expected a memory size >= 0");
  }
}

void check_service(const Scenario& sc, std::size_t i) {
  const ServiceSpec& s = sc.services[i];
  const std::string p = at("services", i);
  if (!(s.peak_chips > 0 && s.peak_chips <= 1e9)) fail(p + ".peak", "expected chips at the daily peak, in (0, 1e9]");
  if (!(s.trough >= 0 && s.trough <= 1)) fail(p + ".trough", "expected a share of the peak in [0, 1]");
  if (s.peak_at.ms() < 0 || s.peak_at >= Duration::days(1)) fail(p + ".peak_at", "expected a time of day below 24h");
  if (!s.hourly.empty() && s.hourly.size() != 24) fail(p + ".hourly", "expected 24 shares of the peak");
  for (const double h : s.hourly)
    if (!(h >= 0 && h <= 1)) fail(p + ".hourly", "expected shares of the peak in [0, 1], got '" + num(h) + "'");
  for (const double w : s.weekly)
    if (!(w >= 0 && w <= 100)) fail(p + ".weekly", "expected factors in [0, 100], got '" + num(w) + "'");
  if (!(s.growth_per_year > -1 && s.growth_per_year <= 100)) fail(p + ".growth", "expected a yearly growth rate in (-1, 100]");
  if (s.step < Duration::seconds(60)) fail(p + ".step", "expected a step of at least 1m, got '" + dur(s.step) + "'");
  if (s.start < SimTime::zero()) fail(p + ".start", "expected a time >= 0");
  if (s.until && *s.until <= s.start) fail(p + ".until", "expected a time after the service's start");
  if (s.tenant >= sc.tenants.size()) fail(p + ".tenant", "expected a tenant index below " + std::to_string(sc.tenants.size()));
  if (s.sites.empty()) fail(p + ".sites", "expected at least one factory");
  for (const std::uint32_t f : s.sites) {
    if (f >= sc.factories.size()) fail(p + ".sites", "expected factory indexes below " + std::to_string(sc.factories.size()));
    if (sc.factories[f].topology)
      fail(p + ".sites", "factory '" + sc.factories[f].name + "' has a topology: services are served on factories without one");
  }
}

}  // namespace

void validate(const Scenario& sc) {
  if (sc.factories.empty()) fail("factories", "expected at least one factory");
  if (sc.factories.size() >= kNoFactory) fail("factories", "expected fewer than 65535 factories");
  if (sc.tenants.empty()) fail("tenants", "expected at least one tenant");
  if (sc.tenants.size() >= 0xffff) fail("tenants", "expected fewer than 65535 tenants");
  if (sc.workload.empty() && sc.services.empty()) fail("workload", "expected at least one workload source or service");
  if (sc.workload.size() >= 0xffff) fail("workload", "expected fewer than 65535 workload sources");
  if (sc.warmup.ms() < 0) fail("warmup", "expected a duration >= 0");
  if (sc.horizon) {
    if (*sc.horizon <= SimTime::zero()) fail("horizon", "expected a time after the start");
    if (SimTime::zero() + sc.warmup >= *sc.horizon)
      fail("warmup", "expected a warm-up shorter than the horizon, got '" + dur(sc.warmup) + "'");
  }
  std::set<std::string> names;
  for (std::size_t f = 0; f < sc.factories.size(); ++f) check_factory(sc, f, names);
  names.clear();
  for (std::size_t t = 0; t < sc.tenants.size(); ++t) check_tenant(sc, t, names);
  check_policy(sc.policy);
  if (!(sc.compute.mfu > 0 && sc.compute.mfu <= 1)) check_mfu("compute.mfu", sc.compute.mfu);
  check_checkpoint("checkpoint", sc.checkpoint);
  for (std::size_t w = 0; w < sc.workload.size(); ++w) check_workload(sc, w);
  if (sc.services.size() >= 0xffff) fail("services", "expected fewer than 65535 services");
  for (std::size_t s = 0; s < sc.services.size(); ++s) check_service(sc, s);
}

}  // namespace gigasim
