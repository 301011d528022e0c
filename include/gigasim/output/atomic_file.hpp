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
  std::FILE* file_ = nullptr;
  bool direct_ = false;  // a stream: no temporary, no rename
  bool owned_ = true;    // false for standard output (not closed)
};

}  // namespace gigasim
