#include "cli_common.hpp"

#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <cmath>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "gigasim/error.hpp"
#include "gigasim/scenario/loader.hpp"
#include "gigasim/scenario/units.hpp"

namespace gigasim::cli {

ParsedArgs parse(const std::vector<std::string>& args, po::options_description& opts,
                 const po::positional_options_description& positional) {
  opts.add_options()("help,h", "show this help");
  ParsedArgs p;
  try {
    po::store(po::command_line_parser(args).options(opts).positional(positional).run(), p.vm);
    po::notify(p.vm);
  } catch (const po::error& e) {
    throw InputError(e.what());
  }
  p.help = p.vm.count("help") > 0;
  check_distinct_outputs(p);
  return p;
}

namespace {
/// The options of every command that name an output file.
constexpr const char* kOutputOptions[] = {"json", "jobs-csv", "timeseries", "report", "csv"};
}  // namespace

// Two outputs written to one file would interleave (or one would replace the other): refused
// before anything runs. Paths are compared as the file system resolves them.
void check_distinct_outputs(const ParsedArgs& p) {
  std::vector<std::pair<std::string, std::filesystem::path>> seen;
  for (const char* name : kOutputOptions) {
    if (!p.vm.count(name)) continue;
    const std::string given = p.vm[name].as<std::string>();
    std::error_code ec;
    std::filesystem::path resolved = std::filesystem::weakly_canonical(given, ec);
    if (ec) resolved = std::filesystem::absolute(given);
    for (const auto& [other, path] : seen)
      if (path == resolved)
        throw InputError("--" + other + " and --" + name + " name the same file '" + given +
                         "'; give each output its own file");
    seen.emplace_back(name, resolved);
  }
}

std::optional<ParsedArgs> parse_file_command(const std::vector<std::string>& args, po::options_description& opts) {
  opts.add_options()("file", po::value<std::string>(), "scenario file (YAML)");
  po::positional_options_description pos;
  pos.add("file", 1);
  ParsedArgs p = parse(args, opts, pos);
  if (p.help) {
    std::cout << opts << "\n";
    return std::nullopt;
  }
  return p;
}

std::optional<ParsedArgs> parse_files_command(const std::vector<std::string>& args, po::options_description& opts,
                                              const char* files_help) {
  opts.add_options()("files", po::value<std::vector<std::string>>(), files_help);
  po::positional_options_description pos;
  pos.add("files", -1);
  ParsedArgs p = parse(args, opts, pos);
  if (p.help) {
    std::cout << opts << "\n";
    return std::nullopt;
  }
  return p;
}

std::vector<std::string> files_of(const ParsedArgs& p) {
  return p.vm.count("files") ? p.vm["files"].as<std::vector<std::string>>() : std::vector<std::string>{};
}

void add_many_runs_options(po::options_description& opts, const char* unit) {
  opts.add_options()
      ("replicas", po::value<unsigned>()->default_value(1), (std::string("independent runs per ") + unit).c_str())
      ("threads", po::value<std::string>()->default_value("0"), "worker threads (0 = all cores)")
      ("seed", po::value<std::string>(), "override the scenario's random seed (replica 0)")
      ("horizon", po::value<std::string>(), "override the horizon, e.g. 90d");
  add_limit_option(opts);
}

bool prints_table(const ParsedArgs& p) {
  if (p.vm.count("quiet")) return false;
  for (const char* name : kOutputOptions)
    if (p.vm.count(name) && p.vm[name].as<std::string>() == "-") return false;
  return true;
}

std::optional<std::uint64_t> seed_option(const ParsedArgs& p) {
  if (!p.vm.count("seed")) return std::nullopt;
  const std::string text = p.vm["seed"].as<std::string>();
  const bool digits = !text.empty() && text.size() <= 19 && text.find_first_not_of("0123456789") == std::string::npos;
  const auto v = digits ? parse_integer(text) : std::nullopt;
  if (!v || *v < 0) throw InputError("--seed: expected a whole number from 0 to 9223372036854775807, got '" + text + "'");
  return static_cast<std::uint64_t>(*v);
}

unsigned threads_option(const ParsedArgs& p) {
  const std::string text = p.vm["threads"].as<std::string>();
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > 1024)
    throw InputError("--threads: expected a number from 0 (all cores) to 1024, got '" + text + "'");
  return value;
}

void add_precision_options(po::options_description& opts) {
  opts.add_options()
      ("precision", po::value<std::string>(),
       "add replicas until every headline figure's 95% half-width is within this share of its mean, e.g. 5%")
      ("max-replicas", po::value<unsigned>()->default_value(64), "the most replicas --precision may run");
}

PrecisionChoice precision_choice(const ParsedArgs& p, unsigned replicas) {
  PrecisionChoice c;
  if (p.vm.count("precision")) c.precision = precision_option(p.vm["precision"].as<std::string>());
  c.max_replicas = p.vm["max-replicas"].as<unsigned>();
  if (c.max_replicas < 2 || c.max_replicas > 100000) throw InputError("--max-replicas: expected a number from 2 to 100000");
  if (c.precision && c.max_replicas < replicas)
    throw InputError("--max-replicas: expected at least --replicas (" + std::to_string(replicas) + ")");
  return c;
}

double precision_option(const std::string& text) {
  std::string t = text;
  const bool percent = !t.empty() && t.back() == '%';
  if (percent) t.pop_back();
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  const double share = percent ? v / 100 : v;
  if (t.empty() || end != t.c_str() + t.size() || !(share > 0 && share < 1))
    throw InputError("--precision: expected a share of the mean such as 5% or 0.05 (above 0, below 100%), got '" +
                     text + "'");
  return share;
}

unsigned replicas_option(const ParsedArgs& p) {
  const unsigned r = p.vm["replicas"].as<unsigned>();
  if (r == 0 || r > 100000) throw InputError("--replicas: expected a number from 1 to 100000");
  return r;
}

void add_output_options(po::options_description& opts, const char* json_help) {
  opts.add_options()
      ("json", po::value<std::string>(), json_help)
      ("report", po::value<std::string>(), "write a self-contained HTML report (tables and SVG charts)")
      ("quiet,q", "print neither the table nor progress")
      ("progress", "show progress on stderr even when it is not a terminal");
}

std::string require_file(const ParsedArgs& p, const char* command) {
  if (!p.vm.count("file")) throw InputError(std::string(command) + ": missing scenario FILE (see --help)");
  return p.vm["file"].as<std::string>();
}

namespace {
double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

Progress::Progress(const ParsedArgs& p, std::string label, bool wanted)
    : enabled_(!p.vm.count("quiet") && (p.vm.count("progress") || wanted || ::isatty(2))),
      label_(std::move(label)),
      started_(wall_seconds()) {}

Progress::~Progress() {
  if (shown_) std::cerr << "\n";
}

void Progress::show(const std::string& text, bool force) {
  const double now = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  if (!force && now - last_ < 0.25) return;
  last_ = now;
  shown_ = true;
  std::cerr << "\r" << label_ << ": " << text << "   " << std::flush;
}

void Progress::runs(std::size_t done, std::size_t total) {
  if (enabled_)
    show(std::to_string(done) + "/" + std::to_string(total) + " runs (" +
             std::to_string(total ? 100 * done / total : 100) + "%)",
         done == total);
}

namespace {
// 950, 12.3k, 4.56M: counts that change several times a second, in a few characters.
std::string compact(double n) {
  if (n < 1e3) return fmt::format("{:.0f}", n);
  if (n < 1e6) return fmt::format("{:.1f}k", n / 1e3);
  if (n < 1e9) return fmt::format("{:.2f}M", n / 1e6);
  return fmt::format("{:.2f}G", n / 1e9);
}
}  // namespace

void Progress::simulated(const RunProgress& p, std::optional<SimTime> horizon, double expected_jobs,
                         const std::optional<std::string>& start_date) {
  if (!enabled_) return;
  const double spent = wall_seconds() - started_;
  const double day = p.now.seconds_f() / kSecondsPerDay;
  const std::optional<std::string> date = start_date ? date_at(*start_date, p.now) : std::nullopt;
  double fraction = -1;
  std::string of;
  if (horizon && horizon->ms() > 0) {
    fraction = std::min(1.0, p.now.seconds_f() / horizon->seconds_f());
    of = "of the horizon";
  } else if (expected_jobs >= 1) {
    fraction = std::min(1.0, static_cast<double>(p.jobs_done()) / expected_jobs);
    of = "of the jobs";
  }
  std::vector<std::string> where;
  if (date) where.push_back(fmt::format("day {:.1f}", day));
  if (fraction >= 0) where.push_back(fmt::format("{}% {}", static_cast<int>(100 * fraction), of));
  std::string text = date ? *date : fmt::format("day {:.1f}", day);
  if (!where.empty()) text += " (" + fmt::format("{}", fmt::join(where, ", ")) + ")";
  auto seconds = [](double x) { return x < 10 ? fmt::format("{:.1f} s", x) : fmt::format("{:.0f} s", x); };
  text += fmt::format("; {} jobs done, {} active, {} jobs/s; {} so far", compact(static_cast<double>(p.jobs_done())),
                      compact(static_cast<double>(p.jobs_active)),
                      compact(spent > 0 ? static_cast<double>(p.jobs_done()) / spent : 0.0), seconds(spent));
  if (fraction > 0.01) text += ", ~" + seconds(spent * (1 - fraction) / fraction) + " left";
  show(text, false);
}

void add_set_option(po::options_description& opts) {
  opts.add_options()("set", po::value<std::vector<std::string>>(),
                     "PATH=VALUE: change one scenario value, e.g. policy.backfill=easy, "
                     "factories[0].chips=50000 or factories[gf-north].chips=50000 (repeatable)");
}

std::vector<ScenarioOverride> set_overrides(const ParsedArgs& p) {
  std::vector<ScenarioOverride> out;
  if (!p.vm.count("set")) return out;
  for (const auto& text : p.vm["set"].as<std::vector<std::string>>()) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
      throw InputError("--set " + text + ": expected PATH=VALUE, e.g. policy.backfill=easy");
    out.push_back({text.substr(0, eq), text.substr(eq + 1)});
  }
  return out;
}

void add_limit_option(po::options_description& opts) {
  opts.add_options()("limit", po::value<std::vector<std::string>>(),
                     "NAME=VALUE: raise or lower a resource bound (repeatable): scenario_bytes, trace_bytes, "
                     "trace_line_bytes, trace_jobs, active_jobs, timeseries_rows (docs/scenario-format.md)");
}

Limits limits_option(const ParsedArgs& p) {
  Limits l;
  if (!p.vm.count("limit")) return l;
  struct Entry {
    const char* name;
    std::uint64_t* value;
    bool bytes;  // k/M/G are powers of 1024
  };
  const Entry table[] = {{"scenario_bytes", &l.input.scenario_bytes, true},
                         {"trace_bytes", &l.input.trace_bytes, true},
                         {"trace_line_bytes", &l.input.trace_line_bytes, true},
                         {"trace_jobs", &l.input.trace_jobs, false},
                         {"active_jobs", &l.run.active_jobs, false},
                         {"timeseries_rows", &l.run.timeseries_rows, false}};
  for (const auto& text : p.vm["limit"].as<std::vector<std::string>>()) {
    const auto eq = text.find('=');
    const std::string name = text.substr(0, eq), value = eq == std::string::npos ? "" : text.substr(eq + 1);
    const Entry* e = nullptr;
    std::string names;
    for (const auto& t : table) {
      if (name == t.name) e = &t;
      names += (names.empty() ? "" : ", ") + std::string(t.name);
    }
    if (!e) throw InputError("--limit " + text + ": unknown limit '" + name + "'; expected one of: " + names);
    double scale = 1;
    std::string digits = value;
    if (!digits.empty() && std::string("kMG").find(digits.back()) != std::string::npos) {
      const double base = e->bytes ? 1024 : 1000;
      scale = digits.back() == 'k' ? base : digits.back() == 'M' ? base * base : base * base * base;
      digits.pop_back();
    }
    const auto number = parse_real(digits);
    const double v = number ? *number * scale : -1;
    if (!number || !(v >= 1) || v > 9.2e18 || v != std::floor(v))
      throw InputError("--limit " + text + ": expected a positive integer (suffixes k, M, G), got '" + value + "'");
    *e->value = static_cast<std::uint64_t>(v);
  }
  return l;
}

Scenario load_and_warn(const std::string& file, const std::vector<ScenarioOverride>& overrides,
                       const InputLimits& limits) {
  Scenario sc = load_scenario(file, overrides, limits);
  for (const auto& w : sc.warnings) std::cerr << "warning: " << w << "\n";
  return sc;
}

ResultFiles::ResultFiles(const ParsedArgs& p) {
  if (p.vm.count("json")) json_.emplace(p.vm["json"].as<std::string>());
  if (p.vm.count("report")) report_.emplace(p.vm["report"].as<std::string>());
}

void ResultFiles::write(const nlohmann::ordered_json& json, const std::function<std::string()>& report) {
  if (json_) {
    json_->write(json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    json_->write("\n");
    json_->commit();
  }
  if (report_) {
    report_->write(report());
    report_->commit();
  }
}

Scenario load_plan_and_warn(const std::string& file, const std::string& plan,
                            const std::vector<ScenarioOverride>& overrides, const InputLimits& limits) {
  std::string names;
  for (Scenario& sc : load_plans(file, overrides, limits)) {
    if (sc.name == plan) {
      for (const auto& w : sc.warnings) std::cerr << "warning: " << w << "\n";
      return std::move(sc);
    }
    names += (names.empty() ? "" : ", ") + sc.name;
  }
  throw InputError("--plan: no plan '" + plan + "' in " + file + " (plans: " + names + ")");
}

Scenario load_command_scenario(const ParsedArgs& p, const char* command, const InputLimits& limits) {
  const auto overrides = load_overrides(p);
  const std::string file = require_file(p, command);
  return p.vm.count("plan") ? load_plan_and_warn(file, p.vm["plan"].as<std::string>(), overrides, limits)
                            : load_and_warn(file, overrides, limits);
}

std::optional<Duration> duration_option(const ParsedArgs& p, const std::string& name) {
  if (!p.vm.count(name)) return std::nullopt;
  const std::string text = p.vm[name].as<std::string>();
  const auto d = parse_duration(text);
  if (!d || d->ms() <= 0)
    throw InputError("--" + name + ": expected a positive duration with a unit (e.g. 6h, 90d, 1y)" +
                     (name == "horizon" ? std::string(" or a date YYYY-MM-DD") : std::string()) + ", got '" + text + "'");
  return d;
}

namespace {
// --horizon is what `horizon:` in a scenario accepts -- a duration from the start ("90d", "1y")
// or a calendar date ("2027-06-30") -- so it is handed to the loader as an override, which
// resolves dates against `start` and checks it against the warm-up.
std::optional<ScenarioOverride> horizon_override(const ParsedArgs& p) {
  if (!p.vm.count("horizon")) return std::nullopt;
  const std::string text = p.vm["horizon"].as<std::string>();
  if (!parse_datetime_ms(text)) (void)duration_option(p, "horizon");  // a malformed duration is refused here
  return ScenarioOverride("horizon", text, "--horizon " + text);
}
}  // namespace

std::vector<ScenarioOverride> load_overrides(const ParsedArgs& p) {
  auto overrides = set_overrides(p);
  if (auto h = horizon_override(p)) overrides.push_back(std::move(*h));
  return overrides;
}

std::optional<SimTime> horizon_option(const ParsedArgs& p, const Scenario& scenario) {
  if (!p.vm.count("horizon")) return std::nullopt;
  return scenario.horizon;  // loaded with load_overrides: the loader applied and checked it
}

std::optional<SimTime> horizon_option(const ParsedArgs& p, const std::filesystem::path& file, const InputLimits& limits) {
  const auto h = horizon_override(p);
  if (!h) return std::nullopt;
  // A plans file's plans share `start` and `horizon`: the first one resolves the date.
  return load_plans(file, {*h}, limits).front().horizon;
}

}  // namespace gigasim::cli
