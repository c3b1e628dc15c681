#include "ratesim/model/lmm_inputs.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <string>

#include "ratesim/io/csv.hpp"
#include "ratesim/io/input_error.hpp"

namespace ratesim {

std::vector<CapletQuote> read_caplet_quotes(const std::string& file, int accrual_months, int n_rates) {
  const double accrual = accrual_months / 12.0;
  CsvTable table = read_csv(file);
  std::vector<InputIssue> issues = std::move(table.issues);
  const int expiry = table.find_column("expiry_years"), vol = table.find_column("black_volatility");
  if (table.header.cells.size() > 0 && (expiry < 0 || vol < 0)) {
    issues.push_back({file, table.header.line, 1, "missing column", "caplet quotes need expiry_years and black_volatility"});
  }
  if (expiry < 0 || vol < 0) throw InputError(std::move(issues));
  if (table.rows.empty() && issues.empty()) {
    issues.push_back({file, table.header.line, 0, "no quotes", "the file has a header and no caplet quotes"});
  }
  std::vector<CapletQuote> quotes;
  std::vector<int> quoted_on_line(static_cast<std::size_t>(n_rates), 0);  // a second quote would silently win
  for (const CsvRow& row : table.rows) {
    const CsvCell& e = row.cells[static_cast<std::size_t>(expiry)];
    const CsvCell& v = row.cells[static_cast<std::size_t>(vol)];
    const auto t = parse_finite_number(e.text);
    const auto sigma = parse_finite_number(v.text);
    const double index = t ? *t / accrual : -1.0;
    if (!t || std::fabs(index - std::round(index)) > 1e-9 || std::round(index) < 1 || std::round(index) >= n_rates) {
      issues.push_back({file, row.line, e.column, "not a caplet expiry",
                        "'" + e.text + "' must be a multiple of the accrual between it and the last fixing"});
      continue;
    }
    if (!sigma || !(*sigma > 0.0)) {
      issues.push_back({file, row.line, v.column, "not a volatility", "'" + v.text + "' must be a positive number"});
      continue;
    }
    const int fixing = static_cast<int>(std::round(index));
    if (int& first = quoted_on_line[static_cast<std::size_t>(fixing)]; first != 0) {
      issues.push_back({file, row.line, e.column, "duplicate expiry",
                        "expiry " + e.text + " is already quoted on line " + std::to_string(first)});
      continue;
    } else {
      first = row.line;
    }
    quotes.push_back({fixing, *sigma});
  }
  if (!issues.empty()) throw InputError(std::move(issues));
  return quotes;
}

std::vector<std::vector<double>> read_correlation_matrix(const std::string& file, int accrual_months,
                                                         int n_rates) {
  const double accrual = accrual_months / 12.0;
  CsvTable table = read_csv(file);
  const auto n = static_cast<std::size_t>(n_rates);
  std::vector<InputIssue> issues = std::move(table.issues);
  if (!issues.empty() && table.header.cells.empty()) throw InputError(std::move(issues));
  if (table.header.cells.size() != n) {
    issues.push_back({file, table.header.line, 1, "wrong size",
                      "the header names " + std::to_string(table.header.cells.size()) +
                          " forwards; the model has " + std::to_string(n_rates) + " (model.lmm.rates)"});
  } else {
    for (std::size_t j = 0; j < n; ++j) {
      const CsvCell& cell = table.header.cells[j];
      const auto t = parse_finite_number(cell.text);
      if (!t || std::fabs(*t - static_cast<double>(j) * accrual) > 1e-9) {
        issues.push_back({file, table.header.line, cell.column, "tenor mismatch",
                          "column " + std::to_string(j + 1) + " must name the forward fixing at " +
                              std::to_string(static_cast<double>(j) * accrual) + " years, got '" + cell.text + "'"});
      }
    }
  }
  if (table.rows.size() != n) {
    issues.push_back({file, table.rows.empty() ? table.header.line : table.rows.back().line, 1, "wrong size",
                      std::to_string(table.rows.size()) + " rows; the matrix needs " + std::to_string(n_rates)});
  }
  if (!issues.empty()) throw InputError(std::move(issues));

  std::vector<std::vector<double>> rho(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      const CsvCell& cell = table.rows[i].cells[j];
      const auto v = parse_finite_number(cell.text);
      if (!v || *v < -1.0 || *v > 1.0) {
        issues.push_back({file, table.rows[i].line, cell.column, "not a correlation",
                          "'" + cell.text + "' must be a number in [-1, 1]"});
      } else if (i == j && std::fabs(*v - 1.0) > 1e-12) {
        issues.push_back({file, table.rows[i].line, cell.column, "diagonal not 1",
                          "a forward's correlation with itself must be 1, got '" + cell.text + "'"});
      } else {
        rho[i][j] = *v;
      }
    }
  }
  if (!issues.empty()) throw InputError(std::move(issues));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      if (std::fabs(rho[i][j] - rho[j][i]) > 1e-10) {
        issues.push_back({file, table.rows[j].line, table.rows[j].cells[i].column, "not symmetric",
                          "row " + std::to_string(j + 1) + " column " + std::to_string(i + 1) + " differs from row " +
                              std::to_string(i + 1) + " column " + std::to_string(j + 1)});
      }
    }
  }
  if (!issues.empty()) throw InputError(std::move(issues));
  Eigen::MatrixXd m(n_rates, n_rates);
  for (int i = 0; i < n_rates; ++i) {
    for (int j = 0; j < n_rates; ++j) m(i, j) = rho[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
  }
  const double smallest = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(m, Eigen::EigenvaluesOnly).eigenvalues()(0);
  if (smallest < -1e-8) {
    throw InputError(InputIssue{file, 0, 0, "not positive semidefinite",
                                "the matrix has the negative eigenvalue " + std::to_string(smallest) +
                                    "; a correlation matrix has none"});
  }
  return rho;
}

}  // namespace ratesim
