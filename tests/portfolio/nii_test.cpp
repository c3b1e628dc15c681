// Per-path NII against closed forms: fixed books, floating books at the forwards, constant and
// run-off balance sheets, constant-CPR prepayment, deposits, a hand-computed parallel shock, and
// chunking invariance. Every check that runs the engine runs on every backend (test::EveryBackend).

#include "ratesim/engine/nii.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include <algorithm>
#include <random>

#include "kinds_book.hpp"
#include "ratesim/engine/backend.hpp"
#include "ratesim/model/hull_white_tables.hpp"
#include "ratesim/portfolio/nii_tables.hpp"
#include "ratesim/portfolio/portfolio_reader.hpp"
#include "test_support.hpp"

namespace ratesim {
namespace {

constexpr double kRate = 0.035;  // flat curve, continuously compounded
const Date kToday = make_date(2026, 6, 30);
const char* kHeader =
    "id,segment,side,kind,currency,notional,start_date,maturity_date,amortization,"
    "payment_frequency_months,day_count,rate,index_tenor_months,spread,reset_frequency_months,"
    "cap_rate,floor_rate,swap_leg,strike,behaviour,nmd_category\n";

DiscountCurve flat(double rate) { return DiscountCurve({1.0, 50.0}, {std::exp(-rate), std::exp(-rate * 50.0)}); }

EveSpec book(const std::string& rows, const BehaviourTable& behaviours = {}, double rate = kRate) {
  const auto dir = test::temp_dir("nii-book");
  std::ofstream(dir / "p.csv") << kHeader << rows;
  EveSpec spec;
  spec.valuation_date = kToday;
  spec.behaviours = behaviours;
  spec.portfolio = read_positions_csv((dir / "p.csv").string(), spec.behaviours);
  spec.currencies = spec.portfolio.currencies;
  spec.base_curves = {flat(rate)};
  spec.fx = {1.0};
  spec.model = HullWhiteParams{0.03, 0.01};
  return spec;
}

// A prepayment (or redemption) profile on the S-curve, on the refinancing index of `tenor` months.
BehaviourProfile s_curve_profile(const std::string& name, double base, double max, double steepness,
                                 double midpoint, int tenor = 120, int seasoning = 0) {
  BehaviourProfile p;
  p.name = name;
  p.dynamics.has_s_curve = 1;
  p.dynamics.base_cpr = base;
  p.dynamics.max_cpr = max;
  p.dynamics.steepness = steepness;
  p.dynamics.midpoint = midpoint;
  p.dynamics.refinancing_tenor_months = tenor;
  p.dynamics.seasoning_months = seasoning;
  return p;
}

NiiSpec mc(std::int64_t paths, BalanceSheetAssumption assumption) {
  NiiSpec s;
  s.paths = paths;
  s.seed = 11;
  s.assumption = assumption;
  return s;
}

class NiiRun : public test::EveryBackend {};
RATESIM_ON_EVERY_BACKEND(NiiRun);

TEST_P(NiiRun, FixedRateBookEarnsTheSameOnEveryPath) {
  const EveSpec b = book(
      "A,loans,asset,fixed_loan,USD,1000000,2024-01-15,2031-01-15,annuity,1,30/360,0.055,,,,,,,,,\n"
      "B,bonds,asset,fixed_bond,USD,2000000,2025-03-31,2030-03-31,bullet,6,30/360,0.04,,,,,,,,,\n"
      "D,deposits,liability,term_deposit,USD,1500000,2026-01-15,2027-01-15,,,ACT/365F,0.03,,,,,,,,,\n");
  const NiiResult r = run_nii(b, mc(512, BalanceSheetAssumption::kRunOff), backend());
  EXPECT_EQ(r.total.std, 0.0);
  for (std::int64_t p = 0; p < r.paths; ++p) {
    EXPECT_EQ(r.path_values[static_cast<std::size_t>(p) * r.width()], r.base.total) << p;
  }
  // The bond by hand: 2m x 4% x 30/360 over the year = 80,000 exactly.
  EXPECT_NEAR(r.base.by_segment[1], 80000.0, 1e-6);
}

TEST_P(NiiRun, FloatingBookMeanEqualsTheForwardImpliedNii) {
  // Monthly resets on the 1M index: under the risk-neutral measure E[L] differs from the forward
  // only by a convexity term of order sigma^2 t delta (well below a standard error here).
  const EveSpec b = book(
      "F,corp,asset,floating_loan,USD,10000000,2026-01-31,2031-01-31,bullet,1,ACT/360,0.041,1,0.015,1,,,,,,\n");
  const NiiResult r = run_nii(b, mc(16384, BalanceSheetAssumption::kRunOff), backend());
  ASSERT_GT(r.total.std_error, 0.0);
  test::Figure figure("floating book: |mean NII - forward NII| in standard errors", 4.0);
  EXPECT_NEAR(figure(std::fabs(r.total.mean - r.base.total) / r.total.std_error), 0.0, 4.0);
  for (std::size_t k = 1; k < r.by_month.size(); ++k) {
    EXPECT_NEAR(figure(std::fabs(r.by_month[k].mean - r.base.by_month[k]) / r.by_month[k].std_error), 0.0, 4.0) << k;
  }
  // Month 1 is fixed already: the current coupon on 10m for July's 31 days, ACT/360.
  EXPECT_NEAR(r.base.by_month[0], 1e7 * 0.041 * 31.0 / 360.0, 1e-6);
  EXPECT_EQ(r.by_month[0].std, 0.0);
}

// Position-level probe: balances month by month on the base deterministic path.
struct Probe {
  std::vector<double> nii, balance;
};

Probe probe(const EveSpec& b, BalanceSheetAssumption assumption, int months = 12) {
  const TimeGrid grid = make_calendar_grid(kToday, DayCount::kAct365Fixed, 1, months);
  const std::vector<IndexSpec> indices = required_indices(b.portfolio, b.behaviours);
  const HullWhiteTables tables = build_hull_white_tables(b.base_curves[0], HullWhiteParams{0.03, 0.0},
                                                         grid, indices, kToday, DayCount::kAct365Fixed);
  std::vector<double> today;
  for (std::size_t p = 0; p < indices.size(); ++p) today.push_back(index_rate(tables.index_view(), static_cast<int>(p), 0, 0.0));
  const NiiTables nii = build_nii_tables(b.portfolio, b.behaviours, kToday, months, today);
  const auto engine = make_cpu_path_engine(tables);
  engine->generate(1, 0, 1);
  const HostPathTable path = engine->download();
  Probe out{std::vector<double>(static_cast<std::size_t>(months), 0.0), std::vector<double>(static_cast<std::size_t>(months), 0.0)};
  position_nii(b.portfolio.view(), b.behaviours.view(), nii.view(), assumption, 0, path.view, 0,
               out.nii.data(), out.balance.data());
  return out;
}

TEST(Nii, ConstantBalanceSheetKeepsTheBalance) {
  BehaviourTable behaviours;
  BehaviourProfile prepay;
  prepay.name = "prepay";
  prepay.cpr = 0.12;
  behaviours.add(prepay);
  const EveSpec b = book(
      "M,mortgages,asset,mortgage,USD,300000,2022-03-31,2052-03-31,annuity,1,30/360,0.045,,,,,,,,prepay,\n",
      behaviours);
  const Probe constant = probe(b, BalanceSheetAssumption::kConstant);
  for (double v : constant.balance) EXPECT_NEAR(v, 300000.0, 1e-6);
  const Probe run_off = probe(b, BalanceSheetAssumption::kRunOff);
  EXPECT_LT(run_off.balance.back(), 300000.0 * 0.9);
}

TEST(Nii, ConstantCprMatchesTheClosedFormBalance) {
  // A bullet loan prepaying at a constant 10% CPR: balance N (1 - CPR)^(k/12) after k months.
  // Month-end payment dates on ACT/365F, so each month's interest is on one balance.
  BehaviourTable behaviours;
  BehaviourProfile prepay;
  prepay.name = "prepay";
  prepay.cpr = 0.10;
  behaviours.add(prepay);
  const EveSpec b = book(
      "L,loans,asset,fixed_loan,USD,1000000,2026-06-30,2036-06-30,bullet,1,ACT/365F,0.05,,,,,,,,prepay,\n",
      behaviours);
  const Probe r = probe(b, BalanceSheetAssumption::kRunOff, 24);
  for (int k = 0; k < 24; ++k) {
    EXPECT_NEAR(r.balance[static_cast<std::size_t>(k)], 1e6 * std::pow(0.9, (k + 1) / 12.0), 1e-6) << k;
    // Interest on the balance outstanding during the month, for the month's days.
    const double start = 1e6 * std::pow(0.9, k / 12.0);
    const double days = add_months(kToday, k + 1).days - add_months(kToday, k).days;
    EXPECT_NEAR(r.nii[static_cast<std::size_t>(k)], start * 0.05 * days / 365.0, 1e-6) << k;
  }
}

TEST_P(NiiRun, DepositWithoutPassThroughOrDecayKeepsRateAndBalance) {
  BehaviourTable behaviours;
  BehaviourProfile deposit;
  deposit.name = "core";
  deposit.type = BehaviourType::kDeposit;
  deposit.core_share = 0.8;
  deposit.core_average_life = 4.0;
  behaviours.add(deposit);
  const EveSpec b = book("N,deposits,liability,nmd,USD,5000000,,,,,,0.012,,,,,,,,core,retail_transactional\n",
                         behaviours);
  for (auto assumption : {BalanceSheetAssumption::kRunOff, BalanceSheetAssumption::kConstant}) {
    const Probe r = probe(b, assumption);
    for (int k = 0; k < 12; ++k) {
      EXPECT_NEAR(r.balance[static_cast<std::size_t>(k)], 5e6, 1e-6);
      const double days = add_months(kToday, k + 1).days - add_months(kToday, k).days;
      EXPECT_NEAR(r.nii[static_cast<std::size_t>(k)], -5e6 * 0.012 * days / 365.0, 1e-6) << k;
    }
  }
  // And on every Monte Carlo path.
  const NiiResult mc_result = run_nii(b, mc(256, BalanceSheetAssumption::kConstant), backend());
  EXPECT_EQ(mc_result.total.std, 0.0);
}

TEST_P(NiiRun, ParallelShockOnASmallBookByHand) {
  // A floating loan resetting monthly on the 1M index at the month ends (the grid dates), and a
  // six-month term deposit replaced at maturity (constant balance sheet) at the 6M rate of the
  // month it matures in, plus its margin. ΔNII for +200 bp, from the flat curves' forwards:
  //   loan:    N sum_{k=1..11} (e^{(r+d) tau_k} - e^{r tau_k})   (ACT/360 accrual cancels)
  //   deposit: -N sum_{k=6..11} (days_k / 365) (L6'(5) - L6(5)),
  // tau_k the month's days / 365, L6(5) the 6M simple rate (ACT/360) fixed on 2026-11-30.
  const EveSpec b = book(
      "F,corp,asset,floating_loan,USD,10000000,2026-06-30,2031-06-30,bullet,1,ACT/360,0.04,1,0.01,1,,,,,,\n"
      "D,funding,liability,term_deposit,USD,8000000,2026-06-30,2026-12-31,,,ACT/365F,0.03,,,,,,,,,\n");
  NiiSpec spec = mc(2, BalanceSheetAssumption::kConstant);
  spec.monte_carlo = false;
  spec.scenarios.push_back(NiiScenario{"up", "test", "", parallel_bump("up", 200.0), false, 0.0, 12});
  spec.scenarios.back().shock.floored = false;
  const NiiResult r = run_nii(b, spec, backend());
  const double d = 0.02;
  double loan = 0.0;
  for (int k = 1; k < 12; ++k) {
    const double tau = (add_months(kToday, k + 1).days - add_months(kToday, k).days) / 365.0;
    loan += 1e7 * (std::exp((kRate + d) * tau) - std::exp(kRate * tau));
  }
  const Date fixing = add_months(kToday, 5), end = add_months(fixing, 6);
  const double tau6 = (end.days - fixing.days) / 365.0, alpha6 = (end.days - fixing.days) / 360.0;
  const double moved = (std::exp((kRate + d) * tau6) - std::exp(kRate * tau6)) / alpha6;
  double deposit = 0.0;
  for (int k = 6; k < 12; ++k) {
    deposit -= 8e6 * (add_months(kToday, k + 1).days - add_months(kToday, k).days) / 365.0 * moved;
  }
  ASSERT_EQ(r.scenarios.size(), 1u);
  EXPECT_NEAR(r.scenarios[0].by_segment[0] - r.base.by_segment[0], loan, 1e-6);
  EXPECT_NEAR(r.scenarios[0].by_segment[1] - r.base.by_segment[1], deposit, 1e-6);
}

TEST_P(NiiRun, ResultsIgnoreChunking) {
  BehaviourTable behaviours;
  behaviours.add(s_curve_profile("refi", 0.03, 0.4, 300, 0.01, 120, 30));
  const EveSpec b = book(
      "M,mortgages,asset,mortgage,USD,300000,2024-03-31,2054-03-31,annuity,1,30/360,0.065,,,,,,,,refi,\n"
      "F,corp,asset,floating_loan,USD,1000000,2026-01-31,2031-01-31,bullet,3,ACT/360,0.05,3,0.012,3,0.08,0.02,,,,\n",
      behaviours);
  NiiSpec one = mc(3000, BalanceSheetAssumption::kConstant);
  one.chunk_paths = 3000;
  NiiSpec many = one;
  many.chunk_paths = 37;  // not a multiple of anything
  const NiiResult a = run_nii(b, one, backend());
  const NiiResult c = run_nii(b, many, backend());
  ASSERT_EQ(a.chunks.size(), 1u);
  ASSERT_EQ(c.chunks.size(), 82u);
  ASSERT_EQ(a.path_values.size(), c.path_values.size());
  EXPECT_EQ(std::memcmp(a.path_values.data(), c.path_values.data(), a.path_values.size() * sizeof(double)), 0);
  EXPECT_GT(a.total.std, 0.0);  // the S-curve makes the mortgage's NII path-dependent
}

}  // namespace
}  // namespace ratesim

namespace ratesim {
namespace {

TEST(Nii, TermDepositsRedeemEarlyWhenTheMarketPaysMore) {
  // The same S-curve on a deposit paying 1% and on one paying 8%: the market (the 12M rate, about
  // 3.6%) is above the first and below the second, so only the first runs off fast.
  BehaviourTable behaviours;
  behaviours.add(s_curve_profile("redeem", 0.02, 0.5, 400, 0.01, 12));
  const EveSpec low = book("D,funding,liability,term_deposit,USD,1000000,2026-06-30,2029-06-30,,,ACT/365F,0.01,,,,,,,,redeem,\n", behaviours);
  const EveSpec high = book("D,funding,liability,term_deposit,USD,1000000,2026-06-30,2029-06-30,,,ACT/365F,0.08,,,,,,,,redeem,\n", behaviours);
  const Probe a = probe(low, BalanceSheetAssumption::kRunOff);
  const Probe b = probe(high, BalanceSheetAssumption::kRunOff);
  EXPECT_LT(a.balance.back(), 0.7e6);   // about 40% a year
  EXPECT_GT(b.balance.back(), 0.97e6);  // about the 2% base rate
}

}  // namespace
}  // namespace ratesim

namespace ratesim {
namespace {

class HorizonEve : public test::EveryBackend {};
RATESIM_ON_EVERY_BACKEND(HorizonEve);

TEST_P(HorizonEve, DiscountedHorizonValuePlusCouponsIsTodaysValue) {
  // An annual 5% bond and a 3M floater: with the first coupon on the horizon date, the bank
  // account-discounted horizon value plus that coupon has today's value as its expectation
  // (martingale under the risk-neutral measure), within 4 standard errors.
  const EveSpec b = book(
      "B,bonds,asset,fixed_bond,USD,1000000,2026-06-30,2033-06-30,bullet,12,30/360,0.05,,,,,,,,,\n");
  const EveResult today = run_eve(b, backend());
  const NiiResult r = run_nii(b, mc(20000, BalanceSheetAssumption::kRunOff), backend());
  const int eve = r.eve_column(), discount = eve + 1 + static_cast<int>(r.segments.size());
  CompensatedSum sum, squares;
  for (std::int64_t p = 0; p < r.paths; ++p) {
    const double* row = r.path_values.data() + static_cast<std::size_t>(p) * r.width();
    const double v = row[discount] * (row[eve] + 50000.0);
    sum.add(v);
    squares.add(v * v);
  }
  const double n = static_cast<double>(r.paths), mean = sum.value() / n;
  const double se = std::sqrt((squares.value() / n - mean * mean) / (n - 1.0));
  ASSERT_GT(se, 0.0);
  test::Figure figure("E[D(0,H) (EVE(H) + cash to H)] vs EVE today in standard errors", 4.0);
  EXPECT_NEAR(figure(std::fabs(mean - today.base.value) / se), 0.0, 4.0);
  // The horizon values spread: rates move the bond's price.
  EXPECT_GT(r.eve.std, 1000.0);
  // On the base path (no volatility) the horizon value is the forward value.
  EXPECT_NEAR(r.eve_discounted_mean, today.base.value - 50000.0 * std::exp(-kRate * 1.0), 4.0 * r.eve_discounted_std_error);
}

TEST_P(HorizonEve, DepositBalanceCarriesToTheHorizon) {
  // A deposit with no decay keeps its 5m to the horizon; all non-core, it leaves overnight there,
  // so it is worth 5m x P(H, H + 1 day): its spread across paths is about 5m x sd(r(H)) / 365,
  // i.e. a little over 100 for a 1% rate volatility.
  BehaviourTable behaviours;
  BehaviourProfile deposit;
  deposit.name = "core";
  deposit.type = BehaviourType::kDeposit;
  deposit.core_share = 0.0;  // all non-core: leaves overnight, worth its balance
  deposit.core_average_life = 1.0;
  behaviours.add(deposit);
  const EveSpec b = book("N,deposits,liability,nmd,USD,5000000,,,,,,0.01,,,,,,,,core,retail_transactional\n", behaviours);
  const NiiResult r = run_nii(b, mc(256, BalanceSheetAssumption::kConstant), backend());
  EXPECT_NEAR(r.eve.mean, -5e6, 5e6 * 2e-4);  // 5m discounted overnight
  EXPECT_GT(r.eve.std, 0.0);
  EXPECT_LT(r.eve.std, 5e6 * 0.02 / 365.0);  // well inside a 2% sd of the short rate
}

}  // namespace
}  // namespace ratesim

namespace ratesim {
namespace {

// The same martingale checks with paths from the LIBOR market model filling the path table.
NiiSpec lmm_mc(std::int64_t paths, BalanceSheetAssumption assumption) {
  NiiSpec s = mc(paths, assumption);
  LmmSpec lmm;
  lmm.n_rates = 80;  // 20 years of quarterly forwards
  lmm.accrual_months = 3;
  lmm.n_factors = 3;
  lmm.volatility = AbcdVolatility{-0.02, 0.25, 0.8, 0.12};
  s.lmm = lmm;
  return s;
}

class NiiLmm : public test::EveryBackend {};
RATESIM_ON_EVERY_BACKEND(NiiLmm);

TEST_P(NiiLmm, DiscountFactorsBondsAndFloatersUnderTheLmm) {
  test::Figure figure("LMM-driven run: martingale checks in standard errors", 4.0);
  const EveSpec b = book(
      "B,bonds,asset,fixed_bond,USD,1000000,2026-06-30,2033-06-30,bullet,12,30/360,0.05,,,,,,,,,\n"
      "F,corp,asset,floating_loan,USD,10000000,2026-01-31,2031-01-31,bullet,1,ACT/360,0.041,1,0.015,1,,,,,,\n");
  const EveResult today = run_eve(b, backend());
  const NiiResult r = run_nii(b, lmm_mc(8192, BalanceSheetAssumption::kRunOff), backend());
  const int eve = r.eve_column(), discount = eve + 1 + static_cast<int>(r.segments.size());
  CompensatedSum d, d2, bond, bond2;
  for (std::int64_t p = 0; p < r.paths; ++p) {
    const double* row = r.path_values.data() + static_cast<std::size_t>(p) * r.width();
    d.add(row[discount]);
    d2.add(row[discount] * row[discount]);
    // The bond's horizon value plus its coupon at H, bank-account discounted (segment 0: bonds).
    const double v = row[discount] * (row[eve + 1] + 50000.0);
    bond.add(v);
    bond2.add(v * v);
  }
  const double n = static_cast<double>(r.paths);
  auto check = [&](const CompensatedSum& s, const CompensatedSum& s2, double expected, const char* what) {
    const double mean = s.value() / n;
    const double se = std::sqrt((s2.value() / n - mean * mean) / (n - 1.0));
    EXPECT_NEAR(figure(std::fabs(mean - expected) / se), 0.0, 4.0) << what;
  };
  // H = 12 months = one year = the 4th quarterly tenor date.
  check(d, d2, std::exp(-kRate * 1.0), "E[D(0,H)] = P(0,H)");
  check(bond, bond2, today.base.by_segment[0], "bond martingale");
  // The floater's mean NII: the forwards' NII within 4 standard errors.
  EXPECT_NEAR(r.by_segment[1].mean, r.base.by_segment[1], 4.0 * r.by_segment[1].std_error);
  EXPECT_GT(r.by_segment[1].std, 0.0);
}

}  // namespace
}  // namespace ratesim

namespace ratesim {
namespace {

TEST_P(NiiLmm, ResultsIgnoreChunking) {
  const EveSpec b = book(
      "F,corp,asset,floating_loan,USD,1000000,2026-01-31,2031-01-31,bullet,3,ACT/360,0.05,3,0.012,3,0.08,0.02,,,,\n");
  NiiSpec one = lmm_mc(2500, BalanceSheetAssumption::kConstant);
  one.chunk_paths = 2500;
  NiiSpec many = one;
  many.chunk_paths = 1000;
  const NiiResult a = run_nii(b, one, backend());
  const NiiResult c = run_nii(b, many, backend());
  ASSERT_EQ(a.chunks.size(), 1u);
  ASSERT_EQ(c.chunks.size(), 3u);
  ASSERT_EQ(a.path_values.size(), c.path_values.size());
  EXPECT_EQ(std::memcmp(a.path_values.data(), c.path_values.data(), a.path_values.size() * sizeof(double)), 0);
}

}  // namespace
}  // namespace ratesim

namespace ratesim {
namespace {

// The S-curve's monthly survival (1 - CPR)^(1/12) is a polynomial in u = 1 / (1 + e^(-s (i - m)))
// fitted on the host (fit_survival_polynomial): checked against the exact power at points the
// fit never saw, for CPR ranges from the sample bank's to a steep one, seasoned and on the ramp.
TEST(Nii, SCurveSurvivalPolynomialMatchesTheExactSurvival) {
  test::Figure figure("S-curve survival polynomial vs (1 - CPR)^(1/12), relative", 2e-15);
  std::mt19937_64 random(20261207);
  std::uniform_real_distribution<double> any_u(0.0, 1.0);
  const double ranges[][2] = {{0.04, 0.35}, {0.0, 0.5}, {0.02, 0.6}, {0.1, 0.3}, {0.0, 0.0}, {0.05, 0.05}};
  for (const auto& [base, max] : ranges) {
    for (const double ramp : {1.0 / 30.0, 0.5, 29.0 / 30.0, 1.0}) {
      const std::vector<double> c = fit_survival_polynomial(base, max, ramp);
      ASSERT_FALSE(c.empty()) << base << " " << max << " ramp " << ramp;
      EXPECT_LE(c.size(), static_cast<std::size_t>(kMostSurvivalTerms));
      for (int n = 0; n < 10000; ++n) {
        const double u = n < 2 ? n : any_u(random);  // both ends, then anywhere
        const double exact = std::pow(1.0 - (base + (max - base) * u) * ramp, 1.0 / 12.0);
        const double fitted = survival_polynomial(c.data(), static_cast<int>(c.size()), u);
        ASSERT_LE(figure(std::fabs(fitted - exact) / exact), 2e-15) << base << " " << max << " ramp " << ramp << " u " << u;
      }
    }
  }
  // A maximum CPR near 1 puts the power's branch point next to the range: no short polynomial
  // reaches the tolerance, and the month step keeps the exact form.
  EXPECT_TRUE(fit_survival_polynomial(0.0, 0.99, 1.0).empty());
}

// The month step with the polynomial against the same step with the exact survival, path by path
// (the kinds book: a seasoned S-curve mortgage and one on its seasoning ramp).
TEST(Nii, SCurveSurvivalPolynomialMovesNoPathBeyondRounding) {
  const EveSpec book = test::kinds_book();
  constexpr int kMonths = 12;
  const TimeGrid grid = make_calendar_grid(book.valuation_date, book.day_count, 1, kMonths);
  const HullWhiteTables hw = build_hull_white_tables(book.base_curves[0], book.model, grid,
                                                     required_indices(book.portfolio, book.behaviours),
                                                     book.valuation_date, book.day_count);
  const NiiTables tables = build_nii_tables(book.portfolio, book.behaviours, book.valuation_date, kMonths,
                                            today_index_rates(hw));
  ASSERT_GE(tables.survival_sets[0], 0) << "the prepay profile has its polynomials";
  ASSERT_EQ(tables.survival_sets[1], -1) << "a constant CPR has none";
  NiiTables exact = tables;
  std::fill(exact.survival_sets.begin(), exact.survival_sets.end(), -1);
  const auto engine = make_cpu_path_engine(hw);
  engine->generate(20261207, 0, 64);
  const HostPathTable chunk = engine->download();
  const int n_segments = static_cast<int>(book.portfolio.segments.size());
  test::Figure figure("kinds book: per-path NII, S-curve survival polynomial vs the exact form, relative to the largest", 1e-13);
  for (const auto assumption : {BalanceSheetAssumption::kConstant, BalanceSheetAssumption::kRunOff}) {
    const NiiOutput fitted = nii_on_paths_cpu(book.portfolio, book.behaviours, tables, assumption, n_segments,
                                              chunk.view, nullptr);
    const NiiOutput reference = nii_on_paths_cpu(book.portfolio, book.behaviours, exact, assumption, n_segments,
                                                 chunk.view, nullptr);
    ASSERT_EQ(fitted.values.size(), reference.values.size());
    double scale = 0.0, worst = 0.0;
    for (const double v : reference.values) scale = std::fmax(scale, std::fabs(v));
    bool moved = false;
    for (std::size_t k = 0; k < reference.values.size(); ++k) {
      worst = std::fmax(worst, std::fabs(fitted.values[k] - reference.values[k]) / scale);
      moved = moved || fitted.values[k] != reference.values[k];
    }
    EXPECT_TRUE(moved) << "the polynomial is in use";
    EXPECT_LE(figure(worst), 1e-13);
  }
}

}  // namespace
}  // namespace ratesim
