#pragma once
// Checked access to a YAML document. Plain yaml-cpp says only "bad conversion" for a missing key
// or a wrong type; every lookup here goes through one helper that knows the file, the position
// and the path of the value (e.g. "factories[1].chips"), so an error reads
//   s.yaml:7:14: factories[1].chips: expected a positive integer, got '-5'
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "gigasim/core/time.hpp"

namespace gigasim::detail {

/// Where a document came from: the file's label, and the `--set PATH=VALUE` values grafted into
/// it (their nodes carry positions inside the value text, not the file, so errors in them are
/// reported as "--set PATH=VALUE: ..." instead of a misleading file:1:col).
struct YamlSource {
  std::string file;
  std::vector<std::pair<YAML::Node, std::string>> overrides;  ///< (value node, "--set PATH=VALUE")
};

class YamlCursor {
 public:
  YamlCursor(YAML::Node node, std::string path, const YamlSource* source, YAML::Mark fallback)
      : node_(std::move(node)), path_(std::move(path)), source_(source), fallback_(fallback) {}

  const std::string& path() const { return path_; }
  const YAML::Node& node() const { return node_; }
  std::string position() const;  ///< "file:line:col", or "--set PATH=VALUE" inside an override

  [[noreturn]] void fail(const std::string& message) const;        ///< "pos: path: message"
  [[noreturn]] void expected(const std::string& what) const;       ///< "... expected X, got 'v'"

  bool is_map() const { return node_.IsMap(); }
  bool is_sequence() const { return node_.IsSequence(); }
  bool is_scalar() const { return node_.IsScalar(); }
  bool is_null() const { return !node_ || node_.IsNull(); }

  /// Rejects keys not in `allowed` (with a "did you mean" hint) and duplicate keys.
  void check_keys(std::initializer_list<std::string_view> allowed) const;
  bool has(std::string_view key) const;
  YamlCursor required(std::string_view key) const;
  std::optional<YamlCursor> optional(std::string_view key) const;

  std::size_t size() const;                   ///< a sequence's length (fails unless a sequence)
  YamlCursor operator[](std::size_t i) const;

  std::string text() const;                   ///< a scalar, as written
  std::int64_t integer(std::int64_t min, std::int64_t max, const std::string& what) const;
  std::uint32_t positive_u32() const;
  double real() const;
  double positive_real() const;
  double fraction_open() const;               ///< in (0, 1]
  Duration duration() const;                  ///< with units, >= 0
  Duration positive_duration() const;
  double rate_per_second() const;             ///< "40/d"
  bool boolean() const;                       ///< true | false

 private:
  YAML::Mark mark() const;
  YAML::Node node_;
  std::string path_;
  const YamlSource* source_;
  YAML::Mark fallback_;
};

/// Levenshtein-closest candidate within a small edit distance, or empty.
std::string closest_match(std::string_view word, std::initializer_list<std::string_view> candidates);
std::string closest_match(std::string_view word, std::span<const std::string> candidates);

}  // namespace gigasim::detail
