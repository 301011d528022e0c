#include "gigasim/output/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <string>
#include <unistd.h>

#include "gigasim/error.hpp"

namespace gigasim {

namespace fs = std::filesystem;

AtomicFile::AtomicFile(fs::path target) : target_(std::move(target)) {
  auto fail = [&](const std::string& why) { throw OutputError("cannot write '" + target_.string() + "': " + why); };
  if (target_ == "-") {
    file_ = stdout;
    direct_ = true;
    owned_ = false;
    return;
  }
  std::error_code ec;
  real_ = target_;
  // A link is followed, so that the file it points to is replaced, not the link.
  if (fs::is_symlink(fs::symlink_status(target_, ec))) {
    const fs::path resolved = fs::weakly_canonical(target_, ec);
    if (!ec) real_ = resolved;
  }
  const fs::file_status st = fs::status(real_, ec);
  if (!ec && fs::exists(st) && !fs::is_regular_file(st)) {
    if (fs::is_directory(st)) fail("it is a directory");
    file_ = std::fopen(real_.c_str(), "wb");  // a device, pipe or socket: written as it comes
    if (!file_) fail(std::strerror(errno));
    direct_ = true;
    return;
  }
  temp_ = real_;
  temp_ += ".tmp." + std::to_string(::getpid());
  file_ = std::fopen(temp_.c_str(), "wb");
  if (!file_) fail(std::strerror(errno));
}

AtomicFile::~AtomicFile() {
  if (!file_) return;
  if (direct_) {  // a stream cannot be taken back; it is never removed
    if (owned_) std::fclose(file_);
    else std::fflush(file_);
    return;
  }
  std::fclose(file_);
  std::remove(temp_.c_str());
}

void AtomicFile::write(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), file_);
}

void AtomicFile::commit() {
  const bool write_failed = std::ferror(file_) != 0;
  const bool close_failed = owned_ ? std::fclose(file_) != 0 : std::fflush(file_) != 0;
  const int err = errno;
  file_ = nullptr;
  if (write_failed || close_failed) {
    if (!direct_) std::remove(temp_.c_str());
    throw OutputError("cannot write '" + target_.string() + "': " + std::strerror(err));
  }
  if (direct_) return;
  if (std::rename(temp_.c_str(), real_.c_str()) != 0) {
    const int rename_err = errno;
    std::remove(temp_.c_str());
    throw OutputError("cannot write '" + target_.string() + "': " + std::strerror(rename_err));
  }
}

}  // namespace gigasim
