#pragma once
// Output files are written completely or not at all: content goes to a temporary file beside the
// target, which is renamed over the target only by commit(). An AtomicFile destroyed without
// commit() (an error, an exception) removes the temporary and leaves the target untouched.
//
// What the target is decides how:
//   a regular file, or none yet   temporary + rename, as above;
//   a symbolic link               the same on the file it points to (the link stays a link);
//   "-"                           standard output, written as it comes;
//   a device, pipe or socket      (e.g. /dev/stdout, a named pipe) written as it comes, never
//                                 replaced or removed -- such outputs cannot be all-or-nothing;
//   a directory                   refused.
//
// The temporary files of live AtomicFiles are also known to exit_cleanly_on_signals(): a run
// interrupted by SIGINT, SIGTERM or SIGHUP removes them before it exits.
#include <cstdio>
#include <filesystem>
#include <string_view>

namespace gigasim {

class AtomicFile {
 public:
  /// Opens the temporary file (or the stream); throws OutputError if it cannot.
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::FILE* handle() { return file_; }
  void write(std::string_view text);
  /// Flushes, checks for write errors and renames onto the target; throws OutputError on failure.
  void commit();
  /// Whether the output is written as a stream (standard output, a device or pipe).
  bool streamed() const { return direct_; }

 private:
  std::filesystem::path target_, real_, temp_;
  int temp_slot_ = -1;   // in the registry of temporaries a signal removes
  std::FILE* file_ = nullptr;
  bool direct_ = false;  // a stream: no temporary, no rename
  bool owned_ = true;    // false for standard output (not closed)
};

/// Installs handlers for SIGINT, SIGTERM and SIGHUP that remove the temporary file of every
/// live AtomicFile, say so on stderr and exit with 128 + the signal (130, 143, 129), as a
/// shell reports a process killed by it. Outputs are then absent (streams keep what they got).
/// A signal that is ignored when this is called (nohup) stays ignored.
void exit_cleanly_on_signals();

}  // namespace gigasim
