#pragma once
// Net interest income of one position along one rate path, month by month over the horizon, on
// the accrual basis: one RATESIM_HD implementation for the CPU loop and the CUDA kernel
// (docs/nii.md). Everything that does not depend on the path (accruals, the contractual schedule,
// reset timing) is tabulated once per position and month on the host (NiiTablesView); the path
// contributes its index rates, through the path table's planes.

#include <cmath>
#include <cstdint>

#include "ratesim/core.hpp"
#include "ratesim/model/path_table.hpp"
#include "ratesim/portfolio/behaviour.hpp"
#include "ratesim/portfolio/horizon_series.hpp"
#include "ratesim/portfolio/portfolio.hpp"
#include "ratesim/portfolio/valuation.hpp"
#include "ratesim/risk/statistics.hpp"

namespace ratesim {

enum class BalanceSheetAssumption : std::uint8_t {
  kConstant,  ///< maturing, amortised and prepaid balances replaced like-for-like
  kRunOff,    ///< no replacement
};

inline constexpr int kNoPlane = -1;

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
};

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

/// Signed monthly NII of position i on path `path` of `paths`, added into out_by_month[k].
/// Returns the position's total over the horizon. When `balance_by_month` is given, the balance
/// at each month end (original plus replacements) is written there: a diagnostic for tests.
RATESIM_HD inline double position_nii(const PortfolioView& p, const BehaviourView& behaviours,
                                      const NiiTablesView& t, BalanceSheetAssumption assumption,
                                      int i, const PathTableView& paths, int path,
                                      double* out_by_month, double* balance_by_month = nullptr,
                                      const HorizonState* horizon = nullptr,
                                      double* horizon_value = nullptr) {
  const int months = t.months;
  const std::size_t row = static_cast<std::size_t>(i) * months;
  const PositionKind kind = p.kind[i];
  const int profile = p.behaviour[i];
  const BehaviourDynamics* dyn = profile != kNoBehaviour ? behaviours.dynamics + profile : nullptr;
  const bool constant = assumption == BalanceSheetAssumption::kConstant;
  auto rate_at = [&](int plane, int k) { return paths.index_rate_at(plane, k, path); };
  // A leg's value at the horizon (leg 0: the position itself, 1: its replacement book): from its
  // series where it has one, else by revaluation on the path's curve.
  auto leg_value = [&](int leg, double notional, double rate, std::int32_t start, std::int32_t end) {
    double unit;
    if (horizon->series &&
        horizon_leg_value(*horizon->series, horizon->series->legs[2 * static_cast<std::size_t>(i) + leg],
                          horizon->x, rate, &unit)) {
      return notional * unit;
    }
    return value_in_state(p, i, horizon->context, notional, rate, start, end);
  };

  double sign = p.side[i] == Side::kLiability ? -1.0 : 1.0;
  double total = 0.0;
  double balance = p.notional[i];
  double coupon = p.rate[i];  // the coupon in force (floating: the current fixing + spread)

  switch (kind) {
    case PositionKind::kSwap:
    case PositionKind::kCap:
    case PositionKind::kFloor: {
      // Off-balance accruals: swaps net fixed against floating (receive-fixed positive), caps and
      // floors their optionlet payoff rate. The fixing running today is not in the data: today's
      // index rate stands in (the same on every path). They run off in both assumptions.
      if (kind == PositionKind::kSwap && p.swap_leg[i] == SwapLeg::kPayFixed) sign = -sign;
      double index = rate_at(t.index_plane[i], 0);
      for (int k = 0; k < months; ++k) {
        const double fixed_accrual = t.accrual[row + k], leg = t.leg_accrual[row + k];
        if (fixed_accrual == 0.0 && leg == 0.0) continue;
        const double share = t.reset_share[row + k];
        const double fresh = share >= 0.0 ? rate_at(t.index_plane[i], k) : index;
        auto leg_rate = [&](double l) {
          if (kind == PositionKind::kSwap) return l + p.spread[i];
          const double payoff = kind == PositionKind::kCap ? l - p.strike[i] : p.strike[i] - l;
          return payoff > 0.0 ? payoff : 0.0;
        };
        const double blended = share >= 0.0 ? (1.0 - share) * leg_rate(index) + share * leg_rate(fresh)
                                            : leg_rate(index);
        index = fresh;
        double v = balance * leg * blended;
        if (kind == PositionKind::kSwap) v = balance * p.rate[i] * fixed_accrual - v;
        v *= sign;
        out_by_month[k] += v;
        total += v;
      }
      if (horizon) {
        *horizon_value = leg_value(0, p.notional[i], p.rate[i], p.start_day[i], p.maturity_day[i]);
      }
      return total;
    }
    default: break;
  }

  const bool deposit = kind == PositionKind::kNmd;
  const bool floating = p.floating[i] != 0;
  double replaced = 0.0, replaced_rate = 0.0;  // constant balance sheet: the replacement book
  double reference_today = 0.0;
  if (deposit && dyn) reference_today = rate_at(t.reference_plane[i], 0);

  for (int k = 0; k < months; ++k) {
    // The coupon rate of the month, and its interest on the balance still outstanding.
    double interest = 0.0;
    const double accrual = t.accrual[row + k];
    if (deposit) {
      double decay = 0.0;
      if (dyn) {
        const int lagged = k - dyn->lag_months > 0 ? k - dyn->lag_months : 0;
        const double move = rate_at(t.reference_plane[i], lagged) - reference_today;
        coupon = p.rate[i] + dyn->beta_up * (move > 0.0 ? move : 0.0) +
                 dyn->beta_down * (move < 0.0 ? move : 0.0);
        if (coupon < dyn->rate_floor) coupon = dyn->rate_floor;
        decay = dyn->decay_rate + dyn->decay_sensitivity * (move > 0.0 ? move : 0.0);
      }
      interest = (balance + replaced) * coupon * accrual;
      const double fixed_survival = t.survival[row + k];
      const double next = balance * (fixed_survival >= 0.0 ? fixed_survival : exp(-decay / 12.0));
      if (constant) replaced += balance - next;  // replaced at the deposit rate: balance stays
      balance = next;
    } else {
      if (accrual > 0.0 || balance > 0.0) {
        const double share = floating ? t.reset_share[row + k] : -1.0;
        if (share >= 0.0) {
          double fresh = rate_at(t.index_plane[i], k) + p.spread[i];
          if (fresh > p.cap_rate[i]) fresh = p.cap_rate[i];
          if (fresh < p.floor_rate[i]) fresh = p.floor_rate[i];
          interest = balance * accrual * ((1.0 - share) * coupon + share * fresh);
          coupon = fresh;
        } else {
          interest = balance * accrual * coupon;
        }
      }
      // Replacement book: reprices every `repricing_months` after maturity when the product is
      // shorter than the horizon; otherwise keeps the rates it was added at. Floating products'
      // replacements earn the floating coupon.
      if (replaced > 0.0) {
        const int every = t.repricing_months[i];
        const int since = k - t.maturity_month[i] - 1;
        if (floating) {
          replaced_rate = coupon;
        } else if (every > 0 && since > 0 && since % every == 0) {
          replaced_rate = rate_at(t.replacement_plane[i], k) + t.margin[i];
        }
        interest += replaced * replaced_rate * t.month_accrual[row + k];
      }
      // Balance at month end: the contractual schedule, then prepayment.
      double next = balance * t.scheduled[row + k];
      const double fixed_survival = t.survival[row + k];
      if (fixed_survival >= 0.0) {
        if (dyn && next > 0.0) next *= fixed_survival;
      } else if (next > 0.0) {
        double cpr = behaviours.cpr[profile];
        if (dyn->has_s_curve) {
          // Borrowers prepay when they can refinance below their coupon; depositors redeem early
          // when the market pays more than their deposit.
          const double market = rate_at(t.refinancing_plane[i], k) + dyn->refinancing_spread;
          const double incentive = p.side[i] == Side::kLiability ? market - coupon : coupon - market;
          cpr = dyn->base_cpr +
                (dyn->max_cpr - dyn->base_cpr) / (1.0 + exp(-dyn->steepness * (incentive - dyn->midpoint)));
        }
        if (dyn->seasoning_months > 0) {
          const double ramp = (t.age_months[i] + k + 1.0) / dyn->seasoning_months;
          if (ramp < 1.0) cpr *= ramp;
        }
        next *= pow(1.0 - cpr, 1.0 / 12.0);
      }
      if (constant && balance > next) {
        const double added = balance - next;
        const double new_rate = floating ? coupon : rate_at(t.replacement_plane[i], k) + t.margin[i];
        replaced_rate = (replaced * replaced_rate + added * new_rate) / (replaced + added);
        replaced += added;
      }
      balance = next;
    }
    const double v = sign * interest;
    out_by_month[k] += v;
    total += v;
    if (balance_by_month) balance_by_month[k] = balance + replaced;
  }
  if (horizon) {
    // EVE at the horizon of what the path left: the original position with its balance and the
    // coupon in force, and (constant balance sheet) the replacement book as a position of the same
    // kind and term starting at the horizon, at the book's rate. Deposits carry both as one.
    double value = 0.0;
    if (deposit) {
      value = leg_value(0, balance + replaced, coupon, p.start_day[i], p.maturity_day[i]);
    } else {
      if (balance > 0.0) value = leg_value(0, balance, coupon, p.start_day[i], p.maturity_day[i]);
      if (replaced > 0.0) {
        const std::int32_t start = horizon->context.valuation_day;
        const std::int32_t end = add_months(Date{start}, t.term_months[i]).days;
        value += leg_value(1, replaced, floating ? coupon : replaced_rate, start, end);
      }
    }
    *horizon_value = value;
  }
  return total;
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

inline constexpr int kMaxNiiMonths = 60;
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
  // The path's curve at the horizon, from the path table, and its x(H) for the series.
  HorizonState state;
  if (horizon) {
    ValuationContext& context = state.context;
    context.valuation_day = horizon->settings.valuation_day;
    context.time_basis = horizon->settings.time_basis;
    context.curve = CurveView{horizon->tau, paths.horizon_curve_of(path), horizon->nodes};
    context.fixing_curve = context.curve;
    context.model = horizon->settings.model;
    context.behaviours = horizon->settings.behaviours;
    context.nmd_caps = horizon->settings.nmd_caps;
    state.x = paths.state_at(paths.n_dates - 1, path);
    if (horizon->series.covers(state.x)) state.series = &horizon->series;
  }
  CompensatedSum total, eve;
  CompensatedSum by_month[kMaxNiiMonths];
  for (int at = blocks.block_begin[block]; at < blocks.block_begin[block + 1]; ++at) {
    double months[kMaxNiiMonths];
    for (int k = 0; k < t.months; ++k) months[k] = 0.0;
    double value = 0.0;
    total.add(position_nii(p, behaviours, t, assumption, blocks.order[at], paths, path, months,
                           nullptr, horizon ? &state : nullptr, &value));
    eve.add(value);
    for (int k = 0; k < t.months; ++k) by_month[k].add(months[k]);
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
