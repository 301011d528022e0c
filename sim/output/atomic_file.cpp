#include "gigasim/output/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <string>
#include <unistd.h>

#include "gigasim/error.hpp"

namespace gigasim {

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  temp_ = target_;
  temp_ += ".tmp." + std::to_string(::getpid());
  file_ = std::fopen(temp_.c_str(), "wb");
  if (!file_)
    throw OutputError("cannot write '" + target_.string() + "': " + std::strerror(errno));
}

AtomicFile::~AtomicFile() {
  if (file_) {
    std::fclose(file_);
    std::remove(temp_.c_str());
  }
}

void AtomicFile::write(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), file_);
}

void AtomicFile::commit() {
  const bool write_failed = std::ferror(file_) != 0;
  const bool close_failed = std::fclose(file_) != 0;
  file_ = nullptr;
  if (write_failed || close_failed) {
    const int err = errno;
    std::remove(temp_.c_str());
    throw OutputError("cannot write '" + target_.string() + "': " + std::strerror(err));
  }
  if (std::rename(temp_.c_str(), target_.c_str()) != 0) {
    const int err = errno;
    std::remove(temp_.c_str());
    throw OutputError("cannot write '" + target_.string() + "': " + std::strerror(err));
  }
}

}  // namespace gigasim
