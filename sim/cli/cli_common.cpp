#include "cli_common.hpp"

#include <unistd.h>

#include <iostream>

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
  return p;
}

std::string require_file(const ParsedArgs& p, const char* command) {
  if (!p.vm.count("file")) throw InputError(std::string(command) + ": missing scenario FILE (see --help)");
  return p.vm["file"].as<std::string>();
}

Progress::Progress(const ParsedArgs& p, std::string label)
    : enabled_(!p.vm.count("quiet") && (p.vm.count("progress") || ::isatty(2))), label_(std::move(label)) {}

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

void Progress::simulated(double fraction) {
  if (enabled_) show(std::to_string(static_cast<int>(100 * fraction)) + "% of the horizon", false);
}

Scenario load_and_warn(const std::string& file) {
  Scenario sc = load_scenario(file);
  for (const auto& w : sc.warnings) std::cerr << "warning: " << w << "\n";
  return sc;
}

std::optional<Duration> duration_option(const ParsedArgs& p, const std::string& name) {
  if (!p.vm.count(name)) return std::nullopt;
  const std::string text = p.vm[name].as<std::string>();
  const auto d = parse_duration(text);
  if (!d || d->ms() <= 0)
    throw InputError("--" + name + ": expected a positive duration with a unit (e.g. 6h, 90d), got '" + text + "'");
  return d;
}

std::optional<SimTime> horizon_option(const ParsedArgs& p, const Scenario& scenario) {
  const auto d = duration_option(p, "horizon");
  if (!d) return std::nullopt;
  const std::string h = p.vm["horizon"].as<std::string>();
  if (scenario.warmup >= *d)
    throw InputError("--horizon: expected more than the scenario's warm-up (" +
                     format_duration(scenario.warmup.seconds_f()) + "), got '" + h + "'");
  return SimTime::zero() + *d;
}

}  // namespace gigasim::cli
