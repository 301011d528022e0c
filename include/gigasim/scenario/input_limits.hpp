#pragma once
// Bounds on what a scenario's input files may make gigasim read and hold. They exist so that a
// hostile or mistaken input (a 100 MB YAML, /dev/zero given as a trace, `repeat` x 10^4 on a
// large trace) fails at once with a message instead of growing towards the machine's memory.
// Defaults (docs/scenario-format.md, "Limits") keep a whole load well under 8 GB; each can be
// raised on the command line with `--limit NAME=VALUE`.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace gigasim {

struct InputLimits {
  /// Bytes of one scenario (YAML) file: yaml-cpp holds ~70 bytes per byte read.
  std::uint64_t scenario_bytes = 16ull << 20;
  /// Bytes of one trace file.
  std::uint64_t trace_bytes = 2ull << 30;
  /// Bytes of one line of a trace file (a longer "line" is not a job record).
  std::uint64_t trace_line_bytes = 1ull << 16;
  /// Jobs a scenario's held traces (unsorted, piped, overlapping repeat copies) expand to, after
  /// sample_every and repeat. Streamed traces are not held (trace_table.hpp) and not counted.
  std::uint64_t trace_jobs = 20'000'000;
};

/// What read_input_file checks before reading: that `file` exists and is a regular file (of at
/// most `max_bytes`) or a pipe. Throws InputError with read_input_file's messages.
void check_input_file(const std::filesystem::path& file, std::string_view what, std::uint64_t max_bytes,
                      std::string_view limit_name);
/// "<what> '<file>' is larger than 2 GiB (raise it with --limit NAME=BYTES)".
std::string too_large(const std::filesystem::path& file, std::string_view what, std::uint64_t max_bytes,
                      std::string_view limit_name);

/// Reads a whole input file of at most `max_bytes`. Regular files and pipes (e.g. `<(...)`,
/// /dev/stdin) are read; directories, devices and sockets are refused, as is a file larger than
/// the limit. `what` names the file in messages ("scenario file", "trace file"); `limit_name`
/// is the --limit key that raises the bound. Throws InputError.
std::string read_input_file(const std::filesystem::path& file, std::string_view what, std::uint64_t max_bytes,
                            std::string_view limit_name);

}  // namespace gigasim
