#include "ratesim/model/lmm_tables.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <stdexcept>

#include "ratesim/io/csv.hpp"
#include "ratesim/io/input_error.hpp"
#include "ratesim/model/hull_white.hpp"

namespace ratesim {

double AbcdVolatility::at(double tau) const {
  return tau < 0.0 ? 0.0 : (a + b * tau) * std::exp(-c * tau) + d;
}

namespace {

// int_{t0}^{t1} sigma_i(t)^2 dt for rate i fixing at T, by Simpson's rule (the integrand is
// smooth; 64 intervals put the error far below the Monte Carlo's).
double integrated_variance(const AbcdVolatility& vol, double scale, double fixing, double t0, double t1) {
  const double hi = std::min(t1, fixing);
  if (!(hi > t0)) return 0.0;
  const int n = 64;
  const double h = (hi - t0) / n;
  double sum = 0.0;
  for (int j = 0; j <= n; ++j) {
    const double sigma = scale * vol.at(fixing - (t0 + j * h));
    sum += (j == 0 || j == n ? 1 : (j % 2 ? 4 : 2)) * sigma * sigma;
  }
  return sum * h / 3.0;
}

}  // namespace

LmmTables build_lmm_tables(const LmmSpec& spec, const DiscountCurve& curve) {
  const int n = spec.n_rates, m = spec.n_factors;
  if (n < 1 || n > kMaxLmmRates) throw std::invalid_argument("LMM: 1..128 forward rates");
  if (m < 1 || m > kMaxLmmFactors || m > n) throw std::invalid_argument("LMM: 1..8 factors, at most the rates");
  if (!spec.scales.empty() && static_cast<int>(spec.scales.size()) != n) {
    throw std::invalid_argument("LMM: one volatility scale per rate");
  }
  LmmTables t;
  t.spec = spec;
  for (int i = 0; i <= n; ++i) t.tenor.push_back(i * spec.accrual);
  for (int i = 0; i < n; ++i) {
    t.accrual.push_back(spec.accrual);
    t.initial_forwards.push_back((curve.discount(t.tenor[static_cast<std::size_t>(i)]) /
                                      curve.discount(t.tenor[static_cast<std::size_t>(i) + 1]) - 1.0) /
                                 spec.accrual);
  }

  // Correlation and its reduction to m factors.
  Eigen::MatrixXd rho(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      rho(i, j) = spec.correlation.empty()
                      ? std::exp(-spec.correlation_beta * std::fabs(t.tenor[static_cast<std::size_t>(i)] - t.tenor[static_cast<std::size_t>(j)]))
                      : spec.correlation[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
    }
  }
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(rho);
  if (eigen.info() != Eigen::Success) throw std::invalid_argument("LMM: correlation eigen-decomposition failed");
  // Eigen sorts eigenvalues in increasing order: the leading m are the last m.
  Eigen::MatrixXd loadings(n, m);
  for (int f = 0; f < m; ++f) {
    const double value = std::max(0.0, eigen.eigenvalues()(n - 1 - f));
    loadings.col(f) = eigen.eigenvectors().col(n - 1 - f) * std::sqrt(value);
  }
  for (int i = 0; i < n; ++i) {
    const double norm = loadings.row(i).norm();
    if (norm > 0.0) loadings.row(i) /= norm;
  }
  for (int f = 0; f < n; ++f) t.eigenvalues.push_back(eigen.eigenvalues()(n - 1 - f));
  for (int i = 0; i < n; ++i) {
    for (int f = 0; f < m; ++f) t.factor_loadings.push_back(loadings(i, f));
  }

  // Time grid: steps_per_accrual steps per forward period, up to the horizon or the last fixing.
  const int periods = spec.horizon_periods > 0 ? std::min(spec.horizon_periods, n - 1) : n - 1;
  const int steps = periods * spec.steps_per_accrual;
  for (int k = 0; k <= steps; ++k) t.times.push_back(k * spec.accrual / spec.steps_per_accrual);
  for (int k = 0; k < steps; ++k) {
    const double t0 = t.times[static_cast<std::size_t>(k)], t1 = t.times[static_cast<std::size_t>(k) + 1];
    int eta = 0;
    while (eta < n && t.tenor[static_cast<std::size_t>(eta)] <= t0 + 1e-12) ++eta;
    t.first_alive.push_back(eta);
    for (int i = 0; i < n; ++i) {
      const double scale = spec.scales.empty() ? 1.0 : spec.scales[static_cast<std::size_t>(i)];
      const double rms = std::sqrt(integrated_variance(spec.volatility, scale, t.tenor[static_cast<std::size_t>(i)], t0, t1) / (t1 - t0));
      for (int f = 0; f < m; ++f) t.loadings.push_back(rms * loadings(i, f));
    }
  }
  return t;
}

namespace {

// A grid view over host vectors of either precision.
template <class Real>
BasicLmmGridView<Real> view_of(int n_rates, int n_factors, Real displacement, const std::vector<Real>& tenor,
                               const std::vector<Real>& accrual, const std::vector<Real>& forwards,
                               const std::vector<Real>& times, const std::vector<int>& first_alive,
                               const std::vector<Real>& loadings) {
  BasicLmmGridView<Real> v;
  v.n_rates = n_rates;
  v.n_factors = n_factors;
  v.n_steps = static_cast<int>(times.size()) - 1;
  v.displacement = displacement;
  v.tenor = tenor.data();
  v.accrual = accrual.data();
  v.initial_forwards = forwards.data();
  v.times = times.data();
  v.first_alive = first_alive.data();
  v.loadings = loadings.data();
  return v;
}

}  // namespace

LmmGridView LmmTables::view() const {
  return view_of(spec.n_rates, spec.n_factors, spec.displacement, tenor, accrual, initial_forwards, times,
                 first_alive, loadings);
}

LmmFloatTables to_float(const LmmTables& tables) {
  auto narrow = [](const std::vector<double>& v) { return std::vector<float>(v.begin(), v.end()); };
  LmmFloatTables f;
  f.n_rates = tables.spec.n_rates;
  f.n_factors = tables.spec.n_factors;
  f.displacement = static_cast<float>(tables.spec.displacement);
  f.tenor = narrow(tables.tenor);
  f.accrual = narrow(tables.accrual);
  f.initial_forwards = narrow(tables.initial_forwards);
  f.times = narrow(tables.times);
  f.loadings = narrow(tables.loadings);
  f.first_alive = tables.first_alive;
  return f;
}

BasicLmmGridView<float> LmmFloatTables::view() const {
  return view_of(n_rates, n_factors, displacement, tenor, accrual, initial_forwards, times, first_alive, loadings);
}

double black_caplet(double forward, double strike, double displacement, double variance,
                    double accrual, double discount_to_payment) {
  const double f = forward + displacement, k = strike + displacement;
  if (!(variance > 0.0)) return accrual * discount_to_payment * std::max(f - k, 0.0);
  const double sd = std::sqrt(variance);
  const double d1 = (std::log(f / k) + 0.5 * variance) / sd;
  return accrual * discount_to_payment * (f * normal_cdf(d1) - k * normal_cdf(d1 - sd));
}

double lmm_caplet_variance(const LmmTables& tables, int i) {
  const double scale = tables.spec.scales.empty() ? 1.0 : tables.spec.scales[static_cast<std::size_t>(i)];
  const double fixing = tables.tenor[static_cast<std::size_t>(i)];
  return integrated_variance(tables.spec.volatility, scale, fixing, 0.0, fixing);
}

LmmSpec calibrate_to_caplets(const LmmSpec& spec, const std::vector<CapletQuote>& quotes,
                             std::vector<CalibrationFit>* fit) {
  if (quotes.empty()) throw std::invalid_argument("LMM calibration: no caplet quotes");
  LmmSpec out = spec;
  std::vector<double> quoted(static_cast<std::size_t>(spec.n_rates), -1.0);
  for (const CapletQuote& q : quotes) {
    if (q.rate < 1 || q.rate >= spec.n_rates || !(q.volatility > 0.0)) {
      throw std::invalid_argument("LMM calibration: quote for rate " + std::to_string(q.rate) +
                                  " outside 1..n_rates-1 or not positive");
    }
    quoted[static_cast<std::size_t>(q.rate)] = q.volatility;
  }
  out.scales.assign(static_cast<std::size_t>(spec.n_rates), 1.0);
  for (int i = 1; i < spec.n_rates; ++i) {
    if (quoted[static_cast<std::size_t>(i)] <= 0.0) continue;
    const double fixing = i * spec.accrual;
    const double unscaled = integrated_variance(spec.volatility, 1.0, fixing, 0.0, fixing);
    out.scales[static_cast<std::size_t>(i)] = quoted[static_cast<std::size_t>(i)] * std::sqrt(fixing / unscaled);
  }
  // Rates without a quote borrow the nearest quoted rate's scale (rate 0 is fixed today).
  for (int i = 0; i < spec.n_rates; ++i) {
    if (quoted[static_cast<std::size_t>(i)] > 0.0) continue;
    int best = -1;
    for (int j = 1; j < spec.n_rates; ++j) {
      if (quoted[static_cast<std::size_t>(j)] > 0.0 && (best < 0 || std::abs(j - i) < std::abs(best - i))) best = j;
    }
    out.scales[static_cast<std::size_t>(i)] = out.scales[static_cast<std::size_t>(best)];
  }
  if (fit) {
    fit->clear();
    for (const CapletQuote& q : quotes) {
      const double fixing = q.rate * spec.accrual;
      const double variance = integrated_variance(spec.volatility, out.scales[static_cast<std::size_t>(q.rate)], fixing, 0.0, fixing);
      fit->push_back({q.rate, q.volatility, std::sqrt(variance / fixing), out.scales[static_cast<std::size_t>(q.rate)]});
    }
  }
  return out;
}

std::vector<CapletQuote> read_caplet_quotes(const std::string& file, double accrual, int n_rates) {
  const CsvTable table = read_csv(file);
  const int expiry = table.find_column("expiry_years"), vol = table.find_column("black_volatility");
  if (expiry < 0 || vol < 0) {
    throw InputError(InputIssue{file, table.header.line, 1, "missing column",
                                "caplet quotes need expiry_years and black_volatility"});
  }
  std::vector<InputIssue> issues;
  std::vector<CapletQuote> quotes;
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
    quotes.push_back({static_cast<int>(std::round(index)), *sigma});
  }
  if (!issues.empty()) throw InputError(std::move(issues));
  return quotes;
}

std::vector<std::vector<double>> read_correlation_matrix(const std::string& file, double accrual,
                                                         int n_rates) {
  const CsvTable table = read_csv(file);
  const auto n = static_cast<std::size_t>(n_rates);
  std::vector<InputIssue> issues;
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

double rebonato_swaption(const LmmTables& t, const DiscountCurve& curve, int first, int last,
                         double strike, bool is_payer) {
  const double s = t.spec.displacement;
  const int m = t.spec.n_factors;
  const double expiry = t.tenor[static_cast<std::size_t>(first)];
  double annuity = 0.0;
  for (int i = first; i < last; ++i) annuity += t.accrual[static_cast<std::size_t>(i)] * curve.discount(t.tenor[static_cast<std::size_t>(i) + 1]);
  const double swap_rate = (curve.discount(expiry) - curve.discount(t.tenor[static_cast<std::size_t>(last)])) / annuity;
  // Covariance of the loadings integrated to expiry: sum over steps of lambda_i . lambda_j dt.
  const LmmGridView g = t.view();
  double variance = 0.0;
  for (int i = first; i < last; ++i) {
    const double wi = t.accrual[static_cast<std::size_t>(i)] * curve.discount(t.tenor[static_cast<std::size_t>(i) + 1]) / annuity;
    for (int j = first; j < last; ++j) {
      const double wj = t.accrual[static_cast<std::size_t>(j)] * curve.discount(t.tenor[static_cast<std::size_t>(j) + 1]) / annuity;
      double covariance = 0.0;
      for (int k = 0; k < g.n_steps && g.times[k + 1] <= expiry + 1e-12; ++k) {
        const double* li = g.loadings + (static_cast<std::size_t>(k) * g.n_rates + i) * m;
        const double* lj = g.loadings + (static_cast<std::size_t>(k) * g.n_rates + j) * m;
        double dot = 0.0;
        for (int f = 0; f < m; ++f) dot += li[f] * lj[f];
        covariance += dot * (g.times[k + 1] - g.times[k]);
      }
      variance += wi * wj * (t.initial_forwards[static_cast<std::size_t>(i)] + s) *
                  (t.initial_forwards[static_cast<std::size_t>(j)] + s) * covariance;
    }
  }
  variance /= (swap_rate + s) * (swap_rate + s);
  const double payer = black_caplet(swap_rate, strike, s, variance, 1.0, annuity);
  // Put-call parity on the swap rate: receiver = payer - annuity (S - K).
  return is_payer ? payer : payer - annuity * (swap_rate - strike);
}

}  // namespace ratesim
