#pragma once
// Typed, positioned access to a YAML document: every problem becomes an InputIssue with the
// node's line and column, and is collected rather than thrown, so a user sees all of them.

#include <yaml-cpp/yaml.h>

#include <atomic>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "ratesim/io/input_error.hpp"

namespace ratesim {

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  /// Reads and parses the file (InputFile: a directory or device is a problem, Ctrl-C is heard);
  /// a syntax error or a key given twice in one map is recorded; a file that cannot be read or parsed yields
  /// an undefined node (an empty file, a null one).
  YAML::Node load(const std::atomic<bool>* stop = nullptr);

  void issue(const YAML::Node& at, std::string rule, std::string detail);
  void issue(const YAML::Mark& at, std::string rule, std::string detail);
  const std::vector<InputIssue>& issues() const { return issues_; }
  /// Takes over the problems another reader found (in a file this one names).
  void adopt(const YamlReader& other) { issues_.insert(issues_.end(), other.issues_.begin(), other.issues_.end()); }
  const std::string& file() const { return file_; }

  /// True if `node` is a map; records a problem if it is not. Keys not in `allowed` are problems.
  bool check_map(const YAML::Node& node, const std::string& what,
                 std::initializer_list<const char*> allowed);

  /// The child `key` of a map, or a null node; records a problem if required and missing.
  YAML::Node child(const YAML::Node& map, const char* key, const std::string& where,
                   bool required);

  std::optional<std::string> string(const YAML::Node& node, const std::string& what);
  std::optional<double> number(const YAML::Node& node, const std::string& what);
  std::optional<long long> integer(const YAML::Node& node, const std::string& what);

 private:
  void report_duplicate_keys(const YAML::Node& node);

  std::string file_;
  std::vector<InputIssue> issues_;
};

}  // namespace ratesim
