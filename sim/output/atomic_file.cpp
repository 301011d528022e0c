#include "gigasim/output/atomic_file.hpp"

#include <signal.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <unistd.h>

#include "gigasim/error.hpp"

namespace gigasim {

namespace fs = std::filesystem;

namespace {
// Temporary files a signal handler must remove. Fixed storage and atomics only: the handler
// may run at any instruction, and may call only async-signal-safe functions (unlink, write).
constexpr int kSlots = 64;
constexpr std::size_t kPathMax = 4096;
char g_paths[kSlots][kPathMax];
std::atomic<bool> g_used[kSlots];

int register_temporary(const fs::path& p) {
  const std::string& s = p.native();
  if (s.size() >= kPathMax) return -1;
  for (int i = 0; i < kSlots; ++i) {
    bool expected = false;
    if (g_used[i].load() || !g_used[i].compare_exchange_strong(expected, true)) continue;
    std::memcpy(g_paths[i], s.c_str(), s.size() + 1);
    std::atomic_signal_fence(std::memory_order_seq_cst);
    return i;
  }
  return -1;  // more live outputs than slots: this one is not removed on a signal
}

void unregister_temporary(int slot) {
  if (slot >= 0) g_used[slot].store(false);
}

extern "C" void on_fatal_signal(int sig) {
  // A slot is marked used before its path is written, so a half-written path could be read
  // here only by a signal landing inside register_temporary: its file does not exist yet.
  for (int i = 0; i < kSlots; ++i)
    if (g_used[i].load()) ::unlink(g_paths[i]);
  const char* what = sig == SIGINT ? "gigasim: interrupted (SIGINT); no output written\n"
                     : sig == SIGTERM ? "gigasim: terminated (SIGTERM); no output written\n"
                                      : "gigasim: hung up (SIGHUP); no output written\n";
  [[maybe_unused]] const auto n = ::write(STDERR_FILENO, what, std::strlen(what));
  ::_exit(128 + sig);
}
}  // namespace

void exit_cleanly_on_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_fatal_signal;
  sigemptyset(&sa.sa_mask);
  for (const int sig : {SIGINT, SIGTERM, SIGHUP}) {
    sigaddset(&sa.sa_mask, sig);  // one handler at a time
  }
  for (const int sig : {SIGINT, SIGTERM, SIGHUP}) {
    // A signal ignored at start stays ignored (nohup, background jobs of a script).
    struct sigaction old {};
    if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    ::sigaction(sig, &sa, nullptr);
  }
}

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
  temp_slot_ = register_temporary(temp_);  // before it exists: a signal never leaves it behind
  file_ = std::fopen(temp_.c_str(), "wb");
  if (!file_) {
    unregister_temporary(temp_slot_);
    fail(std::strerror(errno));
  }
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
  unregister_temporary(temp_slot_);
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
    unregister_temporary(temp_slot_);
    throw OutputError("cannot write '" + target_.string() + "': " + std::strerror(err));
  }
  if (direct_) return;
  const bool renamed = std::rename(temp_.c_str(), real_.c_str()) == 0;
  const int rename_err = errno;
  if (!renamed) std::remove(temp_.c_str());
  unregister_temporary(temp_slot_);
  if (!renamed) throw OutputError("cannot write '" + target_.string() + "': " + std::strerror(rename_err));
}

}  // namespace gigasim
