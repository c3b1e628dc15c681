#pragma once
// Payment schedules and amortisation, shared by valuation (both backends) and by the host's
// repricing-gap slotting. Dates are day numbers; schedules roll forward from the start date by
// whole months with the end-of-month rule, the last period ending at maturity (a short final stub
// when the term is not a whole number of periods). Dates are not adjusted for holidays.

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "ratesim/core.hpp"
#include "ratesim/portfolio/behaviour.hpp"
#include "ratesim/portfolio/portfolio.hpp"
#include "ratesim/time/date.hpp"

namespace ratesim {

/// Periods k = 1..count; period k runs from date(k-1) to date(k), date(0) = start,
/// date(count) = maturity.
struct Schedule {
  std::int32_t start = 0;
  std::int32_t maturity = 0;
  int months = 0;  ///< months per period; 0 means one period from start to maturity
  int count = 1;
  CivilDate start_civil{};     ///< the start and maturity as calendar dates, kept so that each
  CivilDate maturity_civil{};  ///< date(k) and civil(k) is cheap

  RATESIM_HD std::int32_t date(int k) const {
    if (k <= 0) return start;
    if (k >= count || months <= 0) return maturity;
    return add_months(start_civil, k * months).days;
  }
  RATESIM_HD CivilDate civil(int k) const {
    if (k <= 0) return start_civil;
    if (k >= count || months <= 0) return maturity_civil;
    return add_months_civil(start_civil, k * months);
  }
  /// date(k) from civil(k), when the caller has both to compute.
  RATESIM_HD std::int32_t date(int k, const CivilDate& civil_k) const {
    if (k <= 0) return start;
    if (k >= count || months <= 0) return maturity;
    return make_date(civil_k.year, civil_k.month, civil_k.day).days;
  }
};

RATESIM_HD inline Schedule make_schedule(std::int32_t start, std::int32_t maturity, int months) {
  Schedule s{start, maturity, months, 1, to_civil(Date{start}), to_civil(Date{maturity})};
  if (months <= 0 || maturity <= start) return s;
  int n = months_between(Date{start}, Date{maturity}) / months;
  if (n < 1) n = 1;
  while (add_months(s.start_civil, n * months).days < maturity) ++n;
  while (n > 1 && add_months(s.start_civil, (n - 1) * months).days >= maturity) --n;
  s.count = n;
  return s;
}

/// The first period still running on `day` (its end is after `day`); count + 1 when none is.
RATESIM_HD inline int first_live_period(const Schedule& s, std::int32_t day) {
  if (s.maturity <= day) return s.count + 1;
  int k = s.months > 0 ? months_between(Date{s.start}, Date{day}) / s.months : 1;
  if (k < 1) k = 1;
  if (k > s.count) k = s.count;
  while (k > 1 && s.date(k - 1) > day) --k;
  while (k <= s.count && s.date(k) <= day) ++k;
  return k;
}

/// How the balance outstanding today runs off over the remaining periods j = 0..remaining-1
/// (j = 0 is the period in progress). An annuity's remaining schedule is itself an annuity at the
/// same periodic rate over the remaining periods; prepayment at a constant rate scales the
/// balance by `survival` per period on top of the schedule.
struct AmortizationPlan {
  Amortization type = Amortization::kBullet;
  double notional = 0.0;
  int remaining = 1;
  double growth = 1.0;    ///< 1 + periodic rate, for annuities
  double survival = 1.0;  ///< (1 - CPR)^(period in years)
};

/// Walks a plan's balances period by period with running powers: a period costs a few
/// multiplications, not pow() calls. balance() is the balance outstanding during period j;
/// after advance() it is the next period's, so principal paid at the end of j is the difference.
class BalanceWalk {
 public:
  RATESIM_HD explicit BalanceWalk(const AmortizationPlan& plan)
      : plan_(plan),
        growth_total_(plan.type == Amortization::kAnnuity && plan.growth != 1.0
                          ? pow(plan.growth, plan.remaining)
                          : 1.0) {
    current_ = value();
  }
  RATESIM_HD double balance() const { return current_; }
  RATESIM_HD void advance() {
    ++j_;
    growth_power_ *= plan_.growth;
    survival_power_ *= plan_.survival;
    current_ = value();
  }

 private:
  RATESIM_HD double value() const {
    if (j_ >= plan_.remaining) return 0.0;
    double scheduled = plan_.notional;
    const bool level = plan_.type == Amortization::kAnnuity && plan_.growth != 1.0;
    if (level) {
      scheduled *= (growth_total_ - growth_power_) / (growth_total_ - 1.0);
    } else if (plan_.type != Amortization::kBullet) {  // linear, or an annuity at zero rate
      scheduled *= 1.0 - static_cast<double>(j_) / plan_.remaining;
    }
    return scheduled * survival_power_;
  }

  AmortizationPlan plan_;
  double growth_total_;
  int j_ = 0;
  double growth_power_ = 1.0;
  double survival_power_ = 1.0;
  double current_ = 0.0;
};

/// Annual prepayment rate of a position (0 without a prepayment profile).
RATESIM_HD inline double position_cpr(const PortfolioView& p, const BehaviourView& b, int i) {
  const int profile = p.behaviour[i];
  if (profile == kNoBehaviour || b.type[profile] != BehaviourType::kPrepayment) return 0.0;
  return b.cpr[profile];
}

RATESIM_HD inline AmortizationPlan make_amortization(const PortfolioView& p,
                                                     const BehaviourView& behaviours, int i,
                                                     const Schedule& s, int first_live) {
  AmortizationPlan plan;
  plan.type = p.amortization[i];
  plan.notional = p.notional[i];
  plan.remaining = s.count - first_live + 1;
  const double period_years = s.months > 0 ? s.months / 12.0 : 1.0;
  plan.growth = 1.0 + p.rate[i] * period_years;
  const double cpr = position_cpr(p, behaviours, i);
  if (cpr > 0.0) plan.survival = pow(1.0 - cpr, period_years);
  return plan;
}

/// Reset date governing a payment period that starts on `period_start`: the last reset on or
/// before it, resets rolling from `start` every `reset_months` months.
RATESIM_HD inline std::int32_t governing_reset(std::int32_t start, int reset_months,
                                               std::int32_t period_start) {
  if (reset_months <= 0 || period_start <= start) return start;
  int q = months_between(Date{start}, Date{period_start}) / reset_months;
  while (q > 0 && add_months(Date{start}, q * reset_months).days > period_start) --q;
  while (add_months(Date{start}, (q + 1) * reset_months).days <= period_start) ++q;
  return add_months(Date{start}, q * reset_months).days;
}

/// The first reset strictly after `day` (or `maturity` when there is none before it).
RATESIM_HD inline std::int32_t next_reset(std::int32_t start, int reset_months,
                                          std::int32_t maturity, std::int32_t day) {
  if (reset_months <= 0) return maturity;
  const std::int32_t governing = governing_reset(start, reset_months, day);
  int q = months_between(Date{start}, Date{governing}) / reset_months;
  std::int32_t next = add_months(Date{start}, (q + 1) * reset_months).days;
  while (next <= day) next = add_months(Date{start}, (++q + 1) * reset_months).days;
  return next < maturity ? next : maturity;
}

/// One payment period of an amortizing position's remaining schedule: it runs from `start` to
/// `end`, accrues `accrual` (the position's day count) on `balance`, and repays
/// balance - next_balance at its end. A floating coupon is governed by the reset on `reset`.
struct AmortizingPeriod {
  std::int32_t start = 0, end = 0;
  double accrual = 0.0;
  double balance = 0.0, next_balance = 0.0;
  std::int32_t reset = 0;  ///< the governing reset (floating positions; the start otherwise)
};

/// The cash-flow generator of loans, mortgages, bonds and term deposits: calls visit(period) for
/// each period of position i still running on `from_day`, in order; a visitor that returns bool
/// stops the walk by returning false. Valuation, the horizon fit and the repricing gap consume
/// the same walk, so they see the same balances, accruals and resets.
template <class Visit>
RATESIM_HD void for_each_amortizing_period(const PortfolioView& p, int i, const BehaviourView& behaviours,
                                           std::int32_t from_day, Visit&& visit) {
  const Schedule s = make_schedule(p.start_day[i], p.maturity_day[i], p.payment_months[i]);
  const int first = first_live_period(s, from_day);
  if (first > s.count) return;
  BalanceWalk walk(make_amortization(p, behaviours, i, s, first));
  const bool floating = p.floating[i] != 0;
  const int reset_months = p.reset_months[i] > 0 ? p.reset_months[i] : s.months;
  AmortizingPeriod period;
  period.start = s.date(first - 1);
  CivilDate start_civil = s.civil(first - 1);
  for (int k = first; k <= s.count; ++k) {
    const CivilDate end_civil = s.civil(k);
    period.end = s.date(k, end_civil);
    period.balance = walk.balance();
    walk.advance();
    period.next_balance = walk.balance();
    period.accrual = year_fraction(p.day_count[i], period.start, start_civil, period.end, end_civil);
    period.reset = floating ? governing_reset(p.start_day[i], reset_months, period.start) : p.start_day[i];
    if constexpr (std::is_same_v<decltype(visit(static_cast<const AmortizingPeriod&>(period))), bool>) {
      if (!visit(static_cast<const AmortizingPeriod&>(period))) return;
    } else {
      visit(static_cast<const AmortizingPeriod&>(period));
    }
    period.start = period.end;
    start_civil = end_civil;
  }
}

/// Sign of a position's value in EVE: assets add, liabilities subtract; off-balance swaps carry
/// their direction in the leg, caps and floors in the sign of the notional.
RATESIM_HD inline double eve_sign(Side side) {
  return side == Side::kLiability ? -1.0 : 1.0;
}

}  // namespace ratesim
