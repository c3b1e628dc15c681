// The LIBOR market model against closed forms: caplets against Black's formula within 4
// standard errors, the martingale property of discounted zero bonds under the spot measure,
// swaptions against Rebonato's approximation (both schemes, every backend), the reduced
// correlation against the target's eigen-structure, and the fused step against the two-pass one.

#include "ratesim/model/lmm_tables.hpp"
#include "ratesim/model/lmm_analytic.hpp"
#include "ratesim/model/lmm_inputs.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <fstream>

#include "ratesim/io/input_error.hpp"
#include "ratesim/model/lmm_paths.hpp"
#include "ratesim/risk/statistics.hpp"
#include "test_support.hpp"

namespace ratesim {
namespace {

struct Estimate {
  double mean, std_error;
};

template <class Payoff>
Estimate monte_carlo(const LmmTables& t, int paths, std::uint64_t seed, Payoff payoff) {
  const LmmGridView g = t.view();
  CompensatedSum sum, squares;
  std::vector<double> history(static_cast<std::size_t>(g.n_steps + 1) * g.n_rates);
  for (int p = 0; p < paths; ++p) {
    simulate_lmm_path(g, seed, static_cast<std::uint64_t>(p), [&](int k, const double* L) {
      std::copy(L, L + g.n_rates, history.begin() + static_cast<std::ptrdiff_t>(k) * g.n_rates);
    });
    const double v = payoff(history.data());
    sum.add(v);
    squares.add(v * v);
  }
  const double mean = sum.value() / paths;
  return {mean, std::sqrt((squares.value() / paths - mean * mean) / (paths - 1))};
}

// Spot-LIBOR numeraire at T_k: prod_{j < k} (1 + delta L_j(T_j)); rate j is read at step j.
double numeraire(const LmmTables& t, const double* history, int k) {
  double b = 1.0;
  for (int j = 0; j < k; ++j) b *= 1.0 + t.accrual[0] * history[static_cast<std::size_t>(j) * t.spec.n_rates + j];
  return b;
}

LmmSpec quarterly(int factors, double displacement, AbcdVolatility vol) {
  LmmSpec s;
  s.n_rates = 24;
  s.accrual_months = 3;
  s.n_factors = factors;
  s.displacement = displacement;
  s.volatility = vol;
  s.correlation_beta = 0.15;
  return s;
}

// The Monte Carlo checks run the product path, lmm_path_table (the fill the NII run and
// `simulate` use), on every backend (test::EveryBackend). On a year grid of the tenor dates the
// table holds, at date k = T_k, the spot LIBOR L_k(T_k) just fixed, D(0, T_k) = 1/B(T_k), the
// index rates off the path's curve and, at the last date, that curve on the given nodes.
class LmmMonteCarlo : public test::EveryBackend {
 protected:
  /// Paths of `t` on its own step times; `indices` and `horizon_nodes` as lmm_path_table takes them.
  HostPathTable paths(const LmmTables& t, int dates, const std::vector<IndexSpec>& indices,
                      const std::vector<double>& horizon_nodes, int n, std::uint64_t seed,
                      std::vector<double>& curves) const {
    const std::vector<double> times(t.times.begin() + 1, t.times.begin() + dates);
    const IndexSchedule schedule =
        build_index_schedule(make_year_grid(times), indices, make_date(2026, 6, 30), DayCount::kAct365Fixed);
    return lmm_path_table(GetParam(), t, schedule, horizon_nodes, seed, 0, n, curves);
  }
};
RATESIM_ON_EVERY_BACKEND(LmmMonteCarlo);

Estimate estimate_of(const std::vector<double>& values) {
  CompensatedSum sum, squares;
  for (double v : values) {
    sum.add(v);
    squares.add(v * v);
  }
  const double n = static_cast<double>(values.size()), mean = sum.value() / n;
  return {mean, std::sqrt((squares.value() / n - mean * mean) / (n - 1))};
}

TEST_P(LmmMonteCarlo, CapletsMatchBlack) {
  test::Figure figure("caplets |MC - Black| in standard errors", 4.0);
  const DiscountCurve curve = test::sample_curve();
  const AbcdVolatility flat{0.0, 0.0, 0.0, 0.2};
  const AbcdVolatility humped{-0.02, 0.25, 0.8, 0.12};
  for (LmmScheme scheme : {LmmScheme::kPredictorCorrector, LmmScheme::kEuler}) {
    for (const auto& [factors, displacement, vol] :
         {std::tuple{1, 0.0, flat}, std::tuple{3, 0.0, humped}, std::tuple{2, 0.02, humped}}) {
      LmmSpec spec = quarterly(factors, displacement, vol);
      spec.scheme = scheme;
      const LmmTables t = build_lmm_tables(spec, curve);
      std::vector<double> no_curves;
      const int n = 1 << 15;
      const HostPathTable table = paths(t, 24, {}, {}, n, 7, no_curves);
      for (int i : {4, 12, 22}) {
        const double forward = t.initial_forwards[static_cast<std::size_t>(i)];
        for (double strike : {forward * 0.8, forward, forward * 1.25}) {
          std::vector<double> payoff(static_cast<std::size_t>(n));
          for (int p = 0; p < n; ++p) {
            payoff[static_cast<std::size_t>(p)] = t.accrual[0] * std::max(table.view.state_at(i, p) - strike, 0.0) *
                                                  table.view.discount_at(i + 1, p);
          }
          const Estimate mc = estimate_of(payoff);
          const double black = black_caplet(forward, strike, displacement, lmm_caplet_variance(t, i), t.accrual[0],
                                            curve.discount(t.tenor[static_cast<std::size_t>(i) + 1]));
          figure(std::fabs(mc.mean - black) / mc.std_error);
          EXPECT_NEAR(mc.mean, black, 4.0 * mc.std_error)
              << (scheme == LmmScheme::kEuler ? "euler, " : "") << factors << " factors, rate " << i << ", K=" << strike;
        }
      }
    }
  }
}

// E[D(0, T_k) P(T_k, T_k + 2y)] = P(0, T_k + 2y): the two-year bond off each path's curve (a
// simple index of 24 months: P = 1 / (1 + 2 L)), deflated by the spot-LIBOR account.
TEST_P(LmmMonteCarlo, DiscountedZeroBondsAreMartingales) {
  test::Figure figure("discounted zero bonds |MC - P(0,T)| in standard errors", 4.0);
  const DiscountCurve curve = test::sample_curve();
  for (LmmScheme scheme : {LmmScheme::kPredictorCorrector, LmmScheme::kEuler}) {
    LmmSpec spec = quarterly(3, 0.01, AbcdVolatility{-0.02, 0.25, 0.8, 0.12});
    spec.scheme = scheme;
    const LmmTables t = build_lmm_tables(spec, curve);
    const std::vector<IndexSpec> bond{{"2Y", IndexKind::kSimple, 24, 24, DayCount::kAct365Fixed}};
    std::vector<double> no_curves;
    const int n = 1 << 14;
    const HostPathTable table = paths(t, 17, bond, {}, n, 3, no_curves);
    for (int k : {4, 10, 16}) {
      std::vector<double> deflated(static_cast<std::size_t>(n));
      for (int p = 0; p < n; ++p) {
        deflated[static_cast<std::size_t>(p)] =
            table.view.discount_at(k, p) / (1.0 + 2.0 * table.view.index_rate_at(0, k, p));
      }
      const Estimate mc = estimate_of(deflated);
      const double expected = curve.discount(t.tenor[static_cast<std::size_t>(k)] + 2.0);
      figure(std::fabs(mc.mean - expected) / mc.std_error);
      EXPECT_NEAR(mc.mean, expected, 4.0 * mc.std_error) << k;
    }
  }
}

// Swaptions against Rebonato's frozen-weights approximation. The approximation's own error is
// the tolerance's second term: it freezes the swap-rate weights and the forward levels at today's
// values, which for volatilities around 20% and expiries up to 5 years is known to misprice by
// well under 1% of the swap-rate volatility (Jaeckel and Rebonato, 2003); at the money the price
// is proportional to the volatility, so 1.5% of the price (plus 4 standard errors) bounds it.
// The swap's bonds come off the path's curve at the expiry (the horizon curve, on the quarterly
// payment dates, where it is exact).
TEST_P(LmmMonteCarlo, SwaptionsAgreeWithRebonatosApproximation) {
  test::Figure gap("swaptions |MC - Rebonato| / Rebonato, Monte Carlo noise included (the test adds 4 SE to this limit)", 0.015);
  test::Figure band("swaptions |MC - Rebonato| as a share of the allowed 4 SE + 1.5%", 1.0);
  const DiscountCurve curve = test::sample_curve();
  LmmSpec spec = quarterly(3, 0.0, AbcdVolatility{-0.02, 0.25, 0.8, 0.12});
  spec.n_rates = 40;
  const LmmTables t = build_lmm_tables(spec, curve);
  const int n = 1 << 14;
  for (const auto& [first, last] : {std::pair{4, 12}, std::pair{8, 28}, std::pair{20, 40}}) {
    double annuity = 0.0;
    for (int i = first; i < last; ++i) annuity += 0.25 * curve.discount(t.tenor[static_cast<std::size_t>(i) + 1]);
    const double atm = (curve.discount(t.tenor[static_cast<std::size_t>(first)]) -
                        curve.discount(t.tenor[static_cast<std::size_t>(last)])) / annuity;
    std::vector<double> nodes;
    for (int j = 1; j <= last - first; ++j) nodes.push_back(0.25 * j);
    std::vector<double> curves;
    const HostPathTable table = paths(t, first + 1, {}, nodes, n, 5, curves);
    for (bool payer : {true, false}) {
      std::vector<double> payoff(static_cast<std::size_t>(n));
      for (int p = 0; p < n; ++p) {
        const double* log_p = table.view.horizon_curve_of(p);
        double annuity_t = 0.0;
        for (int j = 0; j < last - first; ++j) annuity_t += 0.25 * std::exp(log_p[j]);
        const double swap = (1.0 - std::exp(log_p[last - first - 1])) - atm * annuity_t;  // payer swap at expiry
        payoff[static_cast<std::size_t>(p)] = std::max(payer ? swap : -swap, 0.0) * table.view.discount_at(first, p);
      }
      const Estimate mc = estimate_of(payoff);
      const double approx = rebonato_swaption(t, curve, first, last, atm, payer);
      gap(std::fabs(mc.mean - approx) / approx);
      band(std::fabs(mc.mean - approx) / (4.0 * mc.std_error + 0.015 * approx));
      EXPECT_NEAR(mc.mean, approx, 4.0 * mc.std_error + 0.015 * approx)
          << (payer ? "payer " : "receiver ") << first << "x" << last;
    }
  }
}

TEST(Lmm, CalibrationReproducesCapletVolatilities) {
  const DiscountCurve curve = test::sample_curve();
  LmmSpec spec = quarterly(2, 0.0, AbcdVolatility{-0.02, 0.25, 0.8, 0.12});
  const auto dir = test::temp_dir("lmm-calibration");
  std::ofstream(dir / "caplets.csv") << "expiry_years,black_volatility\n1.0,0.24\n2.0,0.22\n3.0,0.205\n5.0,0.19\n";
  const std::vector<CapletQuote> quotes = read_caplet_quotes((dir / "caplets.csv").string(), 3, spec.n_rates);
  ASSERT_EQ(quotes.size(), 4u);
  EXPECT_EQ(quotes[1].rate, 8);
  std::vector<CalibrationFit> fit;
  const LmmTables t = build_lmm_tables(calibrate_to_caplets(spec, quotes, &fit), curve);
  for (const CalibrationFit& f : fit) {
    EXPECT_NEAR(f.model, f.target, 1e-12) << f.rate;
    // The tables carry the calibrated variance: Black on it is the quoted caplet.
    const double fixing = t.tenor[static_cast<std::size_t>(f.rate)];
    EXPECT_NEAR(std::sqrt(lmm_caplet_variance(t, f.rate) / fixing), f.target, 1e-12);
  }
  // And the Monte Carlo caplet at the money matches Black at the quoted volatility.
  const int i = 8;
  const double forward = t.initial_forwards[i];
  const Estimate mc = monte_carlo(t, 1 << 14, 9, [&](const double* h) {
    return 0.25 * std::max(h[static_cast<std::size_t>(i) * t.spec.n_rates + i] - forward, 0.0) / numeraire(t, h, i + 1);
  });
  const double black = black_caplet(forward, forward, 0.0, 0.22 * 0.22 * 2.0, 0.25, curve.discount(t.tenor[i + 1]));
  EXPECT_NEAR(mc.mean, black, 4.0 * mc.std_error);

  std::ofstream(dir / "bad.csv") << "expiry_years,black_volatility\n1.1,0.2\n2.0,-1\n";
  try {
    read_caplet_quotes((dir / "bad.csv").string(), 3, spec.n_rates);
    ADD_FAILURE() << "bad quotes accepted";
  } catch (const InputError& e) {
    ASSERT_EQ(e.issues().size(), 2u);
    EXPECT_EQ(e.issues()[0].rule, "not a caplet expiry");
    EXPECT_EQ(e.issues()[1].rule, "not a volatility");
    EXPECT_EQ(e.issues()[1].line, 3);
  }
}

TEST(Lmm, ReducedCorrelationKeepsTheLeadingEigenStructure) {
  const DiscountCurve curve = test::sample_curve();
  for (int m : {1, 3, 8}) {
    LmmSpec spec = quarterly(m, 0.0, AbcdVolatility{});
    spec.n_rates = 40;
    const LmmTables t = build_lmm_tables(spec, curve);
    const int n = spec.n_rates;
    Eigen::MatrixXd loadings(n, m), target(n, n);
    for (int i = 0; i < n; ++i) {
      for (int f = 0; f < m; ++f) loadings(i, f) = t.factor_loadings[static_cast<std::size_t>(i) * m + f];
      for (int j = 0; j < n; ++j) target(i, j) = std::exp(-0.15 * std::fabs(0.25 * (i - j)));
    }
    const Eigen::MatrixXd reduced = loadings * loadings.transpose();
    for (int i = 0; i < n; ++i) EXPECT_NEAR(reduced(i, i), 1.0, 1e-12);  // rows of unit length
    // One factor with unit rows is perfect correlation; with more, the leading eigenvector of the
    // reduced matrix is the target's.
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> a(target), b(reduced);
    const double alignment = std::fabs(a.eigenvectors().col(n - 1).dot(b.eigenvectors().col(n - 1)));
    if (m == 1) {
      EXPECT_NEAR(reduced.minCoeff(), 1.0, 1e-12);
    } else {
      EXPECT_GT(alignment, 0.9999) << m;
    }
    // The approximation error shrinks with the factors kept, bounded by the discarded eigenvalues.
    double discarded = 0.0;
    for (int f = m; f < n; ++f) discarded += t.eigenvalues[static_cast<std::size_t>(f)];
    EXPECT_LT((reduced - target).norm(), 2.0 * discarded + 1e-12) << m;
  }
  // With as many factors as rates, the reduction is the target itself.
  LmmSpec full = quarterly(8, 0.0, AbcdVolatility{});
  full.n_rates = 8;
  const LmmTables t = build_lmm_tables(full, curve);
  for (int i = 0; i < 8; ++i) {
    for (int j = 0; j < 8; ++j) {
      double c = 0.0;
      for (int f = 0; f < 8; ++f) c += t.factor_loadings[static_cast<std::size_t>(i) * 8 + f] * t.factor_loadings[static_cast<std::size_t>(j) * 8 + f];
      EXPECT_NEAR(c, std::exp(-0.15 * std::fabs(0.25 * (i - j))), 1e-12);
    }
  }
}

}  // namespace
}  // namespace ratesim

namespace ratesim {
namespace {

// A user matrix the exponential form cannot make: two blocks (short and long end) correlated 0.9
// inside and 0.3 across, with full factors so the model keeps it exactly.
std::vector<std::vector<double>> two_block_correlation(int n) {
  std::vector<std::vector<double>> rho(static_cast<std::size_t>(n), std::vector<double>(static_cast<std::size_t>(n)));
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      rho[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = i == j ? 1.0 : ((i < n / 2) == (j < n / 2) ? 0.9 : 0.3);
    }
  }
  return rho;
}

TEST(LmmUserCorrelation, TheExponentialMatrixGivenByHandBuildsTheSameModel) {
  const DiscountCurve curve = test::sample_curve();
  const LmmSpec by_beta = quarterly(3, 0.01, AbcdVolatility{-0.02, 0.25, 0.8, 0.12});
  LmmSpec by_matrix = by_beta;
  const int n = by_beta.n_rates;
  by_matrix.correlation.assign(static_cast<std::size_t>(n), std::vector<double>(static_cast<std::size_t>(n)));
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) by_matrix.correlation[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = std::exp(-0.15 * 0.25 * std::abs(i - j));
  }
  const LmmTables a = build_lmm_tables(by_beta, curve), b = build_lmm_tables(by_matrix, curve);
  ASSERT_EQ(a.loadings.size(), b.loadings.size());
  for (std::size_t i = 0; i < a.loadings.size(); ++i) EXPECT_NEAR(a.loadings[i], b.loadings[i], 1e-13) << i;
}

TEST(LmmUserCorrelation, SimulatedLogIncrementsCarryTheMatrix) {
  test::Figure figure("sample correlation vs the user matrix in standard errors", 4.0);
  // Over the first step the increments of ln L_i are Gaussian with correlation rho_ij (the drift
  // is a function of L(0) in the predictor and nearly so in the corrector); the sample
  // correlation's standard error is (1 - rho^2) / sqrt(paths).
  LmmSpec spec = quarterly(8, 0.0, AbcdVolatility{0.0, 0.0, 0.0, 0.2});
  spec.n_rates = 8;
  spec.correlation = two_block_correlation(8);
  const LmmTables t = build_lmm_tables(spec, test::sample_curve());
  const LmmGridView g = t.view();
  const int paths = 40000;
  std::vector<double> x(static_cast<std::size_t>(paths) * 8);
  for (int p = 0; p < paths; ++p) {
    simulate_lmm_path(g, 7, static_cast<std::uint64_t>(p), [&](int k, const double* L) {
      if (k != 1) return;
      for (int i = 1; i < 8; ++i) x[static_cast<std::size_t>(p) * 8 + i] = std::log(L[i] / t.initial_forwards[static_cast<std::size_t>(i)]);
    });
  }
  for (auto [i, j] : {std::pair{1, 2}, std::pair{1, 6}, std::pair{5, 7}}) {
    double si = 0, sj = 0, sii = 0, sjj = 0, sij = 0;
    for (int p = 0; p < paths; ++p) {
      const double a = x[static_cast<std::size_t>(p) * 8 + i], b = x[static_cast<std::size_t>(p) * 8 + j];
      si += a; sj += b; sii += a * a; sjj += b * b; sij += a * b;
    }
    const double ci = sii / paths - (si / paths) * (si / paths), cj = sjj / paths - (sj / paths) * (sj / paths);
    const double sample = (sij / paths - si / paths * sj / paths) / std::sqrt(ci * cj);
    const double target = spec.correlation[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
    figure(std::fabs(sample - target) / ((1.0 - target * target) / std::sqrt(paths)));
    EXPECT_NEAR(sample, target, 4.0 * (1.0 - target * target) / std::sqrt(paths)) << i << "," << j;
  }
}

TEST(LmmUserCorrelation, MatrixFileRules) {
  const auto dir = test::temp_dir("lmm-correlation");
  auto issues_of = [&](const std::string& name, const std::string& text) {
    const auto file = dir / name;
    std::ofstream(file) << text;
    try {
      read_correlation_matrix(file.string(), 6, 3);
    } catch (const InputError& e) {
      return e.issues();
    }
    ADD_FAILURE() << name << " was accepted";
    return std::vector<InputIssue>{};
  };
  const auto good = dir / "good.csv";
  std::ofstream(good) << "0,0.5,1.0\n1,0.8,0.6\n0.8,1,0.8\n0.6,0.8,1\n";
  const auto rho = read_correlation_matrix(good.string(), 6, 3);
  EXPECT_DOUBLE_EQ(rho[2][0], 0.6);

  auto size = issues_of("size.csv", "0,0.5\n1,0.5\n0.5,1\n");
  ASSERT_EQ(size.size(), 2u);
  EXPECT_EQ(size[0].rule, "wrong size");
  auto tenor = issues_of("tenor.csv", "0,0.25,1.0\n1,0,0\n0,1,0\n0,0,1\n");
  ASSERT_EQ(tenor.size(), 1u);
  EXPECT_EQ(tenor[0].rule, "tenor mismatch");
  EXPECT_EQ(tenor[0].line, 1);
  EXPECT_EQ(tenor[0].column, 3);
  auto range = issues_of("range.csv", "0,0.5,1.0\n1,1.2,0\n1.2,0.9,0\nx,0,1\n");
  ASSERT_EQ(range.size(), 4u);
  EXPECT_EQ(range[0].rule, "not a correlation");
  EXPECT_EQ(range[2].rule, "diagonal not 1");
  EXPECT_EQ(range[2].line, 3);
  EXPECT_EQ(range[3].line, 4);
  EXPECT_EQ(range[3].column, 1);
  auto asymmetric = issues_of("asymmetric.csv", "0,0.5,1.0\n1,0.5,0\n0.4,1,0\n0,0,1\n");
  ASSERT_EQ(asymmetric.size(), 1u);
  EXPECT_EQ(asymmetric[0].rule, "not symmetric");
  EXPECT_EQ(asymmetric[0].line, 3);
  // Valid entries, symmetric, but no correlation matrix: rho12 = rho23 = 0.9 forces rho13 > 0.62.
  auto indefinite = issues_of("indefinite.csv", "0,0.5,1.0\n1,0.9,-0.5\n0.9,1,0.9\n-0.5,0.9,1\n");
  ASSERT_EQ(indefinite.size(), 1u);
  EXPECT_EQ(indefinite[0].rule, "not positive semidefinite");
}

// The step as it was written before predictor and corrector were fused: two passes over the
// rates with the drifts, shocks and predicted forwards kept in arrays. The fused one-pass step
// must give the same forwards bit for bit: every sum runs over the same terms in the same order.
void two_pass_step(const LmmGridView& g, int k, const double* z, double* L) {
  const int n = g.n_rates, m = g.n_factors;
  const double dt = g.times[k + 1] - g.times[k], sqdt = std::sqrt(dt), s = g.displacement;
  const double* lambda = g.loadings + static_cast<std::size_t>(k) * n * m;
  double v[kMaxLmmFactors] = {}, drift0[kMaxLmmRates], shock[kMaxLmmRates], predicted[kMaxLmmRates];
  for (int i = g.first_alive[k]; i < n; ++i) {
    const double* li = lambda + i * m;
    const double weight = g.accrual[i] * (L[i] + s) / (1.0 + g.accrual[i] * L[i]);
    double drift = 0, var = 0, dw = 0;
    for (int f = 0; f < m; ++f) {
      v[f] += weight * li[f];
      drift += li[f] * v[f];
      var += li[f] * li[f];
      dw += li[f] * z[f];
    }
    drift0[i] = drift;
    shock[i] = dw * sqdt - 0.5 * var * dt;
    predicted[i] = (L[i] + s) * std::exp(drift * dt + shock[i]) - s;
  }
  for (int f = 0; f < m; ++f) v[f] = 0;
  for (int i = g.first_alive[k]; i < n; ++i) {
    const double* li = lambda + i * m;
    const double weight = g.accrual[i] * (predicted[i] + s) / (1.0 + g.accrual[i] * predicted[i]);
    double drift = 0;
    for (int f = 0; f < m; ++f) {
      v[f] += weight * li[f];
      drift += li[f] * v[f];
    }
    L[i] = (L[i] + s) * std::exp(0.5 * (drift0[i] + drift) * dt + shock[i]) - s;
  }
}

TEST(Lmm, FusedPredictorCorrectorIsTheTwoPassStepBitForBit) {
  for (int factors : {1, 2, 3, 5}) {
    LmmSpec spec = quarterly(factors, 0.01, AbcdVolatility{-0.02, 0.25, 0.8, 0.12});
    spec.steps_per_accrual = 3;
    const LmmTables t = build_lmm_tables(spec, test::sample_curve());
    const LmmGridView g = t.view();
    std::vector<double> fused(t.initial_forwards), reference(t.initial_forwards);
    PhiloxPathNormals normals{5, 9};
    for (int k = 0; k < g.n_steps; ++k) {
      double z[kMaxLmmFactors];
      for (int f = 0; f < factors; f += 2) {
        const NormalPair pair = normals.next_pair();
        z[f] = 3.0 * pair.first;  // large moves: the drift terms matter
        if (f + 1 < factors) z[f + 1] = 3.0 * pair.second;
      }
      two_pass_step(g, k, z, reference.data());
      with_lmm_specialisation(g, [&](auto scheme, auto m) {
        lmm_step<decltype(scheme)::value, decltype(m)::value>(g, k, z, fused.data());
      });
      for (int i = 0; i < g.n_rates; ++i) ASSERT_EQ(fused[static_cast<std::size_t>(i)], reference[static_cast<std::size_t>(i)]) << factors << " factors, step " << k << ", rate " << i;
    }
  }
}

// Giles' scheme keeps the start-of-step drift: one exp per rate and step. Against the same
// normals it differs from the predictor-corrector by the drift's change over the step, O(dt)
// of the drift, and each forward's step is log-normal with the drift it is given.
TEST(Lmm, EulerStepUsesTheStartOfStepDrift) {
  LmmSpec spec = quarterly(2, 0.0, AbcdVolatility{0.0, 0.0, 0.0, 0.2});
  spec.scheme = LmmScheme::kEuler;
  const LmmTables t = build_lmm_tables(spec, test::sample_curve());
  const LmmGridView g = t.view();
  std::vector<double> L(t.initial_forwards);
  const double z[2] = {0.3, -1.1};
  lmm_step<LmmScheme::kEuler, 2>(g, 0, z, L.data());
  // By hand for every rate: drift_i = lambda_i . sum_{j <= i} delta L_j lambda_j / (1 + delta L_j).
  double v[2] = {0.0, 0.0};
  const double dt = g.times[1] - g.times[0];
  for (int i = g.first_alive[0]; i < g.n_rates; ++i) {
    const double* li = g.loadings + static_cast<std::size_t>(i) * 2;
    const double L0 = t.initial_forwards[static_cast<std::size_t>(i)];
    const double w = 0.25 * L0 / (1.0 + 0.25 * L0);
    v[0] += w * li[0];
    v[1] += w * li[1];
    const double drift = li[0] * v[0] + li[1] * v[1];
    const double var = li[0] * li[0] + li[1] * li[1];
    const double expected = L0 * std::exp(drift * dt - 0.5 * var * dt + (li[0] * z[0] + li[1] * z[1]) * std::sqrt(dt));
    EXPECT_NEAR(L[static_cast<std::size_t>(i)], expected, 1e-15 * expected) << i;
  }
}

}  // namespace
}  // namespace ratesim
