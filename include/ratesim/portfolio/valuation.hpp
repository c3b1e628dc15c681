#pragma once
// Deterministic valuation of one position on one curve: the present value of its remaining cash
// flows, with projected floating coupons and embedded or standalone caps and floors valued in the
// Hull-White model fitted to that curve. One RATESIM_HD implementation for both backends.
// Conventions and simplifications: docs/valuation.md.

#include <cmath>
#include <cstdint>

#include "ratesim/core.hpp"
#include "ratesim/curve/curve_set.hpp"
#include "ratesim/curve/discount_curve.hpp"
#include "ratesim/model/hull_white.hpp"
#include "ratesim/portfolio/behaviour.hpp"
#include "ratesim/portfolio/cash_flows.hpp"
#include "ratesim/portfolio/portfolio.hpp"

namespace ratesim {

struct ValuationContext {
  std::int32_t valuation_day = 0;
  DayCount time_basis = DayCount::kAct365Fixed;  ///< the model's time axis
  CurveView curve;          ///< the scenario's curve: discounting and projection (single curve)
  CurveView fixing_curve;   ///< the base curve: stands in for past fixings the data lacks
  HullWhiteParams model;    ///< volatility of embedded and standalone options
  BehaviourView behaviours;
  NmdCaps nmd_caps;

  RATESIM_HD double time(std::int32_t day) const {
    return year_fraction(time_basis, valuation_day, day);
  }
  RATESIM_HD double discount_at(std::int32_t day) const { return discount(curve, time(day)); }
};

/// Money-market accrual of floating indices and floating swap legs.
inline constexpr DayCount kIndexDayCount = DayCount::kAct360;
/// Monthly runoff steps of core deposits, 30 years; the balance left then is repaid then.
inline constexpr int kDepositRunoffMonths = 360;

/// Simple forward rate of an index of `tenor_months` fixing on `reset` on `curve`, and the
/// index period's end and accrual.
struct IndexForward {
  double rate;
  std::int32_t end;
  double accrual;
};

RATESIM_HD inline IndexForward index_forward(const ValuationContext& c, const CurveView& curve,
                                             std::int32_t reset, int tenor_months) {
  const std::int32_t end = add_months(Date{reset}, tenor_months).days;
  const double accrual = year_fraction(kIndexDayCount, reset, end);
  const double ratio = discount(curve, c.time(reset)) / discount(curve, c.time(end));
  return IndexForward{(ratio - 1.0) / accrual, end, accrual};
}

/// E[(L - K)^+ D(0, T_end)] / P(0, T_end) for the index fixing on `reset` (in the future): the
/// Hull-White caplet on the index period per unit of notional and accrual, in units of the
/// discount factor to the index period's end. A payment on another date uses the same ratio
/// (exact when the payment is at the index period's end).
/// index_option_rate given the option's sigma_p (hw_bond_option_vol from 0 to the reset and the
/// index period's end), which depends on the dates alone.
/// Real is double, or SIMD lanes of curves with the same dates (the horizon fit's states): the
/// index period's accrual, the forward rate on each curve and its discount factors.
template <class Real>
RATESIM_HD RATESIM_FORCE_INLINE Real index_option_rate_at_vol(double accrual, Real forward, double sp, Real p_reset,
                                                              Real p_end, bool is_call, double strike) {
  if (1.0 + strike * accrual <= 0.0) {
    // The index can never be below such a strike: the call is a forward, the put worthless.
    return is_call ? forward - strike : Real(0.0);
  }
  return hw_caplet_at_vol(sp, is_call, accrual, p_reset, p_end, strike) / (accrual * p_end);
}

RATESIM_HD inline double index_option_rate(const ValuationContext& c, const IndexForward& f,
                                           double t_reset, double p_reset, double p_end,
                                           bool is_call, double strike) {
  return index_option_rate_at_vol(f.accrual, f.rate, hw_bond_option_vol(c.model, 0.0, t_reset, c.time(f.end)),
                                  p_reset, p_end, is_call, strike);
}

/// The index period fixing on `reset`: its end, accrual and model times, and the sigma_p of an
/// option on its rate, which do not depend on the curve (the horizon fit computes them once for
/// all the states it samples).
struct IndexPeriod {
  std::int32_t reset, end;
  double accrual, t_reset, t_end;
  double option_vol;  ///< hw_bond_option_vol(model, 0, t_reset, t_end); NaN: not computed
};

/// With `options` (a coupon with a cap or a floor), the options' sigma_p too.
RATESIM_HD inline IndexPeriod index_period(const ValuationContext& c, std::int32_t reset, int tenor_months,
                                           bool options) {
  const std::int32_t end = add_months(Date{reset}, tenor_months).days;
  const double t_reset = c.time(reset), t_end = c.time(end);
  return IndexPeriod{reset, end, year_fraction(kIndexDayCount, reset, end), t_reset, t_end,
                     options ? hw_bond_option_vol(c.model, 0.0, t_reset, t_end) : NAN};
}

RATESIM_HD inline bool has_options(double cap, double floor) { return cap < INFINITY || floor > -INFINITY; }

/// The rate a floating coupon governed by a future reset is worth, per unit of balance x accrual
/// and of the discount factor to its payment: E[min(max(L + spread, floor), cap) D(0, pay)] /
/// P(0, pay) = L + spread - caplet + floorlet, each option struck at its bound less the spread.
/// floating_rate_value given the curve's discount factors to the reset and to the index period's
/// end (a caller that has them already, as the horizon fit does, saves their lookups).
/// Real is double, or SIMD lanes of curves (the horizon fit prices a reset in all its states at once).
template <class Real>
RATESIM_HD RATESIM_FORCE_INLINE Real floating_rate_value_at(const IndexPeriod& q, Real p_reset, Real p_end, double spread,
                                              double cap, double floor) {
  const Real forward = (p_reset / p_end - 1.0) / q.accrual;
  Real rate = forward + spread;
  if (cap < INFINITY) rate -= index_option_rate_at_vol(q.accrual, forward, q.option_vol, p_reset, p_end, true, cap - spread);
  if (floor > -INFINITY) {
    rate += index_option_rate_at_vol(q.accrual, forward, q.option_vol, p_reset, p_end, false, floor - spread);
  }
  return rate;
}

RATESIM_HD inline double floating_rate_value(const ValuationContext& c, const IndexPeriod& q, double spread,
                                             double cap, double floor) {
  return floating_rate_value_at(q, discount(c.curve, q.t_reset), discount(c.curve, q.t_end), spread, cap, floor);
}

RATESIM_HD inline double floating_rate_value(const ValuationContext& c, std::int32_t reset,
                                             int tenor_months, double spread, double cap,
                                             double floor) {
  return floating_rate_value(c, index_period(c, reset, tenor_months, has_options(cap, floor)), spread, cap, floor);
}

/// Loans, mortgages, bonds and term deposits: coupons (fixed, or floating with embedded cap and
/// floor) on the amortising balance, plus principal, discounted on the scenario curve.
RATESIM_HD inline double amortizing_value(const PortfolioView& p, int i, const ValuationContext& c) {
  const bool floating = p.floating[i] != 0;
  double value = 0.0;
  CurveCursor discounts{c.curve};
  double rate = p.rate[i];  // the coupon rate in force; floating: the value of the governing reset's
  std::int32_t rate_reset = -2147483647 - 1;
  for_each_amortizing_period(p, i, c.behaviours, c.valuation_day, [&](const AmortizingPeriod& q) {
    const double p_end = discounts.discount(c.time(q.end));
    // Periods sharing a reset share its rate: value it once per reset.
    if (floating && q.reset != rate_reset) {
      rate_reset = q.reset;
      rate = q.reset > c.valuation_day
                 ? floating_rate_value(c, q.reset, p.index_tenor_months[i], p.spread[i], p.cap_rate[i], p.floor_rate[i])
                 : p.rate[i];
    }
    value += (q.balance * q.accrual * rate + q.balance - q.next_balance) * p_end;
  });
  return value;
}

/// Interest-rate swap, valued as receive-fixed (fixed leg minus floating leg) and signed by the
/// leg. The floating leg accrues ACT/360 and resets every reset_months; the fixing of a period
/// already running is not in the data, so the base curve's rate to its end stands in for it.
RATESIM_HD inline double swap_value(const PortfolioView& p, int i, const ValuationContext& c) {
  const double n = p.notional[i];
  double fixed_leg = 0.0, floating_leg = 0.0;
  const Schedule fixed = make_schedule(p.start_day[i], p.maturity_day[i], p.payment_months[i]);
  for (int k = first_live_period(fixed, c.valuation_day); k <= fixed.count; ++k) {
    fixed_leg += n * p.rate[i] * year_fraction(p.day_count[i], fixed.date(k - 1), fixed.date(k)) *
                 c.discount_at(fixed.date(k));
  }
  const Schedule floating = make_schedule(p.start_day[i], p.maturity_day[i], p.reset_months[i]);
  for (int k = first_live_period(floating, c.valuation_day); k <= floating.count; ++k) {
    const std::int32_t start = floating.date(k - 1), end = floating.date(k);
    const double accrual = year_fraction(kIndexDayCount, start, end);
    double rate;
    if (start > c.valuation_day) {
      rate = index_forward(c, c.curve, start, p.index_tenor_months[i]).rate;
    } else {
      rate = (1.0 / discount(c.fixing_curve, c.time(end)) - 1.0) /
             year_fraction(kIndexDayCount, c.valuation_day, end);
    }
    floating_leg += n * (rate + p.spread[i]) * accrual * c.discount_at(end);
  }
  const double receive_fixed = fixed_leg - floating_leg;
  return p.swap_leg[i] == SwapLeg::kPayFixed ? -receive_fixed : receive_fixed;
}

/// Standalone cap or floor on the index, one caplet per reset period; a negative notional is a
/// sold option. A caplet already fixed pays its intrinsic value on the base curve's stand-in rate.
RATESIM_HD inline double cap_floor_value(const PortfolioView& p, int i, const ValuationContext& c) {
  const bool is_cap = p.kind[i] == PositionKind::kCap;
  const int months = p.reset_months[i] > 0 ? p.reset_months[i] : p.payment_months[i];
  const Schedule s = make_schedule(p.start_day[i], p.maturity_day[i], months);
  double value = 0.0;
  for (int k = first_live_period(s, c.valuation_day); k <= s.count; ++k) {
    const std::int32_t start = s.date(k - 1), end = s.date(k);
    const double accrual = year_fraction(kIndexDayCount, start, end);
    if (start > c.valuation_day) {
      const IndexForward f = index_forward(c, c.curve, start, p.index_tenor_months[i]);
      const double t_start = c.time(start);
      const double option = index_option_rate(c, f, t_start, discount(c.curve, t_start),
                                               discount(c.curve, c.time(f.end)), is_cap, p.strike[i]);
      value += accrual * option * c.discount_at(end);
    } else {
      const double rate = (1.0 / discount(c.fixing_curve, c.time(end)) - 1.0) /
                          year_fraction(kIndexDayCount, c.valuation_day, end);
      const double payoff = is_cap ? rate - p.strike[i] : p.strike[i] - rate;
      value += accrual * (payoff > 0.0 ? payoff : 0.0) * c.discount_at(end);
    }
  }
  return p.notional[i] * value;
}

/// Core share and average life of a deposit after the BCBS caps of its category.
struct DepositProfile {
  double core_share;
  double core_average_life;
};

RATESIM_HD inline DepositProfile deposit_profile(const PortfolioView& p, int i,
                                                 const BehaviourView& b, const NmdCaps& caps) {
  const int profile = p.behaviour[i];
  const int category = static_cast<int>(p.nmd_category[i]);
  double share = profile != kNoBehaviour ? b.core_share[profile] : 0.0;
  double life = profile != kNoBehaviour ? b.core_average_life[profile] : 0.0;
  if (share > caps.max_core_share[category]) share = caps.max_core_share[category];
  if (life > caps.max_average_life[category]) life = caps.max_average_life[category];
  return DepositProfile{share, life};
}

/// Non-maturity deposit: the non-core part leaves overnight; the core runs off exponentially with
/// its (capped) average life in monthly steps for 30 years, paying interest at the deposit rate.
RATESIM_HD inline double deposit_value(const PortfolioView& p, int i, const ValuationContext& c) {
  const DepositProfile profile = deposit_profile(p, i, c.behaviours, c.nmd_caps);
  const double n = p.notional[i];
  const double core = n * profile.core_share;
  double value = (n - core) * discount(c.curve, 1.0 / 365.0);
  if (core > 0.0 && profile.core_average_life > 0.0) {
    const double monthly_decay = exp(-1.0 / (12.0 * profile.core_average_life));
    CurveCursor discounts{c.curve};
    double balance = core;
    for (int m = 1; m <= kDepositRunoffMonths; ++m) {
      const double next = m == kDepositRunoffMonths ? 0.0 : balance * monthly_decay;
      value += (balance - next + balance * p.rate[i] / 12.0) * discounts.discount(m / 12.0);
      balance = next;
    }
  } else {
    value += core * discount(c.curve, 1.0 / 365.0);
  }
  return value;
}

/// A position's contribution to EVE on the context's curve, in its currency: PV of assets,
/// minus PV of liabilities, plus off-balance values from the bank's side.
RATESIM_HD inline double position_value(const PortfolioView& p, int i, const ValuationContext& c) {
  switch (p.kind[i]) {
    case PositionKind::kSwap: return eve_sign(p.side[i]) * swap_value(p, i, c);
    case PositionKind::kCap:
    case PositionKind::kFloor: return eve_sign(p.side[i]) * cap_floor_value(p, i, c);
    case PositionKind::kNmd: return eve_sign(p.side[i]) * deposit_value(p, i, c);
    default: return eve_sign(p.side[i]) * amortizing_value(p, i, c);
  }
}

/// Everything but the curves that a batch of valuations shares.
struct ValuationSettings {
  std::int32_t valuation_day = 0;
  DayCount time_basis = DayCount::kAct365Fixed;
  HullWhiteParams model;
  BehaviourView behaviours;
  NmdCaps nmd_caps;
};

/// Position i's EVE contribution under scenario s of a curve set (scenario 0 is the base, whose
/// curves stand in for past fixings).
RATESIM_HD inline double value_in_scenario(const PortfolioView& p, int i, const CurveSetView& curves,
                                           int scenario, const ValuationSettings& s) {
  ValuationContext c;
  c.valuation_day = s.valuation_day;
  c.time_basis = s.time_basis;
  c.curve = curves.curve(scenario, p.currency[i]);
  c.fixing_curve = curves.curve(0, p.currency[i]);
  c.model = s.model;
  c.behaviours = s.behaviours;
  c.nmd_caps = s.nmd_caps;
  return position_value(p, i, c);
}

}  // namespace ratesim
