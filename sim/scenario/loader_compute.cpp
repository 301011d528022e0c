// Scenario keys of the compute and plan model: jobs given as work, job classes and mixes,
// `compute:` defaults and scaling models, factory power, cost and capacity phases.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "gigasim/model/workload_mixes.hpp"
#include "gigasim/scenario/units.hpp"
#include "loader_parts.hpp"

namespace gigasim::detail {

namespace {

Precision parse_precision(const YamlCursor& c) {
  const std::string v = c.text();
  if (v == "bf16") return Precision::BF16;
  if (v == "fp8") return Precision::FP8;
  c.expected("bf16 or fp8");
}

double parse_mfu(const YamlCursor& c) {
  const double v = c.real();
  if (!(v > 0 && v <= 1)) c.expected("an MFU in (0, 1] (e.g. 0.4 for 40%)");
  return v;
}

// A positive count of FLOPs, parameters or tokens: "3.8e25", "405e9".
double positive_amount(const YamlCursor& c) {
  const double v = c.positive_real();
  if (!std::isfinite(v) || v > 1e40) c.expected("a positive number below 1e40");
  return v;
}

RealDistribution parse_real_dist(const YamlCursor& c) {
  RealDistribution d;
  if (c.is_scalar()) {
    d.a = positive_amount(c);
    return d;
  }
  c.check_keys({"dist", "value", "median", "sigma", "min", "max", "values", "weights", "percentiles"});
  const YamlCursor dist = c.required("dist");
  const std::string kind = dist.text();
  if (kind == "fixed") {
    d.a = positive_amount(c.required("value"));
  } else if (kind == "lognormal") {
    d.kind = RealDistribution::Kind::Lognormal;
    d.a = positive_amount(c.required("median"));
    const YamlCursor s = c.required("sigma");
    d.b = s.real();
    if (d.b < 0 || d.b > 10) s.expected("a sigma in [0, 10]");
  } else if (kind == "loguniform") {
    d.kind = RealDistribution::Kind::LogUniform;
    d.a = positive_amount(c.required("min"));
    const YamlCursor hi = c.required("max");
    d.b = positive_amount(hi);
    if (d.b < d.a) hi.expected("a value >= min");
  } else if (kind == "choice") {
    d.kind = RealDistribution::Kind::Choice;
    const YamlCursor values = c.required("values");
    if (values.size() == 0) values.expected("a non-empty list");
    for (std::size_t i = 0; i < values.size(); ++i) d.values.push_back(positive_amount(values[i]));
    d.weights = parse_weights(c, d.values.size());
  } else if (kind == "empirical") {
    d.kind = RealDistribution::Kind::Empirical;
    d.table = parse_percentiles(c.required("percentiles"), true, positive_amount);
  } else {
    dist.fail("unknown distribution '" + kind + "'; expected one of: fixed, lognormal, loguniform, choice, empirical");
  }
  return d;
}

// The length keys of one class (or of a generator without classes), and its memory need.
// `chips`: a distribution, or an elastic range {min, max} (no `dist`).
void parse_class_chips(const YamlCursor& c, JobClassSpec& k) {
  if (c.is_scalar() || c.has("dist")) {
    k.chips = parse_chips(c);
    return;
  }
  const ElasticChips range = parse_elastic_chips(c);
  k.chips.kind = ChipsDistribution::Kind::Fixed;
  k.chips.value = range.min;
  k.max_chips = range.max;
}

void parse_class_length(const YamlCursor& c, JobClassSpec& k, const ComputeDefaults& defaults) {
  if (auto m = c.optional("memory")) k.memory.bytes = parse_memory(*m);
  const bool dur = c.has("duration"), flops = c.has("flops"), params = c.has("params"), tokens = c.has("tokens");
  if (int(dur) + int(flops) + int(params || tokens) != 1)
    c.fail("give exactly one length: `duration`, `flops`, or `params` and `tokens`");
  if (params != tokens) c.fail("`params` and `tokens` go together (work = 6 x params x tokens FLOPs)");
  k.mfu = defaults.mfu;
  k.precision = defaults.precision;
  if (dur) {
    if (k.max_chips > 0) c.required("duration").fail(kElasticNeedsWork);
    k.length = JobClassSpec::Length::Duration;
    k.duration = parse_duration_dist(c.required("duration"));
    for (const char* key : {"mfu", "precision"})
      if (c.has(key)) c.required(key).fail("only jobs given as work (`flops`, or `params` and `tokens`) take this key");
    return;
  }
  if (flops) {
    k.length = JobClassSpec::Length::Flops;
    k.flops = parse_real_dist(c.required("flops"));
  } else {
    k.length = JobClassSpec::Length::ParamsTokens;
    k.params = parse_real_dist(c.required("params"));
    k.tokens = parse_real_dist(c.required("tokens"));
    if (!c.has("memory")) k.memory.bytes_per_param = defaults.memory_per_param;
  }
  if (auto m = c.optional("mfu")) k.mfu = parse_mfu(*m);
  if (auto p = c.optional("precision")) k.precision = parse_precision(*p);
}

}  // namespace

double parse_memory(const YamlCursor& c) {
  const auto b = parse_bytes(c.text());
  if (!b || *b <= 0 || *b > 1e18) c.expected("a memory size, e.g. 640GB, 1.5TB or 80GiB");
  return *b;
}

PercentileTable parse_percentiles(const YamlCursor& list, bool continuous, double (*value)(const YamlCursor&)) {
  PercentileTable t;
  if (!list.is_sequence() || list.size() == 0)
    list.expected("a list of [percentile, value] pairs, e.g. [[0, 10s], [50, 2m], [100, 3d]]");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YamlCursor pair = list[i];
    if (!pair.is_sequence() || pair.size() != 2) pair.expected("a [percentile, value] pair");
    const YamlCursor pc = pair[0];
    const double p = pc.real();
    if (p < 0 || p > 100) pc.expected("a percentile in [0, 100]");
    if (!t.prob.empty() && p / 100.0 <= t.prob.back()) pc.expected("percentiles in increasing order");
    const double v = value(pair[1]);
    if (!t.value.empty() && v < t.value.back()) pair[1].expected("values that do not decrease with the percentile");
    t.prob.push_back(p / 100.0);
    t.value.push_back(v);
  }
  if (t.prob.back() != 1.0) list.fail("the last percentile must be 100");
  if (continuous && t.prob.front() != 0.0) list.fail("the first percentile must be 0 (the smallest value)");
  return t;
}

ScalingModel parse_scaling(const YamlCursor& c) {
  ScalingModel s;
  if (c.is_scalar()) {
    if (c.text() != "none") c.expected("`none` or a mapping {model: amdahl|usl, ...}");
    return s;
  }
  c.check_keys({"model", "serial_fraction", "contention", "coherency", "fit"});
  const YamlCursor model = c.required("model");
  const std::string m = model.text();
  if (m != "amdahl" && m != "usl" && m != "none") model.expected("none, amdahl or usl");
  if (m == "none") return s;
  if (auto fit = c.optional("fit")) {
    for (const char* k : {"serial_fraction", "contention", "coherency"})
      if (c.has(k)) c.required(k).fail("give either measured points (`fit`) or the coefficients, not both");
    std::vector<ScalingPoint> points;
    for (std::size_t i = 0; i < fit->size(); ++i) {
      const YamlCursor pt = (*fit)[i];
      if (!pt.is_sequence() || pt.size() != 2) pt.expected("a [chips, efficiency] pair, e.g. [1024, 0.92]");
      const double n = static_cast<double>(pt[0].positive_u32());
      const double e = pt[1].real();
      if (!(e > 0 && e <= 1)) pt[1].expected("an efficiency in (0, 1]");
      points.push_back({n, e});
    }
    try {
      return m == "amdahl" ? fit_amdahl(points) : fit_usl(points);
    } catch (const std::invalid_argument& e) {
      fit->fail(e.what());
    }
  }
  auto coef = [&](const char* key) {
    const YamlCursor v = c.required(key);
    const double x = v.real();
    if (!(x >= 0 && x < 1)) v.expected("a coefficient in [0, 1)");
    return x;
  };
  if (m == "amdahl") {
    s.kind = ScalingModel::Kind::Amdahl;
    s.a = coef("serial_fraction");
  } else {
    s.kind = ScalingModel::Kind::Usl;
    s.a = coef("contention");
    s.b = c.has("coherency") ? coef("coherency") : 0.0;
  }
  return s;
}

ComputeDefaults parse_compute(const YamlCursor& c) {
  c.check_keys({"mfu", "precision", "scaling", "memory_per_param"});
  ComputeDefaults d;
  if (auto m = c.optional("mfu")) d.mfu = parse_mfu(*m);
  if (auto p = c.optional("precision")) d.precision = parse_precision(*p);
  if (auto s = c.optional("scaling")) d.scaling = parse_scaling(*s);
  if (auto m = c.optional("memory_per_param")) {
    d.memory_per_param = m->real();
    if (!(d.memory_per_param >= 0 && d.memory_per_param <= 1000)) m->expected("bytes per parameter in [0, 1000] (e.g. 2 for BF16 weights)");
  }
  return d;
}

std::optional<JobWork> parse_job_work(const YamlCursor& j, const ComputeDefaults& defaults) {
  const bool flops = j.has("flops"), params = j.has("params"), tokens = j.has("tokens");
  if (!flops && !params && !tokens) {
    for (const char* key : {"mfu", "precision"})
      if (j.has(key)) j.required(key).fail("only jobs given as work (`flops`, or `params` and `tokens`) take this key");
    return std::nullopt;
  }
  if (flops && (params || tokens)) j.fail("give either `flops` or `params` and `tokens`, not both");
  if (params != tokens) j.fail("`params` and `tokens` go together (work = 6 x params x tokens FLOPs)");
  JobWork w;
  w.mfu = defaults.mfu;
  w.precision = defaults.precision;
  w.flops = flops ? positive_amount(j.required("flops"))
                  : training_flops(positive_amount(j.required("params")), positive_amount(j.required("tokens")));
  if (auto m = j.optional("mfu")) w.mfu = parse_mfu(*m);
  if (auto p = j.optional("precision")) w.precision = parse_precision(*p);
  return w;
}

std::vector<JobClassSpec> parse_job_classes(const YamlCursor& g, const ComputeDefaults& defaults) {
  const bool own = std::any_of(kClassKeys.begin(), kClassKeys.end(), [&](auto k) { return g.has(k); });
  if (int(own) + int(g.has("classes")) + int(g.has("mix")) != 1)
    g.fail("a generator needs its jobs' `chips` and length (`duration`, `flops`, or `params` and `tokens`), "
           "or `classes`, or a `mix` preset -- exactly one of these");
  std::vector<JobClassSpec> out;
  if (auto mix = g.optional("mix")) {
    const std::string name = mix->text();
    auto classes = find_workload_mix(name);
    if (!classes) {
      std::string known;
      for (const auto& n : workload_mix_names()) known += (known.empty() ? "" : ", ") + n;
      mix->fail("unknown workload mix '" + name + "'; known mixes: " + known);
    }
    return *classes;
  }
  if (!g.has("classes")) {
    JobClassSpec k;
    parse_class_chips(g.required("chips"), k);
    parse_class_length(g, k, defaults);
    out.push_back(std::move(k));
    return out;
  }
  const YamlCursor list = g.required("classes");
  if (list.size() == 0) list.expected("at least one job class");
  if (list.size() > 1000) list.fail("too many job classes");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YamlCursor c = list[i];
    c.check_keys({"name", "share", "chips", "duration", "flops", "params", "tokens", "mfu", "precision", "memory"});
    JobClassSpec k;
    const YamlCursor name = c.required("name");
    k.name = name.text();
    for (const auto& other : out)
      if (other.name == k.name) name.fail("duplicate class name '" + k.name + "'");
    k.share = c.required("share").positive_real();
    parse_class_chips(c.required("chips"), k);
    parse_class_length(c, k, defaults);
    out.push_back(std::move(k));
  }
  return out;
}

PowerSpec parse_power(const YamlCursor& c) {
  c.check_keys({"chip_kw", "it_overhead", "idle_fraction", "pue", "cap_mw"});
  PowerSpec p;
  if (auto v = c.optional("chip_kw")) {
    const double kw = v->positive_real();
    if (kw > 100) v->expected("kW per chip (e.g. 1.3), at most 100");
    p.chip_watts = kw * 1000;
    if (c.has("it_overhead")) c.required("it_overhead").fail("give either `chip_kw` or `it_overhead`, not both");
  }
  if (auto v = c.optional("it_overhead")) {
    p.it_overhead = v->real();
    if (p.it_overhead < 1 || p.it_overhead > 10) v->expected("a factor in [1, 10] (IT power / accelerator TDP)");
  }
  if (auto v = c.optional("idle_fraction")) {
    p.idle_fraction = v->real();
    if (p.idle_fraction < 0 || p.idle_fraction >= 1) v->expected("a fraction in [0, 1)");
  }
  if (auto v = c.optional("pue")) {
    p.pue = v->real();
    if (p.pue < 1 || p.pue > 5) v->expected("a PUE in [1, 5]");
  }
  if (auto v = c.optional("cap_mw")) p.cap_mw = v->positive_real();
  return p;
}

TopologySpec parse_topology(const YamlCursor& c, const YamlCursor& factory, const FactorySpec& spec,
                            LoadContext& ctx) {
  c.check_keys({"domain_nodes", "span_slowdown", "spares_per_domain", "failures"});
  // A spare replaces a failed node only inside its own scale-up domain, so spares are given
  // per domain there. Removals of capacity do not track domains (yet): refuse the combination
  // rather than simulate it wrongly.
  if (factory.has("spares"))
    factory.required("spares").fail(
        "`spares` cannot be combined with `topology`: give `topology.spares_per_domain` (a spare can replace a "
        "failed node only inside its own domain)");
  if (factory.has("retire"))
    factory.required("retire").fail("`retire` cannot be combined with `topology` (not supported yet)");
  TopologySpec t;
  // Default: the chip's scale-up domain (e.g. 72 GB200 of an NVL72 rack / 4 per tray = 18 nodes).
  t.domain_nodes = std::max(1u, static_cast<std::uint32_t>(spec.chip.scale_up) / spec.node_size);
  if (auto d = c.optional("domain_nodes")) t.domain_nodes = d->positive_u32();
  if (spec.nodes() % t.domain_nodes != 0)
    (c.has("domain_nodes") ? c.required("domain_nodes") : c)
        .fail("the factory's " + std::to_string(spec.nodes()) + " nodes are not whole domains of " +
              std::to_string(t.domain_nodes) + " nodes");
  // Growth phases add whole domains; a removal would have to drain whole domains (not yet).
  const std::int64_t domain_chips = static_cast<std::int64_t>(t.domain_nodes) * spec.node_size;
  for (std::size_t i = 0; i < spec.phases.size(); ++i) {
    const YamlCursor chips = factory.required("phases")[i].required("chips");
    if (spec.phases[i].chips < 0)
      chips.fail("a removal of capacity cannot be combined with `topology` (not supported yet; growth can)");
    if (spec.phases[i].chips % domain_chips != 0)
      chips.expected("whole domains: a multiple of " + std::to_string(domain_chips) + " chips (" +
                     std::to_string(t.domain_nodes) + " nodes of " + std::to_string(spec.node_size) + ")");
  }
  if (auto s = c.optional("spares_per_domain")) {
    t.spares_per_domain = static_cast<std::uint32_t>(s->integer(0, 0xffffffffLL, "a number of nodes >= 0"));
    if (t.spares_per_domain >= t.domain_nodes)
      s->expected("fewer spare nodes than a domain's " + std::to_string(t.domain_nodes) + " nodes");
  }
  if (auto s = c.optional("span_slowdown")) {
    t.span_slowdown = s->real();
    if (!(t.span_slowdown >= 0 && t.span_slowdown <= 100)) s->expected("a slowdown per extra domain in [0, 100]");
  }
  if (auto fl = c.optional("failures")) {
    fl->check_keys({"mtbf", "repair"});
    TopologySpec::DomainFailures df;
    const YamlCursor mtbf = fl->required("mtbf");
    df.mtbf = mtbf.positive_duration();
    check_mtbf(mtbf, df.mtbf, "scale-up domain", ctx);
    df.repair = parse_duration_dist(fl->required("repair"));
    t.failures = df;
  }
  return t;
}

CostSpec parse_cost(const YamlCursor& c) {
  c.check_keys({"energy_eur_per_mwh", "capex_per_chip_eur", "capex_per_mw_eur", "depreciation_years", "depreciation",
                "opex_per_chip_eur_per_year", "opex_per_mw_eur_per_year"});
  CostSpec k;
  auto nonneg = [](const YamlCursor& v) {
    const double x = v.real();
    if (!(x >= 0) || !std::isfinite(x)) v.expected("an amount >= 0");
    return x;
  };
  if (auto v = c.optional("energy_eur_per_mwh")) k.energy_eur_per_mwh = nonneg(*v);
  if (auto v = c.optional("capex_per_chip_eur")) k.capex_per_chip_eur = nonneg(*v);
  if (auto v = c.optional("capex_per_mw_eur")) k.capex_per_mw_eur = nonneg(*v);
  if (auto v = c.optional("depreciation_years")) {
    const double y = v->positive_real();
    if (y > 100) v->expected("a number of years in (0, 100]");
    k.depreciation = Duration::from_seconds(y * 365 * 86400);
  }
  if (auto v = c.optional("depreciation")) {
    const std::string m = v->text();
    if (m == "straight_line") k.method = DepreciationMethod::StraightLine;
    else if (m == "declining_balance") k.method = DepreciationMethod::DecliningBalance;
    else v->expected("straight_line or declining_balance");
  }
  if (auto v = c.optional("opex_per_chip_eur_per_year")) k.opex_per_chip_eur_per_year = nonneg(*v);
  if (auto v = c.optional("opex_per_mw_eur_per_year")) k.opex_per_mw_eur_per_year = nonneg(*v);
  return k;
}

EconomicsSpec parse_economics(const YamlCursor& c, const LoadContext& ctx) {
  c.check_keys({"programme_years", "programme_end", "discount_rate"});
  EconomicsSpec e;
  if (c.has("programme_years") && c.has("programme_end"))
    c.required("programme_end").fail("give `programme_years` or `programme_end`, not both");
  if (auto v = c.optional("programme_years")) {
    const double y = v->positive_real();
    if (y > 200) v->expected("a number of years in (0, 200]");
    e.programme_end = SimTime::zero() + Duration::from_seconds(y * 365 * 86400);
  }
  if (auto v = c.optional("programme_end")) {
    e.programme_end = time_point(*v, ctx, false);
    if (e.programme_end->ms() <= 0) v->expected("a date after `start` or a positive offset");
  }
  if (auto v = c.optional("discount_rate")) {
    const double r = v->real();
    if (!(r >= 0 && r < 1)) v->expected("a rate per year in [0, 1), e.g. 0.04 for 4%");
    e.discount_rate = r;
  }
  return e;
}

std::vector<CapacityPhase> parse_phases(const YamlCursor& f, const FactorySpec& spec, const LoadContext& ctx) {
  std::vector<CapacityPhase> out;
  std::int64_t chips = spec.chips;
  SimTime last = spec.online;
  if (auto list = f.optional("phases")) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      const YamlCursor p = (*list)[i];
      p.check_keys({"at", "chips"});
      CapacityPhase ph;
      const YamlCursor at = p.required("at");
      ph.at = time_point(at, ctx, false);
      if (ph.at <= last) at.expected("a time after the factory's `online` and the previous phase");
      last = ph.at;
      const YamlCursor n = p.required("chips");
      std::string text = n.text();
      if (!text.empty() && text[0] == '+') text.erase(0, 1);
      const auto v = parse_integer(text);
      if (!v || *v == 0) n.expected("a change in chips, e.g. +50000 or -8000");
      if (*v % spec.node_size != 0) n.expected("a multiple of node_size (" + std::to_string(spec.node_size) + ")");
      ph.chips = *v;
      chips += ph.chips;
      if (chips <= 0) n.expected("a change that leaves chips installed (use `retire` to remove all)");
      if (chips > 0xffffffffLL) n.expected("a change that leaves at most 2^32 - 1 chips");
      if (static_cast<std::uint64_t>(chips / spec.node_size) <= spec.spares)
        n.expected("a change that leaves more nodes than the factory's spares");
      out.push_back(ph);
    }
  }
  if (auto r = f.optional("retire")) {
    CapacityPhase ph;
    ph.at = time_point(*r, ctx, false);
    if (ph.at <= last) r->expected("a time after the factory's `online` and its last phase");
    ph.chips = -chips;
    out.push_back(ph);
  }
  return out;
}

}  // namespace gigasim::detail
