#pragma once
// YAML merge keys (`<<: *defaults`) and extension fields (`x-...` at the top level).
//
// yaml-cpp 0.7 (Debian 12) parses anchors and aliases but treats `<<` as an ordinary key. A
// scenario with twenty factories that differ in a name, a size and a date reads far better when
// their shared failure, power and cost figures are written once, so the loader resolves merge
// keys itself, with the semantics of the YAML 1.1 merge-key type: explicit keys win over merged
// ones, and in `<<: [*a, *b]` the earlier mapping wins. The merge is shallow: a key given
// explicitly replaces the merged value whole (`failures: {...}` is not merged with the
// defaults' `failures`).
#include <yaml-cpp/yaml.h>

#include "yaml_cursor.hpp"

namespace gigasim::detail {

/// Resolves every `<<` in the document in place and removes the top-level keys starting with
/// `x-` (the place to keep anchors, as in Compose files). Errors (a `<<` whose value is not a
/// mapping or a list of mappings; aliases that expand the document beyond a bound, as in a
/// "billion laughs" file) are InputErrors at the offending position.
void resolve_merge_keys(YAML::Node& root, const YamlSource& source);

}  // namespace gigasim::detail
