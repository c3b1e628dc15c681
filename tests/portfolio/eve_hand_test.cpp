// A three-position bank on a flat curve, every figure computed by hand from closed forms:
// a 2-year 5% annual bond (asset), a 1-year 3% term deposit and a non-maturity deposit
// (liabilities). Checks EVE, the repricing gap buckets and DV01.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "host/io/finite_figures.hpp"
#include "ratesim/config/simulation_config.hpp"
#include "ratesim/engine/eve.hpp"
#include "ratesim/io/input_error.hpp"
#include "test_support.hpp"

namespace ratesim {
namespace {

constexpr double kRate = 0.04;  // flat, continuously compounded, ACT/365F

DiscountCurve flat_curve(double rate) {
  return DiscountCurve({1.0, 50.0}, {std::exp(-rate), std::exp(-rate * 50.0)});
}

EveSpec three_position_bank() {
  EveSpec spec;
  spec.valuation_date = make_date(2026, 6, 30);
  spec.currencies = {"USD"};
  spec.base_curves = {flat_curve(kRate)};
  spec.fx = {1.0};
  spec.model = HullWhiteParams{0.03, 0.01};
  spec.behaviours.add({"core", BehaviourType::kDeposit, 0.0, 0.5, 2.0, {}});
  Portfolio& p = spec.portfolio;
  p.segments = {"book"};
  p.currencies = {"USD"};
  auto add = [&](const char* id, PositionKind kind, Side side, double notional, Date start,
                 Date maturity, int payment, DayCount dc, double rate, int behaviour,
                 NmdCategory category) {
    p.ids.push_back(id);
    p.source_line.push_back(0);
    p.kind.push_back(kind);
    p.side.push_back(side);
    p.amortization.push_back(Amortization::kBullet);
    p.day_count.push_back(dc);
    p.swap_leg.push_back(SwapLeg::kNone);
    p.nmd_category.push_back(category);
    p.floating.push_back(0);
    p.start_day.push_back(start.days);
    p.maturity_day.push_back(maturity.days);
    p.payment_months.push_back(payment);
    p.reset_months.push_back(0);
    p.index_tenor_months.push_back(0);
    p.behaviour.push_back(behaviour);
    p.segment.push_back(0);
    p.currency.push_back(0);
    p.notional.push_back(notional);
    p.rate.push_back(rate);
    p.spread.push_back(0.0);
    p.cap_rate.push_back(INFINITY);
    p.floor_rate.push_back(-INFINITY);
    p.strike.push_back(0.0);
  };
  const Date today = spec.valuation_date;
  add("bond", PositionKind::kFixedBond, Side::kAsset, 1e6, today, make_date(2028, 6, 30), 12,
      DayCount::kThirty360, 0.05, kNoBehaviour, NmdCategory::kNone);
  add("deposit", PositionKind::kTermDeposit, Side::kLiability, 5e5, today, make_date(2027, 6, 30),
      0, DayCount::kAct365Fixed, 0.03, kNoBehaviour, NmdCategory::kNone);
  add("nmd", PositionKind::kNmd, Side::kLiability, 3e5, today, today, 0, DayCount::kAct365Fixed,
      0.0, 0, NmdCategory::kRetailTransactional);
  spec.key_rate_tenors = {1.0, 2.0, 5.0};
  return spec;
}

// By hand: the bond pays 50,000 on 2027-06-30 (t = 1) and 1,050,000 on 2028-06-30 (t = 731/365);
// the deposit 515,000 at t = 1; the NMD 150,000 overnight and its 150,000 core runs off as
// core (1 - d) d^(m-1) in month m (d = e^(-1/24)), the rest at month 360.
double hand_eve(double r) {
  const double bond = 5e4 * std::exp(-r) + 1.05e6 * std::exp(-r * 731.0 / 365.0);
  const double deposit = 5e5 * 1.03 * std::exp(-r);
  const double core = 1.5e5, d = std::exp(-1.0 / 24.0), q = std::exp(-r / 12.0);
  const double runoff = core * (1 - d) * q * (1 - std::pow(d * q, 359)) / (1 - d * q) +
                        core * std::pow(d, 359) * std::pow(q, 360);
  const double nmd = 1.5e5 * std::exp(-r / 365.0) + runoff;
  return bond - deposit - nmd;
}

TEST(EveByHand, ThreePositionBank) {
  const EveSpec spec = three_position_bank();
  const EveResult r = run_eve(spec, select_backend(DeviceChoice::kCpu));
  EXPECT_NEAR(r.base.value, hand_eve(kRate), 1e-9 * 1e6);
  ASSERT_EQ(r.base.by_segment.size(), 1u);
  EXPECT_NEAR(r.base.by_segment[0], hand_eve(kRate), 1e-9 * 1e6);
}

TEST(EveByHand, Dv01DurationAndKeyRates) {
  const EveSpec spec = three_position_bank();
  const EveResult r = run_eve(spec, select_backend(DeviceChoice::kCpu));
  const double up = hand_eve(kRate + 1e-4), down = hand_eve(kRate - 1e-4), base = hand_eve(kRate);
  EXPECT_NEAR(r.sensitivities.dv01, -(up - down) / 2.0, 1e-7);
  EXPECT_NEAR(r.sensitivities.duration, (down - up) / (2.0 * base * 1e-4), 1e-6);
  // Triangular key-rate bumps add up to the parallel bump, so their DV01s add up to DV01.
  double sum = 0.0;
  for (double v : r.sensitivities.key_rate_dv01) sum += v;
  EXPECT_NEAR(sum, r.sensitivities.dv01, 1e-6 * std::fabs(r.sensitivities.dv01));
}

TEST(EveByHand, RepricingGapBuckets) {
  const EveSpec spec = three_position_bank();
  const EveResult r = run_eve(spec, select_backend(DeviceChoice::kCpu));
  const RepricingSlots& g = r.repricing;
  auto bucket_of = [](const char* label) {
    for (int b = 0; b < kBcbsBuckets; ++b) {
      if (std::string(kBcbsBucketTable[static_cast<std::size_t>(b)].label) == label) return b;
    }
    return -1;
  };
  // Assets: the bond's principal at t = 2.0027 years, in 2Y-3Y.
  for (int b = 0; b < kBcbsBuckets; ++b) {
    EXPECT_DOUBLE_EQ(g.assets[static_cast<std::size_t>(b)], b == bucket_of("2Y-3Y") ? 1e6 : 0.0) << b;
  }
  // Liabilities: the deposit's 500,000 at t = 1 (9M-1Y: upper bounds are inclusive), the NMD's
  // non-core overnight, and its core by month: months (a, b] hold core (d^a - d^b).
  const double core = 1.5e5, d = std::exp(-1.0 / 24.0);
  auto runoff = [&](int a, int b) { return core * (std::pow(d, a) - (b >= 360 ? 0.0 : std::pow(d, b))); };
  const double expected[kBcbsBuckets] = {
      1.5e5,            runoff(0, 1),     runoff(1, 3),     runoff(3, 6),     runoff(6, 9),
      runoff(9, 12) + 5e5, runoff(12, 18), runoff(18, 24),  runoff(24, 36),   runoff(36, 48),
      runoff(48, 60),   runoff(60, 72),   runoff(72, 84),   runoff(84, 96),   runoff(96, 108),
      runoff(108, 120), runoff(120, 180), runoff(180, 240), runoff(240, 360)};
  for (int b = 0; b < kBcbsBuckets; ++b) {
    EXPECT_NEAR(g.liabilities[static_cast<std::size_t>(b)], expected[b], 1e-6) << kBcbsBucketTable[static_cast<std::size_t>(b)].label;
  }
}

TEST(EveByHand, StandardisedEveOnAFlatCurve) {
  // With every cash flow slotted at its bucket midpoint, the standardised EVE is the sum of the
  // slotted flows discounted at the midpoints; check it against the slots themselves.
  const EveSpec spec = three_position_bank();
  const EveResult r = run_eve(spec, select_backend(DeviceChoice::kCpu));
  double expected = 0.0;
  for (int b = 0; b < kBcbsBuckets; ++b) {
    const double t = kBcbsBucketTable[static_cast<std::size_t>(b)].midpoint;
    expected += r.repricing.standardised_cash_flows[static_cast<std::size_t>(b)] * std::exp(-kRate * t);
  }
  EXPECT_NEAR(r.base.standardised, expected, 1e-6);
  // The bond's coupon and principal sit in 9M-1Y and 2Y-3Y; the deposit's 515,000 in 9M-1Y.
  EXPECT_NEAR(r.repricing.standardised_cash_flows[5], 5e4 - 5.15e5 -
                  1.5e5 * (std::pow(std::exp(-1.0 / 24.0), 9) - std::pow(std::exp(-1.0 / 24.0), 12)),
              1e-6);
}

// The safety net behind the input ranges: a position whose value overflows (here a notional that
// the positions reader would refuse, set in memory) stops the run with an error naming it and its
// line, instead of NaN EVE and an outlier test that "passes".
TEST(EveByHand, ANonFiniteValueStopsTheRunNamingThePosition) {
  EveSpec spec = three_position_bank();
  spec.positions_file = "positions.csv";
  spec.portfolio.notional[0] = 1e308;
  spec.portfolio.rate[0] = 1e10;
  spec.portfolio.source_line[0] = 7;
  try {
    run_eve(spec, select_backend(DeviceChoice::kCpu));
    ADD_FAILURE() << "the run went on with a non-finite value";
  } catch (const InputError& e) {
    ASSERT_GE(e.issues().size(), 1u);
    EXPECT_EQ(e.issues()[0].rule, "value not finite");
    EXPECT_EQ(e.issues()[0].line, 7);
    EXPECT_NE(e.issues()[0].detail.find(spec.portfolio.ids[0]), std::string::npos);
  }
}

// The last guard before summary.json: a non-finite figure anywhere stops the write, named by its
// path in the summary.
TEST(EveByHand, SummariesRefuseNonFiniteFigures) {
  nlohmann::ordered_json j = {{"eve", {{"base", 1.0}, {"scenarios", {1.0, 2.0}}}}, {"note", nullptr}};
  EXPECT_NO_THROW(require_finite_figures(j));
  j["eve"]["scenarios"][1] = std::nan("");
  try {
    require_finite_figures(j);
    ADD_FAILURE() << "a NaN figure passed";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("eve.scenarios[1] is NaN"), std::string::npos) << e.what();
  }
  j["eve"]["scenarios"][1] = HUGE_VAL;
  EXPECT_THROW(require_finite_figures(j), std::runtime_error);
}

}  // namespace
}  // namespace ratesim

namespace ratesim {
namespace {

// The revaluation holds a group of scenarios' values at a time (a 10^7-position book under 40
// scenarios would need 3 GB at once); every figure is bit-identical for any grouping.
TEST(EveGrouping, ResultsDoNotDependOnHowManyScenariosAreValuedAtOnce) {
  const EveSpec whole = make_eve_spec(load_run_config(test::source_path("scenarios/sample_bank/bank.yaml"), true));
  const EveResult reference = run_eve(whole, select_backend(DeviceChoice::kCpu));
  const auto n = static_cast<std::size_t>(whole.portfolio.size());
  ASSERT_LE(n * (reference.scenarios.size() + 1), whole.max_values_in_memory) << "the reference must be one group";
  for (const std::size_t per_group : {std::size_t{1}, std::size_t{3}}) {
    EveSpec grouped = whole;
    grouped.max_values_in_memory = per_group * n;
    const EveResult r = run_eve(grouped, select_backend(DeviceChoice::kCpu));
    EXPECT_EQ(r.base.value, reference.base.value) << per_group;
    EXPECT_EQ(r.base.by_segment, reference.base.by_segment) << per_group;
    ASSERT_EQ(r.scenarios.size(), reference.scenarios.size());
    for (std::size_t s = 0; s < r.scenarios.size(); ++s) {
      EXPECT_EQ(r.scenarios[s].value, reference.scenarios[s].value) << r.scenarios[s].name << " " << per_group;
      EXPECT_EQ(r.scenarios[s].standardised, reference.scenarios[s].standardised) << r.scenarios[s].name;
    }
    EXPECT_EQ(r.sensitivities.dv01, reference.sensitivities.dv01) << per_group;
    EXPECT_EQ(r.sensitivities.key_rate_dv01, reference.sensitivities.key_rate_dv01) << per_group;
    EXPECT_EQ(r.valuations, reference.valuations);
  }
}

// The GPU valuation's thread order (coherent_order): every position once, alike positions side by
// side (each kind in one run, within it by amortisation, frequency and maturity).
TEST(CoherentOrder, IsAPermutationThatGroupsAlikePositions) {
  const EveSpec bank = make_eve_spec(load_run_config(test::source_path("scenarios/sample_bank/bank.yaml"), true));
  const Portfolio& p = bank.portfolio;
  const std::vector<std::int32_t> order = coherent_order(p);
  ASSERT_EQ(static_cast<int>(order.size()), p.size());
  std::vector<int> seen(order.size(), 0);
  for (std::int32_t i : order) ++seen.at(static_cast<std::size_t>(i));
  EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), p.size());
  int kind_runs = 0;
  std::vector<int> kinds;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto a = static_cast<std::size_t>(order[k]);
    if (k == 0 || p.kind[a] != p.kind[static_cast<std::size_t>(order[k - 1])]) {
      ++kind_runs;
      kinds.push_back(static_cast<int>(p.kind[a]));
    } else {
      const auto b = static_cast<std::size_t>(order[k - 1]);
      if (p.amortization[a] == p.amortization[b] && p.floating[a] == p.floating[b] &&
          p.payment_months[a] == p.payment_months[b] && p.behaviour[a] == p.behaviour[b]) {
        EXPECT_LE(p.maturity_day[b], p.maturity_day[a]) << "positions " << b << " and " << a;
      }
    }
  }
  EXPECT_TRUE(std::is_sorted(kinds.begin(), kinds.end()));
  EXPECT_EQ(kind_runs, static_cast<int>(std::set<PositionKind>(p.kind.begin(), p.kind.end()).size()));
}

}  // namespace
}  // namespace ratesim
