#include "ratesim/io/csv.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "ratesim/io/input_error.hpp"

namespace ratesim {

int CsvTable::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < header.cells.size(); ++i) {
    if (header.cells[i].text == name) return static_cast<int>(i);
  }
  return -1;
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Splits one line; returns false if a quoted cell is not closed.
bool split_line(const std::string& line, std::vector<CsvCell>& cells) {
  cells.clear();
  std::size_t i = 0;
  const std::size_t n = line.size();
  while (true) {
    while (i < n && is_space(line[i])) ++i;
    CsvCell cell;
    cell.column = static_cast<int>(i) + 1;
    if (i < n && line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < n) {
        if (line[i] == '"') {
          if (i + 1 < n && line[i + 1] == '"') {
            cell.text += '"';
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        cell.text += line[i++];
      }
      if (!closed) return false;
      while (i < n && line[i] != ',') ++i;  // anything after the closing quote is ignored
    } else {
      const std::size_t start = i;
      while (i < n && line[i] != ',') ++i;
      std::size_t end = i;
      while (end > start && is_space(line[end - 1])) --end;
      cell.text = line.substr(start, end - start);
    }
    cells.push_back(std::move(cell));
    if (i >= n) break;
    ++i;  // the comma
  }
  return true;
}

bool skip_line(const std::string& line) {
  for (char c : line) {
    if (c == '#') return true;
    if (!is_space(c)) return false;
  }
  return true;
}

}  // namespace

CsvTable read_csv(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw InputError(InputIssue{path, 0, 0, "cannot read file", "it does not exist or is not readable"});
  }
  std::stringstream text;
  text << file.rdbuf();
  return parse_csv(text.str(), path);
}

CsvTable parse_csv(const std::string& text, const std::string& path) {
  std::istringstream in(text);
  CsvTable table;
  table.file = path;
  std::vector<InputIssue> issues;
  std::string line;
  int line_number = 0;
  bool have_header = false;
  while (std::getline(in, line)) {
    ++line_number;
    if (line_number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 BOM
    if (skip_line(line)) continue;
    CsvRow row;
    row.line = line_number;
    if (!split_line(line, row.cells)) {
      issues.push_back({path, line_number, 1, "unterminated quote", "a quoted cell is not closed"});
      continue;
    }
    if (!have_header) {
      table.header = std::move(row);
      have_header = true;
      continue;
    }
    if (row.cells.size() != table.header.cells.size()) {
      issues.push_back({path, line_number, 1, "wrong number of cells",
                        "the row has " + std::to_string(row.cells.size()) +
                            " cells, the header has " +
                            std::to_string(table.header.cells.size())});
      continue;
    }
    table.rows.push_back(std::move(row));
  }
  if (!have_header) {
    issues.insert(issues.begin(), InputIssue{path, 0, 0, "empty file", "no header row and no data"});
  }
  if (!issues.empty()) throw InputError(std::move(issues));
  return table;
}

std::optional<double> parse_finite_number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace ratesim
