#pragma once
// Shared pieces of the CLI commands: option parsing and common option values.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <chrono>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "gigasim/core/time.hpp"
#include "gigasim/engine/simulation.hpp"
#include "gigasim/model/scenario.hpp"
#include "gigasim/output/atomic_file.hpp"
#include "gigasim/scenario/loader.hpp"

namespace gigasim::cli {

namespace po = boost::program_options;

struct ParsedArgs {
  po::variables_map vm;
  bool help = false;
};

/// Parses a command's arguments; adds --help. Throws InputError for unknown or malformed options.
ParsedArgs parse(const std::vector<std::string>& args, po::options_description& opts,
                 const po::positional_options_description& positional);

/// Parses a command whose one positional argument is FILE (adds the "file" option). Prints the
/// help and returns nullopt for --help.
std::optional<ParsedArgs> parse_file_command(const std::vector<std::string>& args, po::options_description& opts);

/// Parses a command whose positional arguments are a list of files (the "files" option). Prints
/// the help and returns nullopt for --help.
std::optional<ParsedArgs> parse_files_command(const std::vector<std::string>& args, po::options_description& opts,
                                              const char* files_help);
/// The positional files (empty if none).
std::vector<std::string> files_of(const ParsedArgs& p);

/// The options shared by commands that run many simulations: --replicas, --threads, --seed,
/// --horizon (`unit` names what replicas are of: "policy", "point").
void add_many_runs_options(po::options_description& opts, const char* unit);
/// Whether the command prints its table: not with --quiet, nor when an output goes to
/// standard output (`--json -`), which it would interleave with.
bool prints_table(const ParsedArgs& p);
/// Checked --seed: a whole number from 0 to 2^63 - 1 (not "-1", which would wrap); nullopt
/// when not given.
std::optional<std::uint64_t> seed_option(const ParsedArgs& p);
/// Checked --threads (0..1024; 0 = all cores).
unsigned threads_option(const ParsedArgs& p);
/// Refuses two output options (--json, --jobs-csv, --timeseries, --report, --csv) naming one file.
void check_distinct_outputs(const ParsedArgs& p);
/// Checked --replicas (1..100000).
/// `--precision`: "5%" or "0.05", a share in (0, 1).
double precision_option(const std::string& text);
/// Adds --precision and --max-replicas (compare, bench).
void add_precision_options(po::options_description& opts);
/// --precision (if given) and --max-replicas, checked against each other and --replicas.
struct PrecisionChoice {
  std::optional<double> precision;
  unsigned max_replicas = 64;
};
PrecisionChoice precision_choice(const ParsedArgs& p, unsigned replicas);
unsigned replicas_option(const ParsedArgs& p);

/// --json, --report, --quiet and --progress, common to run, bench and sweep.
void add_output_options(po::options_description& opts, const char* json_help);

/// The positional FILE, or an InputError naming the command.
std::string require_file(const ParsedArgs& p, const char* command);

/// The --json and --report files of a multi-run command: opened before the runs (a path that
/// cannot be written fails at once, not after minutes of simulation), written whole at the end.
class ResultFiles {
 public:
  explicit ResultFiles(const ParsedArgs& p);
  /// Writes the JSON (if asked) and the report (rendered only if asked), then commits both.
  void write(const nlohmann::ordered_json& json, const std::function<std::string()>& report);

 private:
  std::optional<AtomicFile> json_, report_;
};

/// Progress on stderr: on when stderr is a terminal or with --progress, off with --quiet.
/// Lines are rewritten in place at most a few times a second and end with a newline.
class Progress {
 public:
  /// `wanted`: on even when stderr is not a terminal (a run expected to be long); --quiet wins.
  Progress(const ParsedArgs& p, std::string label, bool wanted = false);
  ~Progress();
  bool enabled() const { return enabled_; }
  void runs(std::size_t done, std::size_t total);  ///< "label: 3/12 runs (25%)"
  /// "run: 2027-06-02 (day 153.3, 42% of the horizon); 41.9M jobs done, 12.1k active, 2.1M
  /// jobs/s; 20 s so far, ~28 s left". The fraction is of the horizon, or without one of the
  /// `expected_jobs` submitted; `start_date` (if any) dates the simulated time.
  void simulated(const RunProgress& p, std::optional<SimTime> horizon, double expected_jobs,
                 const std::optional<std::string>& start_date);

 private:
  void show(const std::string& text, bool force);
  bool enabled_;
  std::string label_;
  double last_ = -1;
  double started_ = 0;  // wall clock, s
  bool shown_ = false;
};

/// Adds --set PATH=VALUE (repeatable): one value per path, applied to the YAML before it is read.
void add_set_option(po::options_description& opts);
/// The --set overrides given (empty if none). Throws InputError for a malformed one.
std::vector<ScenarioOverride> set_overrides(const ParsedArgs& p);

/// What the loader applies to the YAML: the --set values, and --horizon as `horizon` (so that the
/// loader's checks -- an endless generator, the guard against 10^10 generated jobs -- see it).
/// Throws InputError for a malformed --horizon, naming the option.
std::vector<ScenarioOverride> load_overrides(const ParsedArgs& p);

/// What --limit NAME=VALUE (repeatable) sets: the loader's bounds and the runs'.
struct Limits {
  InputLimits input;
  RunLimits run;
};
/// Adds --limit NAME=VALUE (repeatable).
void add_limit_option(po::options_description& opts);
/// The limits, defaults changed by each --limit. Throws InputError naming an unknown limit or
/// a value that is not a positive integer (suffixes k, M, G; 1e7 also reads).
Limits limits_option(const ParsedArgs& p);

/// Loads a scenario and prints its warnings (e.g. skipped trace rows) on stderr.
Scenario load_and_warn(const std::string& file, const std::vector<ScenarioOverride>& overrides = {},
                       const InputLimits& limits = {});
/// The plan named `plan` of a file with `plans:` (or a plain scenario of that name), warnings on stderr.
Scenario load_plan_and_warn(const std::string& file, const std::string& plan,
                            const std::vector<ScenarioOverride>& overrides = {}, const InputLimits& limits = {});

/// The scenario of a one-scenario command (run, export, bench): FILE, or its --plan NAME, with
/// --set/--horizon applied and the input limits; warnings on stderr.
Scenario load_command_scenario(const ParsedArgs& p, const char* command, const InputLimits& limits);

/// A positive duration option (e.g. --interval 6h); nullopt when not given.
std::optional<Duration> duration_option(const ParsedArgs& p, const std::string& name);

/// --horizon as a time (a duration or a date), nullopt when not given; `scenario` must have been
/// loaded with load_overrides(p), which applied and checked it.
std::optional<SimTime> horizon_option(const ParsedArgs& p, const Scenario& scenario);
/// The same for a command that loads FILE itself (sweep): FILE is read with --horizon alone.
std::optional<SimTime> horizon_option(const ParsedArgs& p, const std::filesystem::path& file, const InputLimits& limits);

int cmd_run(const std::vector<std::string>& args);
int cmd_check(const std::vector<std::string>& args);
int cmd_export(const std::vector<std::string>& args);
int cmd_chips(const std::vector<std::string>& args);
int cmd_policies(const std::vector<std::string>& args);
int cmd_bench(const std::vector<std::string>& args);
int cmd_compare(const std::vector<std::string>& args);
int cmd_sweep(const std::vector<std::string>& args);
int cmd_merge(const std::vector<std::string>& args);

}  // namespace gigasim::cli
