#pragma once
// Errors in user input. Each names the file, line, column and the rule that was broken; the CLI
// prints them all and exits with code 2 before anything is written.

#include <stdexcept>
#include <string>
#include <vector>

namespace ratesim {

struct InputIssue {
  std::string file;
  int line = 0;    ///< 1-based; 0 when the problem is the file as a whole
  int column = 0;  ///< 1-based character column; 0 when unknown
  std::string rule;
  std::string detail;

  /// "file:line:column: rule: detail", the form compilers use, so editors can jump to it.
  std::string format() const;
};

class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<InputIssue> issues);
  explicit InputError(InputIssue issue) : InputError(std::vector<InputIssue>{std::move(issue)}) {}
  const std::vector<InputIssue>& issues() const { return issues_; }

 private:
  std::vector<InputIssue> issues_;
};

}  // namespace ratesim
