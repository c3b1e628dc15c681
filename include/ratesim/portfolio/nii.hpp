#pragma once
// Net interest income of one position along one rate path, month by month over the horizon, on
// the accrual basis: one RATESIM_HD implementation for the CPU loop and the CUDA kernel
// (docs/nii.md). Everything that does not depend on the path (accruals, the contractual schedule,
// reset timing) is tabulated once per position and month on the host (NiiTablesView); the path
// contributes its index rates, through the path table's planes.

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "ratesim/core.hpp"
#include "ratesim/model/path_table.hpp"
#include "ratesim/portfolio/behaviour.hpp"
#include "ratesim/portfolio/horizon_series.hpp"
#include "ratesim/portfolio/portfolio.hpp"
#include "ratesim/portfolio/valuation.hpp"
#include "ratesim/risk/statistics.hpp"
#include "ratesim/simd/real.hpp"

namespace ratesim {

enum class BalanceSheetAssumption : std::uint8_t {
  kConstant,  ///< maturing, amortised and prepaid balances replaced like-for-like
  kRunOff,    ///< no replacement
};

inline constexpr int kNoPlane = -1;
inline constexpr int kMaxNiiMonths = 60;

/// Path-independent tables, per position i and month k of the horizon ([i * months + k]).
struct NiiTablesView {
  int months = 0;
  const double* accrual = nullptr;       ///< coupon accrual (position day count) of the month while alive
  const double* month_accrual = nullptr; ///< the whole month's accrual in that day count (replacements)
  const double* scheduled = nullptr;     ///< contractual balance at month end / at month start (0: ends)
  const double* reset_share = nullptr;   ///< share of the month's floating accrual after a reset in it; < 0: none
  const double* leg_accrual = nullptr;   ///< floating-leg accrual (ACT/360) of swaps, caps and floors
  /// The month's survival of the balance to prepayment or deposit decay where it does not depend
  /// on the path (a constant CPR with its seasoning ramp; a decay with no rate sensitivity; 1
  /// without behaviour); < 0 where the path sets it (an S-curve, a rate-sensitive decay).
  const double* survival = nullptr;
  const std::int32_t* age_months = nullptr;      ///< [i] months since start, for seasoning
  const std::int32_t* maturity_month = nullptr;  ///< [i] month in which it matures, or `months`
  const std::int32_t* repricing_months = nullptr;///< [i] replacement reprices this often; 0: fixed to horizon
  const std::int32_t* term_months = nullptr;     ///< [i] original term, for replacements valued at the horizon
  const std::int32_t* index_plane = nullptr;       ///< [i] floating index
  const std::int32_t* refinancing_plane = nullptr; ///< [i] prepayment refinancing index
  const std::int32_t* replacement_plane = nullptr; ///< [i] new-business rate of the product
  const std::int32_t* reference_plane = nullptr;   ///< [i] deposit pass-through reference
  const double* margin = nullptr;  ///< [i] replacement margin over the replacement index
  /// S-curve survival polynomials (survival_polynomial): per profile the offset of its first set
  /// of coefficients (-1: none, the survival is exp(ln(1 - CPR) / 12)) and the terms of each
  /// set; a profile with seasoning S has S sets, the n-th (n = 1..S) for the ramp n / S and the
  /// last for a seasoned loan, one set without seasoning.
  const std::int32_t* survival_sets = nullptr;
  const std::int32_t* survival_terms = nullptr;
  const double* survival_coefficients = nullptr;
};

/// The offset of profile's survival polynomial for a loan `age` months old at the month's end
/// (the seasoning ramp's set, the last once seasoned), or -1: the exact form.
RATESIM_HD inline int survival_set(const NiiTablesView& t, const BehaviourDynamics& dyn, int profile, int age) {
  if (!t.survival_sets || t.survival_sets[profile] < 0) return -1;
  const int seasoning = dyn.seasoning_months;
  const int n = seasoning > 0 ? (age < seasoning ? age : seasoning) : 1;
  return n >= 1 ? t.survival_sets[profile] + (n - 1) * t.survival_terms[profile] : -1;
}

/// The month's survival (1 - CPR)^(1/12) of an S-curve, CPR = ramp (base + (max - base) u) with u
/// = 1 / (1 + e^(-steepness (incentive - midpoint))), as a polynomial in x = 2u - 1 (c[0] the
/// constant term): an exp and a log per mortgage and month were half of the CPU month step, the
/// polynomial is a few multiply-adds. The host fits it per profile and ramp to within 1e-15 of
/// the exact survival (fit_survival_polynomial) or leaves the profile to the exact form.
///
/// Four Horner chains in x^4, one per residue of the power mod 4, then (s0 + x s1) + x^2 (s2 + x
/// s3): one chain of up to 21 multiply-adds was a fifth of the CPU month step waiting on its own
/// latency; four a quarter as long run side by side, for four more operations. |x| <= 1, so each
/// chain is as stable as Horner's.
template <class Real>
RATESIM_HD RATESIM_FORCE_INLINE Real survival_polynomial(const double* c, int terms, Real u) {
  const Real x = 2.0 * u - 1.0;
  const Real x2 = x * x;
  const Real x4 = x2 * x2;
  const int top = (terms - 1) / 4;  // the highest power of x^4
  Real s[4];
  for (int r = 0; r < 4; ++r) s[r] = Real(r + 4 * top < terms ? c[r + 4 * top] : 0.0);
  for (int m = top - 1; m >= 0; --m) {
    for (int r = 0; r < 4; ++r) s[r] = s[r] * x4 + c[r + 4 * m];
  }
  return (s[0] + x * s[1]) + x2 * (s[2] + x * s[3]);
}

/// The nodes of the discount curve each path sees at the horizon H: tau_j model years from H
/// (tau_0 = 0), log-linear in between. The path table carries each path's ln P(H, H + tau_j)
/// (PathTableView::horizon_curve), filled by the rate model.
struct HorizonCurveView {
  int nodes = 0;
  const double* tau = nullptr;
  ValuationSettings settings;  ///< valuation_day: the horizon date
  HorizonSeriesView series;    ///< the legs' values as functions of x(H) (Hull-White paths)
};

/// What one path's horizon valuation needs: its curve at the horizon, and its state x(H) where
/// the run has series that cover it.
struct HorizonState {
  ValuationContext context;
  const HorizonSeriesView* series = nullptr;  ///< null: every leg is revalued on context's curve
  double x = 0.0;
};

/// Path `path`'s curve at the horizon, from the path table, and its x(H) for the series.
RATESIM_HD inline HorizonState horizon_state_of(const HorizonCurveView& horizon, const PathTableView& paths,
                                                int path) {
  HorizonState state;
  ValuationContext& context = state.context;
  context.valuation_day = horizon.settings.valuation_day;
  context.time_basis = horizon.settings.time_basis;
  context.curve = CurveView{horizon.tau, paths.horizon_curve_of(path), horizon.nodes};
  context.fixing_curve = context.curve;
  context.model = horizon.settings.model;
  context.behaviours = horizon.settings.behaviours;
  context.nmd_caps = horizon.settings.nmd_caps;
  state.x = paths.state_at(paths.n_dates - 1, path);
  if (horizon.series.covers(state.x)) state.series = &horizon.series;
  return state;
}

/// Position i alone, with the balance, coupon and dates the pointers give in place of its own:
/// the position in the state a path left it in (the pointers must outlive the view).
RATESIM_HD inline PortfolioView position_in_state(const PortfolioView& p, int i, const double* notional,
                                                  const double* rate, const std::int32_t* start_day,
                                                  const std::int32_t* maturity_day) {
  PortfolioView one;
  one.size = 1;
  one.kind = p.kind + i;
  one.side = p.side + i;
  one.amortization = p.amortization + i;
  one.day_count = p.day_count + i;
  one.swap_leg = p.swap_leg + i;
  one.nmd_category = p.nmd_category + i;
  one.floating = p.floating + i;
  one.start_day = start_day;
  one.maturity_day = maturity_day;
  one.payment_months = p.payment_months + i;
  one.reset_months = p.reset_months + i;
  one.index_tenor_months = p.index_tenor_months + i;
  one.behaviour = p.behaviour + i;
  one.segment = p.segment + i;
  one.currency = p.currency + i;
  one.notional = notional;
  one.rate = rate;
  one.spread = p.spread + i;
  one.cap_rate = p.cap_rate + i;
  one.floor_rate = p.floor_rate + i;
  one.strike = p.strike + i;
  return one;
}

/// Value at the horizon of position i in the state the path left it in: its own schedule from the
/// horizon on, with `notional` outstanding, coupon `rate` in force, and the given dates.
RATESIM_HD inline double value_in_state(const PortfolioView& p, int i, const ValuationContext& c,
                                        double notional, double rate, std::int32_t start_day,
                                        std::int32_t maturity_day) {
  return position_value(position_in_state(p, i, &notional, &rate, &start_day, &maturity_day), 0, c);
}

/// Where a path leaves a position at the horizon: what its horizon valuation starts from. Swaps,
/// caps and floors keep their notional and coupon.
template <class Real>
struct PositionAtHorizon {
  Real balance = Real(0.0);        ///< the original position's balance outstanding
  Real coupon = Real(0.0);         ///< its coupon in force (floating: the last fixing + spread)
  Real replaced = Real(0.0);       ///< the replacement book (constant balance sheet)
  Real replaced_rate = Real(0.0);  ///< the book's rate
};

/// The floating rate a swap, cap or floor accrues at index fixing l: the swap's l + spread, the
/// caplet's (l - K)+, the floorlet's (K - l)+.
template <class Real>
RATESIM_HD RATESIM_FORCE_INLINE Real leg_rate(const PortfolioView& p, int i, Real l) {
  if (p.kind[i] == PositionKind::kSwap) return l + p.spread[i];
  const Real payoff = p.kind[i] == PositionKind::kCap ? l - p.strike[i] : p.strike[i] - l;
  return max_of(payoff, Real(0.0));
}

/// Signed monthly NII of position i along a path, handed to add_month(k, v) once for every month
/// k (0 in months it does not accrue); returns the position's total over the horizon and, in
/// `end`, what the path leaves at the horizon. When
/// `balance_by_month` is given, the balance at each month end (original plus replacements) is
/// written there: a diagnostic for tests. `rate_at(plane, k)` gives the path's index rate.
///
/// Real is double (one path: the GPU's thread, the CPU's scalar oracle) or SIMD lanes of paths
/// (simd/lanes.hpp, the CPU backend). Every branch on a path value is a choose() under an
/// any_of(), so each lane computes exactly what the scalar code computes for its path; the only
/// difference between the two is the lanes' own exp and log (each within an ulp of the library's).
template <class Real, class Rates, class MonthSink>
RATESIM_HD RATESIM_FORCE_INLINE Real position_months(const PortfolioView& p, const BehaviourView& behaviours,
                                                     const NiiTablesView& t, BalanceSheetAssumption assumption,
                                                     int i, Rates rate_at, MonthSink add_month,
                                                     Real* balance_by_month, PositionAtHorizon<Real>* end) {
  const int months = t.months;
  const std::size_t row = static_cast<std::size_t>(i) * months;
  const PositionKind kind = p.kind[i];
  const int profile = p.behaviour[i];
  const BehaviourDynamics* dyn = profile != kNoBehaviour ? behaviours.dynamics + profile : nullptr;
  const bool constant = assumption == BalanceSheetAssumption::kConstant;
  const Real zero(0.0);

  double sign = p.side[i] == Side::kLiability ? -1.0 : 1.0;
  Real total(0.0);

  switch (kind) {
    case PositionKind::kSwap:
    case PositionKind::kCap:
    case PositionKind::kFloor: {
      // Off-balance accruals: swaps net fixed against floating (receive-fixed positive), caps and
      // floors their optionlet payoff rate. The fixing running today is not in the data: today's
      // index rate stands in (the same on every path). They run off in both assumptions.
      if (kind == PositionKind::kSwap && p.swap_leg[i] == SwapLeg::kPayFixed) sign = -sign;
      const double notional = p.notional[i];
      Real index = rate_at(t.index_plane[i], 0);
      for (int k = 0; k < months; ++k) {
        const double fixed_accrual = t.accrual[row + k], leg = t.leg_accrual[row + k];
        if (fixed_accrual == 0.0 && leg == 0.0) {
          add_month(k, zero);
          continue;
        }
        const double share = t.reset_share[row + k];
        const Real fresh = share >= 0.0 ? rate_at(t.index_plane[i], k) : index;
        const Real blended = share >= 0.0 ? (1.0 - share) * leg_rate(p, i, index) + share * leg_rate(p, i, fresh)
                                          : leg_rate(p, i, index);
        index = fresh;
        Real v = notional * leg * blended;
        if (kind == PositionKind::kSwap) v = notional * p.rate[i] * fixed_accrual - v;
        v = sign * v;
        add_month(k, v);
        total += v;
      }
      end->balance = notional;
      end->coupon = p.rate[i];
      return total;
    }
    default: break;
  }

  const bool deposit = kind == PositionKind::kNmd;
  const bool floating = p.floating[i] != 0;
  Real balance(p.notional[i]);
  Real coupon(p.rate[i]);  // the coupon in force (floating: the current fixing + spread)
  Real replaced(0.0), replaced_rate(0.0);  // constant balance sheet: the replacement book
  Real reference_today(0.0);
  if (deposit && dyn) reference_today = rate_at(t.reference_plane[i], 0);

  // The month's survival of the balance to prepayment where the path sets it (t.survival < 0),
  // given the coupon in force.
  auto path_survival = [&](int k, Real in_force) __attribute__((always_inline)) {
    Real cpr(behaviours.cpr[profile]), growth(0.0);
    int set = -1;  // the S-curve's survival polynomial for this month's ramp, if fitted
    if (dyn->has_s_curve) {
      // Borrowers prepay when they can refinance below their coupon; depositors redeem early
      // when the market pays more than their deposit.
      const Real market = rate_at(t.refinancing_plane[i], k) + dyn->refinancing_spread;
      const Real incentive = p.side[i] == Side::kLiability ? market - in_force : in_force - market;
      growth = exp_of(-dyn->steepness * (incentive - dyn->midpoint));
      set = survival_set(t, *dyn, profile, t.age_months[i] + k + 1);
      if (set < 0) cpr = dyn->base_cpr + (dyn->max_cpr - dyn->base_cpr) / (1.0 + growth);
    }
    if (set >= 0) {
      return survival_polynomial(t.survival_coefficients + set, t.survival_terms[profile], 1.0 / (1.0 + growth));
    }
    if (dyn->seasoning_months > 0) {
      const double ramp = (t.age_months[i] + k + 1.0) / dyn->seasoning_months;
      if (ramp < 1.0) cpr = cpr * ramp;
    }
    // The monthly survival (1 - CPR)^(1/12), as e^(ln(1 - CPR) / 12): an exp and a log, which
    // the lanes have, in place of pow.
    return exp_of(log_of(1.0 - cpr) / 12.0);
  };
  // A floating coupon's new fixing in month k, within its cap and floor.
  auto fixing = [&](int k) __attribute__((always_inline)) {
    Real fresh = rate_at(t.index_plane[i], k) + p.spread[i];
    fresh = choose(fresh > p.cap_rate[i], Real(p.cap_rate[i]), fresh);
    return choose(fresh < p.floor_rate[i], Real(p.floor_rate[i]), fresh);
  };
  // Lanes of paths: every month's survival first, then the balances. The months' exps and
  // polynomials then run side by side instead of each waiting in the chain of balances (they were
  // a third of the CPU month step). The coupon each month sees is the month loop's: it takes
  // every fixing while the balance is outstanding, and a survival counts only there. The same
  // operations on the same numbers as month by month, as one path (a GPU thread, which keeps no
  // such array) does them: the same bits but for the lanes' own exp.
  constexpr bool kLanes = !std::is_same<Real, double>::value;
  const bool ahead = kLanes && dyn && !deposit;
  union Ahead {  // left unset: only the months computed are read
    Real by_month[kLanes ? kMaxNiiMonths : 1];
    RATESIM_HD Ahead() {}
  } ahead_survival;
  if (ahead) {
    Real in_force = coupon;
    for (int k = 0; k < months; ++k) {
      if (floating && t.reset_share[row + k] >= 0.0) in_force = fixing(k);
      if (t.survival[row + k] < 0.0) ahead_survival.by_month[k] = path_survival(k, in_force);
    }
  }

  for (int k = 0; k < months; ++k) {
    // The coupon rate of the month, and its interest on the balance still outstanding.
    Real interest(0.0);
    const double accrual = t.accrual[row + k];
    if (deposit) {
      Real decay(0.0);
      if (dyn) {
        const int lagged = k - dyn->lag_months > 0 ? k - dyn->lag_months : 0;
        const Real move = rate_at(t.reference_plane[i], lagged) - reference_today;
        coupon = p.rate[i] + dyn->beta_up * max_of(move, zero) + dyn->beta_down * min_of(move, zero);
        coupon = choose(coupon < dyn->rate_floor, Real(dyn->rate_floor), coupon);
        decay = dyn->decay_rate + dyn->decay_sensitivity * max_of(move, zero);
      }
      interest = (balance + replaced) * coupon * accrual;
      const double fixed_survival = t.survival[row + k];
      const Real next = fixed_survival >= 0.0 ? balance * fixed_survival : balance * exp_of(-decay / 12.0);
      if (constant) replaced += balance - next;  // replaced at the deposit rate: balance stays
      balance = next;
    } else {
      const auto accruing = (Real(accrual) > 0.0) | (balance > 0.0);
      if (any_of(accruing)) {
        const double share = floating ? t.reset_share[row + k] : -1.0;
        if (share >= 0.0) {
          const Real fresh = fixing(k);
          interest = choose(accruing, balance * accrual * ((1.0 - share) * coupon + share * fresh), zero);
          coupon = choose(accruing, fresh, coupon);
        } else {
          interest = choose(accruing, balance * accrual * coupon, zero);
        }
      }
      // Replacement book: reprices every `repricing_months` after maturity when the product is
      // shorter than the horizon; otherwise keeps the rates it was added at. Floating products'
      // replacements earn the floating coupon.
      const auto has_replacements = replaced > 0.0;
      if (any_of(has_replacements)) {
        const int every = t.repricing_months[i];
        const int since = k - t.maturity_month[i] - 1;
        if (floating) {
          replaced_rate = choose(has_replacements, coupon, replaced_rate);
        } else if (every > 0 && since > 0 && since % every == 0) {
          replaced_rate = choose(has_replacements, rate_at(t.replacement_plane[i], k) + t.margin[i], replaced_rate);
        }
        interest = choose(has_replacements, interest + replaced * replaced_rate * t.month_accrual[row + k], interest);
      }
      // Balance at month end: the contractual schedule, then prepayment.
      Real next = balance * t.scheduled[row + k];
      const double fixed_survival = t.survival[row + k];
      if (fixed_survival >= 0.0) {
        if (dyn) next = choose(next > 0.0, next * fixed_survival, next);
      } else {
        const auto outstanding = next > 0.0;
        if (any_of(outstanding)) {
          const Real survival = ahead ? ahead_survival.by_month[k] : path_survival(k, coupon);
          next = choose(outstanding, next * survival, next);
        }
      }
      if (constant) {
        const auto shrinks = balance > next;
        if (any_of(shrinks)) {
          const Real added = balance - next;
          const Real new_rate = floating ? coupon : rate_at(t.replacement_plane[i], k) + t.margin[i];
          replaced_rate = choose(shrinks, (replaced * replaced_rate + added * new_rate) / (replaced + added), replaced_rate);
          replaced = choose(shrinks, replaced + added, replaced);
        }
      }
      balance = next;
    }
    const Real v = sign * interest;
    add_month(k, v);
    total += v;
    if (balance_by_month) balance_by_month[k] = balance + replaced;
  }
  end->balance = balance;
  end->coupon = coupon;
  end->replaced = replaced;
  end->replaced_rate = replaced_rate;
  return total;
}

/// EVE at the horizon of what a path left of position i: the original position with its balance
/// and the coupon in force, and (constant balance sheet) the replacement book as a position of
/// the same kind and term starting at the horizon, at the book's rate. Deposits carry both as
/// one. leg_value(leg, notional, rate, start, maturity, active) values leg 0 (the position) or 1
/// (its replacement book) where `active` holds; Real is one path or SIMD lanes of paths.
template <class Real, class LegValue>
RATESIM_HD RATESIM_FORCE_INLINE Real horizon_value_of(const PortfolioView& p, const NiiTablesView& t, int i,
                                                      std::int32_t horizon_day, const PositionAtHorizon<Real>& end,
                                                      LegValue leg_value) {
  const auto every_path = Real(1.0) > 0.0;
  switch (p.kind[i]) {
    case PositionKind::kSwap:
    case PositionKind::kCap:
    case PositionKind::kFloor:
      return leg_value(0, Real(p.notional[i]), Real(p.rate[i]), p.start_day[i], p.maturity_day[i], every_path);
    case PositionKind::kNmd:
      return leg_value(0, end.balance + end.replaced, end.coupon, p.start_day[i], p.maturity_day[i], every_path);
    default: break;
  }
  Real value(0.0);
  const auto outstanding = end.balance > 0.0;
  if (any_of(outstanding)) {
    value = choose(outstanding,
                   leg_value(0, end.balance, end.coupon, p.start_day[i], p.maturity_day[i], outstanding), value);
  }
  const auto replaced = end.replaced > 0.0;
  if (any_of(replaced)) {
    const std::int32_t maturity = add_months(Date{horizon_day}, t.term_months[i]).days;
    const Real rate = p.floating[i] ? end.coupon : end.replaced_rate;
    value = choose(replaced, value + leg_value(1, end.replaced, rate, horizon_day, maturity, replaced), value);
  }
  return value;
}

/// horizon_value_of on one path: each leg from its series where it has one, else by revaluation
/// on the path's curve.
RATESIM_HD inline double position_horizon_value(const PortfolioView& p, const NiiTablesView& t, int i,
                                                const HorizonState& horizon,
                                                const PositionAtHorizon<double>& end) {
  auto leg_value = [&](int leg, double notional, double rate, std::int32_t start, std::int32_t maturity, bool) {
    double unit;
    if (horizon.series &&
        horizon_leg_value(*horizon.series, horizon.series->legs[2 * static_cast<std::size_t>(i) + leg],
                          horizon.x, rate, &unit)) {
      return notional * unit;
    }
    return value_in_state(p, i, horizon.context, notional, rate, start, maturity);
  };
  return horizon_value_of(p, t, i, horizon.context.valuation_day, end, leg_value);
}

/// Signed monthly NII of position i on path `path` of `paths`, handed to add_month(k, v) for every
/// month k. Returns the position's total over the horizon. When `balance_by_month` is given, the
/// balance at each month end (original plus replacements) is written there: a diagnostic for
/// tests. With `horizon`, the position's value at the horizon on this path goes to *horizon_value.
template <class MonthSink>
RATESIM_HD RATESIM_FORCE_INLINE double position_nii_to(const PortfolioView& p, const BehaviourView& behaviours,
                                                       const NiiTablesView& t, BalanceSheetAssumption assumption,
                                                       int i, const PathTableView& paths, int path, MonthSink add_month,
                                                       double* balance_by_month, const HorizonState* horizon,
                                                       double* horizon_value) {
  auto rate_at = [&](int plane, int k) { return paths.index_rate_at(plane, k, path); };
  PositionAtHorizon<double> end;
  const double total =
      position_months<double>(p, behaviours, t, assumption, i, rate_at, add_month, balance_by_month, &end);
  if (horizon) *horizon_value = position_horizon_value(p, t, i, *horizon, end);
  return total;
}

/// position_nii_to with each month's NII added into out_by_month[k].
RATESIM_HD inline double position_nii(const PortfolioView& p, const BehaviourView& behaviours,
                                      const NiiTablesView& t, BalanceSheetAssumption assumption,
                                      int i, const PathTableView& paths, int path,
                                      double* out_by_month, double* balance_by_month = nullptr,
                                      const HorizonState* horizon = nullptr,
                                      double* horizon_value = nullptr) {
  auto add_month = [&](int k, double v) { out_by_month[k] += v; };
  return position_nii_to(p, behaviours, t, assumption, i, paths, path, add_month, balance_by_month, horizon,
                         horizon_value);
}

/// Positions processed in blocks (portfolio/nii_tables.hpp): the block's NII in total and by
/// month for one path, summed over its positions in order with compensated sums. Both backends
/// call this, then nii_combine_blocks, so every sum runs in the same order.
struct NiiBlockView {
  int n_blocks = 0;
  const std::int32_t* order = nullptr;        ///< positions in processing order
  const std::int32_t* block_begin = nullptr;  ///< n_blocks + 1 offsets into order
  const std::int32_t* block_segment = nullptr;
};

inline constexpr int kMaxNiiSegments = 64;  ///< segments reported by the NII engine

/// Doubles in a block partial: NII total, NII by month, EVE at the horizon.
RATESIM_HD inline int nii_partial_width(int months) { return 2 + months; }

/// Writes the block's NII total, its months, and its horizon EVE (0 without `horizon`) into
/// out[0 .. months + 1].
RATESIM_HD inline void nii_block(const PortfolioView& p, const BehaviourView& behaviours,
                                 const NiiTablesView& t, BalanceSheetAssumption assumption,
                                 const NiiBlockView& blocks, int block,
                                 const PathTableView& paths, int path,
                                 const HorizonCurveView* horizon, double* out) {
  HorizonState state;
  if (horizon) state = horizon_state_of(*horizon, paths, path);
  CompensatedSum total, eve;
  CompensatedSum by_month[kMaxNiiMonths];
  // Each month's NII goes straight into its sum, with no per-position scratch to zero and copy
  // (on a GPU that scratch lived in local memory). 0.0 + v is what a zeroed slot held after the
  // position's add, so the sums keep their bits (a -0 adds as +0).
  auto add_month = [&](int k, double v) { by_month[k].add(0.0 + v); };
  for (int at = blocks.block_begin[block]; at < blocks.block_begin[block + 1]; ++at) {
    double value = 0.0;
    total.add(position_nii_to(p, behaviours, t, assumption, blocks.order[at], paths, path, add_month,
                              nullptr, horizon ? &state : nullptr, &value));
    eve.add(value);
  }
  out[0] = total.value();
  for (int k = 0; k < t.months; ++k) out[1 + k] = by_month[k].value();
  out[1 + t.months] = eve.value();
}

/// Doubles per path in the results: NII total, by segment, by month; horizon EVE total and by
/// segment; the path's discount factor D(0, H) to the horizon.
RATESIM_HD inline int nii_result_width(int n_segments, int months) {
  return 3 + 2 * n_segments + months;
}

/// Per-path results from the block partials: partial(block) points at the block's partial for
/// this path. Writes the nii_result_width() doubles into out.
template <class Partial>
RATESIM_HD void nii_combine_blocks(const NiiBlockView& blocks, int n_segments, int months,
                                   Partial partial, double discount_to_horizon, double* out) {
  CompensatedSum total, eve;
  CompensatedSum by_segment[kMaxNiiSegments], eve_by_segment[kMaxNiiSegments];
  CompensatedSum by_month[kMaxNiiMonths];
  for (int b = 0; b < blocks.n_blocks; ++b) {
    const double* part = partial(b);
    total.add(part[0]);
    by_segment[blocks.block_segment[b]].add(part[0]);
    for (int k = 0; k < months; ++k) by_month[k].add(part[1 + k]);
    eve.add(part[1 + months]);
    eve_by_segment[blocks.block_segment[b]].add(part[1 + months]);
  }
  out[0] = total.value();
  for (int s = 0; s < n_segments; ++s) out[1 + s] = by_segment[s].value();
  for (int k = 0; k < months; ++k) out[1 + n_segments + k] = by_month[k].value();
  double* eve_out = out + 1 + n_segments + months;
  eve_out[0] = eve.value();
  for (int s = 0; s < n_segments; ++s) eve_out[1 + s] = eve_by_segment[s].value();
  eve_out[1 + n_segments] = discount_to_horizon;
}

}  // namespace ratesim
