// Monte Carlo Hull-White against closed forms; tolerances are 4 standard errors. Every check runs
// on every backend (test::EveryBackend): the CPU here, and CUDA wherever a GPU is usable.

#include <gtest/gtest.h>

#include <cmath>

#include "ratesim/engine/backend.hpp"
#include "ratesim/engine/simulation.hpp"
#include "ratesim/model/hull_white_analytic.hpp"
#include "ratesim/model/hull_white_tables.hpp"
#include "ratesim/risk/statistics.hpp"
#include "test_support.hpp"

namespace ratesim {
namespace {

constexpr std::int64_t kPaths = 1 << 16;

// No index rates: these tests look at the state and the discount factor only.
SimulationSpec monthly_spec(double a, double sigma, int horizon_months) {
  SimulationSpec spec = test::hull_white_spec(a, sigma, horizon_months, kPaths, 20261122);
  spec.indices.clear();
  return spec;
}

class HullWhiteMonteCarlo : public test::EveryBackend {};
RATESIM_ON_EVERY_BACKEND(HullWhiteMonteCarlo);

TEST_P(HullWhiteMonteCarlo, MeanPathDiscountEqualsTheCurve) {
  test::Figure figure("|E[D(0,t)] - P(0,t)| in standard errors", 4.0);
  for (const HullWhiteParams p : {HullWhiteParams{0.03, 0.01}, HullWhiteParams{0.0, 0.008},
                                  HullWhiteParams{0.5, 0.02}}) {
    const SimulationSpec spec = monthly_spec(p.mean_reversion, p.volatility, 240);
    const SimulationResult result = run_simulation(spec, backend());
    for (int month : {1, 12, 24, 60, 120, 240}) {
      const DateSummary& d = result.dates[static_cast<std::size_t>(month)];
      ASSERT_GT(d.mc_discount_std_error, 0.0);
      figure(std::fabs(d.mc_discount_mean - d.curve_discount) / d.mc_discount_std_error);
      EXPECT_NEAR(d.mc_discount_mean, d.curve_discount, 4.0 * d.mc_discount_std_error)
          << "a=" << p.mean_reversion << " month " << month;
    }
  }
}

TEST_P(HullWhiteMonteCarlo, StateMeanAndVarianceMatchTheClosedForm) {
  const SimulationSpec spec = monthly_spec(0.05, 0.012, 120);
  const SimulationResult result = run_simulation(spec, backend());
  const double n = static_cast<double>(kPaths);
  test::Figure mean_figure("|mean r(t) - phi(t)| in standard errors", 4.0);
  test::Figure variance_figure("|var r(t) - sigma^2 B(2a,t)| in standard errors", 4.0);
  for (int month : {3, 12, 60, 120}) {
    const DateSummary& d = result.dates[static_cast<std::size_t>(month)];
    const double model_var = d.model_short_rate_std * d.model_short_rate_std;
    // E[r(t)] = phi(t) under the risk-neutral measure; Var r(t) = sigma^2 B(2a, t).
    mean_figure(std::fabs(d.short_rate_mean - d.model_short_rate_mean) / (d.model_short_rate_std / std::sqrt(n)));
    variance_figure(std::fabs(d.short_rate_std * d.short_rate_std - model_var) / (model_var * std::sqrt(2.0 / (n - 1))));
    EXPECT_NEAR(d.short_rate_mean, d.model_short_rate_mean, 4.0 * d.model_short_rate_std / std::sqrt(n))
        << month;
    EXPECT_NEAR(d.short_rate_std * d.short_rate_std, model_var, 4.0 * model_var * std::sqrt(2.0 / (n - 1)))
        << month;
    // Quantiles of a Gaussian: SE of the q-quantile is sqrt(q(1-q)/n) / density at it; the
    // histogram adds at most a bin width (20 sd / 8192).
    const double z[] = {-2.3263478740408408, -1.6448536269514722, 0.0, 1.6448536269514722,
                        2.3263478740408408};
    for (std::size_t i = 0; i < spec.quantiles.size(); ++i) {
      const double q = spec.quantiles[i];
      const double density = std::exp(-0.5 * z[i] * z[i]) / std::sqrt(2.0 * M_PI);
      const double se = std::sqrt(q * (1 - q) / n) / density * d.model_short_rate_std;
      const double expected = d.model_short_rate_mean + z[i] * d.model_short_rate_std;
      EXPECT_NEAR(d.short_rate_quantiles[i], expected, 4.0 * se + 20.0 * d.model_short_rate_std / 8192)
          << "month " << month << " q " << q;
    }
  }
}

// Paths on a quarterly grid in years with a 3M simple index: the index fixed at T pays at
// S = T + 0.25, which is the next grid date, so D(0,S) discounts the payoff exactly.
struct QuarterlyPaths {
  HullWhiteTables tables;
  HostPathTable paths;
};

QuarterlyPaths quarterly_paths(Backend backend, const HullWhiteParams& p, int quarters) {
  std::vector<double> times;
  for (int q = 1; q <= quarters; ++q) times.push_back(0.25 * q);
  const std::vector<IndexSpec> indices{{"3M", IndexKind::kSimple, 3, 3, DayCount::kAct360},
                                       {"SWAP_5Y", IndexKind::kParSwap, 60, 12, DayCount::kThirty360}};
  QuarterlyPaths out{build_hull_white_tables(test::sample_curve(), p, make_year_grid(times), indices,
                                             make_date(2026, 6, 30), DayCount::kAct365Fixed),
                     {}};
  const auto engine = make_path_engine(backend, out.tables);
  engine->generate(99, 0, static_cast<int>(kPaths));
  out.paths = engine->download();
  return out;
}

TEST_P(HullWhiteMonteCarlo, CapletsAndFloorletsMatchTheAnalyticPrice) {
  test::Figure figure("caplets and floorlets |MC - closed form| in standard errors", 4.0);
  const HullWhiteParams p{0.04, 0.011};
  const QuarterlyPaths q = quarterly_paths(GetParam(), p, 21);
  const DiscountCurve curve = test::sample_curve();
  const PathTableView& v = q.paths.view;
  for (int fixing : {4, 8, 20}) {  // T = 1, 2, 5 years
    const double start = 0.25 * fixing, end = start + 0.25;
    const double forward = (curve.discount(start) / curve.discount(end) - 1.0) / 0.25;
    for (double strike : {forward - 0.01, forward, forward + 0.01}) {
      for (bool is_cap : {true, false}) {
        CompensatedSum sum, sum_squares;
        for (int path = 0; path < v.n_paths; ++path) {
          const double rate = v.index_rate_at(0, fixing, path);
          const double payoff = 0.25 * std::max(is_cap ? rate - strike : strike - rate, 0.0) *
                                v.discount_at(fixing + 1, path);
          sum.add(payoff);
          sum_squares.add(payoff * payoff);
        }
        const double n = v.n_paths;
        const double mean = sum.value() / n;
        const double se = std::sqrt((sum_squares.value() / n - mean * mean) / (n - 1));
        const double analytic = hw_caplet(curve, p, is_cap, start, end, 0.25, strike);
        figure(std::fabs(mean - analytic) / se);
        EXPECT_NEAR(mean, analytic, 4.0 * se)
            << (is_cap ? "caplet" : "floorlet") << " T=" << start << " K=" << strike;
      }
    }
  }
}

TEST_P(HullWhiteMonteCarlo, IndexRatesAreConsistentWithTheCurve) {
  test::Figure figure("E[D(0,t) P(t,t+3M)] vs P(0,t+3M) in standard errors", 4.0);
  const HullWhiteParams p{0.04, 0.011};
  const QuarterlyPaths q = quarterly_paths(GetParam(), p, 21);
  const DiscountCurve curve = test::sample_curve();
  const PathTableView& v = q.paths.view;
  // At t = 0 every path sees today's curve: the 3M forward and the 5Y par rate.
  const double fra = (1.0 / curve.discount(0.25) - 1.0) / 0.25;
  double annuity = 0.0;
  for (int y = 1; y <= 5; ++y) annuity += curve.discount(y);
  const double par = (1.0 - curve.discount(5.0)) / annuity;
  EXPECT_NEAR(v.index_rate_at(0, 0, 17), fra, 1e-14);
  EXPECT_NEAR(v.index_rate_at(1, 0, 17), par, 1e-14);
  // Martingale: E[D(0,t) P(t, t+0.25)] = P(0, t+0.25) with P(t, t+0.25) = 1 / (1 + 0.25 L).
  for (int k : {4, 12, 20}) {
    CompensatedSum sum, sum_squares;
    for (int path = 0; path < v.n_paths; ++path) {
      const double value = v.discount_at(k, path) / (1.0 + 0.25 * v.index_rate_at(0, k, path));
      sum.add(value);
      sum_squares.add(value * value);
    }
    const double n = v.n_paths, mean = sum.value() / n;
    const double se = std::sqrt((sum_squares.value() / n - mean * mean) / (n - 1));
    figure(std::fabs(mean - curve.discount(0.25 * k + 0.25)) / se);
    EXPECT_NEAR(mean, curve.discount(0.25 * k + 0.25), 4.0 * se) << k;
  }
}

}  // namespace
}  // namespace ratesim
