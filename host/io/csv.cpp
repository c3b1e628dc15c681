#include "ratesim/io/csv.hpp"

#include <charconv>
#include <cmath>

#include "ratesim/io/input_error.hpp"

namespace ratesim {

int find_column(const CsvRow& header, std::string_view name) {
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

CsvReader::CsvReader(const std::string& path, const std::atomic<bool>* stop)
    : file_(path), input_(std::make_unique<InputFile>(path, stop)) {
  read_header();
}

CsvReader::CsvReader(const std::string& text, const std::string& name) : file_(name), text_(text) {
  read_header();
}

CsvReader::~CsvReader() = default;

bool CsvReader::next_line(std::string& line, int& number) {
  if (input_) {
    if (!input_->next_line(line)) return false;
    number = input_->line_number();
    return true;
  }
  if (!std::getline(text_, line)) return false;
  number = ++text_line_;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

bool CsvReader::read_row(CsvRow& row) {
  int number = 0;
  while (!finished_ && next_line(line_, number)) {
    if (number == 1 && line_.rfind("\xEF\xBB\xBF", 0) == 0) line_.erase(0, 3);  // UTF-8 BOM
    if (skip_line(line_)) continue;
    row.line = number;
    if (split_line(line_, row.cells)) return true;
    issues_.push_back({file_, number, 1, "unterminated quote", "a quoted cell is not closed"});
    if (!have_header_) break;  // the header is unreadable: no row can be checked against it
  }
  finished_ = true;
  return false;
}

void CsvReader::read_header() {
  if (!read_row(header_)) {
    if (issues_.empty()) issues_.push_back({file_, 0, 0, "empty file", "no header row and no data"});
    return;
  }
  have_header_ = true;
  for (std::size_t c = 0; c < header_.cells.size(); ++c) {
    const int first = find_column(header_.cells[c].text);
    if (first != static_cast<int>(c)) {
      issues_.push_back({file_, header_.line, header_.cells[c].column, "duplicate column",
                         "'" + header_.cells[c].text + "' is also column " + std::to_string(first + 1)});
    }
  }
}


bool CsvReader::next(CsvRow& row) {
  if (!have_header_) return false;
  while (read_row(row)) {
    if (row.cells.size() == header_.cells.size()) return true;
    if (issues_.size() >= kMaxStoredIssues) {
      ++unreported_rows_;  // a file of 10^7 bad rows must not fill the memory with messages
      continue;
    }
    issues_.push_back({file_, row.line, 1, "wrong number of cells",
                       "the row has " + std::to_string(row.cells.size()) + " cells, the header has " +
                           std::to_string(header_.cells.size())});
  }
  if (unreported_rows_ > 0) {
    issues_.push_back({file_, 0, 0, "too many problems",
                       std::to_string(unreported_rows_) + " more rows with the wrong number of cells"});
    unreported_rows_ = 0;
  }
  return false;
}

namespace {

CsvTable whole_table(CsvReader& reader) {
  CsvTable table;
  table.file = reader.file();
  CsvRow row;
  while (reader.next(row)) table.rows.push_back(std::move(row));
  table.header = reader.header();
  table.issues = std::move(reader.issues());
  return table;
}

}  // namespace

CsvTable read_csv(const std::string& path, const std::atomic<bool>* stop) {
  CsvReader reader(path, stop);
  return whole_table(reader);
}

CsvTable parse_csv(const std::string& text, const std::string& path) {
  CsvReader reader(text, path);
  return whole_table(reader);
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
