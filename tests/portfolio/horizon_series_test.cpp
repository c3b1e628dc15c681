// Horizon EVE from the legs' series in the Hull-White state (portfolio/horizon_series.hpp)
// against the full revaluation of every leg on every path, which stays the reference: the same
// run with NiiSpec::horizon_series off. Every position of the kinds book sits in a segment of its
// own, so each position's horizon value is compared on each path, not only the bank's total.

#include <gtest/gtest.h>

#include <omp.h>

#include <cmath>
#include <limits>
#include <fstream>

#include "ratesim/config/simulation_config.hpp"
#include "ratesim/engine/nii.hpp"
#include "ratesim/model/hull_white.hpp"
#include "ratesim/portfolio/nii_tables.hpp"
#include "ratesim/portfolio/portfolio_reader.hpp"
#include "kinds_book.hpp"
#include "test_support.hpp"

namespace ratesim {
namespace {

class HorizonSeries : public ::testing::TestWithParam<BalanceSheetAssumption> {};
INSTANTIATE_TEST_SUITE_P(Assumptions, HorizonSeries,
                         ::testing::Values(BalanceSheetAssumption::kConstant, BalanceSheetAssumption::kRunOff),
                         [](const ::testing::TestParamInfo<BalanceSheetAssumption>& param) {
                           return std::string(param.param == BalanceSheetAssumption::kConstant ? "Constant" : "RunOff");
                         });

TEST_P(HorizonSeries, EveryPositionOnEveryPathMatchesItsFullRevaluation) {
  const EveSpec book = test::kinds_book();
  const NiiResult series = run_nii(book, test::kinds_book_run(256, GetParam(), HorizonSeriesMode::kAlways), select_backend(DeviceChoice::kCpu));
  const NiiResult revalued = run_nii(book, test::kinds_book_run(256, GetParam(), HorizonSeriesMode::kOff), select_backend(DeviceChoice::kCpu));
  // The series stand in for every leg, the cap's and the floor's too (their running caplet's
  // kink is a breakpoint: CapsAndFloorsBreakAtTheRunningCapletsStrike).
  const HorizonSeriesSummary& s = series.horizon_series;
  EXPECT_EQ(s.legs[static_cast<int>(HorizonForm::kRevalue)], 0);
  EXPECT_GT(s.legs[static_cast<int>(HorizonForm::kState)], 0);
  EXPECT_GT(s.legs[static_cast<int>(HorizonForm::kAffine)], 0);
  EXPECT_GT(s.legs[static_cast<int>(HorizonForm::kTensor)], 0);
  EXPECT_EQ(revalued.horizon_series.valuations, 0);
  test::expect_series_match_revaluation(series, revalued, book.portfolio, "kinds book", "each position's horizon value");
}

TEST(HorizonSeries, SampleBankEveryPathMatchesItsFullRevaluation) {
  RunConfig config = load_run_config(test::source_path("scenarios/sample_bank/bank.yaml"), true);
  const EveSpec book = make_eve_spec(config);
  NiiSpec spec = make_nii_spec(config, book);
  spec.paths = 64;
  spec.scenarios.clear();
  spec.horizon_series = HorizonSeriesMode::kAlways;
  const NiiResult series = run_nii(book, spec, select_backend(DeviceChoice::kCpu));
  spec.horizon_series = HorizonSeriesMode::kOff;
  const NiiResult revalued = run_nii(book, spec, select_backend(DeviceChoice::kCpu));
  const HorizonSeriesSummary& s = series.horizon_series;
  const std::int64_t fitted = s.legs[1] + s.legs[2] + s.legs[3];
  EXPECT_GT(fitted, 0);
  // Legs the series cannot reach stay revalued, and must be rare to make a difference in speed.
  EXPECT_LE(s.legs[static_cast<int>(HorizonForm::kRevalue)], fitted / 100);
  test::expect_series_match_revaluation(series, revalued, book.portfolio, "sample bank", "a segment's horizon EVE");
}

// The series and their pool are the same for any thread count.
/// The fit's inputs for the kinds book over 12 months, as run_nii builds them.
struct FitSetup {
  EveSpec book = test::kinds_book();
  NiiTables tables;
  HorizonCurve horizon;
  HorizonSeriesInputs inputs;

  FitSetup() {
    const int months = 12;
    const TimeGrid grid = make_calendar_grid(book.valuation_date, book.day_count, 1, months);
    const std::vector<IndexSpec> indices = required_indices(book.portfolio, book.behaviours);
    const HullWhiteTables hw = build_hull_white_tables(book.base_curves[0], book.model, grid, indices,
                                                       book.valuation_date, book.day_count);
    tables = build_nii_tables(book.portfolio, book.behaviours, book.valuation_date, months, today_index_rates(hw));
    horizon = horizon_curve_for(book, grid.dates.back().days);
    inputs = hull_white_horizon_inputs(hw, book.base_curves[0], months, horizon.tau);
  }
};

TEST(HorizonSeries, FitsNormalDistributionIsTheLibrarys) {
  // The fit prices the caps and floors of every future reset in all its states at once, with its
  // own normal distribution in vector lanes: within a few 1e-16 of normal_cdf (glibc's erfc)
  // absolutely, everywhere (option values are differences of such probabilities times discount
  // factors), and exactly 0.5, 0 and 1 where they must be.
  test::Figure figure("normal distribution of the horizon fit (vector lanes) vs normal_cdf, absolute", 4e-16);
  std::vector<double> z;
  for (double x = -40.0; x <= 40.0; x += 0.0005) z.push_back(x);
  const std::vector<double> fitted = horizon_fit_normal_cdf(z);
  ASSERT_EQ(fitted.size(), z.size());
  for (std::size_t k = 0; k < z.size(); ++k) {
    ASSERT_LE(figure(std::fabs(fitted[k] - normal_cdf(z[k]))), 4e-16) << "z " << z[k];
  }
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> edges =
      horizon_fit_normal_cdf({0.0, -40.0, 40.0, -1e300, 1e300, -inf, inf, std::nan("")});
  EXPECT_EQ(edges[0], 0.5);
  EXPECT_EQ(edges[1], 0.0);
  EXPECT_EQ(edges[2], 1.0);
  EXPECT_EQ(edges[3], 0.0);
  EXPECT_EQ(edges[4], 1.0);
  EXPECT_EQ(edges[5], 0.0);
  EXPECT_EQ(edges[6], 1.0);
  EXPECT_TRUE(std::isnan(edges[7]));
}

TEST(HorizonSeries, FitSamplesAreFullRevaluations) {
  // The fit walks an amortizing leg's schedule once for a whole grid of states and coupons and
  // takes its discount factors' exps in vector lanes (each within about an ulp of the library's);
  // each sample must still be what value_in_state gives on that state's curve, to rounding: a few
  // ulps of the value (or of one unit of balance, where the terms cancel), far inside the fit's
  // tolerance of 1e-13.
  test::Figure figure("kinds book: fit samples vs value_in_state, relative to max(|value|, 1)", 4e-15);
  const FitSetup setup;
  const Portfolio& portfolio = setup.book.portfolio;
  const PortfolioView p = portfolio.view();
  const std::int32_t horizon_day = setup.horizon.settings.valuation_day;
  const std::vector<double> xs{setup.inputs.x_lo, -0.013, 0.0, 0.004, setup.inputs.x_hi};
  const std::vector<double> coupons{0.0, 0.0125, 0.05, 0.09, 1.0};
  std::vector<double> curve(setup.horizon.tau.size());
  ValuationContext c;
  c.valuation_day = horizon_day;
  c.time_basis = setup.horizon.settings.time_basis;
  c.curve = CurveView{setup.horizon.tau.data(), curve.data(), static_cast<int>(curve.size())};
  c.fixing_curve = c.curve;
  c.model = setup.horizon.settings.model;
  c.behaviours = setup.horizon.settings.behaviours;
  c.nmd_caps = setup.horizon.settings.nmd_caps;
  int compared = 0;
  for (int i = 0; i < p.size; ++i) {
    // The original leg, and a replacement book of its term starting at the horizon.
    const std::int32_t replacement_end = add_months(Date{horizon_day}, setup.tables.term[static_cast<std::size_t>(i)]).days;
    for (const auto& [start, end] : {std::pair{p.start_day[i], p.maturity_day[i]}, std::pair{horizon_day, replacement_end}}) {
      const std::vector<double> v =
          horizon_leg_samples(portfolio, setup.horizon, setup.inputs, i, start, end, xs, coupons);
      for (std::size_t j = 0; j < xs.size(); ++j) {
        for (std::size_t node = 0; node < curve.size(); ++node) {
          curve[node] = setup.inputs.log_a[node] - setup.inputs.b[node] * xs[j];
        }
        for (std::size_t l = 0; l < coupons.size(); ++l) {
          const double expected = value_in_state(p, i, c, 1.0, coupons[l], start, end);
          const double sample = v[j * coupons.size() + l];
          EXPECT_LE(figure(std::fabs(sample - expected) / std::fmax(std::fabs(expected), 1.0)), 4e-15)
              << portfolio.ids[static_cast<std::size_t>(i)] << " start " << start << " x " << xs[j] << " coupon " << coupons[l];
          compared += expected != 0.0;
        }
      }
    }
  }
  EXPECT_GT(compared, p.size * 25);  // most legs are alive at the horizon
}

TEST(HorizonSeries, FitIgnoresTheThreadCount) {
  const FitSetup setup;
  const EveSpec& book = setup.book;
  const NiiTables& tables = setup.tables;
  const HorizonCurve& horizon = setup.horizon;
  const HorizonSeriesInputs& inputs = setup.inputs;
  auto fit = [&](int threads) {
    const int before = omp_get_max_threads();
    omp_set_num_threads(threads);
    HorizonCurve h = horizon;
    fit_horizon_series(book.portfolio, tables, BalanceSheetAssumption::kConstant, inputs, h);
    omp_set_num_threads(before);
    return h;
  };
  const HorizonCurve one = fit(1), many = fit(4);
  ASSERT_EQ(one.legs.size(), many.legs.size());
  ASSERT_FALSE(one.coefficients.empty());
  for (std::size_t k = 0; k < one.legs.size(); ++k) {
    const HorizonLeg &a = one.legs[k], &b = many.legs[k];
    EXPECT_TRUE(a.offset == b.offset && a.form == b.form && a.x_terms == b.x_terms && a.coupon_terms == b.coupon_terms &&
                a.pieces == b.pieces && a.coupon_lo == b.coupon_lo && a.coupon_hi == b.coupon_hi)
        << "leg " << k;
  }
  EXPECT_EQ(one.coefficients, many.coefficients);
}

TEST(HorizonSeries, CapsAndFloorsBreakAtTheRunningCapletsStrike) {
  // A standalone cap's or floor's caplet running at the horizon pays (rate - K)+ on the path's own
  // curve: a kink in x. The fit puts a breakpoint there, so the series follows the revaluation
  // on both sides of it, right up to it.
  FitSetup setup;
  fit_horizon_series(setup.book.portfolio, setup.tables, BalanceSheetAssumption::kConstant, setup.inputs, setup.horizon);
  const HorizonCurveView view = setup.horizon.view();
  const PortfolioView p = setup.book.portfolio.view();
  std::vector<double> curve(setup.horizon.tau.size());
  ValuationContext c;
  c.valuation_day = setup.horizon.settings.valuation_day;
  c.time_basis = setup.horizon.settings.time_basis;
  c.curve = CurveView{setup.horizon.tau.data(), curve.data(), static_cast<int>(curve.size())};
  c.fixing_curve = c.curve;
  c.model = setup.horizon.settings.model;
  auto revalued = [&](int i, double x) {
    for (std::size_t node = 0; node < curve.size(); ++node) curve[node] = setup.inputs.log_a[node] - setup.inputs.b[node] * x;
    return value_in_state(p, i, c, 1.0, p.rate[i], p.start_day[i], p.maturity_day[i]);
  };
  test::Figure figure("kinds book: a cap's and a floor's series around their kink, vs revaluation, per unit of notional", 1e-12);
  int options = 0;
  for (int i = 0; i < p.size; ++i) {
    if (p.kind[i] != PositionKind::kCap && p.kind[i] != PositionKind::kFloor) continue;
    ++options;
    const std::string id = setup.book.portfolio.ids[static_cast<std::size_t>(i)];
    const HorizonLeg& leg = setup.horizon.legs[2 * static_cast<std::size_t>(i)];
    ASSERT_EQ(leg.form, HorizonForm::kState) << id;
    ASSERT_GE(leg.pieces, 2) << id;
    // The kink: where the value's slope jumps. The running caplet pays nothing on one side, so
    // the slopes just below and just above it differ by about the caplet's accrual.
    const double* breaks = setup.horizon.coefficients.data() + leg.offset;
    double kink = NAN;
    for (int b = 0; b < leg.pieces - 1 && std::isnan(kink); ++b) {
      const double x = breaks[b], h = 1e-7;
      const double below = (revalued(i, x) - revalued(i, x - h)) / h, above = (revalued(i, x + h) - revalued(i, x)) / h;
      if (std::fabs(above - below) > 1e-3) kink = x;
    }
    ASSERT_FALSE(std::isnan(kink)) << id << ": no breakpoint at the running caplet's kink";
    std::vector<double> xs;
    for (int j = 0; j <= 400; ++j) xs.push_back(setup.inputs.x_lo + (setup.inputs.x_hi - setup.inputs.x_lo) * j / 400.0);
    for (const double d : {1e-12, 1e-9, 1e-6, 1e-3}) {
      xs.push_back(kink - d);
      xs.push_back(kink + d);
    }
    xs.push_back(kink);
    double worst = 0.0;
    for (const double x : xs) {
      double series = 0.0;
      ASSERT_TRUE(horizon_leg_value(view.series, leg, x, p.rate[i], &series)) << id << " x " << x;
      worst = std::fmax(worst, std::fabs(series - revalued(i, x)));
    }
    EXPECT_LE(figure(worst), 1e-12) << id << ": per unit of notional";
  }
  EXPECT_EQ(options, 2);
}

TEST(HorizonSeries, SeriesPiecesAndCouponRanges) {
  // f(x, r) = 1 + x r on x in [-0.05, 0.05], r in [0, 0.1], as one tensor piece:
  // x = 0.05 T1(u), r = 0.05 (T0 + T1)(v), so x r = 0.0025 (T1 T0 + T1 T1).
  HorizonSeriesView view;
  view.x_lo = -0.05;
  view.x_hi = 0.05;
  const std::vector<double> tensor{1.0, 0.0, 0.0025, 0.0025};
  view.coefficients = tensor.data();
  HorizonLeg leg;
  view.legs = &leg;
  leg.form = HorizonForm::kTensor;
  leg.x_terms = 2;
  leg.coupon_terms = 2;
  leg.pieces = 1;
  leg.coupon_lo = 0.0;
  leg.coupon_hi = 0.1;
  EXPECT_TRUE(view.covers(0.05));
  EXPECT_FALSE(view.covers(0.0500001));
  EXPECT_FALSE(view.covers(-0.06));
  EXPECT_FALSE(view.covers(NAN));
  double v = 0.0;
  ASSERT_TRUE(horizon_leg_value(view, leg, 0.02, 0.07, &v));
  EXPECT_NEAR(v, 1.0 + 0.02 * 0.07, 1e-15);
  // A coupon outside the fitted range is revalued, as is a leg without a series.
  EXPECT_FALSE(horizon_leg_value(view, leg, 0.02, 0.1000001, &v));
  EXPECT_FALSE(horizon_leg_value(view, leg, 0.02, -0.01, &v));
  leg.form = HorizonForm::kRevalue;
  EXPECT_FALSE(horizon_leg_value(view, leg, 0.02, 0.05, &v));
  // Three pieces, breakpoints -0.01 and 0.02, piece k holding x + k exactly in degree 1: on
  // [a, b], x = (a + b) / 2 + (b - a) / 2 T1. A breakpoint belongs to the piece above it.
  const std::vector<double> pieces{-0.01, 0.02, -0.03, 0.02, 1.005, 0.015, 2.035, 0.015};
  view.coefficients = pieces.data();
  leg.form = HorizonForm::kState;
  leg.x_terms = 2;
  leg.pieces = 3;
  for (const double x : {-0.05, -0.03, -0.01, -0.002, 0.0, 0.015, 0.02, 0.04, 0.05}) {
    ASSERT_TRUE(horizon_leg_value(view, leg, x, 0.0, &v));
    EXPECT_NEAR(v, x + (x < -0.01 ? 0.0 : x < 0.02 ? 1.0 : 2.0), 1e-15) << x;
  }
}

}  // namespace
}  // namespace ratesim
