#pragma once
// What every trace format shares: lines read from memory or from a file in chunks, a format's
// row parser, and the load that reads every row once -- checking it, counting, noting whether
// the file is sorted -- then builds the TraceTable: streamed from the file when it can be, or
// held compactly and sorted (trace_table.hpp says when). The transformations -- rebase,
// time_scale, shift, chip_scale, sample_every, repeat -- are applied the same way in both.
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gigasim/model/trace_table.hpp"
#include "gigasim/scenario/trace_csv.hpp"

namespace gigasim::detail {

/// A row as a format reads it, before the transformations.
struct TraceRow {
  double submit_s = 0;  // seconds; from the epoch for timestamps
  TraceJob job;         // submit not yet set; chips before chip_scale
  std::string id;
};

/// What identifies a file's content cheaply: a changed one is refused, not half-replayed.
struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  std::int64_t size = 0, mtime_ns = 0;
  bool operator==(const FileIdentity&) const = default;
};

/// The lines of a trace, numbered from 1, each at most `max_line_bytes` long (a longer one is an
/// InputError naming the --limit that raises it: it is not a job record). Reads text in memory,
/// or a file in chunks, so that a file is never held whole.
class LineReader {
 public:
  /// Lines of `content` (which must outlive the reader).
  LineReader(std::string_view content, std::string name, std::uint64_t max_line_bytes);
  /// Lines of `file`, read in chunks; fails as read_input_file does (missing, a directory, a
  /// device, larger than `max_bytes`). `hash` (if given) is continued with every byte read.
  LineReader(const std::filesystem::path& file, std::uint64_t max_line_bytes, std::uint64_t max_bytes,
             std::uint64_t* hash = nullptr);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// The next line (without its '\n'); false at the end.
  bool next(std::string_view& line);
  std::size_t number() const { return line_no_; }
  /// "name:line: ", the prefix of every message about the current line.
  std::string where() const { return name_ + ":" + std::to_string(line_no_) + ": "; }
  const std::string& name() const { return name_; }
  /// Byte offset of the next line, and continuing from one (file readers only).
  std::uint64_t offset() const { return consumed_ - (end_ - pos_); }
  void seek(std::uint64_t offset, std::size_t line_no);
  bool regular_file() const { return regular_; }
  const FileIdentity& identity() const { return identity_; }

 private:
  bool refill();

  std::string name_;
  std::uint64_t max_line_, max_bytes_ = 0;
  std::uint64_t* hash_ = nullptr;
  int fd_ = -1;
  bool regular_ = false, eof_ = false;
  FileIdentity identity_;
  std::vector<char> buffer_;
  const char* data_ = nullptr;  // the text (memory) or the buffer (file)
  std::size_t pos_ = 0, end_ = 0;
  std::uint64_t consumed_ = 0;  // bytes of the file read into the buffer so far
  std::size_t line_no_ = 0;
};

/// Reads one format's rows. A parser keeps the state its header gives (column positions) and
/// is copied with it (clone), so that a stream can restart or be forked at any line.
class RowParser {
 public:
  enum class Kind { Row, Skip, Bad };
  virtual ~RowParser() = default;
  /// Reads a non-blank line: Row (`row` filled), Skip (a header, comment, or a row left out by
  /// design, counted in `counts`), Bad (`problem` says why). Throws InputError for an unusable
  /// header.
  virtual Kind parse(std::string_view line, const LineReader& at, TraceRow& row, std::string& problem,
                     TraceLoad& counts) = 0;
  /// After the last line: throws InputError when the file lacked what every trace needs.
  virtual void finish(const LineReader& at) const = 0;
  /// Whether the earliest job becomes time 0 when the source does not say.
  virtual bool rebase_by_default() const = 0;
  /// Names the chips field in messages ("column 'chips'", "fields 5/8 (processors)").
  virtual std::string chips_label() const = 0;
  virtual std::unique_ptr<RowParser> clone() const = 0;
};

/// A row that cannot be read: an InputError "where problem", or with on_bad_row: skip counted
/// in `out` (the first 20 kept for the warning).
void reject_row(const TraceOptions& opt, const std::string& where, const std::string& problem, TraceLoad& out);

/// Reads a whole trace with `parser` (fresh, before its header) and builds its table in `out`.
/// `file` is the path for streaming (nullopt: the text in `lines` is all there is).
void load_trace(LineReader& lines, const RowParser& parser, const TraceOptions& opt,
                const std::optional<std::filesystem::path>& file, TraceLoad& out);

/// Reads the text in memory (parse_trace_csv, parse_swf, parse_sacct).
TraceLoad load_trace_text(const std::string& content, const std::string& name, const RowParser& parser,
                          const TraceOptions& opt);
/// Reads a file, continuing `content_hash` with its bytes (read_trace_csv, read_swf, ...).
TraceLoad load_trace_file(const std::filesystem::path& file, const RowParser& parser, const TraceOptions& opt,
                          std::uint64_t* content_hash);

}  // namespace gigasim::detail
