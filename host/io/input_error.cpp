#include "ratesim/io/input_error.hpp"

namespace ratesim {

std::string InputIssue::format() const {
  std::string out = file;
  if (line > 0) {
    out += ':';
    out += std::to_string(line);
    if (column > 0) {
      out += ':';
      out += std::to_string(column);
    }
  }
  out += ": " + rule;
  if (!detail.empty()) out += ": " + detail;
  return out;
}

namespace {
std::string first_message(const std::vector<InputIssue>& issues) {
  if (issues.empty()) return "invalid input";
  std::string message = issues.front().format();
  if (issues.size() > 1) message += " (and " + std::to_string(issues.size() - 1) + " more)";
  return message;
}
}  // namespace

InputError::InputError(std::vector<InputIssue> issues)
    : std::runtime_error(first_message(issues)), issues_(std::move(issues)) {}

}  // namespace ratesim
