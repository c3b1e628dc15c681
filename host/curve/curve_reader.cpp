#include "ratesim/curve/curve_reader.hpp"

#include <cmath>

#include "ratesim/io/csv.hpp"
#include "ratesim/io/input_error.hpp"

namespace ratesim {

std::optional<double> parse_tenor(std::string_view text, Date valuation_date, DayCount day_count) {
  if (auto date = parse_iso_date(text)) {
    return year_fraction(day_count, valuation_date, *date);
  }
  if (text.size() >= 2) {
    const char unit = text.back();
    if (unit == 'D' || unit == 'W' || unit == 'M' || unit == 'Y') {
      const auto count = parse_finite_number(text.substr(0, text.size() - 1));
      if (!count || *count != std::floor(*count)) return std::nullopt;
      const double per_year = unit == 'D' ? 366.0 : unit == 'W' ? 53.0 : unit == 'M' ? 12.0 : 1.0;
      if (std::fabs(*count) > kMaxTenorYears * per_year) return std::nullopt;
      const int n = static_cast<int>(*count);
      const Date end = unit == 'D'   ? Date{valuation_date.days + n}
                       : unit == 'W' ? Date{valuation_date.days + 7 * n}
                       : unit == 'M' ? add_months(valuation_date, n)
                                     : add_months(valuation_date, 12 * n);
      return year_fraction(day_count, valuation_date, end);
    }
  }
  return parse_finite_number(text);
}

DiscountCurve read_curve_csv(const CurveInputSpec& spec) {
  CsvTable table = read_csv(spec.file);
  std::vector<InputIssue> issues = std::move(table.issues);
  if (!issues.empty() && table.header.cells.empty()) throw InputError(std::move(issues));
  auto issue = [&](int line, int column, std::string rule, std::string detail) {
    issues.push_back({spec.file, line, column, std::move(rule), std::move(detail)});
  };

  const int tenor_col = table.find_column("tenor");
  const int zero_col = table.find_column("zero_rate");
  const int df_col = table.find_column("discount_factor");
  const int header_line = table.header.line;
  if (tenor_col < 0) issue(header_line, 1, "missing column", "the header needs a 'tenor' column");
  if (zero_col < 0 && df_col < 0) {
    issue(header_line, 1, "missing column",
          "the header needs a 'zero_rate' or a 'discount_factor' column");
  }
  if (zero_col >= 0 && df_col >= 0) {
    issue(header_line, table.header.cells[static_cast<std::size_t>(df_col)].column,
          "ambiguous columns", "give either 'zero_rate' or 'discount_factor', not both");
  }
  for (std::size_t c = 0; c < table.header.cells.size(); ++c) {
    const std::string& name = table.header.cells[c].text;
    if (name != "tenor" && name != "zero_rate" && name != "discount_factor") {
      issue(header_line, table.header.cells[c].column, "unknown column",
            "'" + name + "' (expected tenor, zero_rate or discount_factor)");
    }
  }
  if (tenor_col < 0 || (zero_col < 0 && df_col < 0)) throw InputError(std::move(issues));
  if (table.rows.empty() && issues.empty()) issues.push_back({spec.file, 0, 0, "empty file", "the header has no data rows"});

  const int value_col = zero_col >= 0 ? zero_col : df_col;
  std::vector<double> times, discounts;
  double previous_time = 0.0;
  int previous_line = 0;
  bool have_previous = false;
  for (const CsvRow& row : table.rows) {
    const CsvCell& tenor_cell = row.cells[static_cast<std::size_t>(tenor_col)];
    const CsvCell& value_cell = row.cells[static_cast<std::size_t>(value_col)];
    const auto t = parse_tenor(tenor_cell.text, spec.valuation_date, spec.day_count);
    const auto value = parse_finite_number(value_cell.text);
    bool row_ok = true;
    if (!t) {
      issue(row.line, tenor_cell.column, "not a tenor",
            "'" + tenor_cell.text + "' is not a number of years, a period like 6M or 10Y, or a "
            "date YYYY-MM-DD");
      row_ok = false;
    } else if (!(*t > 0.0)) {
      issue(row.line, tenor_cell.column, "non-positive tenor",
            "'" + tenor_cell.text + "' is not after the valuation date");
      row_ok = false;
    } else if (*t > kMaxTenorYears) {
      issue(row.line, tenor_cell.column, "out of range",
            "tenor '" + tenor_cell.text + "' is beyond " + std::to_string(static_cast<int>(kMaxTenorYears)) + " years");
      row_ok = false;
    } else if (have_previous && !(*t > previous_time)) {
      issue(row.line, tenor_cell.column, "non-increasing tenors",
            "'" + tenor_cell.text + "' does not come after the tenor on line " +
                std::to_string(previous_line));
      row_ok = false;
    }
    const std::string value_name = zero_col >= 0 ? "zero_rate" : "discount_factor";
    if (!value) {
      issue(row.line, value_cell.column, "not a number",
            value_name + " '" + value_cell.text + "' is not a finite number");
      row_ok = false;
    } else if (df_col >= 0 && !(*value > 0.0)) {
      issue(row.line, value_cell.column, "non-positive discount factor",
            "'" + value_cell.text + "'");
      row_ok = false;
    } else if (zero_col >= 0 && spec.compounding == Compounding::kAnnual && !(*value > -1.0)) {
      issue(row.line, value_cell.column, "zero rate out of range",
            "an annually compounded rate must exceed -100%, got '" + value_cell.text + "'");
      row_ok = false;
    }
    if (t && *t > 0.0 && *t <= kMaxTenorYears && (!have_previous || *t > previous_time)) {
      previous_time = *t;
      previous_line = row.line;
      have_previous = true;
    }
    if (!row_ok) continue;
    double df = *value;
    if (zero_col >= 0) {
      df = spec.compounding == Compounding::kContinuous ? std::exp(-*value * *t)
                                                        : std::pow(1.0 + *value, -*t);
    }
    // Beyond +-100% a year the curve is a typing error (a rate in percent, a bad discount
    // factor), and its discount factors would overflow or vanish in the shocked curves.
    const double implied = -std::log(df) / *t;
    if (!(std::fabs(implied) <= kMaxAbsZeroRate)) {
      issue(row.line, value_cell.column, "zero rate out of range",
            value_name + " '" + value_cell.text + "' implies a continuous zero rate of " + std::to_string(implied) +
                " a year: rates are decimals (0.03 is 3%) within +-100%");
      continue;
    }
    times.push_back(*t);
    discounts.push_back(df);
  }
  if (!issues.empty()) throw InputError(std::move(issues));
  return DiscountCurve(times, discounts);
}

}  // namespace ratesim
