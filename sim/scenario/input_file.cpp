#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "gigasim/error.hpp"
#include "gigasim/scenario/input_limits.hpp"

namespace gigasim {

namespace {
std::string limit_text(std::uint64_t bytes) {
  if (bytes % (1ull << 30) == 0) return std::to_string(bytes >> 30) + " GiB";
  if (bytes % (1ull << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}
}  // namespace

std::string too_large(const std::filesystem::path& file, std::string_view what, std::uint64_t max_bytes,
                      std::string_view limit_name) {
  return std::string(what) + " '" + file.string() + "' is larger than " + limit_text(max_bytes) +
         " (raise it with --limit " + std::string(limit_name) + "=BYTES)";
}

void check_input_file(const std::filesystem::path& file, std::string_view what, std::uint64_t max_bytes,
                      std::string_view limit_name) {
  const std::string name = file.string();
  const std::string label = std::string(what) + " '" + name + "'";
  struct stat st {};
  if (::stat(name.c_str(), &st) != 0) throw InputError("cannot open " + label + ": " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw InputError(label + " is a directory; expected a file");
  // A device (/dev/zero, /dev/urandom) would be read until memory runs out; pipes end.
  if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
    throw InputError(label + " is not a regular file or a pipe (a device or socket); expected a file");
  if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > max_bytes)
    throw InputError(too_large(file, what, max_bytes, limit_name));
}

std::string read_input_file(const std::filesystem::path& file, std::string_view what, std::uint64_t max_bytes,
                            std::string_view limit_name) {
  check_input_file(file, what, max_bytes, limit_name);
  const std::string label = std::string(what) + " '" + file.string() + "'";
  const std::string too_big = too_large(file, what, max_bytes, limit_name);
  struct stat st {};
  const bool regular = ::stat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError("cannot open " + label + ": " + std::strerror(errno));
  std::string content;
  if (regular) content.reserve(static_cast<std::size_t>(st.st_size));
  char chunk[1 << 16];
  while (in) {
    in.read(chunk, sizeof chunk);
    content.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (content.size() > max_bytes) throw InputError(too_big);  // a pipe, or a file still growing
  }
  if (in.bad()) throw InputError("cannot read " + label + ": " + std::strerror(errno));
  return content;
}

}  // namespace gigasim
