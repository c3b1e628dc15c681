// BCBS 368 shock curves against values computed by hand at each bucket midpoint (t_k):
// short = S e^{-t/4}, long = L (1 - e^{-t/4}), steepener = -0.65 |short| + 0.9 |long|,
// flattener = 0.8 |short| - 0.6 |long|, with the 2016 sizes (USD 200/300/150, EUR 200/250/100).
// The expected tables were evaluated separately from the formulas above, to 1e-6 bp.

#include "ratesim/scenario/scenario.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "ratesim/io/input_error.hpp"
#include "ratesim/risk/repricing.hpp"
#include "test_support.hpp"

namespace ratesim {
namespace {

struct Expected {
  const char* currency;
  const char* shape;
  double bp[kBcbsBuckets];
};

const Expected kHand[] = {
    {"USD", "short_up", {299.790073, 296.888746, 287.754439, 273.153108, 256.603598, 241.056772, 219.484689, 193.694558, 160.578429, 125.058606, 97.395740, 75.851879, 59.073503, 46.006490, 35.829890, 27.904347, 13.181080, 3.776443, 0.579136}},
    {"USD", "steepener", {-194.769081, -191.577620, -181.529883, -165.468419, -147.263958, -130.162449, -106.433158, -78.064014, -41.636271, -2.564466, 27.864686, 51.562933, 70.019147, 84.392861, 95.587120, 104.305219, 120.500812, 130.845913, 134.362950}},
    {"USD", "flattener", {239.769081, 236.577620, 226.529883, 210.468419, 192.263958, 175.162449, 151.433158, 123.064014, 86.636271, 47.564466, 17.135314, -6.562933, -25.019147, -39.392861, -50.587120, -59.305219, -75.500812, -85.845913, -89.362950}},
    {"EUR", "short_up", {249.825061, 247.407288, 239.795366, 227.627590, 213.836332, 200.880643, 182.903907, 161.412132, 133.815357, 104.215505, 81.163117, 63.209899, 49.227919, 38.338742, 29.858242, 23.253622, 10.984233, 3.147036, 0.482614}},
    {"EUR", "steepener", {-162.323312, -159.881361, -152.193320, -139.903866, -125.974695, -112.889450, -94.732946, -73.026253, -45.153511, -15.257660, 8.025252, 26.158002, 40.279802, 51.277871, 59.843176, 66.513841, 78.905924, 86.821494, 89.512560}},
    {"EUR", "flattener", {199.818064, 197.303580, 189.387181, 176.732694, 162.389785, 148.915869, 130.220064, 107.868617, 79.167971, 48.384125, 24.409642, 5.738295, -8.802964, -20.127709, -28.947428, -35.816233, -48.576397, -56.727083, -59.498082}},
};

const Scenario& find(const std::vector<Scenario>& all, const std::string& name) {
  for (const Scenario& s : all) {
    if (s.name == name) return s;
  }
  throw std::runtime_error("no scenario " + name);
}

TEST(BcbsShocks, BuiltInTable2016) {
  EXPECT_EQ(builtin_bcbs_versions(), std::vector<std::string>{"2016"});
  const BcbsShockTable table = builtin_bcbs_table("2016");
  EXPECT_EQ(table.by_currency.size(), 21u);
  EXPECT_DOUBLE_EQ(table.by_currency.at("JPY").parallel, 0.01);
  EXPECT_DOUBLE_EQ(table.by_currency.at("AUD").short_rate, 0.045);
  EXPECT_DOUBLE_EQ(table.by_currency.at("IDR").long_rate, 0.035);
  EXPECT_THROW(builtin_bcbs_table("2031"), InputError);
}

TEST(BcbsShocks, ShockedCurvesAtEveryBucketMidpointMatchTheHandValues) {
  const DiscountCurve base = test::sample_curve();
  const std::vector<Scenario> scenarios = bcbs_scenarios(builtin_bcbs_table("2016"));
  for (const Expected& e : kHand) {
    const Scenario& s = find(scenarios, std::string("bcbs368/") + e.shape);
    const DiscountCurve shocked = shocked_curve(base, s, e.currency, PostShockFloor{});
    for (int b = 0; b < kBcbsBuckets; ++b) {
      const double t = kBcbsBucketTable[static_cast<std::size_t>(b)].midpoint;
      const double shift_bp = (shocked.zero_rate(t) - base.zero_rate(t)) * 1e4;
      EXPECT_NEAR(shift_bp, e.bp[b], 1e-6) << e.currency << " " << e.shape << " t=" << t;
    }
    // Down shocks mirror up shocks; parallel shocks are flat.
    const Scenario& down = find(scenarios, "bcbs368/short_down");
    const DiscountCurve shocked_down = shocked_curve(base, down, e.currency, PostShockFloor{});
    EXPECT_NEAR((shocked_down.zero_rate(1.25) - base.zero_rate(1.25)) * 1e4,
                -kHand[std::string(e.currency) == "USD" ? 0 : 3].bp[6], 1e-6);
  }
  const DiscountCurve up = shocked_curve(base, find(scenarios, "bcbs368/parallel_up"), "EUR", {});
  for (double t : {0.0417, 3.5, 25.0}) EXPECT_NEAR((up.zero_rate(t) - base.zero_rate(t)) * 1e4, 200.0, 1e-6);
}

TEST(BcbsShocks, PostShockFloor) {
  // EBA-style floor: -150 bp at t = 0 rising 3 bp a year, capped at 0; a curve at 1% everywhere
  // shocked down 400 bp stops at the floor, and a rate already below the floor stays put.
  const DiscountCurve base({1.0, 30.0}, {std::exp(-0.01), std::exp(-0.01 * 30.0)});
  const Scenario down = parallel_bump("down400", -400.0);
  Scenario floored = down;
  floored.floored = true;
  const PostShockFloor eba{true, -0.015, 0.0003, 0.0};
  const DiscountCurve shocked = shocked_curve(base, floored, "USD", eba);
  for (double t : {0.5, 5.5, 17.5, 25.0}) {
    EXPECT_NEAR(shocked.zero_rate(t), std::min(0.0, -0.015 + 0.0003 * t), 1e-12) << t;
  }
  const DiscountCurve negative({1.0, 30.0}, {std::exp(0.02), std::exp(0.02 * 30.0)});  // -2%
  const DiscountCurve kept = shocked_curve(negative, floored, "USD", eba);
  EXPECT_NEAR(kept.zero_rate(2.5), -0.02, 1e-12);
  // Sensitivity bumps are never floored.
  const DiscountCurve unfloored = shocked_curve(base, down, "USD", eba);
  EXPECT_NEAR(unfloored.zero_rate(2.5), -0.03, 1e-12);
}

TEST(UsShocks, EightParallelShocks) {
  const std::vector<Scenario> us = us_scenarios();
  ASSERT_EQ(us.size(), 8u);
  const DiscountCurve base = test::sample_curve();
  const DiscountCurve shocked = shocked_curve(base, find(us, "us/parallel_-300"), "GBP", {});
  EXPECT_NEAR((shocked.zero_rate(7.0) - base.zero_rate(7.0)) * 1e4, -300.0, 1e-6);
  EXPECT_NO_THROW(find(us, "us/parallel_+400"));
}

TEST(KeyRateBumps, TrianglesAddUpToAParallelBump) {
  const std::vector<double> tenors{0.25, 1, 2, 5, 10, 30};
  for (double t : {0.1, 0.25, 0.7, 1.5, 4.0, 9.9, 20.0, 45.0}) {
    double sum = 0.0;
    for (std::size_t k = 0; k < tenors.size(); ++k) sum += key_rate_bump("kr", tenors, k, 1.0).shift("USD", t);
    EXPECT_NEAR(sum, 1e-4, 1e-18) << t;
  }
  EXPECT_NEAR(key_rate_bump("kr", tenors, 2, 1.0).shift("USD", 3.5), 0.5e-4, 1e-18);
}

}  // namespace
}  // namespace ratesim
