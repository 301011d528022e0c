#include "yaml_merge.hpp"

#include <string>
#include <vector>

namespace gigasim::detail {

namespace {

// Aliases share nodes, so a document is a graph; walking it visits a shared node once per path.
// Real scenarios have well under 10^5 nodes; a file whose aliases multiply beyond this (nested
// lists of aliases) is refused rather than walked for hours. The depth bound stops a node that
// (through an alias to its own anchor) contains itself.
constexpr std::size_t kMaxVisits = 2'000'000;
constexpr int kMaxDepth = 200;

class MergeResolver {
 public:
  explicit MergeResolver(const YamlSource& source) : source_(source) {}

  void resolve(YAML::Node node, const std::string& path, int depth) {
    if (++visits_ > kMaxVisits)
      at(node, path).fail("aliases expand the document beyond " + std::to_string(kMaxVisits) +
                          " nodes; expected a scenario without nested aliases of aliases");
    if (depth > kMaxDepth) at(node, path).fail("the document nests deeper than " + std::to_string(kMaxDepth) +
                                               " levels (an alias inside its own anchor?)");
    if (node.IsSequence()) {
      for (std::size_t i = 0; i < node.size(); ++i) resolve(node[i], path + "[" + std::to_string(i) + "]", depth + 1);
      return;
    }
    if (!node.IsMap()) return;
    merge_into(node, path, depth);
    for (auto kv : node) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
      resolve(kv.second, path.empty() ? key : path + "." + key, depth + 1);
    }
  }

 private:
  YamlCursor at(const YAML::Node& node, const std::string& path) const {
    return YamlCursor(node, path, &source_, fallback_);
  }

  // Copies into `target` the keys of the mapping(s) under its `<<` that it lacks, then removes
  // the `<<`. A merged mapping is resolved first, so merges chain (`<<: *b` where b merges a).
  void merge_into(YAML::Node& target, const std::string& path, int depth) {
    const YAML::Node& view = target;
    const YAML::Node merge = view["<<"];
    if (!merge.IsDefined()) return;
    const std::string where = path.empty() ? std::string("<<") : path + ".<<";
    std::vector<YAML::Node> sources;
    if (merge.IsMap()) {
      sources.push_back(merge);
    } else if (merge.IsSequence()) {
      for (std::size_t i = 0; i < merge.size(); ++i) {
        if (!merge[i].IsMap())
          at(merge[i], where + "[" + std::to_string(i) + "]")
              .expected("a mapping to merge (an alias such as *defaults)");
        sources.push_back(merge[i]);
      }
    } else {
      at(merge, where).expected("a mapping to merge (an alias such as *defaults) or a list of them");
    }
    for (YAML::Node& s : sources) resolve(s, where, depth + 1);
    target.remove("<<");
    // The earlier source wins, and every explicit key wins over all sources.
    for (const YAML::Node& s : sources) {
      for (const auto& kv : s) {
        if (!kv.first.IsScalar()) continue;
        const std::string& key = kv.first.Scalar();
        if (key == "<<" || view[key].IsDefined()) continue;
        target[key] = kv.second;
      }
    }
  }

  const YamlSource& source_;
  YAML::Mark fallback_ = [] {
    YAML::Mark m;
    m.line = 0;
    m.column = 0;
    return m;
  }();
  std::size_t visits_ = 0;
};

}  // namespace

void resolve_merge_keys(YAML::Node& root, const YamlSource& source) {
  MergeResolver(source).resolve(root, "", 0);
  if (!root.IsMap()) return;
  std::vector<std::string> extensions;
  for (const auto& kv : root)
    if (kv.first.IsScalar() && kv.first.Scalar().rfind("x-", 0) == 0) extensions.push_back(kv.first.Scalar());
  for (const auto& key : extensions) root.remove(key);
}

}  // namespace gigasim::detail
