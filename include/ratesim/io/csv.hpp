#pragma once
// A small CSV reader that remembers where every cell came from, for error messages.
// Comma separated; a header row; blank lines and lines starting with '#' are skipped; cells are
// trimmed; double quotes may enclose a cell ("" is a quote inside one).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ratesim {

struct CsvCell {
  std::string text;
  int column = 1;  ///< 1-based character column where the cell starts
};

struct CsvRow {
  int line = 0;  ///< 1-based line number in the file
  std::vector<CsvCell> cells;
};

struct CsvTable {
  std::string file;
  CsvRow header;
  std::vector<CsvRow> rows;

  /// Index of the header cell named `name`, or -1.
  int find_column(std::string_view name) const;
};

/// Reads `path`. Throws InputError if the file cannot be read, has no header row, or a quote is
/// left open. Rows with the wrong number of cells are reported with the row's line.
CsvTable read_csv(const std::string& path);

/// Parses CSV text; `name` stands for the file in error messages.
CsvTable parse_csv(const std::string& text, const std::string& name);

/// Parses a whole cell as a finite double; nullopt for text, NaN or infinity.
std::optional<double> parse_finite_number(std::string_view text);

}  // namespace ratesim
