// Lines of a trace from memory or from a file read in chunks (trace_rows.hpp).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "gigasim/core/random.hpp"
#include "gigasim/error.hpp"
#include "gigasim/scenario/input_limits.hpp"
#include "trace_rows.hpp"

namespace gigasim::detail {

namespace {
constexpr std::size_t kChunk = 1 << 20;  // a file is read 1 MiB at a time

FileIdentity identity_of(const struct stat& st) {
  return {st.st_dev, st.st_ino, static_cast<std::int64_t>(st.st_size),
          static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}
}  // namespace

LineReader::LineReader(std::string_view content, std::string name, std::uint64_t max_line_bytes)
    : name_(std::move(name)), max_line_(max_line_bytes), eof_(true), data_(content.data()), end_(content.size()),
      consumed_(content.size()) {}

LineReader::LineReader(const std::filesystem::path& file, std::uint64_t max_line_bytes, std::uint64_t max_bytes,
                       std::uint64_t* hash)
    : name_(file.string()), max_line_(max_line_bytes), max_bytes_(max_bytes), hash_(hash) {
  check_input_file(file, "trace file", max_bytes, "trace_bytes");  // as read_input_file refuses them
  const std::string label = "trace file '" + name_ + "'";
  fd_ = ::open(name_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw InputError("cannot open " + label + ": " + std::strerror(errno));
  struct stat opened {};
  if (::fstat(fd_, &opened) != 0) {
    ::close(fd_);
    throw InputError("cannot read " + label + ": " + std::strerror(errno));
  }
  regular_ = S_ISREG(opened.st_mode);
  identity_ = identity_of(opened);
  buffer_.resize(kChunk);
  data_ = buffer_.data();
}

LineReader::~LineReader() {
  if (fd_ >= 0) ::close(fd_);
}

bool LineReader::refill() {
  const std::size_t keep = end_ - pos_;
  if (pos_ > 0) std::memmove(buffer_.data(), buffer_.data() + pos_, keep);
  pos_ = 0;
  end_ = keep;
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);  // a line longer than the buffer
  data_ = buffer_.data();
  ssize_t n;
  do n = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
  while (n < 0 && errno == EINTR);
  if (n < 0) throw InputError("cannot read trace file '" + name_ + "': " + std::strerror(errno));
  if (n == 0) {
    eof_ = true;
    return false;
  }
  const std::size_t got = static_cast<std::size_t>(n);
  if (hash_) *hash_ = fnv1a64(std::string_view(buffer_.data() + end_, got), *hash_);
  end_ += got;
  consumed_ += got;
  if (consumed_ > max_bytes_)  // a pipe, or a file still growing
    throw InputError(too_large(name_, "trace file", max_bytes_, "trace_bytes"));
  return true;
}

bool LineReader::next(std::string_view& line) {
  while (true) {
    const char* start = data_ + pos_;
    if (const void* nl = pos_ < end_ ? std::memchr(start, '\n', end_ - pos_) : nullptr) {
      const std::size_t len = static_cast<const char*>(nl) - start;
      ++line_no_;
      if (len > max_line_) break;
      line = std::string_view(start, len);
      pos_ += len + 1;
      return true;
    }
    if (end_ - pos_ > max_line_) {  // no end in sight: not a job record
      ++line_no_;
      break;
    }
    if (fd_ >= 0 && !eof_ && refill()) continue;
    if (pos_ >= end_) return false;
    ++line_no_;  // the last line, without a '\n'
    line = std::string_view(data_ + pos_, end_ - pos_);
    pos_ = end_;
    return true;
  }
  throw InputError(where() + "line is longer than " + std::to_string(max_line_) +
                   " bytes: not a job record (raise it with --limit trace_line_bytes=BYTES)");
}

void LineReader::seek(std::uint64_t offset, std::size_t line_no) {
  if (fd_ < 0) throw std::logic_error("LineReader::seek on text in memory");
  if (::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0)
    throw InputError("cannot read trace file '" + name_ + "': " + std::strerror(errno));
  pos_ = end_ = 0;
  consumed_ = offset;
  eof_ = false;
  line_no_ = line_no;
  hash_ = nullptr;
}

}  // namespace gigasim::detail
