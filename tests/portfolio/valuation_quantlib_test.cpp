// Position valuation against QuantLib 1.29 on the same curve and conventions: FixedRateBond,
// AmortizingFixedRateBond, FloatingRateBond, VanillaSwap (DiscountingBondEngine and
// DiscountingSwapEngine) and caps and floors (AnalyticCapFloorEngine on HullWhite), to 1e-8.

#include <gtest/gtest.h>

#include "ratesim/curve/curve_set.hpp"
#include "ratesim/portfolio/valuation.hpp"
#include "test_support.hpp"

#if RATESIM_HAVE_QUANTLIB
#include <ql/cashflows/cashflows.hpp>
#include <ql/cashflows/iborcoupon.hpp>
#include <ql/currencies/america.hpp>
#include <ql/indexes/iborindex.hpp>
#include <ql/instruments/bonds/amortizingfixedratebond.hpp>
#include <ql/instruments/bonds/fixedratebond.hpp>
#include <ql/instruments/bonds/floatingratebond.hpp>
#include <ql/instruments/capfloor.hpp>
#include <ql/instruments/vanillaswap.hpp>
#include <ql/math/interpolations/loginterpolation.hpp>
#include <ql/models/shortrate/onefactormodels/hullwhite.hpp>
#include <ql/pricingengines/bond/discountingbondengine.hpp>
#include <ql/pricingengines/capfloor/analyticcapfloorengine.hpp>
#include <ql/pricingengines/swap/discountingswapengine.hpp>
#include <ql/settings.hpp>
#include <ql/termstructures/yield/discountcurve.hpp>
#include <ql/time/calendars/nullcalendar.hpp>
#include <ql/time/daycounters/actual360.hpp>
#include <ql/time/daycounters/actual365fixed.hpp>
#include <ql/time/daycounters/thirty360.hpp>
#endif

namespace ratesim {
namespace {

#if RATESIM_HAVE_QUANTLIB
namespace ql = QuantLib;

ql::Date to_ql(Date d) {
  const CivilDate c = to_civil(d);
  return ql::Date(static_cast<ql::Day>(c.day), static_cast<ql::Month>(c.month), c.year);
}

// One market for both libraries: a log-linear discount curve with nodes at whole days.
struct Market {
  Date today = make_date(2026, 6, 30);
  ql::Handle<ql::YieldTermStructure> handle;
  DiscountCurve curve;
  CurveSet curves;
  HullWhiteParams model{0.03, 0.012};

  Market() {
    ql::Settings::instance().evaluationDate() = to_ql(today);
    const std::vector<int> days{30, 91, 182, 365, 730, 1095, 1826, 2557, 3652, 5478, 7305, 10958};
    const std::vector<double> zero{0.0392, 0.0388, 0.0379, 0.0365, 0.0348, 0.0343,
                                   0.0347, 0.0357, 0.0373, 0.0392, 0.0401, 0.0396};
    std::vector<ql::Date> dates{to_ql(today)};
    std::vector<ql::DiscountFactor> discounts{1.0};
    std::vector<double> times, dfs;
    for (std::size_t i = 0; i < days.size(); ++i) {
      const double t = days[i] / 365.0;
      dates.push_back(to_ql(today) + days[i]);
      discounts.push_back(std::exp(-zero[i] * t));
      times.push_back(t);
      dfs.push_back(discounts.back());
    }
    handle = ql::Handle<ql::YieldTermStructure>(
        ql::ext::make_shared<ql::InterpolatedDiscountCurve<ql::LogLinear>>(dates, discounts,
                                                                            ql::Actual365Fixed()));
    curve = DiscountCurve(times, dfs);
    curves.add_scenario({curve});
  }

  // ratesim rolls month-end dates to month ends (docs/valuation.md), so QuantLib's schedules and
  // index use the end-of-month rule too; no calendar, no adjustment, no fixing lag.
  ql::ext::shared_ptr<ql::IborIndex> index(int months) const {
    return ql::ext::make_shared<ql::IborIndex>("Test", ql::Period(months, ql::Months), 0,
                                               ql::USDCurrency(), ql::NullCalendar(),
                                               ql::Unadjusted, true, ql::Actual360(), handle);
  }

  ql::Schedule schedule(Date start, Date maturity, int months) const {
    return ql::Schedule(to_ql(start), to_ql(maturity), ql::Period(months, ql::Months),
                        ql::NullCalendar(), ql::Unadjusted, ql::Unadjusted,
                        ql::DateGeneration::Forward, is_end_of_month(start));
  }
};

// A one-position portfolio with everything a kind may need.
struct OnePosition {
  Portfolio p;
  BehaviourTable behaviours;

  OnePosition(PositionKind kind, Side side, double notional, Date start, Date maturity) {
    p.segments = {"s"};
    p.currencies = {"USD"};
    p.ids = {"x"};
    p.source_line = {0};
    p.kind = {kind};
    p.side = {side};
    p.amortization = {Amortization::kBullet};
    p.day_count = {DayCount::kThirty360};
    p.swap_leg = {SwapLeg::kNone};
    p.nmd_category = {NmdCategory::kNone};
    p.floating = {0};
    p.start_day = {start.days};
    p.maturity_day = {maturity.days};
    p.payment_months = {6};
    p.reset_months = {0};
    p.index_tenor_months = {0};
    p.behaviour = {kNoBehaviour};
    p.segment = {0};
    p.currency = {0};
    p.notional = {notional};
    p.rate = {0.0};
    p.spread = {0.0};
    p.cap_rate = {INFINITY};
    p.floor_rate = {-INFINITY};
    p.strike = {0.0};
  }

  double value(const Market& m) const {
    ValuationSettings s;
    s.valuation_day = m.today.days;
    s.model = m.model;
    s.behaviours = behaviours.view();
    return value_in_scenario(p.view(), 0, m.curves.view(), 0, s);
  }
};

double relative(double mine, double reference) {
  return std::fabs(mine - reference) / std::fabs(reference);
}

TEST(ValuationQuantLib, FixedRateBonds) {
  test::Figure figure("fixed-rate bonds vs QuantLib, relative error", 1e-8);
  const Market m;
  struct Case { Date start, maturity; int months; DayCount dc; ql::DayCounter qdc; double coupon; };
  const Case cases[] = {
      {make_date(2026, 6, 30), make_date(2031, 6, 30), 6, DayCount::kThirty360, ql::Thirty360(ql::Thirty360::BondBasis), 0.045},
      {make_date(2024, 3, 15), make_date(2034, 3, 15), 12, DayCount::kAct365Fixed, ql::Actual365Fixed(), 0.03},
      {make_date(2025, 11, 10), make_date(2029, 2, 10), 3, DayCount::kAct360, ql::Actual360(), 0.055},  // short stub
  };
  for (const Case& c : cases) {
    OnePosition x(PositionKind::kFixedBond, Side::kAsset, 1e6, c.start, c.maturity);
    x.p.payment_months = {c.months};
    x.p.day_count = {c.dc};
    x.p.rate = {c.coupon};
    ql::FixedRateBond bond(0, 1e6, m.schedule(c.start, c.maturity, c.months), {c.coupon}, c.qdc);
    bond.setPricingEngine(ql::ext::make_shared<ql::DiscountingBondEngine>(m.handle));
    EXPECT_LT(figure(relative(x.value(m), bond.NPV())), 1e-8) << format_iso_date(c.start);
  }
}

// Annuity notionals from issue: N_k = N (G - g^k) / (G - 1), g = 1 + r m/12, G = g^n.
std::vector<double> annuity_notionals(double n0, double rate, int months, int periods) {
  const double g = 1.0 + rate * months / 12.0, total = std::pow(g, periods);
  std::vector<double> notionals;
  for (int k = 0; k < periods; ++k) notionals.push_back(n0 * (total - std::pow(g, k)) / (total - 1.0));
  notionals.push_back(0.0);
  return notionals;
}

TEST(ValuationQuantLib, AmortizingLoansNewAndSeasoned) {
  test::Figure figure("amortising loans, new and seasoned, vs QuantLib, relative error", 1e-8);
  const Market m;
  for (const Date start : {make_date(2026, 6, 15), make_date(2021, 2, 15)}) {
    const Date maturity = add_months(start, 15 * 12);
    const double rate = 0.0525;
    const std::vector<double> notionals = annuity_notionals(1e6, rate, 1, 180);
    ql::AmortizingFixedRateBond bond(0, notionals, m.schedule(start, maturity, 1), {rate},
                                     ql::Thirty360(ql::Thirty360::BondBasis));
    bond.setPricingEngine(ql::ext::make_shared<ql::DiscountingBondEngine>(m.handle));
    // ratesim's notional is the balance outstanding today: the notional of the period in progress.
    const int paid = std::max(0, months_between(start, m.today) - (to_civil(m.today).day < to_civil(start).day ? 1 : 0));
    OnePosition x(PositionKind::kFixedLoan, Side::kAsset, notionals[static_cast<std::size_t>(paid)], start, maturity);
    x.p.amortization = {Amortization::kAnnuity};
    x.p.payment_months = {1};
    x.p.rate = {rate};
    EXPECT_LT(figure(relative(x.value(m), bond.NPV())), 1e-8) << format_iso_date(start);

    x.p.amortization = {Amortization::kLinear};
    std::vector<double> linear;
    for (int k = 0; k <= 180; ++k) linear.push_back(1e6 * (1.0 - k / 180.0));
    ql::AmortizingFixedRateBond linear_bond(0, linear, m.schedule(start, maturity, 1), {rate},
                                            ql::Thirty360(ql::Thirty360::BondBasis));
    linear_bond.setPricingEngine(ql::ext::make_shared<ql::DiscountingBondEngine>(m.handle));
    x.p.notional = {linear[static_cast<std::size_t>(paid)]};
    EXPECT_LT(figure(relative(x.value(m), linear_bond.NPV())), 1e-8) << "linear " << format_iso_date(start);
  }
}

TEST(ValuationQuantLib, FloatingRateBonds) {
  test::Figure figure("floating-rate bonds with caps and floors vs QuantLib, relative error", 1e-8);
  const Market m;
  const Date start = make_date(2026, 5, 15), maturity = make_date(2031, 5, 15);
  const double spread = 0.0125, current_fixing = 0.0401;
  auto index = m.index(3);
  index->clearFixings();
  index->addFixing(to_ql(start), current_fixing);  // the period in progress fixed on its start
  ql::FloatingRateBond bond(0, 1e6, m.schedule(start, maturity, 3), index, ql::Actual360(),
                            ql::Unadjusted, 0, {1.0}, {spread});
  bond.setPricingEngine(ql::ext::make_shared<ql::DiscountingBondEngine>(m.handle));
  OnePosition x(PositionKind::kFloatingBond, Side::kAsset, 1e6, start, maturity);
  x.p.floating = {1};
  x.p.payment_months = {3};
  x.p.reset_months = {3};
  x.p.index_tenor_months = {3};
  x.p.day_count = {DayCount::kAct360};
  x.p.rate = {current_fixing + spread};
  x.p.spread = {spread};
  EXPECT_LT(figure(relative(x.value(m), bond.NPV())), 1e-8);

  // With an embedded cap and floor on the coupon: the plain bond less a Hull-White cap struck at
  // cap - spread, plus a floor struck at floor - spread, on the coupons still to be fixed.
  const double cap = 0.065, floor = 0.03;
  x.p.cap_rate = {cap};
  x.p.floor_rate = {floor};
  auto model = ql::ext::make_shared<ql::HullWhite>(m.handle, m.model.mean_reversion, m.model.volatility);
  const ql::Schedule future = m.schedule(add_months(start, 3), maturity, 3);
  const ql::Leg leg = ql::IborLeg(future, index).withNotionals(1e6).withPaymentDayCounter(ql::Actual360()).withFixingDays(0);
  ql::CapFloor caps(ql::CapFloor::Cap, leg, std::vector<ql::Rate>{cap - spread});
  ql::CapFloor floors(ql::CapFloor::Floor, leg, std::vector<ql::Rate>{floor - spread});
  caps.setPricingEngine(ql::ext::make_shared<ql::AnalyticCapFloorEngine>(model, m.handle));
  floors.setPricingEngine(ql::ext::make_shared<ql::AnalyticCapFloorEngine>(model, m.handle));
  EXPECT_LT(figure(relative(x.value(m), bond.NPV() - caps.NPV() + floors.NPV())), 1e-8);
}

TEST(ValuationQuantLib, Swaps) {
  test::Figure figure("swaps vs QuantLib, relative error", 1e-8);
  const Market m;
  const Date start = m.today, maturity = make_date(2033, 6, 30);
  for (SwapLeg leg : {SwapLeg::kPayFixed, SwapLeg::kReceiveFixed}) {
    for (double spread : {0.0, 0.0015}) {
      OnePosition x(PositionKind::kSwap, Side::kOffBalance, 5e7, start, maturity);
      x.p.swap_leg = {leg};
      x.p.payment_months = {12};
      x.p.day_count = {DayCount::kThirty360};
      x.p.rate = {0.0385};
      x.p.reset_months = {3};
      x.p.index_tenor_months = {3};
      x.p.spread = {spread};
      ql::VanillaSwap swap(leg == SwapLeg::kPayFixed ? ql::Swap::Payer : ql::Swap::Receiver, 5e7,
                           m.schedule(start, maturity, 12), 0.0385,
                           ql::Thirty360(ql::Thirty360::BondBasis), m.schedule(start, maturity, 3),
                           m.index(3), spread, ql::Actual360());
      swap.setPricingEngine(ql::ext::make_shared<ql::DiscountingSwapEngine>(m.handle));
      EXPECT_LT(figure(relative(x.value(m), swap.NPV())), 1e-8) << static_cast<int>(leg) << " " << spread;
    }
  }
}

TEST(ValuationQuantLib, CapsAndFloorsInHullWhite) {
  test::Figure figure("caps and floors in Hull-White vs QuantLib, relative error", 1e-8);
  const Market m;
  auto model = ql::ext::make_shared<ql::HullWhite>(m.handle, m.model.mean_reversion, m.model.volatility);
  const Date start = make_date(2026, 9, 15), maturity = make_date(2031, 9, 15);
  for (PositionKind kind : {PositionKind::kCap, PositionKind::kFloor}) {
    for (double strike : {0.03, 0.04, 0.05}) {
      for (double notional : {2.5e7, -1e7}) {
        OnePosition x(kind, Side::kOffBalance, notional, start, maturity);
        x.p.reset_months = {3};
        x.p.index_tenor_months = {3};
        x.p.strike = {strike};
        const ql::Leg leg = ql::IborLeg(m.schedule(start, maturity, 3), m.index(3))
                                .withNotionals(std::fabs(notional))
                                .withPaymentDayCounter(ql::Actual360())
                                .withFixingDays(0);
        ql::CapFloor option(kind == PositionKind::kCap ? ql::CapFloor::Cap : ql::CapFloor::Floor, leg,
                            std::vector<ql::Rate>{strike});
        option.setPricingEngine(ql::ext::make_shared<ql::AnalyticCapFloorEngine>(model, m.handle));
        const double reference = (notional > 0 ? 1.0 : -1.0) * option.NPV();
        EXPECT_LT(figure(relative(x.value(m), reference)), 1e-8) << static_cast<int>(kind) << " K=" << strike;
      }
    }
  }
}
#else
TEST(ValuationQuantLib, Skipped) {
  GTEST_SKIP() << "QuantLib (libquantlib0-dev) is not installed; run scripts/install-deps";
}
#endif

}  // namespace
}  // namespace ratesim
