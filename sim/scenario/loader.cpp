#include "gigasim/scenario/loader.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <variant>

#include <fmt/format.h>

#include "gigasim/core/random.hpp"
#include "gigasim/error.hpp"
#include "gigasim/policy/registry.hpp"
#include "gigasim/scenario/trace_csv.hpp"
#include "gigasim/scenario/trace_sacct.hpp"
#include "gigasim/scenario/trace_swf.hpp"
#include "gigasim/scenario/units.hpp"
#include "loader_parts.hpp"
#include "yaml_merge.hpp"

namespace gigasim {

using detail::LoadContext;
using detail::YamlCursor;
using detail::YamlSource;

/// More jobs than this from one source is a typo (`40/ms` for `40/s`), not a plan: refusing it
/// turns what would look like a hang into a clear error. A year at 10^8 jobs is the design scale.
constexpr std::int64_t kMaxJobsPerSource = 10'000'000'000;
namespace fs = std::filesystem;

namespace detail {
// A point in time: a calendar date/time (needs `start`) or an offset from the start ("10d").
SimTime time_point(const YamlCursor& c, const LoadContext& ctx, bool clamp_before_start) {
  const std::string text = c.text();
  if (auto dt = parse_datetime_ms(text)) {
    if (!ctx.start_epoch_ms) c.fail("a calendar date needs the scenario's `start` date");
    std::int64_t ms = *dt - *ctx.start_epoch_ms;
    if (ms < 0) {
      if (!clamp_before_start) c.fail("'" + text + "' is before the scenario's start");
      ms = 0;
    }
    return SimTime::from_ms(ms);
  }
  if (!parse_duration(text))
    c.expected("a date YYYY-MM-DD or an offset from the start with a unit (e.g. 10d)");
  return SimTime::zero() + c.duration();
}
}  // namespace detail
using detail::parse_chips;
using detail::parse_duration_dist;
using detail::time_point;

namespace {

// Picks a registry name, with a suggestion for near misses.
std::string registry_name(const YamlCursor& c, std::span<const std::string> known) {
  const std::string v = c.text();
  if (std::find(known.begin(), known.end(), v) != known.end()) return v;
  const std::string hint = detail::closest_match(v, known);
  c.fail("unknown value '" + v + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
         "; expected one of: " + join_names(known));
}

// `chips:` -- new accelerators, or catalog ones with some figures changed. A chip named like a
// catalog chip, or with `base: NAME`, starts from that chip's figures; others need bf16_tflops.
std::vector<ChipType> parse_chip_types(const YamlCursor& list) {
  std::vector<ChipType> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YamlCursor c = list[i];
    c.check_keys({"name", "base", "vendor", "model", "year", "bf16_tflops", "fp8_tflops", "hbm_gb", "hbm_tbps",
                  "tdp_w", "scale_up"});
    const YamlCursor name = c.required("name");
    ChipType chip;
    const std::string n = name.text();
    if (n.empty()) name.expected("a non-empty name");
    for (const auto& other : out)
      if (other.name == n) name.fail("duplicate chip name '" + n + "'");
    std::optional<ChipType> base = find_chip(n);
    if (auto b = c.optional("base")) {
      base = find_chip(b->text());
      if (!base) b->fail("unknown base chip '" + b->text() + "' (see `gigasim chips`)");
    }
    if (base) chip = *base;
    else if (!c.has("bf16_tflops")) c.fail("a new chip needs `bf16_tflops` (or a `base` catalog chip)");
    chip.name = n;
    if (!base) chip.model = n;
    auto nonneg = [](const YamlCursor& y, const char* what) {
      const double v = y.real();
      if (v < 0) y.expected(what);
      return v;
    };
    if (auto v = c.optional("vendor")) chip.vendor = v->text();
    if (auto v = c.optional("model")) chip.model = v->text();
    if (auto v = c.optional("year")) chip.year = static_cast<int>(v->integer(1950, 2200, "a year"));
    if (auto v = c.optional("bf16_tflops")) chip.bf16_flops = v->positive_real() * 1e12;
    if (auto v = c.optional("fp8_tflops")) chip.fp8_flops = nonneg(*v, "TFLOP/s >= 0") * 1e12;
    if (auto v = c.optional("hbm_gb")) chip.hbm_bytes = v->positive_real() * 1e9;
    if (auto v = c.optional("hbm_tbps")) chip.hbm_bandwidth = v->positive_real() * 1e12;
    if (auto v = c.optional("tdp_w")) chip.tdp_watts = nonneg(*v, "watts >= 0");
    if (auto v = c.optional("scale_up")) chip.scale_up = static_cast<int>(v->integer(1, 1000000, "a positive chip count"));
    out.push_back(std::move(chip));
  }
  return out;
}

}  // namespace

namespace detail {
// Failure clocks far outside any hardware make a run spend hours on failure events with no sign
// of why: below a minute is an error, below a day a warning. (Real nodes: Llama 3's 16,384-GPU
// run saw 419 interruptions in 54 days, an MTBF of ~6,300 h per 8-GPU node; figures.md.)
void check_mtbf(const YamlCursor& at, Duration mtbf, const char* what, LoadContext& ctx) {
  if (mtbf < Duration::seconds(60))
    at.fail(fmt::format("a {} MTBF of {} is far below any hardware (nodes fail every thousands of hours): "
                        "at least 1m", what, format_duration(mtbf.seconds_f())));
  if (mtbf < Duration::hours(24))
    ctx.warnings.push_back(at.position() + ": " + at.path() + ": a " + what + " MTBF of " +
                           format_duration(mtbf.seconds_f()) +
                           " is far below real hardware (~6,300 h per 8-GPU node); the run will be dominated "
                           "by failure events");
}
}  // namespace detail

namespace {
using detail::check_mtbf;

FailureSpec parse_failures(const YamlCursor& c, const FactorySpec& factory, LoadContext& ctx) {
  c.check_keys({"node_mtbf", "chip_mtbf", "repair", "repair_success", "manual_repair", "manual_success"});
  FailureSpec f;
  if (c.has("node_mtbf") == c.has("chip_mtbf")) c.fail("give exactly one of `node_mtbf` or `chip_mtbf`");
  if (auto n = c.optional("node_mtbf")) {
    f.node_mtbf = n->positive_duration();
    check_mtbf(*n, f.node_mtbf, "node", ctx);
  } else {
    // A node fails when any of its chips does: node MTBF = chip MTBF / chips per node.
    const YamlCursor m = c.required("chip_mtbf");
    f.node_mtbf = Duration::millis(m.positive_duration().ms() / factory.node_size);
    if (f.node_mtbf.ms() <= 0) m.expected("a longer MTBF");
    check_mtbf(m, f.node_mtbf, "node (chip MTBF / node_size)", ctx);
  }
  f.repair = parse_duration_dist(c.required("repair"));
  if (auto p = c.optional("repair_success")) {
    f.repair_success = p->real();
    if (!(f.repair_success >= 0 && f.repair_success <= 1)) p->expected("a probability in [0, 1]");
  }
  if (auto m = c.optional("manual_repair")) f.manual_repair = parse_duration_dist(*m);
  // A manual repair that could never succeed would keep the node down for ever, one repair
  // event after another: below 1% (100 repairs per escalation on average) is an error.
  if (auto p = c.optional("manual_success")) {
    f.manual_success = p->fraction_open();
    if (f.manual_success < 0.01)
      p->fail(fmt::format("a manual repair that succeeds with probability {:g} is repeated {:.0f} times on average: "
                          "expected at least 0.01", f.manual_success, 1 / f.manual_success));
  }
  if (f.escalates() && !f.manual_repair)
    c.fail(fmt::format("automatic repairs fail with probability {:g} (repair_success): give `manual_repair`, "
                       "the time of the manual repair they escalate to", 1 - f.repair_success));
  return f;
}

CheckpointSpec parse_checkpoint(const YamlCursor& c) {
  c.check_keys({"interval", "cost", "restart"});
  CheckpointSpec spec;
  const YamlCursor iv = c.required("interval");
  const std::string text = iv.text();
  if (text == "none") spec.mode = CheckpointSpec::Mode::None;
  else if (text == "auto") spec.mode = CheckpointSpec::Mode::Auto;
  else {
    spec.mode = CheckpointSpec::Mode::Fixed;
    if (!parse_duration(text)) iv.expected("`none`, `auto` or a positive duration (e.g. 2h)");
    spec.interval = iv.positive_duration();
  }
  if (auto cost = c.optional("cost")) spec.cost = cost->duration();
  if (auto r = c.optional("restart")) spec.restart = r->duration();
  if (spec.mode == CheckpointSpec::Mode::Auto && spec.cost.ms() <= 0)
    c.fail("`interval: auto` needs a positive checkpoint `cost` (Young's interval is sqrt(2 x cost x MTBF))");
  return spec;
}

std::vector<FactorySpec> parse_factories(const YamlCursor& list, LoadContext& ctx) {
  std::vector<FactorySpec> out;
  if (list.size() == 0) list.fail("expected at least one factory");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YamlCursor f = list[i];
    f.check_keys({"name", "chip", "chips", "node_size", "online", "failures", "spares", "maintenance", "phases",
                  "retire", "scaling", "power", "cost", "topology"});
    FactorySpec spec;
    const YamlCursor name = f.required("name");
    spec.name = name.text();
    if (spec.name.empty()) name.expected("a non-empty name");
    for (const auto& other : out)
      if (other.name == spec.name) name.fail("duplicate factory name '" + spec.name + "'");

    const YamlCursor chip = f.required("chip");
    const std::string chip_name = chip.text();
    std::optional<ChipType> found;
    for (const auto& c : ctx.chips)  // the scenario's own chips first
      if (c.name == chip_name) found = c;
    if (!found) found = find_chip(chip_name);
    if (!found) {
      std::string known;
      for (const auto& c : ctx.chips) known += (known.empty() ? "" : ", ") + c.name;
      for (const auto& c : chip_catalog()) known += (known.empty() ? "" : ", ") + c.name;
      chip.fail("unknown chip '" + chip_name + "'; known chips: " + known + " (see `gigasim chips`)");
    }
    spec.chip = *found;

    spec.node_size = 8;
    if (auto ns = f.optional("node_size")) spec.node_size = ns->positive_u32();
    const YamlCursor chips = f.required("chips");
    spec.chips = chips.positive_u32();
    if (spec.chips % spec.node_size != 0)
      chips.expected("a multiple of node_size (" + std::to_string(spec.node_size) + ")");
    if (auto on = f.optional("online")) spec.online = time_point(*on, ctx, /*clamp=*/true);
    if (auto sp = f.optional("spares")) {
      spec.spares = static_cast<std::uint32_t>(sp->integer(0, 0xffffffffLL, "a number of nodes >= 0"));
      if (spec.spares >= spec.nodes())
        sp->expected("fewer spare nodes than the factory's " + std::to_string(spec.nodes()) + " nodes");
    }
    if (auto fl = f.optional("failures")) spec.failures = parse_failures(*fl, spec, ctx);
    if (auto m = f.optional("maintenance")) {
      m->check_keys({"every", "duration", "fraction", "first"});
      MaintenanceSpec ms;
      const YamlCursor every = m->required("every");
      ms.every = every.positive_duration();
      if (ms.every < Duration::hours(1))
        every.expected("a maintenance period of at least 1h (planned maintenance comes every weeks or months)");
      const YamlCursor d = m->required("duration");
      ms.duration = d.positive_duration();
      if (ms.duration >= ms.every) d.expected("a window shorter than `every`");
      ms.fraction = m->required("fraction").fraction_open();
      if (auto first = m->optional("first")) ms.first = time_point(*first, ctx, false);
      spec.maintenance = ms;
    }
    spec.phases = detail::parse_phases(f, spec, ctx);
    if (auto sc = f.optional("scaling")) spec.scaling = detail::parse_scaling(*sc);
    if (auto p = f.optional("power")) spec.power = detail::parse_power(*p);
    if (auto c = f.optional("cost")) spec.cost = detail::parse_cost(*c);
    if (auto t = f.optional("topology")) spec.topology = detail::parse_topology(*t, f, spec, ctx);
    if (spec.power.cap_mw && spec.usable_chips() == 0)
      f.required("power").required("cap_mw").expected("a cap that lets at least one node run");
    out.push_back(std::move(spec));
  }
  return out;
}

std::vector<TenantSpec> parse_tenants(const std::optional<YamlCursor>& list,
                                      const std::vector<FactorySpec>& factories) {
  std::vector<TenantSpec> out;
  if (!list) {
    out.push_back(TenantSpec{"default", 1.0, 0, {}, std::nullopt, false, std::nullopt});
    return out;
  }
  if (list->size() == 0) list->fail("expected at least one tenant (or leave `tenants` out)");
  if (list->size() > 60000) list->fail("too many tenants");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const YamlCursor t = (*list)[i];
    t.check_keys({"name", "share", "priority", "sites", "quota", "preemptible", "allocation"});
    TenantSpec spec;
    const YamlCursor name = t.required("name");
    spec.name = name.text();
    if (spec.name.empty()) name.expected("a non-empty name");
    for (const auto& other : out)
      if (other.name == spec.name) name.fail("duplicate tenant name '" + spec.name + "'");
    if (auto s = t.optional("share")) spec.share = s->positive_real();
    if (auto q = t.optional("quota")) spec.quota = q->fraction_open();
    if (auto p = t.optional("preemptible")) spec.preemptible = p->boolean();
    if (auto a = t.optional("allocation")) {
      spec.allocation_chip_hours = a->positive_real();
      if (!std::isfinite(*spec.allocation_chip_hours) || *spec.allocation_chip_hours > 1e15)
        a->expected("chip-hours, a positive number up to 1e15");
    }
    if (auto p = t.optional("priority"))
      spec.priority = static_cast<int>(p->integer(-1000000, 1000000, "an integer"));
    if (auto sites = t.optional("sites")) {
      if (sites->size() == 0) sites->fail("expected at least one factory name (or leave `sites` out)");
      for (std::size_t k = 0; k < sites->size(); ++k) {
        spec.sites.push_back(detail::factory_named((*sites)[k], factories));
      }
    }
    out.push_back(std::move(spec));
  }
  return out;
}

PolicySpec parse_policy(const std::optional<YamlCursor>& p) {
  PolicySpec spec;
  if (!p) return spec;
  p->check_keys({"queue", "backfill", "placement", "estimate", "fair_share_half_life", "preemption", "allocations",
                "conservative", "resize_cost", "grow_after"});
  if (auto pr = p->optional("preemption")) spec.preemption = pr->boolean();
  if (auto r = p->optional("resize_cost")) spec.resize_cost = r->duration();
  if (auto g = p->optional("grow_after")) spec.grow_after = g->duration();
  if (auto a = p->optional("allocations")) {
    const std::string v = a->text();
    if (v != "account" && v != "enforce") a->expected("account or enforce");
    spec.enforce_allocations = v == "enforce";
  }
  if (auto q = p->optional("queue")) spec.queue = registry_name(*q, known_queue_orders());
  if (auto b = p->optional("backfill")) spec.backfill = registry_name(*b, known_backfills());
  if (auto pl = p->optional("placement")) spec.placement = registry_name(*pl, known_placements());
  if (auto h = p->optional("fair_share_half_life")) spec.fair_share_half_life = h->positive_duration();
  if (auto c = p->optional("conservative")) {
    const std::string v = c->text();
    if (v != "guarantee" && v != "replan") c->expected("guarantee or replan");
    spec.conservative_mode = v;
  }
  if (auto e = p->optional("estimate")) {
    // `exact`, a factor (estimate = factor x run time), or {dist: uniform, min: a, max: b}.
    if (e->is_scalar() && e->text() == "exact") {
      spec.estimate.kind = EstimateSpec::Kind::Exact;
    } else if (e->is_scalar()) {
      const auto f = parse_real(e->text());
      if (!f || *f <= 0 || *f > 1e6) e->expected("`exact`, a factor > 0, or {dist: uniform, min, max}");
      spec.estimate = {EstimateSpec::Kind::Factor, *f, *f};
    } else {
      e->check_keys({"dist", "min", "max"});
      const YamlCursor dist = e->required("dist");
      if (dist.text() != "uniform") dist.expected("uniform");
      const YamlCursor lo = e->required("min"), hi = e->required("max");
      spec.estimate.kind = EstimateSpec::Kind::Uniform;
      spec.estimate.a = lo.positive_real();
      spec.estimate.b = hi.positive_real();
      if (spec.estimate.b < spec.estimate.a) hi.expected("a factor >= min");
      if (spec.estimate.b > 1e6) hi.expected("a factor <= 1e6");
    }
  }
  return spec;
}

}  // namespace

namespace detail {
std::uint32_t factory_named(const YamlCursor& c, const std::vector<FactorySpec>& factories) {
  const std::string site = c.text();
  const auto it = std::find_if(factories.begin(), factories.end(), [&](const FactorySpec& f) { return f.name == site; });
  if (it == factories.end()) {
    std::vector<std::string> names;
    for (const auto& f : factories) names.push_back(f.name);
    c.fail("unknown factory '" + site + "'; factories: " + join_names(names));
  }
  return static_cast<std::uint32_t>(it - factories.begin());
}

std::uint16_t tenant_of(const YamlCursor& owner, const std::vector<TenantSpec>& tenants,
                        std::optional<std::uint16_t> inherited) {
  if (auto t = owner.optional("tenant")) {
    const std::string name = t->text();
    for (std::size_t i = 0; i < tenants.size(); ++i)
      if (tenants[i].name == name) return static_cast<std::uint16_t>(i);
    std::vector<std::string> names;
    for (const auto& x : tenants) names.push_back(x.name);
    t->fail("unknown tenant '" + name + "'; tenants: " + join_names(names));
  }
  if (inherited) return *inherited;
  if (tenants.size() == 1) return 0;
  owner.fail("missing required key 'tenant' (the scenario has several tenants)");
}
}  // namespace detail

namespace {
using detail::tenant_of;

ArrivalProcess parse_arrivals(const YamlCursor& c, const LoadContext& ctx) {
  c.check_keys({"dist", "rate", "interval", "start", "until", "count"});
  ArrivalProcess a;
  const std::string kind = c.has("dist") ? c.required("dist").text() : "poisson";
  if (kind == "poisson") {
    a.kind = ArrivalProcess::Kind::Poisson;
    a.rate_per_s = c.required("rate").rate_per_second();
    if (c.has("interval")) c.required("interval").fail("poisson arrivals take `rate`, not `interval`");
  } else if (kind == "fixed") {
    a.kind = ArrivalProcess::Kind::Fixed;
    if (auto iv = c.optional("interval")) {
      a.interval = iv->positive_duration();
      if (c.has("rate")) c.fail("give either `interval` or `rate`, not both");
    } else if (auto r = c.optional("rate")) {
      // Kept as a rate: the k-th arrival is at start + k / rate, rounded to the millisecond, so
      // the rate is exact however its interval rounds (1500/s is 1500 a second, not 1000).
      a.rate_per_s = r->rate_per_second();
      a.interval = Duration::from_seconds(1.0 / a.rate_per_s);
      if (1.0 / a.rate_per_s < 1e-6) r->expected("a rate of at most 10^6 per second");
    } else {
      c.fail("fixed arrivals need `interval` (or `rate`)");
    }
  } else {
    c.required("dist").fail("unknown arrival process '" + kind + "'; expected one of: poisson, fixed");
  }
  if (auto s = c.optional("start")) a.start = time_point(*s, ctx, false);
  if (auto u = c.optional("until")) {
    a.until = time_point(*u, ctx, false);
    if (*a.until <= a.start) u->expected("a time after the arrivals' start");
  }
  if (auto n = c.optional("count"))
    a.count = static_cast<std::uint64_t>(n->integer(1, kMaxJobsPerSource, "a positive integer up to 10^10"));
  return a;
}

JobTableSpec parse_job_list(const YamlCursor& list, const std::vector<TenantSpec>& tenants,
                            std::optional<std::uint16_t> tenant, const LoadContext& ctx) {
  JobTableSpec table;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YamlCursor j = list[i];
    j.check_keys({"at", "chips", "duration", "flops", "params", "tokens", "mfu", "precision", "memory", "id", "tenant"});
    JobEntry e;
    e.submit = j.has("at") ? time_point(j.required("at"), ctx, false) : SimTime::zero();
    const YamlCursor chips = j.required("chips");
    if (chips.is_scalar()) {
      e.chips = chips.positive_u32();
    } else {
      const detail::ElasticChips range = detail::parse_elastic_chips(chips);
      e.chips = range.min;
      e.max_chips = range.max;
    }
    if (auto work = detail::parse_job_work(j, ctx.compute)) {
      if (j.has("duration")) j.required("duration").fail("give either `duration` or work (`flops`, or `params` and `tokens`), not both");
      e.work = *work;
    } else if (j.has("duration")) {
      if (e.max_chips > 0) j.required("duration").fail(kElasticNeedsWork);
      e.duration = j.required("duration").positive_duration();
    } else {
      j.fail("a job needs `duration`, or its work: `flops`, or `params` and `tokens`");
    }
    if (auto m = j.optional("memory")) e.memory_bytes = detail::parse_memory(*m);
    else if (j.has("params")) e.memory_bytes = j.required("params").positive_real() * ctx.compute.memory_per_param;
    e.tenant = tenant_of(j, tenants, tenant);
    if (auto id = j.optional("id")) e.id = id->text();
    table.jobs.push_back(std::move(e));
  }
  std::stable_sort(table.jobs.begin(), table.jobs.end(),
                   [](const JobEntry& a, const JobEntry& b) { return a.submit < b.submit; });
  return table;
}

enum class TraceFormat { Csv, Swf, Sacct, Acme };

// `format:`, or the file's extension: .swf is SWF, anything else CSV.
TraceFormat trace_format(const YamlCursor& w, const fs::path& path) {
  if (auto f = w.optional("format")) {
    const std::string v = f->text();
    if (v == "csv") return TraceFormat::Csv;
    if (v == "swf") return TraceFormat::Swf;
    if (v == "sacct") return TraceFormat::Sacct;
    if (v == "acme") return TraceFormat::Acme;
    f->expected("a trace format: csv, swf, sacct (Slurm sacct --parsable2) or acme (Acme/Seren/Kalos CSV)");
  }
  return path.extension() == ".swf" ? TraceFormat::Swf : TraceFormat::Csv;
}

// `tenant_map: {value: tenant}` of a trace format: each value (normalised by `key_of`, nullopt
// for a malformed key) to the index of a tenant of the scenario.
template <typename KeyOf>
std::map<std::string, std::uint16_t> parse_tenant_map(const YamlCursor& m, const std::vector<TenantSpec>& tenants,
                                                      KeyOf key_of) {
  std::map<std::string, std::uint16_t> out;
  for (const auto& kv : m.node()) {
    const std::string name = kv.second.IsScalar() ? kv.second.Scalar() : "";
    const auto it = std::find_if(tenants.begin(), tenants.end(), [&](const TenantSpec& t) { return t.name == name; });
    if (it == tenants.end()) m.fail("'" + name + "' (for " + kv.first.Scalar() + ") is not a tenant of the scenario");
    const std::optional<std::string> key = key_of(kv.first.Scalar());
    if (!key) m.fail("keys are field values (numbers), got '" + kv.first.Scalar() + "'");
    out[*key] = static_cast<std::uint16_t>(it - tenants.begin());
  }
  return out;
}

SacctOptions parse_sacct_options(const YamlCursor& w, const std::vector<TenantSpec>& tenants) {
  SacctOptions o;
  const auto s = w.optional("sacct");
  if (!s) return o;
  s->check_keys({"chips", "states", "estimates", "tenant_field", "tenant_map"});
  if (auto c = s->optional("chips")) {
    const std::string v = c->text();
    if (v != "gpu" && v != "cpu") c->expected("gpu (gres/gpu in AllocTRES) or cpu (cpu=)");
    o.chips = v == "cpu" ? SacctOptions::Chips::Cpu : SacctOptions::Chips::Gpu;
  }
  if (auto st = s->optional("states")) {
    for (std::size_t i = 0; i < st->size(); ++i) {
      const std::string v = (*st)[i].text();
      if (v.empty() || v.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_") != std::string::npos)
        (*st)[i].expected("a Slurm job state such as COMPLETED, FAILED, TIMEOUT, CANCELLED");
      o.states.insert(v);
    }
  }
  if (auto e = s->optional("estimates")) {
    const std::string v = e->text();
    if (v != "timelimit" && v != "none") e->expected("timelimit (each job's Timelimit is its estimate) or none");
    o.estimates = v == "timelimit";
  }
  if (auto f = s->optional("tenant_field")) {
    const std::string v = f->text();
    if (v == "account") o.tenant_field = "Account";
    else if (v == "user") o.tenant_field = "User";
    else if (v == "partition") o.tenant_field = "Partition";
    else f->expected("account, user or partition");
  }
  if (auto m = s->optional("tenant_map")) {
    if (!m->is_map()) m->expected("a mapping from account (user, partition) names to tenant names");
    o.tenant_map = parse_tenant_map(*m, tenants, [](const std::string& key) { return std::optional(key); });
  }
  return o;
}

SwfOptions parse_swf_options(const YamlCursor& w, const std::vector<TenantSpec>& tenants) {
  SwfOptions o;
  const auto s = w.optional("swf");
  if (!s) return o;
  s->check_keys({"chips_per_processor", "cancelled", "estimates", "tenant_field", "tenant_map"});
  if (auto c = s->optional("chips_per_processor")) o.chips_per_processor = c->positive_real();
  if (auto c = s->optional("cancelled")) {
    const std::string v = c->text();
    if (v != "drop" && v != "keep") c->expected("drop or keep");
    o.keep_cancelled = v == "keep";
  }
  if (auto e = s->optional("estimates")) {
    const std::string v = e->text();
    if (v != "requested" && v != "none") e->expected("requested (field 9 is each job's estimate) or none");
    o.estimates = v == "requested";
  }
  if (auto f = s->optional("tenant_field")) {
    const std::string v = f->text();
    using F = SwfOptions::TenantField;
    if (v == "user") o.tenant_field = F::User;
    else if (v == "group") o.tenant_field = F::Group;
    else if (v == "queue") o.tenant_field = F::Queue;
    else if (v == "partition") o.tenant_field = F::Partition;
    else f->expected("user, group, queue or partition");
  }
  if (auto m = s->optional("tenant_map")) {
    if (!m->is_map()) m->expected("a mapping from field values to tenant names, e.g. {1: research, 2: industry}");
    if (o.tenant_field == SwfOptions::TenantField::None) m->fail("give `tenant_field` (which field the map reads)");
    // Keys as the reader prints field values ("1", not "1.0"), so that the lookup matches.
    o.tenant_map = parse_tenant_map(*m, tenants, [](const std::string& key) -> std::optional<std::string> {
      const auto v = parse_real(key);
      return v ? std::optional(fmt::format("{:g}", *v)) : std::nullopt;
    });
  } else if (o.tenant_field != SwfOptions::TenantField::None) {
    s->required("tenant_field").fail("give `tenant_map` too (which tenant each value is)");
  }
  return o;
}

TraceOptions parse_trace_options(const YamlCursor& w) {
  TraceOptions opt;
  if (auto cols = w.optional("columns")) {
    cols->check_keys({"submit", "chips", "duration", "tenant", "id"});
    if (auto c = cols->optional("submit")) opt.submit = c->text();
    if (auto c = cols->optional("chips")) opt.chips = c->text();
    if (auto c = cols->optional("duration")) opt.duration = c->text();
    if (auto c = cols->optional("tenant")) opt.tenant = c->text();
    if (auto c = cols->optional("id")) opt.id = c->text();
  }
  if (auto u = w.optional("time_unit")) {
    // A bare unit (`s`, `h`) is one of it; a duration (`5h`, `250ms`) is that long. (Prefixing
    // "1" to any text read `5h` as 15 h and `0ms` as 10 ms.)
    const std::string t = u->text();
    const bool bare = !t.empty() && t.find_first_not_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos;
    const auto d = parse_duration(bare ? "1" + t : t);
    if (!d || d->ms() <= 0) u->expected("a time unit (ms, s, m, h, d or w) or a positive duration such as 5m");
    opt.time_unit_s = d->seconds_f();
  }
  if (auto r = w.optional("rebase")) opt.rebase = r->boolean();
  if (auto ts = w.optional("time_scale")) opt.time_scale = ts->positive_real();
  if (auto sh = w.optional("shift")) opt.shift = sh->duration();
  if (auto cs = w.optional("chip_scale")) opt.chip_scale = cs->positive_real();
  if (auto k = w.optional("sample_every"))
    opt.every = static_cast<std::uint64_t>(k->integer(1, 1'000'000'000, "a positive integer"));
  if (auto rep = w.optional("repeat")) {
    rep->check_keys({"times", "shift"});
    opt.repeat = static_cast<std::uint32_t>(rep->required("times").integer(1, 10000, "a number of copies from 1 to 10000"));
    const YamlCursor shift = rep->required("shift");
    opt.repeat_shift = shift.positive_duration();
    if (opt.repeat_shift.seconds_f() * (opt.repeat - 1) > kMaxDurationSeconds)
      shift.fail(fmt::format("{} copies shifted by this much reach beyond 10^12 s (~31,700 years): "
                             "at most {} per copy", opt.repeat, format_duration(kMaxDurationSeconds / (opt.repeat - 1))));
  }
  if (auto b = w.optional("on_bad_row")) {
    const std::string v = b->text();
    if (v != "fail" && v != "skip") b->expected("fail or skip");
    opt.skip_bad_rows = v == "skip";
  }
  return opt;
}

std::vector<WorkloadSpec> parse_workload(const YamlCursor& list, const std::vector<TenantSpec>& tenants,
                                         const std::vector<FactorySpec>& factories, std::optional<SimTime> horizon,
                                         LoadContext& ctx, std::vector<ServiceSpec>& services) {
  std::vector<WorkloadSpec> out;
  if (list.size() == 0) list.fail("expected at least one workload source");
  // Job sources and services share one namespace of names (they are rows of the same report).
  auto name_taken = [&](const std::string& name) {
    return std::any_of(out.begin(), out.end(), [&](const WorkloadSpec& w) { return w.label == name; }) ||
           std::any_of(services.begin(), services.end(), [&](const ServiceSpec& s) { return s.name == name; });
  };
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YamlCursor w = list[i];
    if (w.has("service")) {
      ServiceSpec service = detail::parse_service(w, tenants, factories, horizon, ctx);
      if (name_taken(service.name))
        (w.has("name") ? w.required("name") : w)
            .fail("'" + service.name + "' names another workload source or service too; expected a unique name");
      services.push_back(std::move(service));
      continue;
    }
    w.check_keys({"name", "tenant", "arrivals", "chips", "duration", "flops", "params", "tokens", "mfu",
                  "precision", "memory", "classes", "mix", "jobs", "trace", "checkpoint", "columns", "time_unit", "rebase",
                  "time_scale", "shift", "chip_scale", "sample_every", "repeat", "on_bad_row", "format", "swf", "sacct"});
    if (!w.has("trace"))
      for (const char* k : {"columns", "time_unit", "rebase", "time_scale", "shift", "chip_scale", "sample_every",
                            "repeat", "on_bad_row", "format", "swf", "sacct"})
        if (w.has(k)) w.required(k).fail("only trace sources (with `trace`) take this key");
    const int kinds = int(w.has("arrivals")) + int(w.has("jobs")) + int(w.has("trace"));
    if (kinds != 1)
      w.fail("expected exactly one of `arrivals` (a generator), `jobs` (a list), `trace` (a CSV file) or `service` "
             "(an inference service)");
    WorkloadSpec spec;
    spec.label = w.has("name") ? w.required("name").text() : w.path();
    if (auto c = w.optional("checkpoint")) spec.checkpoint = parse_checkpoint(*c);
    if (w.has("arrivals")) {
      GeneratorSpec g;
      g.tenant = tenant_of(w, tenants, std::nullopt);
      g.arrivals = parse_arrivals(w.required("arrivals"), ctx);
      g.classes = detail::parse_job_classes(w, ctx.compute);
      if (!horizon && !g.arrivals.count && !g.arrivals.until)
        w.required("arrivals").fail("this generator never ends and the scenario has no `horizon`; "
                                    "give `horizon`, or the arrivals a `count` or `until`");
      const SimTime stop = g.arrivals.until ? *g.arrivals.until : horizon.value_or(SimTime::never());
      if (stop < SimTime::never() && stop > g.arrivals.start) {
        const double span_s = (stop - g.arrivals.start).seconds_f();
        double expected = g.arrivals.rate_per_s > 0  // Poisson, or fixed given as a rate
                              ? g.arrivals.rate_per_s * span_s
                              : span_s / g.arrivals.interval.seconds_f();
        if (g.arrivals.count) expected = std::min(expected, static_cast<double>(*g.arrivals.count));
        if (expected > static_cast<double>(kMaxJobsPerSource))
          w.required("arrivals").fail(fmt::format(
              "would submit about {:.2g} jobs before the horizon (at most 1e10 per source); check the rate",
              expected));
      }
      spec.source = std::move(g);
    } else {
      for (const char* k : {"chips", "duration", "flops", "params", "tokens", "mfu", "precision", "memory", "classes", "mix"})
        if (w.has(k)) w.required(k).fail("only generators (with `arrivals`) take this key");
      std::optional<std::uint16_t> tenant;
      if (w.has("tenant") || tenants.size() == 1) tenant = tenant_of(w, tenants, std::nullopt);
      if (w.has("jobs")) {
        spec.source = parse_job_list(w.required("jobs"), tenants, tenant, ctx);
      } else {
        const YamlCursor t = w.required("trace");
        const fs::path path = ctx.base_dir / t.text();
        TraceOptions opt = parse_trace_options(w);
        opt.default_tenant = tenant ? *tenant : -1;
        opt.max_bytes = ctx.limits.trace_bytes;
        opt.max_line_bytes = ctx.limits.trace_line_bytes;
        opt.max_jobs = ctx.limits.trace_jobs - std::min(ctx.trace_jobs, ctx.limits.trace_jobs);
        const TraceFormat format = trace_format(w, path);
        std::optional<SwfOptions> swf;
        std::optional<SacctOptions> sacct;
        if (format == TraceFormat::Swf) {
          swf = parse_swf_options(w, tenants);
          swf->common = opt;
        } else if (w.has("swf")) {
          w.required("swf").fail("only SWF traces (`format: swf`, or a .swf file) take this key");
        }
        if (format == TraceFormat::Sacct) {
          sacct = parse_sacct_options(w, tenants);
          sacct->common = opt;
        } else if (w.has("sacct")) {
          w.required("sacct").fail("only Slurm logs (`format: sacct`) take this key");
        }
        if ((swf || sacct) && w.has("columns"))
          w.required("columns").fail("this format has fixed fields; `columns` maps CSV columns only");
        if (format == TraceFormat::Acme) {
          // The Acme traces' columns (Seren, Kalos): job_id, user, node_num, gpu_num, cpu_num, type,
          // state, submit_time, start_time, end_time, duration, queue, gpu_time. `columns` may
          // still rename any of them; CPU-only jobs and jobs that never ran are left out.
          const auto cols = w.optional("columns");
          if (!cols || !cols->has("submit")) opt.submit = "submit_time";
          if (!cols || !cols->has("chips")) opt.chips = "gpu_num";
          if (!cols || !cols->has("id")) opt.id = "job_id";
          opt.drop_unrun = true;
        }
        try {
          TraceLoad load = swf     ? read_swf(path, tenants, *swf, &ctx.hash)
                           : sacct ? read_sacct(path, tenants, *sacct, &ctx.hash)
                                   : read_trace_csv(path, tenants, opt, &ctx.hash);
          if (load.dropped_no_chips > 0)
            ctx.warnings.push_back(t.position() + ": " + w.path() + ": left out " + std::to_string(load.dropped_no_chips) +
                                   " job(s) without accelerators of " + path.string());
          if (load.dropped_cancelled > 0)
            ctx.warnings.push_back(t.position() + ": " + w.path() + ": left out " + std::to_string(load.dropped_cancelled) +
                                   " job(s) of " + path.string() + " that were cancelled or never ran" +
                                   (swf ? " (swf.cancelled: keep to replay them)" : ""));
          if (!load.table->streamed()) ctx.trace_jobs += load.table->size();  // the limit is on memory
          if (load.skipped_rows > 0) {
            std::string msg = t.position() + ": " + w.path() + ": skipped " + std::to_string(load.skipped_rows) +
                              " unreadable row(s) of " + path.string() + " (on_bad_row: skip)";
            for (const auto& row : load.skipped) msg += "\n  " + row;
            if (load.skipped_rows > load.skipped.size())
              msg += "\n  ... and " + std::to_string(load.skipped_rows - load.skipped.size()) + " more";
            ctx.warnings.push_back(msg);
          }
          spec.source = TraceSpec{std::move(load.table)};
        } catch (const InputError& e) {
          t.fail(std::string("in trace: ") + e.what());
        }
        if (!w.has("name")) spec.label = t.text();
      }
    }
    // The label names the source's row in every per-source table: a `name:` is unique, and a
    // default label (a trace replayed twice) is made so.
    if (w.has("name") && std::any_of(services.begin(), services.end(), [&](const ServiceSpec& s) { return s.name == spec.label; }))
      w.required("name").fail("'" + spec.label + "' names a service too; expected a unique name");
    for (const WorkloadSpec& earlier : out) {
      if (earlier.label != spec.label) continue;
      if (w.has("name")) w.required("name").fail("'" + spec.label + "' names another workload source too; expected a unique name");
      spec.label += " (" + w.path() + ")";
      break;
    }
    out.push_back(std::move(spec));
  }
  return out;
}

YAML::Node load_yaml(std::string_view yaml, const std::string& file_label) {
  // Names end up in JSON, which must be UTF-8: refuse other bytes here, at their position,
  // rather than after the whole run. (UTF-16/32 files, recognised by their byte-order mark, are
  // converted by yaml-cpp.)
  const bool utf16_or_32 = yaml.size() >= 2 && ((yaml[0] == '\xFE' && yaml[1] == '\xFF') ||
                                                (yaml[0] == '\xFF' && yaml[1] == '\xFE') || yaml[0] == '\0');
  if (const auto bad = utf16_or_32 ? std::nullopt : first_invalid_utf8(yaml)) {
    const std::string_view before = yaml.substr(0, *bad);
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
    const std::size_t nl = before.rfind('\n');
    const std::size_t col = 1 + (nl == std::string_view::npos ? *bad : *bad - nl - 1);
    throw InputError(file_label + ":" + std::to_string(line) + ":" + std::to_string(col) +
                     ": invalid UTF-8 (byte 0x" + fmt::format("{:02X}", static_cast<unsigned char>(yaml[*bad])) +
                     "): scenario files are UTF-8 text");
  }
  try {
    return YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    throw InputError(file_label + ":" + std::to_string(e.mark.line + 1) + ":" +
                     std::to_string(e.mark.column + 1) + ": invalid YAML: " + e.msg);
  }
}

// Sets `path` (e.g. "factories[0].chips", "policy.backfill") in the document to `value`, itself
// read as YAML (so "easy" is a scalar and "{queue: sjf}" a mapping). Missing mapping keys are
// created; list indexes must exist.
YAML::Node apply_override(YAML::Node& root, const ScenarioOverride& o) {
  const std::string where = o.name() + ": ";
  // Steps: a key, an index ([2]) or an element of a list by its `name` ([gf-north]).
  struct ByName {
    std::string name;
  };
  std::vector<std::variant<std::string, std::size_t, ByName>> steps;
  std::size_t i = 0;
  while (i < o.path.size()) {
    if (o.path[i] == '.') { ++i; continue; }
    if (o.path[i] == '[') {
      const std::size_t close = o.path.find(']', i);
      if (close == std::string::npos || close == i + 1) throw InputError(where + "malformed index in the path");
      const std::string inside = o.path.substr(i + 1, close - i - 1);
      const auto index = parse_integer(inside);
      if (index && *index < 0) throw InputError(where + "malformed index in the path");
      if (index) steps.emplace_back(static_cast<std::size_t>(*index));
      else steps.emplace_back(ByName{inside});
      i = close + 1;
      continue;
    }
    std::size_t end = i;
    while (end < o.path.size() && o.path[end] != '.' && o.path[end] != '[') ++end;
    steps.emplace_back(o.path.substr(i, end - i));
    i = end;
  }
  if (steps.empty()) throw InputError(where + "empty path");
  YAML::Node value;
  try {
    value = YAML::Load(o.value);
  } catch (const YAML::Exception& e) {
    throw InputError(where + "the value is not valid YAML: " + e.msg);
  }
  YAML::Node cur;
  cur.reset(root);
  std::string walked;
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const bool last = k + 1 == steps.size();
    if (const auto* key = std::get_if<std::string>(&steps[k])) {
      if (!cur.IsMap() && !cur.IsNull()) throw InputError(where + "'" + walked + "' is not a mapping");
      walked += (walked.empty() ? "" : ".") + *key;
      if (last) {
        cur[*key] = value;
      } else {
        YAML::Node next = cur[*key];
        if (!next.IsDefined() || next.IsNull()) cur[*key] = YAML::Node(YAML::NodeType::Map);
        cur.reset(cur[*key]);
      }
    } else {
      std::size_t index = 0;
      if (const auto* by = std::get_if<ByName>(&steps[k])) {
        if (!cur.IsSequence()) throw InputError(where + "'" + walked + "' is not a list");
        std::string names;
        bool found = false;
        for (std::size_t e = 0; e < cur.size() && !found; ++e) {
          const YAML::Node n = cur[e].IsMap() ? cur[e]["name"] : YAML::Node();
          if (!n.IsDefined() || !n.IsScalar()) continue;
          if (n.Scalar() == by->name) index = e, found = true;
          names += (names.empty() ? "" : ", ") + n.Scalar();
        }
        if (!found)
          throw InputError(where + "'" + walked + "' has no element named '" + by->name + "'" +
                           (names.empty() ? std::string(" (its elements have no names)") : " (names: " + names + ")"));
      } else {
        index = std::get<std::size_t>(steps[k]);
      }
      if (!cur.IsSequence() || index >= cur.size())
        throw InputError(where + "'" + walked + "' has no element [" + std::to_string(index) + "]");
      walked += "[" + std::to_string(index) + "]";
      if (last) cur[index] = value;
      else cur.reset(cur[index]);
    }
  }
  return value;
}

Scenario build_scenario(const YAML::Node& root, std::uint64_t text_hash, const YamlSource& source,
                        const fs::path& base_dir, const InputLimits& limits) {
  const std::string& file_label = source.file;
  YAML::Mark origin;
  origin.line = 0;
  origin.column = 0;
  const YamlCursor doc(root, "", &source, origin);
  if (!root.IsMap()) doc.expected("a scenario: a mapping with keys name, factories, workload, ...");
  doc.check_keys({"name", "description", "start", "horizon", "warmup", "seed", "chips", "factories", "tenants",
                  "policy", "compute", "checkpoint", "economics", "workload"});

  LoadContext ctx;
  ctx.base_dir = base_dir;
  ctx.limits = limits;
  ctx.hash = text_hash;
  Scenario sc;
  sc.file = file_label;
  if (auto n = doc.optional("name")) sc.name = n->text();
  else sc.name = fs::path(file_label).stem().string();
  if (auto d = doc.optional("description")) (void)d->text();
  if (auto s = doc.optional("start")) {
    ctx.start_epoch_ms = parse_datetime_ms(s->text());
    if (!ctx.start_epoch_ms) s->expected("a date YYYY-MM-DD");
    sc.start_date = s->text();
  }
  if (auto s = doc.optional("seed"))
    sc.seed = static_cast<std::uint64_t>(s->integer(0, std::numeric_limits<std::int64_t>::max(),
                                                    "a non-negative integer"));
  if (auto h = doc.optional("horizon")) {
    sc.horizon = time_point(*h, ctx, false);
    if (sc.horizon->ms() <= 0) h->expected("a positive duration or a date after `start`");
  }
  if (auto w = doc.optional("warmup")) {
    sc.warmup = w->duration();
    if (sc.horizon && SimTime::zero() + sc.warmup >= *sc.horizon)
      w->expected("a warm-up shorter than the horizon (" +
                  format_duration(sc.horizon->seconds_f()) + ")");
  }
  if (auto c = doc.optional("chips")) ctx.chips = parse_chip_types(*c);
  sc.factories = parse_factories(doc.required("factories"), ctx);
  sc.tenants = parse_tenants(doc.optional("tenants"), sc.factories);
  sc.policy = parse_policy(doc.optional("policy"));
  if (auto c = doc.optional("compute")) ctx.compute = detail::parse_compute(*c);
  sc.compute = ctx.compute;
  if (auto c = doc.optional("checkpoint")) sc.checkpoint = parse_checkpoint(*c);
  if (auto c = doc.optional("economics")) sc.economics = detail::parse_economics(*c, ctx);
  sc.workload = parse_workload(doc.required("workload"), sc.tenants, sc.factories, sc.horizon, ctx, sc.services);
  sc.content_hash = ctx.hash;
  sc.warnings = std::move(ctx.warnings);
  return sc;
}

}  // namespace

namespace detail {
std::vector<double> parse_weights(const YamlCursor& owner, std::size_t count) {
  std::vector<double> weights;
  const auto w = owner.optional("weights");
  if (!w) return std::vector<double>(count, 1.0);
  if (w->size() != count) w->expected("one weight per value (" + std::to_string(count) + " weights)");
  double total = 0;
  for (std::size_t i = 0; i < w->size(); ++i) {
    const double x = (*w)[i].real();
    if (x < 0) (*w)[i].expected("a weight >= 0");
    weights.push_back(x);
    total += x;
  }
  if (total <= 0) w->expected("weights with a positive sum");
  return weights;
}

ElasticChips parse_elastic_chips(const YamlCursor& c) {
  c.check_keys({"min", "max"});
  const YamlCursor lo = c.required("min"), hi = c.required("max");
  ElasticChips e{lo.positive_u32(), hi.positive_u32()};
  if (e.max < e.min) hi.expected("a chip count >= min (" + std::to_string(e.min) + ")");
  return e;
}

ChipsDistribution parse_chips(const YamlCursor& c) {
  ChipsDistribution d;
  if (c.is_scalar()) {
    d.kind = ChipsDistribution::Kind::Fixed;
    d.value = c.positive_u32();
    return d;
  }
  c.check_keys({"dist", "value", "values", "weights", "min", "max", "percentiles"});
  const YamlCursor dist = c.required("dist");
  const std::string kind = dist.text();
  if (kind == "fixed") {
    d.kind = ChipsDistribution::Kind::Fixed;
    d.value = c.required("value").positive_u32();
  } else if (kind == "choice" || kind == "discrete") {
    d.kind = ChipsDistribution::Kind::Choice;
    const YamlCursor values = c.required("values");
    if (values.size() == 0) values.expected("a non-empty list of chip counts");
    for (std::size_t i = 0; i < values.size(); ++i) d.values.push_back(values[i].positive_u32());
    d.weights = parse_weights(c, d.values.size());
  } else if (kind == "pow2") {
    d.kind = ChipsDistribution::Kind::Pow2;
    const YamlCursor lo = c.required("min"), hi = c.required("max");
    d.min = lo.positive_u32();
    d.max = hi.positive_u32();
    auto pow2 = [](std::uint32_t x) { return (x & (x - 1)) == 0; };
    if (!pow2(d.min)) lo.expected("a power of two");
    if (!pow2(d.max)) hi.expected("a power of two");
    if (d.max < d.min) hi.expected("a value >= min (" + std::to_string(d.min) + ")");
  } else if (kind == "empirical") {
    d.kind = ChipsDistribution::Kind::Empirical;
    d.table = parse_percentiles(c.required("percentiles"), false,
                                [](const YamlCursor& v) { return static_cast<double>(v.positive_u32()); });
  } else {
    dist.fail("unknown chips distribution '" + kind + "'; expected one of: fixed, choice, pow2, empirical");
  }
  return d;
}

DurationDistribution parse_duration_dist(const YamlCursor& c) {
  DurationDistribution d;
  if (c.is_scalar()) {
    d.kind = DurationDistribution::Kind::Fixed;
    d.a = c.positive_duration().seconds_f();
    return d;
  }
  c.check_keys({"dist", "value", "mean", "median", "sigma", "cv", "min", "max", "percentiles"});
  const YamlCursor dist = c.required("dist");
  const std::string kind = dist.text();
  if (kind == "fixed") {
    d.kind = DurationDistribution::Kind::Fixed;
    d.a = c.required("value").positive_duration().seconds_f();
  } else if (kind == "exponential") {
    d.kind = DurationDistribution::Kind::Exponential;
    d.a = c.required("mean").positive_duration().seconds_f();
  } else if (kind == "lognormal") {
    d.kind = DurationDistribution::Kind::Lognormal;
    if (c.has("median")) {
      d.a = c.required("median").positive_duration().seconds_f();
      const YamlCursor s = c.required("sigma");
      d.b = s.real();
      if (d.b < 0 || d.b > 10) s.expected("a sigma in [0, 10]");
      if (c.has("mean") || c.has("cv")) c.fail("give either median and sigma, or mean and cv");
    } else if (c.has("mean")) {
      // mean m and coefficient of variation v: sigma^2 = ln(1 + v^2), median = m / sqrt(1 + v^2).
      const double m = c.required("mean").positive_duration().seconds_f();
      const YamlCursor cv = c.required("cv");
      const double v = cv.real();
      if (v < 0 || v > 100) cv.expected("a coefficient of variation in [0, 100]");
      d.b = std::sqrt(std::log1p(v * v));
      d.a = m / std::sqrt(1 + v * v);
    } else {
      c.fail("lognormal needs median and sigma, or mean and cv");
    }
  } else if (kind == "uniform") {
    d.kind = DurationDistribution::Kind::Uniform;
    d.a = c.required("min").positive_duration().seconds_f();
    const YamlCursor hi = c.required("max");
    d.b = hi.positive_duration().seconds_f();
    if (d.b < d.a) hi.expected("a duration >= min");
  } else if (kind == "empirical") {
    d.kind = DurationDistribution::Kind::Empirical;
    d.table = parse_percentiles(c.required("percentiles"), true,
                                [](const YamlCursor& v) { return v.positive_duration().seconds_f(); });
  } else {
    dist.fail("unknown duration distribution '" + kind +
              "'; expected one of: fixed, exponential, lognormal, uniform, empirical");
  }
  return d;
}

}  // namespace detail

namespace {

// The document with every --set applied; `source` remembers the grafted values so errors in
// them name the --set rather than a position in the file.
struct Document {
  YAML::Node root;
  YamlSource source;
  std::uint64_t hash = 0;
};

Document load_with_overrides(std::string_view yaml, const std::string& file_label,
                             const std::vector<ScenarioOverride>& overrides) {
  Document d;
  d.source.file = file_label;
  d.root = load_yaml(yaml, file_label);
  d.hash = fnv1a64(yaml);
  for (const auto& o : overrides) {
    d.source.overrides.emplace_back(apply_override(d.root, o), o.name());
    d.hash = fnv1a64(o.path + "=" + o.value + "\n", d.hash);
  }
  // After the --set edits, as the same edits of the file would be: a --set of a defaults
  // mapping reaches every entry that merges it.
  resolve_merge_keys(d.root, d.source);
  return d;
}

// The line (1-based) of a "file:line:col: ..." message about `file`, or 0.
long error_line(const std::string& message, const std::string& file) {
  if (message.compare(0, file.size() + 1, file + ":") != 0) return 0;
  return std::strtol(message.c_str() + file.size() + 1, nullptr, 10);
}

// One scenario per entry of `plans:`: the file's shared keys (tenants, workload, ...) with the
// plan's own factories and, if it gives them, its own policy and compute defaults. The shared
// nodes are referenced, not cloned, so errors in them keep their file positions.
std::vector<Scenario> build_plans(const Document& d, const fs::path& base_dir, const InputLimits& limits) {
  YAML::Mark origin;
  origin.line = 0;
  origin.column = 0;
  const YamlCursor doc(d.root, "", &d.source, origin);
  doc.check_keys({"name", "description", "start", "horizon", "warmup", "seed", "chips", "tenants", "policy",
                  "compute", "checkpoint", "economics", "workload", "plans", "factories"});
  const YamlCursor list = doc.required("plans");
  if (!list.is_sequence() || list.size() == 0) list.expected("a non-empty list of plans");
  if (doc.has("factories"))
    doc.required("factories").fail("a file with `plans` gives each plan its own `factories`, not shared ones");
  std::vector<Scenario> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YamlCursor p = list[i];
    p.check_keys({"name", "description", "factories", "policy", "compute"});
    const YamlCursor name = p.required("name");
    const std::string plan = name.text();
    if (plan.empty()) name.expected("a non-empty name");
    for (const auto& other : out)
      if (other.name == plan) name.fail("duplicate plan name '" + plan + "'");
    if (!p.has("factories")) p.fail("missing required key 'factories'");
    YAML::Node copy(YAML::NodeType::Map);
    for (const auto& kv : d.root) {
      const std::string key = kv.first.Scalar();
      if (key != "plans" && key != "name") copy[key] = kv.second;
    }
    copy["factories"] = p.node()["factories"];
    for (const char* key : {"policy", "compute"})
      if (p.has(key)) copy[key] = p.node()[key];
    copy["name"] = plan;
    try {
      out.push_back(build_scenario(copy, fnv1a64(plan, d.hash), d.source, base_dir, limits));
    } catch (const InputError& e) {
      // An error inside the plan's entry is the plan's; one in a shared key (its position says
      // where) was found while checking it against this plan (e.g. a tenant's sites).
      const long line = error_line(e.what(), d.source.file);
      const long first = p.node().Mark().line + 1;
      const long next = i + 1 < list.size() ? list[i + 1].node().Mark().line + 1 : LONG_MAX;
      const bool own = line >= first && line < next;
      throw InputError(std::string(e.what()) + (own ? " (in plan '" : " (a shared key, checked with plan '") + plan + "')");
    }
  }
  return out;
}

bool has_plans(const YAML::Node& root) { return root.IsMap() && root["plans"]; }

// yaml-cpp throws its own exceptions for a few structural misuses (e.g. a mapping where a
// list was walked); they are the input's fault, so they become located InputErrors.
template <typename F>
auto guarded(const std::string& file_label, F&& build) {
  try {
    return build();
  } catch (const YAML::Exception& e) {
    const int line = e.mark.line >= 0 ? e.mark.line + 1 : 1, col = e.mark.column >= 0 ? e.mark.column + 1 : 1;
    throw InputError(file_label + ":" + std::to_string(line) + ":" + std::to_string(col) +
                     ": unexpected structure: " + e.msg);
  }
}

}  // namespace

Scenario parse_scenario(std::string_view yaml, const std::string& file_label, const fs::path& base_dir,
                        const std::vector<ScenarioOverride>& overrides, const InputLimits& limits) {
  return guarded(file_label, [&] {
    const Document d = load_with_overrides(yaml, file_label, overrides);
    if (has_plans(d.root)) {
      const auto plans = build_plans(d, base_dir, limits);
      std::string names;
      for (const auto& p : plans) names += (names.empty() ? "" : ", ") + p.name;
      throw InputError(file_label + ": defines several capacity plans (" + names +
                       "): compare them with `gigasim compare " + file_label + "`, or pick one with --plan NAME");
    }
    return build_scenario(d.root, d.hash, d.source, base_dir, limits);
  });
}

std::vector<Scenario> parse_plans(std::string_view yaml, const std::string& file_label, const fs::path& base_dir,
                                  const std::vector<ScenarioOverride>& overrides, const InputLimits& limits) {
  return guarded(file_label, [&]() -> std::vector<Scenario> {
    const Document d = load_with_overrides(yaml, file_label, overrides);
    if (has_plans(d.root)) return build_plans(d, base_dir, limits);
    std::vector<Scenario> one;  // not `return {...}`: an initializer list copies the scenario
    one.push_back(build_scenario(d.root, d.hash, d.source, base_dir, limits));
    return one;
  });
}

Scenario load_scenario(const fs::path& file, const std::vector<ScenarioOverride>& overrides,
                       const InputLimits& limits) {
  return parse_scenario(read_input_file(file, "scenario file", limits.scenario_bytes, "scenario_bytes"),
                        file.string(), file.parent_path(), overrides, limits);
}

std::vector<Scenario> load_plans(const fs::path& file, const std::vector<ScenarioOverride>& overrides,
                                 const InputLimits& limits) {
  return parse_plans(read_input_file(file, "scenario file", limits.scenario_bytes, "scenario_bytes"),
                     file.string(), file.parent_path(), overrides, limits);
}

}  // namespace gigasim
