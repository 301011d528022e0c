#pragma once
// Output files are written completely or not at all: content goes to a temporary file beside the
// target, which is renamed over the target only by commit(). An AtomicFile destroyed without
// commit() (an error, an exception) removes the temporary and leaves the target untouched.
#include <cstdio>
#include <filesystem>
#include <string_view>

namespace gigasim {

class AtomicFile {
 public:
  /// Opens the temporary file; throws OutputError if it cannot.
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::FILE* handle() { return file_; }
  void write(std::string_view text);
  /// Flushes, checks for write errors and renames onto the target; throws OutputError on failure.
  void commit();

 private:
  std::filesystem::path target_, temp_;
  std::FILE* file_ = nullptr;
};

}  // namespace gigasim
