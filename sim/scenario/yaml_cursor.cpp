#include "yaml_cursor.hpp"

#include <algorithm>
#include <set>
#include <vector>

#include "gigasim/error.hpp"
#include "gigasim/scenario/units.hpp"

namespace gigasim::detail {

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string shorten(std::string s) {
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}
}  // namespace

namespace {
template <typename Range>
std::string closest_in(std::string_view word, const Range& candidates) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = std::string(c);
    }
  }
  return best;
}
}  // namespace

std::string closest_match(std::string_view word, std::initializer_list<std::string_view> candidates) {
  return closest_in(word, candidates);
}

std::string closest_match(std::string_view word, std::span<const std::string> candidates) {
  return closest_in(word, candidates);
}

YAML::Mark YamlCursor::mark() const {
  if (node_ && node_.Mark().line >= 0) return node_.Mark();
  return fallback_;
}

namespace {
bool contains(const YAML::Node& tree, const YAML::Node& node) {
  if (tree.is(node)) return true;
  if (tree.IsSequence())
    for (const auto& child : tree)
      if (contains(child, node)) return true;
  if (tree.IsMap())
    for (const auto& kv : tree)
      if (contains(kv.first, node) || contains(kv.second, node)) return true;
  return false;
}
}  // namespace

std::string YamlCursor::position() const {
  if (node_)  // only on the way to an error: a walk of the (small) override values is cheap
    for (const auto& [value, label] : source_->overrides)
      if (contains(value, node_)) return label;
  const YAML::Mark m = mark();
  return source_->file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

void YamlCursor::fail(const std::string& message) const {
  throw InputError(position() + ": " + (path_.empty() ? "" : path_ + ": ") + message);
}

void YamlCursor::expected(const std::string& what) const {
  if (is_null()) fail("expected " + what + ", got nothing");
  if (node_.IsScalar()) fail("expected " + what + ", got '" + shorten(node_.Scalar()) + "'");
  fail("expected " + what + ", got a " + std::string(node_.IsMap() ? "mapping" : "list"));
}

void YamlCursor::check_keys(std::initializer_list<std::string_view> allowed) const {
  if (!node_.IsMap()) expected("a mapping");
  std::set<std::string> seen;
  for (const auto& kv : node_) {
    YamlCursor key(kv.first, path_, source_, mark());
    if (!kv.first.IsScalar()) key.fail("keys must be plain names");
    const std::string k = kv.first.Scalar();
    const std::string where = path_.empty() ? k : path_ + "." + k;
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
      std::string msg = "unknown key '" + k + "'";
      const std::string hint = closest_match(k, allowed);
      if (!hint.empty()) msg += " (did you mean '" + hint + "'?)";
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      // A key a --set added has no place in the file: its value names the option instead.
      if (kv.first.Mark().line < 0) YamlCursor(kv.second, path_, source_, mark()).fail(msg + "; expected one of: " + list);
      key.fail(msg + "; expected one of: " + list);
    }
    if (!seen.insert(k).second) YamlCursor(kv.first, where, source_, mark()).fail("duplicate key");
  }
}

bool YamlCursor::has(std::string_view key) const {
  const YAML::Node& n = node_;
  return n.IsMap() && n[std::string(key)].IsDefined();
}

YamlCursor YamlCursor::required(std::string_view key) const {
  if (!node_.IsMap()) expected("a mapping");
  const std::string k(key);
  const YAML::Node& n = node_;
  YAML::Node child = n[k];
  if (!child.IsDefined()) fail("missing required key '" + k + "'");
  return YamlCursor(child, path_.empty() ? k : path_ + "." + k, source_, mark());
}

std::optional<YamlCursor> YamlCursor::optional(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return required(key);
}

std::size_t YamlCursor::size() const {
  if (!node_.IsSequence()) expected("a list");
  return node_.size();
}

YamlCursor YamlCursor::operator[](std::size_t i) const {
  const YAML::Node& n = node_;
  return YamlCursor(n[i], path_ + "[" + std::to_string(i) + "]", source_, mark());
}

std::string YamlCursor::text() const {
  if (!node_.IsScalar()) expected("a single value");
  return node_.Scalar();
}

std::int64_t YamlCursor::integer(std::int64_t min, std::int64_t max, const std::string& what) const {
  if (!node_.IsScalar()) expected(what);
  const auto v = parse_integer(node_.Scalar());
  if (!v || *v < min || *v > max) expected(what);
  return *v;
}

std::uint32_t YamlCursor::positive_u32() const {
  return static_cast<std::uint32_t>(integer(1, 0xffffffffLL, "a positive integer"));
}

double YamlCursor::real() const {
  if (!node_.IsScalar()) expected("a number");
  const auto v = parse_real(node_.Scalar());
  if (!v) expected("a number");
  return *v;
}

double YamlCursor::positive_real() const {
  if (!node_.IsScalar()) expected("a positive number");
  const auto v = parse_real(node_.Scalar());
  if (!v || *v <= 0) expected("a positive number");
  return *v;
}

double YamlCursor::fraction_open() const {
  if (!node_.IsScalar()) expected("a number in (0, 1]");
  const auto v = parse_real(node_.Scalar());
  if (!v || *v <= 0 || *v > 1) expected("a number in (0, 1]");
  return *v;
}

Duration YamlCursor::duration() const {
  static const std::string what = "a duration with a unit (e.g. 90s, 15m, 6h, 3d, 52w)";
  if (!node_.IsScalar()) expected(what);
  const auto s = parse_duration_seconds(node_.Scalar());
  if (!s) expected(what);
  if (*s > kMaxDurationSeconds) expected("a duration of at most 1e12 s (about 31,700 years)");
  return Duration::from_seconds(*s);
}

Duration YamlCursor::positive_duration() const {
  const Duration d = duration();
  if (d.ms() <= 0) expected("a positive duration with a unit (e.g. 90s, 15m, 6h, 3d)");
  return d;
}

bool YamlCursor::boolean() const {
  if (node_.IsScalar()) {
    if (node_.Scalar() == "true") return true;
    if (node_.Scalar() == "false") return false;
  }
  expected("true or false");
}

double YamlCursor::rate_per_second() const {
  static const std::string what = "a rate like 40/d, 2.5/h or 1/90s";
  if (!node_.IsScalar()) expected(what);
  const auto r = parse_rate_per_second(node_.Scalar());
  if (!r || *r <= 0) expected(what);
  return *r;
}

}  // namespace gigasim::detail
