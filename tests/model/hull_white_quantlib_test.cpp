// Hull-White closed forms against QuantLib 1.29 (HullWhite, AnalyticCapFloorEngine,
// JamshidianSwaptionEngine) on the same curve, for several (a, sigma, t, T).

#include <gtest/gtest.h>

#include "ratesim/model/hull_white_analytic.hpp"
#include "test_support.hpp"

#if RATESIM_HAVE_QUANTLIB
#include <ql/cashflows/iborcoupon.hpp>
#include <ql/currencies/america.hpp>
#include <ql/indexes/iborindex.hpp>
#include <ql/instruments/capfloor.hpp>
#include <ql/instruments/swaption.hpp>
#include <ql/instruments/vanillaswap.hpp>
#include <ql/math/solvers1d/brent.hpp>
#include <ql/math/interpolations/loginterpolation.hpp>
#include <ql/models/shortrate/onefactormodels/hullwhite.hpp>
#include <ql/pricingengines/capfloor/analyticcapfloorengine.hpp>
#include <ql/pricingengines/swaption/jamshidianswaptionengine.hpp>
#include <ql/termstructures/yield/discountcurve.hpp>
#include <ql/time/calendars/nullcalendar.hpp>
#include <ql/time/daycounters/actual360.hpp>
#include <ql/time/daycounters/actual365fixed.hpp>
#include <ql/time/daycounters/thirty360.hpp>
#include <ql/exercise.hpp>
#include <ql/settings.hpp>
#endif

namespace ratesim {
namespace {

#if RATESIM_HAVE_QUANTLIB
namespace ql = QuantLib;

// The same curve on both sides: nodes at whole days after the reference date, so QuantLib's
// Actual365Fixed times equal ratesim's node times exactly.
struct SharedCurve {
  ql::Date today{30, ql::June, 2026};
  ql::Handle<ql::YieldTermStructure> handle;
  DiscountCurve curve;

  SharedCurve() {
    ql::Settings::instance().evaluationDate() = today;
    const std::vector<int> days{91, 182, 365, 730, 1095, 1826, 2557, 3652, 5478, 7305, 10958};
    const std::vector<double> zero{0.030, 0.031, 0.032, 0.034, 0.035, 0.037,
                                   0.038, 0.039, 0.040, 0.0405, 0.039};
    std::vector<ql::Date> dates{today};
    std::vector<ql::DiscountFactor> discounts{1.0};
    std::vector<double> times, dfs;
    for (std::size_t i = 0; i < days.size(); ++i) {
      const double t = days[i] / 365.0;
      dates.push_back(today + days[i]);
      discounts.push_back(std::exp(-zero[i] * t));
      times.push_back(t);
      dfs.push_back(discounts.back());
    }
    handle = ql::Handle<ql::YieldTermStructure>(
        ql::ext::make_shared<ql::InterpolatedDiscountCurve<ql::LogLinear>>(dates, discounts,
                                                                            ql::Actual365Fixed()));
    curve = DiscountCurve(times, dfs);
  }
  double time(const ql::Date& d) const { return (d - today) / 365.0; }
  /// A 3M index forecast on this curve, fixing on the accrual start (no calendar, no lag).
  ql::ext::shared_ptr<ql::IborIndex> index_3m() const {
    return ql::ext::make_shared<ql::IborIndex>("Test3M", ql::Period(3, ql::Months), 0,
                                               ql::USDCurrency(), ql::NullCalendar(),
                                               ql::Unadjusted, false, ql::Actual360(), handle);
  }
};

struct ModelCase {
  double a, sigma;
};
// a = 1e-8 is checked separately below: QuantLib switches to the a = 0 formulas there.
const ModelCase kModels[] = {{0.001, 0.005}, {0.03, 0.01}, {0.1, 0.015}, {0.5, 0.02}, {1.5, 0.01}};

double relative(double mine, double reference) {
  return std::fabs(mine - reference) / std::fabs(reference);
}

TEST(HullWhiteQuantLib, DiscountBondGivenShortRate) {
  SharedCurve s;
  test::Figure figure("P(t,T | r) vs QuantLib, relative error", 1e-10);
  for (const ModelCase& m : kModels) {
    const ql::HullWhite model(s.handle, m.a, m.sigma);
    const HullWhiteParams p{m.a, m.sigma};
    for (double t : {0.37, 1.6, 4.2, 8.9}) {
      for (double T : {t + 0.25, t + 2.3, t + 11.7}) {
        for (double r : {-0.01, 0.02, 0.045, 0.09}) {
          const double reference = model.discountBond(t, T, r);
          EXPECT_LT(figure(relative(hw_discount_bond_given_short_rate(s.curve, p, t, T, r), reference)),
                    1e-10)
              << "a=" << m.a << " t=" << t << " T=" << T << " r=" << r;
        }
      }
    }
  }
}

TEST(HullWhiteQuantLib, ZeroBondCallAndPut) {
  SharedCurve s;
  test::Figure figure("zero-bond options vs QuantLib, relative error", 1e-10);
  for (const ModelCase& m : kModels) {
    const ql::HullWhite model(s.handle, m.a, m.sigma);
    const HullWhiteParams p{m.a, m.sigma};
    for (double expiry : {0.5, 2.0, 6.5}) {
      for (double maturity : {expiry + 0.5, expiry + 5.0, expiry + 15.0}) {
        // Strikes at the forward and half a standard deviation either side: far out of the
        // money both libraries' prices shrink below 1e-12 and their relative error means nothing.
        const double forward = s.curve.discount(maturity) / s.curve.discount(expiry);
        const double sd = hw_bond_option_vol(p, 0.0, expiry, maturity);
        for (double moneyness : {std::exp(-0.5 * sd), 1.0, std::exp(0.5 * sd)}) {
          const double strike = forward * moneyness;
          for (bool call : {true, false}) {
            const double reference = model.discountBondOption(
                call ? ql::Option::Call : ql::Option::Put, strike, expiry, maturity);
            const double mine = hw_zero_bond_option(s.curve, p, call, expiry, maturity, strike);
            EXPECT_LT(figure(relative(mine, reference)), 1e-10)
                << (call ? "call" : "put") << " a=" << m.a << " T=" << expiry
                << " S=" << maturity << " K=" << strike;
          }
        }
      }
    }
  }
}

ql::Schedule quarterly(const ql::Date& start, const ql::Date& end) {
  return ql::Schedule(start, end, ql::Period(3, ql::Months), ql::NullCalendar(), ql::Unadjusted,
                      ql::Unadjusted, ql::DateGeneration::Forward, false);
}

TEST(HullWhiteQuantLib, CapsAndFloorsAgainstAnalyticCapFloorEngine) {
  test::Figure figure("caps and floors vs QuantLib AnalyticCapFloorEngine, relative error", 1e-10);
  SharedCurve s;
  const auto index = s.index_3m();
  const ql::Date start = s.today + ql::Period(1, ql::Years);
  const ql::Schedule schedule = quarterly(start, start + ql::Period(5, ql::Years));
  const ql::Leg leg = ql::IborLeg(schedule, index)
                          .withNotionals(1.0)
                          .withPaymentDayCounter(ql::Actual360())
                          .withFixingDays(0);
  for (const ModelCase& m : kModels) {
    auto model = ql::ext::make_shared<ql::HullWhite>(s.handle, m.a, m.sigma);
    const HullWhiteParams p{m.a, m.sigma};
    for (double strike : {0.03, 0.04, 0.05}) {
      for (bool is_cap : {true, false}) {
        ql::CapFloor instrument(is_cap ? ql::CapFloor::Cap : ql::CapFloor::Floor, leg,
                                std::vector<ql::Rate>{strike});
        instrument.setPricingEngine(ql::ext::make_shared<ql::AnalyticCapFloorEngine>(model, s.handle));
        double mine = 0.0;
        for (std::size_t i = 0; i + 1 < schedule.size(); ++i) {
          const double accrual = ql::Actual360().yearFraction(schedule[i], schedule[i + 1]);
          mine += hw_caplet(s.curve, p, is_cap, s.time(schedule[i]), s.time(schedule[i + 1]),
                            accrual, strike);
        }
        EXPECT_LT(figure(relative(mine, instrument.NPV())), 1e-10)
            << (is_cap ? "cap" : "floor") << " a=" << m.a << " K=" << strike;
      }
    }
  }
}

// Jamshidian's decomposition built from QuantLib's own HullWhite::discountBond and
// discountBondOption, with the exercise boundary r* solved to 1e-15 rather than the engine's 1e-8.
struct TightJamshidian {
  double value = 0.0;
  double slope = 0.0;  ///< |dV/dr*|: how fast the decomposition's value moves with the boundary

  TightJamshidian(const ql::HullWhite& model, const SwaptionTerms& terms) {
    const double t0 = terms.expiry;
    std::vector<double> coupons;
    for (double accrual : terms.accruals) coupons.push_back(terms.strike * accrual);
    coupons.back() += 1.0;
    auto excess = [&](double r) {
      double v = -1.0;
      for (std::size_t i = 0; i < coupons.size(); ++i) {
        v += coupons[i] * model.discountBond(t0, terms.payment_times[i], r);
      }
      return v;
    };
    ql::Brent solver;
    solver.setMaxEvaluations(10000);
    const double r_star = solver.solve(excess, 1e-15, 0.05, -1.0, 1.0);
    auto decomposition = [&](double r) {
      double v = 0.0;
      for (std::size_t i = 0; i < coupons.size(); ++i) {
        const double strike = model.discountBond(t0, terms.payment_times[i], r);
        v += coupons[i] * model.discountBondOption(terms.payer ? ql::Option::Put : ql::Option::Call,
                                                   strike, t0, terms.payment_times[i]);
      }
      return v;
    };
    value = decomposition(r_star);
    slope = std::fabs(decomposition(r_star + 1e-6) - decomposition(r_star - 1e-6)) / 2e-6;
  }
};

TEST(HullWhiteQuantLib, SwaptionsAgainstJamshidianEngine) {
  test::Figure figure("swaptions vs Jamshidian with a tight r*, relative error", 1e-10);
  SharedCurve s;
  const auto index = s.index_3m();
  for (const ModelCase& m : kModels) {
    auto model = ql::ext::make_shared<ql::HullWhite>(s.handle, m.a, m.sigma);
    const HullWhiteParams p{m.a, m.sigma};
    for (int expiry_years : {1, 5}) {
      for (int tenor_years : {2, 10}) {
        const ql::Date start = s.today + ql::Period(expiry_years, ql::Years);
        const ql::Date end = start + ql::Period(tenor_years, ql::Years);
        const ql::Schedule fixed(start, end, ql::Period(1, ql::Years), ql::NullCalendar(),
                                 ql::Unadjusted, ql::Unadjusted, ql::DateGeneration::Forward, false);
        // Strikes at the forward swap rate and half its standard deviation either side, so that
        // every case has a price worth comparing: far out of the money the value is a few ulp of
        // the bond legs and its relative error means nothing. The sd is x(T0)'s times dS/dx.
        const double t0 = s.time(start);
        auto swap_rate = [&](double x) {
          double annuity = 0.0, last = 1.0;
          for (std::size_t i = 1; i < fixed.size(); ++i) {
            last = hw_discount_bond(s.curve, p, t0, s.time(fixed[i]), x);
            annuity += ql::Thirty360(ql::Thirty360::BondBasis).yearFraction(fixed[i - 1], fixed[i]) * last;
          }
          return (1.0 - last) / annuity;
        };
        const double forward_rate = swap_rate(0.0);  // close to the forward; only picks strikes
        const double sd = std::sqrt(hw_state_variance(p, t0)) *
                          std::fabs(swap_rate(1e-4) - swap_rate(-1e-4)) / 2e-4;
        for (double strike : {forward_rate - 0.5 * sd, forward_rate, forward_rate + 0.5 * sd}) {
          for (bool payer : {true, false}) {
            auto swap = ql::ext::make_shared<ql::VanillaSwap>(
                payer ? ql::Swap::Payer : ql::Swap::Receiver, 1.0, fixed, strike,
                ql::Thirty360(ql::Thirty360::BondBasis), quarterly(start, end), index, 0.0,
                ql::Actual360());
            ql::Swaption swaption(swap, ql::ext::make_shared<ql::EuropeanExercise>(start));
            swaption.setPricingEngine(ql::ext::make_shared<ql::JamshidianSwaptionEngine>(model));
            SwaptionTerms terms;
            terms.expiry = s.time(start);
            terms.strike = strike;
            terms.payer = payer;
            for (std::size_t i = 1; i < fixed.size(); ++i) {
              terms.payment_times.push_back(s.time(fixed[i]));
              terms.accruals.push_back(ql::Thirty360(ql::Thirty360::BondBasis)
                                           .yearFraction(fixed[i - 1], fixed[i]));
            }
            const double mine = hw_jamshidian_swaption(s.curve, p, terms);
            const TightJamshidian tight(*model, terms);
            EXPECT_LT(figure(relative(mine, tight.value)), 1e-10)
                << (payer ? "payer" : "receiver") << " a=" << m.a << " " << expiry_years << "x"
                << tenor_years << " K=" << strike;
            // QuantLib's engine solves for r* only to 1e-8 (Brent, JamshidianSwaptionEngine), and
            // the price moves with r* at the rate |dV/dr*|: that bounds their difference.
            EXPECT_LE(std::fabs(mine - swaption.NPV()), 1e-8 * tight.slope + 1e-10 * tight.value)
                << (payer ? "payer" : "receiver") << " a=" << m.a << " " << expiry_years << "x"
                << tenor_years << " K=" << strike;
          }
        }
      }
    }
  }
}

// QuantLib 1.29 evaluates HullWhite with the a = 0 formulas whenever a < sqrt(QL_EPSILON)
// (about 1.5e-8), so at a = 1e-8 it returns the Ho-Lee limit while ratesim evaluates a = 1e-8
// exactly. The two differ by O(a T); ratesim at a = 1e-8 must sit within that of QuantLib, and
// ratesim's own a -> 0 limit must agree with QuantLib's to 1e-10.
TEST(HullWhiteQuantLib, TinyMeanReversion) {
  SharedCurve s;
  const double sigma = 0.01;
  const ql::HullWhite ql_model(s.handle, 1e-8, sigma);
  // Times off the curve's nodes: QuantLib's f(0,t) is a centred difference, which at a node
  // averages the two segments' forwards where ratesim takes the right-hand one.
  for (double expiry : {1.1, 5.3}) {
    for (double maturity : {expiry + 1.0, expiry + 10.0}) {
      const double strike = s.curve.discount(maturity) / s.curve.discount(expiry);
      const double reference = ql_model.discountBondOption(ql::Option::Call, strike, expiry, maturity);
      const double at_zero = hw_zero_bond_option(s.curve, HullWhiteParams{0.0, sigma}, true, expiry,
                                                 maturity, strike);
      const double tiny = hw_zero_bond_option(s.curve, HullWhiteParams{1e-8, sigma}, true, expiry,
                                              maturity, strike);
      EXPECT_LT(relative(at_zero, reference), 1e-10) << expiry << " " << maturity;
      EXPECT_LT(relative(tiny, reference), 4.0 * 1e-8 * maturity) << expiry << " " << maturity;
      EXPECT_NE(tiny, at_zero);  // a = 1e-8 is evaluated, not rounded to the limit
      for (double r : {0.0, 0.04}) {
        const double bond = ql_model.discountBond(expiry, maturity, r);
        EXPECT_LT(relative(hw_discount_bond_given_short_rate(s.curve, HullWhiteParams{0.0, sigma},
                                                             expiry, maturity, r), bond), 1e-10);
        EXPECT_LT(relative(hw_discount_bond_given_short_rate(s.curve, HullWhiteParams{1e-8, sigma},
                                                             expiry, maturity, r), bond),
                  1e-8 * maturity * maturity);
      }
    }
  }
}
#else
TEST(HullWhiteQuantLib, Skipped) {
  GTEST_SKIP() << "QuantLib (libquantlib0-dev) is not installed; run scripts/install-deps";
}
#endif

}  // namespace
}  // namespace ratesim
