#pragma once
// A small CSV reader that remembers where every cell came from, for error messages.
// Comma separated; a header row; blank lines and lines starting with '#' are skipped; cells are
// trimmed; double quotes may enclose a cell ("" is a quote inside one).

#include <atomic>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "ratesim/io/input_error.hpp"
#include "ratesim/io/input_file.hpp"

namespace ratesim {

struct CsvCell {
  std::string text;
  int column = 1;  ///< 1-based character column where the cell starts
};

struct CsvRow {
  int line = 0;  ///< 1-based line number in the file
  std::vector<CsvCell> cells;
};

/// Index of the first cell of `header` named `name`, or -1.
int find_column(const CsvRow& header, std::string_view name);

struct CsvTable {
  std::string file;
  CsvRow header;
  std::vector<CsvRow> rows;
  /// The file's own problems (no header, a duplicate column, an open quote, a row with the wrong
  /// number of cells, which is left out of `rows`): the reader of the table adds its own to them,
  /// so every problem of the file is reported at once.
  std::vector<InputIssue> issues;

  /// Index of the header cell named `name`, or -1.
  int find_column(std::string_view name) const { return ratesim::find_column(header, name); }
};

/// Reads a CSV file row by row (a positions file of 10^7 rows is never held as text). The header
/// row comes first; a header naming a column twice is a problem. Rows whose quotes are not closed
/// or whose cell count differs from the header's are recorded in issues() and skipped, and
/// reading goes on, so one bad row hides nothing else.
class CsvReader {
 public:
  /// Reads the file at `path` (InputFile: throws InputError when it cannot be read at all).
  explicit CsvReader(const std::string& path, const std::atomic<bool>* stop = nullptr);
  /// Reads CSV text held in memory; `name` stands for the file in messages.
  CsvReader(const std::string& text, const std::string& name);
  ~CsvReader();

  bool has_header() const { return have_header_; }
  const CsvRow& header() const { return header_; }
  int find_column(std::string_view name) const { return ratesim::find_column(header_, name); }
  /// The next data row with as many cells as the header; false at the end of the file.
  bool next(CsvRow& row);

  const std::string& file() const { return file_; }
  std::vector<InputIssue>& issues() { return issues_; }

 private:
  bool next_line(std::string& line, int& number);
  bool read_row(CsvRow& row);  ///< the next line split into cells, skipping blank and comment lines
  void read_header();

  std::string file_;
  std::unique_ptr<InputFile> input_;
  std::istringstream text_;
  int text_line_ = 0;
  bool have_header_ = false;
  bool finished_ = false;
  static constexpr std::size_t kMaxStoredIssues = 1000;
  std::size_t unreported_rows_ = 0;
  CsvRow header_;
  std::vector<InputIssue> issues_;
  std::string line_;
};

/// Reads all of a small CSV file (curves, shock tables, caplet quotes) into a table; only a file
/// that cannot be opened throws (InputError). Every other problem is in the table's issues.
CsvTable read_csv(const std::string& path, const std::atomic<bool>* stop = nullptr);

/// Parses CSV text; `name` stands for the file in error messages.
CsvTable parse_csv(const std::string& text, const std::string& name);

/// Parses a whole cell as a finite double; nullopt for text, NaN or infinity.
std::optional<double> parse_finite_number(std::string_view text);

}  // namespace ratesim
