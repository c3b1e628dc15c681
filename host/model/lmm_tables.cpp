#include "ratesim/model/lmm_tables.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <stdexcept>


namespace ratesim {

double AbcdVolatility::at(double tau) const {
  return tau < 0.0 ? 0.0 : (a + b * tau) * std::exp(-c * tau) + d;
}

// Simpson's rule: the integrand is smooth; 64 intervals put the error far below the Monte Carlo's.
double lmm_integrated_variance(const AbcdVolatility& vol, double scale, double fixing, double t0, double t1) {
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

LmmTables build_lmm_tables(const LmmSpec& spec, const DiscountCurve& curve) {
  const int n = spec.n_rates, m = spec.n_factors;
  if (n < 1 || n > kMaxLmmRates) throw std::invalid_argument("LMM: 1..128 forward rates");
  if (m < 1 || m > kMaxLmmFactors || m > n) throw std::invalid_argument("LMM: 1..8 factors, at most the rates");
  if (!spec.scales.empty() && static_cast<int>(spec.scales.size()) != n) {
    throw std::invalid_argument("LMM: one volatility scale per rate");
  }
  LmmTables t;
  t.spec = spec;
  if (spec.accrual_months < 1 || spec.steps_per_accrual < 1) {
    throw std::invalid_argument("LMM: at least one month per accrual period and one step per period");
  }
  const double accrual = spec.accrual_years();
  for (int i = 0; i <= n; ++i) t.tenor.push_back(i * spec.accrual_months / 12.0);
  for (int i = 0; i < n; ++i) {
    t.accrual.push_back(accrual);
    t.initial_forwards.push_back((curve.discount(t.tenor[static_cast<std::size_t>(i)]) /
                                      curve.discount(t.tenor[static_cast<std::size_t>(i) + 1]) - 1.0) /
                                 accrual);
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
  for (int k = 0; k <= steps; ++k) t.times.push_back(static_cast<double>(k * spec.accrual_months) / (12.0 * spec.steps_per_accrual));
  for (int k = 0; k < steps; ++k) {
    const double t0 = t.times[static_cast<std::size_t>(k)], t1 = t.times[static_cast<std::size_t>(k) + 1];
    int eta = 0;
    while (eta < n && t.tenor[static_cast<std::size_t>(eta)] <= t0 + 1e-12) ++eta;
    t.first_alive.push_back(eta);
    for (int i = 0; i < n; ++i) {
      const double scale = spec.scales.empty() ? 1.0 : spec.scales[static_cast<std::size_t>(i)];
      const double rms = std::sqrt(lmm_integrated_variance(spec.volatility, scale, t.tenor[static_cast<std::size_t>(i)], t0, t1) / (t1 - t0));
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

}  // namespace ratesim
