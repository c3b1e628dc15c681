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
    const double dt = t1 - t0;
    t.sqrt_dt.push_back(std::sqrt(dt));
    for (int i = 0; i < n; ++i) {
      const double scale = spec.scales.empty() ? 1.0 : spec.scales[static_cast<std::size_t>(i)];
      const double rms = std::sqrt(lmm_integrated_variance(spec.volatility, scale, t.tenor[static_cast<std::size_t>(i)], t0, t1) / (t1 - t0));
      double variance = 0.0;
      for (int f = 0; f < m; ++f) {
        const double loading = rms * loadings(i, f);
        t.loadings.push_back(loading);
        variance += loading * loading;
      }
      t.ito_correction.push_back(0.5 * variance * dt);
    }
  }
  return t;
}

namespace {

// A grid view over host tables of either precision.
template <class Real, class Tables>
BasicLmmGridView<Real> view_of(const Tables& t, int n_rates, int n_factors, LmmScheme scheme, Real displacement) {
  BasicLmmGridView<Real> v;
  v.n_rates = n_rates;
  v.n_factors = n_factors;
  v.n_steps = static_cast<int>(t.times.size()) - 1;
  v.scheme = scheme;
  v.displacement = displacement;
  v.tenor = t.tenor.data();
  v.accrual = t.accrual.data();
  v.initial_forwards = t.initial_forwards.data();
  v.times = t.times.data();
  v.sqrt_dt = t.sqrt_dt.data();
  v.first_alive = t.first_alive.data();
  v.loadings = t.loadings.data();
  v.ito_correction = t.ito_correction.data();
  return v;
}

}  // namespace

LmmGridView LmmTables::view() const {
  return view_of<double>(*this, spec.n_rates, spec.n_factors, spec.scheme, spec.displacement);
}

LmmFloatTables to_float(const LmmTables& tables) {
  auto narrow = [](const std::vector<double>& v) { return std::vector<float>(v.begin(), v.end()); };
  LmmFloatTables f;
  f.n_rates = tables.spec.n_rates;
  f.n_factors = tables.spec.n_factors;
  f.scheme = tables.spec.scheme;
  f.displacement = static_cast<float>(tables.spec.displacement);
  f.tenor = narrow(tables.tenor);
  f.accrual = narrow(tables.accrual);
  f.initial_forwards = narrow(tables.initial_forwards);
  f.times = narrow(tables.times);
  f.sqrt_dt = narrow(tables.sqrt_dt);
  f.loadings = narrow(tables.loadings);
  f.ito_correction = narrow(tables.ito_correction);
  f.first_alive = tables.first_alive;
  return f;
}

BasicLmmGridView<float> LmmFloatTables::view() const {
  return view_of<float>(*this, n_rates, n_factors, scheme, displacement);
}

}  // namespace ratesim
