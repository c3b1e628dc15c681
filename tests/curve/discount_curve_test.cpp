#include "ratesim/curve/discount_curve.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "ratesim/curve/curve_reader.hpp"
#include "test_support.hpp"

namespace ratesim {
namespace {

TEST(DiscountCurve, ExactAtTheNodes) {
  const std::vector<double> t{0.5, 1.0, 2.0, 5.0};
  const std::vector<double> df{0.985, 0.968, 0.935, 0.84};
  const DiscountCurve curve(t, df);
  EXPECT_EQ(curve.discount(0.0), 1.0);
  for (std::size_t i = 0; i < t.size(); ++i) {
    EXPECT_NEAR(curve.discount(t[i]), df[i], 1e-15) << t[i];
  }
}

TEST(DiscountCurve, LogLinearBetweenNodes) {
  const DiscountCurve curve({1.0, 2.0}, {0.97, 0.93});
  // Halfway in ln P between the nodes.
  EXPECT_NEAR(curve.discount(1.5), std::sqrt(0.97 * 0.93), 1e-15);
  EXPECT_NEAR(curve.discount(0.25), std::pow(0.97, 0.25), 1e-15);
}

TEST(DiscountCurve, ForwardIsTheDerivativeAndIntegratesToTheDiscount) {
  const DiscountCurve curve = test::sample_curve();
  for (double t = 0.013; t < 40.0; t += 0.37) {
    const double h = 1e-6;
    const double numeric = -(curve.log_discount(t + h) - curve.log_discount(t - h)) / (2 * h);
    EXPECT_NEAR(curve.forward(t), numeric, 1e-7) << t;
  }
  // f is piecewise constant, so a fine midpoint rule integrates it exactly up to rounding.
  double integral = 0.0, t = 0.0;
  const double dt = 1.0 / 4096.0;
  for (; t < 35.0 - 1e-12; t += dt) integral += curve.forward(t + 0.5 * dt) * dt;
  EXPECT_NEAR(integral, -curve.log_discount(35.0), 1e-11);
}

TEST(DiscountCurve, FlatForwardExtrapolation) {
  const DiscountCurve curve({1.0, 2.0}, {0.97, 0.93});
  const double last_forward = std::log(0.97 / 0.93);
  EXPECT_NEAR(curve.forward(7.0), last_forward, 1e-15);
  EXPECT_NEAR(curve.discount(7.0), 0.93 * std::exp(-last_forward * 5.0), 1e-15);
  EXPECT_NEAR(curve.forward(0.0), -std::log(0.97), 1e-15);
}

TEST(CurveReader, TenorsInYearsPeriodsAndDates) {
  const Date valuation = make_date(2026, 6, 30);
  EXPECT_DOUBLE_EQ(*parse_tenor("2.5", valuation, DayCount::kAct365Fixed), 2.5);
  EXPECT_DOUBLE_EQ(*parse_tenor("3M", valuation, DayCount::kAct365Fixed), 92.0 / 365.0);
  EXPECT_DOUBLE_EQ(*parse_tenor("1Y", valuation, DayCount::kAct365Fixed), 365.0 / 365.0);
  EXPECT_DOUBLE_EQ(*parse_tenor("2W", valuation, DayCount::kAct360), 14.0 / 360.0);
  EXPECT_DOUBLE_EQ(*parse_tenor("2027-06-30", valuation, DayCount::kAct360), 365.0 / 360.0);
  EXPECT_FALSE(parse_tenor("3Q", valuation, DayCount::kAct365Fixed));
  EXPECT_FALSE(parse_tenor("1.5M", valuation, DayCount::kAct365Fixed));
  EXPECT_FALSE(parse_tenor("abc", valuation, DayCount::kAct365Fixed));
}

TEST(CurveReader, ReadsZeroRatesAndDiscountFactors) {
  const auto dir = test::temp_dir("curve-read");
  {
    std::ofstream(dir / "zero.csv") << "# comment\ntenor,zero_rate\n1,0.03\n2,0.035\n2028-06-30,0.036\n";
    std::ofstream(dir / "annual.csv") << "tenor,zero_rate\n1,0.03\n2,0.035\n";
    std::ofstream(dir / "df.csv") << "tenor , discount_factor\r\n1, 0.97\r\n\r\n2 ,0.93\r\n";
  }
  CurveInputSpec spec;
  spec.valuation_date = make_date(2026, 6, 30);
  spec.file = (dir / "zero.csv").string();
  const DiscountCurve zero = read_curve_csv(spec);
  EXPECT_NEAR(zero.discount(1.0), std::exp(-0.03), 1e-15);
  EXPECT_NEAR(zero.discount(2.0), std::exp(-0.07), 1e-15);
  const double t_date = 731.0 / 365.0;  // 2028-06-30, ACT/365F from 2026-06-30 (2028 is leap)
  EXPECT_NEAR(zero.discount(t_date), std::exp(-0.036 * t_date), 1e-15);

  spec.file = (dir / "annual.csv").string();
  spec.compounding = Compounding::kAnnual;
  const DiscountCurve annual = read_curve_csv(spec);
  EXPECT_NEAR(annual.discount(2.0), std::pow(1.035, -2.0), 1e-15);

  spec.file = (dir / "df.csv").string();
  const DiscountCurve df = read_curve_csv(spec);
  EXPECT_NEAR(df.discount(2.0), 0.93, 1e-15);
}

}  // namespace
}  // namespace ratesim
