// Giles' LIBOR workload (benchmarks/giles/) and its peer (benchmarks/peers/): the shared portfolio
// code against the payoff written out by hand, the SIMD lanes against the scalar path code, float
// against double, both schemes against Rebonato's approximation, and the peer against ratesim.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "benchmarks/giles/giles_workload.hpp"
#include "benchmarks/peers/giles_libor.hpp"
#include "ratesim/risk/distribution.hpp"
#include "test_support.hpp"

namespace ratesim {
namespace {

Distribution estimate(const std::vector<double>& values) { return describe(values, {}); }

LmmTables small_model(LmmScheme scheme, int factors) {
  LmmSpec spec;
  spec.n_rates = 40;
  spec.accrual_months = 3;
  spec.n_factors = factors;
  spec.volatility = AbcdVolatility{0.0, 0.0, 0.0, 0.2};
  spec.correlation_beta = 0.15;
  spec.horizon_periods = 20;
  spec.scheme = scheme;
  return build_lmm_tables(spec, test::sample_curve());
}

// The payoff written out by hand over the forwards of the scalar path code (std::exp), against
// the CPU backend (8 or 4 paths in SIMD lanes, its own vector exp). The two exps differ by at
// most an ulp, so each forward differs by a relative ~ (steps + rates) u = 60 * 1.1e-16 after 20
// steps; the portfolio value is 100 x 3 swaptions of O(1) annuity-weighted sums of them, so 1e-11
// absolute bounds the difference with room. In float the arithmetic itself is 2^29 times coarser:
// per unit of swaption notional 60 * 6e-8 = 4e-6.
TEST(GilesWorkload, MatchesTheHandWrittenPayoffInEitherScheme) {
  const SwaptionPortfolio book{20, {4, 12, 20}, {0.03, 0.035, 0.04}, 100.0};
  test::Figure lanes("SIMD lanes vs scalar path code, double, absolute", 1e-11);
  test::Figure narrow("float vs double path value per unit notional", 4e-6);
  for (LmmScheme scheme : {LmmScheme::kPredictorCorrector, LmmScheme::kEuler}) {
    for (int factors : {1, 2, 4}) {
      const LmmTables t = small_model(scheme, factors);
      const int paths = 403;  // not a multiple of the lane width: the last group is padded
      const auto dbl = lmm_swaption_portfolio_values(Backend::kCpu, Precision::kDouble, t, book, 3, 100, paths);
      const auto flt = lmm_swaption_portfolio_values(Backend::kCpu, Precision::kFloat, t, book, 3, 100, paths);
      ASSERT_EQ(dbl.values.size(), static_cast<std::size_t>(paths));
      const LmmGridView g = t.view();
      const int n = g.n_rates;
      std::vector<double> history(static_cast<std::size_t>(g.n_steps + 1) * n);
      double worst_lanes = 0.0, worst_float = 0.0;
      for (int p = 0; p < paths; ++p) {
        simulate_lmm_path(g, 3, static_cast<std::uint64_t>(100 + p), [&](int k, const double* L) {
          std::copy(L, L + n, history.begin() + static_cast<std::ptrdiff_t>(k) * n);
        });
        const double* at_expiry = history.data() + static_cast<std::size_t>(20) * n;
        double expected = 0.0, numeraire = 1.0;
        for (int j = 0; j < 20; ++j) numeraire *= 1.0 + 0.25 * history[static_cast<std::size_t>(j) * n + j];
        for (std::size_t o = 0; o < book.periods.size(); ++o) {
          double bond = 1.0, annuity = 0.0;
          for (int i = 20; i < 20 + book.periods[o]; ++i) {
            bond /= 1.0 + 0.25 * at_expiry[i];
            annuity += 0.25 * bond;
          }
          expected += 100.0 * std::max(book.strikes[o] * annuity + bond - 1.0, 0.0);
        }
        expected /= numeraire;
        const double v = dbl.values[static_cast<std::size_t>(p)];
        worst_lanes = std::max(worst_lanes, std::fabs(v - expected));
        worst_float = std::max(worst_float, std::fabs(flt.values[static_cast<std::size_t>(p)] - v) /
                                                (book.notional * static_cast<double>(book.periods.size())));
      }
      EXPECT_LT(lanes(worst_lanes), 1e-11) << factors << " factors";
      EXPECT_LT(narrow(worst_float), 4e-6) << factors << " factors";
      EXPECT_GT(worst_float, 0.0);  // the float path really ran in float
    }
  }
}

// A path's value depends on its index alone, never on which lane group or thread it fell in.
TEST(GilesWorkload, PathValuesIgnoreTheLaneGrouping) {
  const LmmTables t = small_model(LmmScheme::kEuler, 1);
  const SwaptionPortfolio book{20, {4, 20}, {0.03, 0.04}, 100.0};
  for (Precision precision : {Precision::kDouble, Precision::kFloat}) {
    const auto a = lmm_swaption_portfolio_values(Backend::kCpu, precision, t, book, 9, 0, 1000);
    const auto b = lmm_swaption_portfolio_values(Backend::kCpu, precision, t, book, 9, 3, 990);
    for (std::size_t p = 0; p < b.values.size(); ++p) ASSERT_EQ(b.values[p], a.values[p + 3]) << p;
  }
}

// The whole workload: both schemes, both precisions, within 4 standard errors plus Rebonato's
// own error (1.5% of the price, the bound lmm_test.cpp justifies) of the approximation.
TEST(GilesWorkload, BothSchemesAgreeWithRebonato) {
  test::Figure figure("Giles portfolio |MC - Rebonato| as a share of 4 SE + 1.5%", 1.0);
  const double rebonato = giles_portfolio_rebonato();
  for (LmmScheme scheme : {LmmScheme::kPredictorCorrector, LmmScheme::kEuler}) {
    for (Precision precision : {Precision::kDouble, Precision::kFloat}) {
      const auto run = lmm_swaption_portfolio_values(Backend::kCpu, precision, giles_tables(scheme), giles_portfolio(),
                                                     20260630, 0, 1 << 16);
      const Distribution mc = estimate(run.values);
      const double allowed = 4.0 * mc.std_error + 0.015 * rebonato;
      EXPECT_LT(figure(std::fabs(mc.mean - rebonato) / allowed), 1.0)
          << (scheme == LmmScheme::kEuler ? "euler " : "predictor-corrector ")
          << (precision == Precision::kFloat ? "float" : "double") << ": " << mc.mean << " vs " << rebonato;
    }
  }
}

// The peer (other draws, the same model and payoff) within 4 combined standard errors of
// ratesim's Euler run, the scheme it shares.
TEST(GilesPeer, ValuesThePortfolioAsRatesimDoes) {
  std::vector<double> peer(1 << 16);
  peers::giles_libor_values(peers::GilesLiborWorkload{}, 77, 0, peer);
  const auto ours = lmm_swaption_portfolio_values(Backend::kCpu, Precision::kFloat, giles_tables(LmmScheme::kEuler),
                                                  giles_portfolio(), 20260630, 0, 1 << 16);
  const Distribution a = estimate(peer), b = estimate(ours.values);
  const double combined = std::hypot(a.std_error, b.std_error);
  test::Figure("Giles peer vs ratesim Euler in combined standard errors", 4.0)(std::fabs(a.mean - b.mean) / combined);
  EXPECT_NEAR(a.mean, b.mean, 4.0 * combined);
  EXPECT_GT(a.std_error, 0.0);
}

TEST(GilesWorkload, RejectsWhatTheGridCannotValue) {
  LmmSpec spec;
  spec.n_rates = 24;
  spec.horizon_periods = 8;
  const LmmTables t = build_lmm_tables(spec, test::sample_curve());
  auto value = [&](SwaptionPortfolio book) {
    lmm_swaption_portfolio_values(Backend::kCpu, Precision::kDouble, t, book, 1, 0, 10);
  };
  EXPECT_THROW(value({6, {4}, {0.03}, 1.0}), std::invalid_argument);    // grid ends at 8, not 6
  EXPECT_THROW(value({8, {20}, {0.03}, 1.0}), std::invalid_argument);   // swap beyond the tenor
  EXPECT_THROW(value({8, {4, 4}, {0.03}, 1.0}), std::invalid_argument); // strikes missing
  EXPECT_NO_THROW(value({8, {4, 16}, {0.03, 0.04}, 1.0}));
}

}  // namespace
}  // namespace ratesim
