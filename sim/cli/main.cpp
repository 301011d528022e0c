// gigasim command-line interface: dispatches to one command per file (cmd_*.cpp).
// Exit codes: 0 success, 1 runtime/output failure, 2 bad input (scenario, trace, command line).
// Errors go to stderr, results to stdout or files.
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "gigasim/error.hpp"
#include "gigasim/output/atomic_file.hpp"
#include "gigasim/version.hpp"

namespace {

constexpr const char* kUsage =
    "usage: gigasim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run FILE     simulate a scenario and print its summary\n"
    "  compare A B...  compare capacity plans (files, or one file with `plans:`) on one job stream\n"
    "  bench FILE   compare allocation policies on the scenario's workload\n"
    "  sweep FILE   run the scenario over a grid of parameter values (--set PATH=VALUES)\n"
    "  merge OUT IN...  join the CSV outputs of sweep shards\n"
    "  check FILE   validate a scenario (and its trace files) without running it\n"
    "  export FILE --swf OUT  write the scenario's workload as SWF (for other simulators)\n"
    "  chips        list the built-in accelerator catalog\n"
    "  policies     list the queue orders, backfills, placements and conservative modes\n"
    "\n"
    "`gigasim <command> --help` describes a command's options; `gigasim --version` prints the version.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace gigasim;
  std::vector<std::string> args(argv + 1, argv + argc);
  exit_cleanly_on_signals();  // Ctrl-C or a batch system's SIGTERM leave no temporary files
  try {
    if (args.empty()) {
      std::cerr << kUsage;
      return 2;
    }
    const std::string command = args.front();
    args.erase(args.begin());
    if (command == "--help" || command == "-h" || command == "help") {
      std::cout << kUsage;
      return 0;
    }
    if (command == "--version" || command == "version") {
      std::cout << "gigasim " << kVersion << "\n";
      return 0;
    }
    if (command == "run") return cli::cmd_run(args);
    if (command == "bench") return cli::cmd_bench(args);
    if (command == "compare") return cli::cmd_compare(args);
    if (command == "sweep") return cli::cmd_sweep(args);
    if (command == "merge") return cli::cmd_merge(args);
    if (command == "check") return cli::cmd_check(args);
    if (command == "export") return cli::cmd_export(args);
    if (command == "chips") return cli::cmd_chips(args);
    if (command == "policies") return cli::cmd_policies(args);
    std::cerr << "gigasim: unknown command '" << command << "'\n\n" << kUsage;
    return 2;
  } catch (const InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  } catch (const Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "error: out of memory. The limits (--limit, docs/scenario-format.md) keep a run within a few GB "
                 "by default; this process has less (ulimit -v?), or a limit was raised beyond it\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return 1;
  }
}
