#include "host/config/yaml_reader.hpp"

#include <cmath>
#include <map>

#include "ratesim/io/csv.hpp"
#include "ratesim/io/input_file.hpp"

namespace ratesim {

YAML::Node YamlReader::load(const std::atomic<bool>* stop) {
  std::string text;
  try {
    text = read_input_text(file_, stop);  // a directory or a device is refused here
  } catch (const InputError& e) {
    issues_.insert(issues_.end(), e.issues().begin(), e.issues().end());
    return YAML::Node(YAML::NodeType::Undefined);
  }
  try {
    YAML::Node root = YAML::Load(text);
    report_duplicate_keys(root);
    return root;
  } catch (const YAML::ParserException& e) {
    issue(e.mark, "YAML syntax error", e.msg);
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

// yaml-cpp keeps both entries of a repeated key and lookups find the first: a configuration
// that sets a key twice would silently use one of its values.
void YamlReader::report_duplicate_keys(const YAML::Node& node) {
  if (node.IsSequence()) {
    for (const auto& item : node) report_duplicate_keys(item);
    return;
  }
  if (!node.IsMap()) return;
  std::map<std::string, int> first_line;
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    const int line = entry.first.Mark().line + 1;
    if (auto [at, inserted] = first_line.emplace(key, line); !inserted) {
      issue(entry.first, "duplicate key", "'" + key + "' is already given on line " + std::to_string(at->second));
    }
    report_duplicate_keys(entry.second);
  }
}

void YamlReader::issue(const YAML::Mark& at, std::string rule, std::string detail) {
  const bool known = at.line >= 0 && at.pos >= 0;
  issues_.push_back({file_, known ? at.line + 1 : 0, known ? at.column + 1 : 0, std::move(rule),
                     std::move(detail)});
}

void YamlReader::issue(const YAML::Node& at, std::string rule, std::string detail) {
  issue(at.IsDefined() ? at.Mark() : YAML::Mark::null_mark(), std::move(rule), std::move(detail));
}

bool YamlReader::check_map(const YAML::Node& node, const std::string& what,
                           std::initializer_list<const char*> allowed) {
  if (!node.IsMap()) {
    issue(node, "wrong type", what + " must be a map of keys to values");
    return false;
  }
  std::string expected;
  for (const char* name : allowed) expected += expected.empty() ? name : std::string(", ") + name;
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    bool known = false;
    for (const char* name : allowed) known = known || key == name;
    if (!known) {
      issue(entry.first, "unknown key", "'" + key + "' in " + what + " (allowed: " + expected + ")");
    }
  }
  return true;
}

YAML::Node YamlReader::child(const YAML::Node& map, const char* key, const std::string& where,
                             bool required) {
  // A default-constructed YAML::Node is a defined null; "absent" must be an undefined node.
  const YAML::Node absent(YAML::NodeType::Undefined);
  if (!map.IsMap()) return absent;
  const YAML::Node value = map[key];
  if (!value.IsDefined() || value.IsNull()) {
    if (required) issue(map, "missing key", "'" + std::string(key) + "' is required in " + where);
    return absent;
  }
  return value;
}

std::optional<std::string> YamlReader::string(const YAML::Node& node, const std::string& what) {
  if (!node.IsScalar()) {
    issue(node, "wrong type", what + " must be a single value");
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<double> YamlReader::number(const YAML::Node& node, const std::string& what) {
  const auto text = string(node, what);
  if (!text) return std::nullopt;
  const auto value = parse_finite_number(*text);
  if (!value) issue(node, "not a number", what + " must be a finite number, got '" + *text + "'");
  return value;
}

std::optional<long long> YamlReader::integer(const YAML::Node& node, const std::string& what) {
  const auto text = string(node, what);
  if (!text) return std::nullopt;
  const auto value = parse_finite_number(*text);
  if (!value || *value != std::floor(*value) || std::fabs(*value) > 9.0e15) {
    issue(node, "not an integer", what + " must be a whole number, got '" + *text + "'");
    return std::nullopt;
  }
  return static_cast<long long>(*value);
}

}  // namespace ratesim
