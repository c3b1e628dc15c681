#include "ratesim/portfolio/nii_tables.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "ratesim/portfolio/cash_flows.hpp"
#include "ratesim/portfolio/valuation.hpp"

namespace ratesim {
namespace {

IndexSpec index_for(int tenor_months) {
  if (tenor_months <= 12) {
    return IndexSpec{std::to_string(tenor_months) + "M", IndexKind::kSimple, tenor_months,
                     tenor_months, DayCount::kAct360};
  }
  return IndexSpec{std::to_string(tenor_months) + "M_SWAP", IndexKind::kParSwap, tenor_months, 12,
                   DayCount::kThirty360};
}

int plane_of(const std::vector<IndexSpec>& indices, int tenor_months) {
  const IndexSpec wanted = index_for(tenor_months);
  for (std::size_t p = 0; p < indices.size(); ++p) {
    if (indices[p].kind == wanted.kind && indices[p].tenor_months == wanted.tenor_months) {
      return static_cast<int>(p);
    }
  }
  return kNoPlane;
}

void require(std::vector<IndexSpec>& indices, int tenor_months) {
  if (tenor_months > 0 && plane_of(indices, tenor_months) == kNoPlane) {
    indices.push_back(index_for(tenor_months));
  }
}

bool is_option_or_swap(PositionKind k) {
  return k == PositionKind::kSwap || k == PositionKind::kCap || k == PositionKind::kFloor;
}

// Interest accrued between days a < b on a coupon schedule: within each period, the accrued
// fraction from the period's start at b less that at a. Slicing a 30/360 period at month ends
// directly would not add up to its coupon (a month end in February counts 28 or 33 days);
// differences of accrued fractions always do.
double schedule_accrual(const Schedule& s, DayCount dc, std::int32_t a, std::int32_t b) {
  double total = 0.0;
  for (int k = first_live_period(s, a); k <= s.count; ++k) {
    const std::int32_t start = s.date(k - 1), end = s.date(k);
    if (start >= b) break;
    const std::int32_t lo = std::max(start, a), hi = std::min(end, b);
    if (hi > lo) total += year_fraction(dc, start, hi) - year_fraction(dc, start, lo);
  }
  return total;
}

int term_months(const PortfolioView& p, int i) {
  return std::max(1, months_between(Date{p.start_day[i]}, Date{p.maturity_day[i]}));
}

}  // namespace

std::vector<double> horizon_curve_nodes() {
  std::vector<double> taus{0.0};
  for (int m = 1; m <= 12; ++m) taus.push_back(m / 12.0);
  for (int q = 5; q <= 200; ++q) taus.push_back(q / 4.0);
  return taus;
}

int replacement_tenor(int term) {
  if (term <= 12) return term;
  const int standard[] = {24, 36, 60, 84, 120};
  int best = 120;
  for (int s : standard) {
    if (std::abs(s - term) < std::abs(best - term)) best = s;
  }
  return best;
}

std::vector<IndexSpec> required_indices(const Portfolio& portfolio, const BehaviourTable& behaviours) {
  std::vector<IndexSpec> indices;
  const PortfolioView p = portfolio.view();
  for (int i = 0; i < p.size; ++i) {
    if (p.floating[i] || is_option_or_swap(p.kind[i])) require(indices, p.index_tenor_months[i]);
    if (p.kind[i] != PositionKind::kNmd && !is_option_or_swap(p.kind[i])) {
      require(indices, replacement_tenor(term_months(p, i)));
    }
    const int b = p.behaviour[i];
    if (b == kNoBehaviour) continue;
    const BehaviourDynamics& d = behaviours.dynamics[static_cast<std::size_t>(b)];
    if (behaviours.type[static_cast<std::size_t>(b)] == BehaviourType::kPrepayment && d.has_s_curve) {
      require(indices, d.refinancing_tenor_months);
    }
    if (behaviours.type[static_cast<std::size_t>(b)] == BehaviourType::kDeposit) {
      require(indices, d.reference_tenor_months);
    }
  }
  if (indices.empty()) indices.push_back(index_for(1));  // the table needs one plane
  return indices;
}

NiiTables build_nii_tables(const Portfolio& portfolio, const BehaviourTable& behaviours,
                           Date valuation_date, int horizon_months,
                           const std::vector<double>& today_rates, const std::atomic<bool>* stop) {
  NiiTables t;
  t.months = horizon_months;
  t.indices = required_indices(portfolio, behaviours);
  const PortfolioView p = portfolio.view();
  const std::size_t cells = static_cast<std::size_t>(p.size) * horizon_months;
  t.accrual.assign(cells, 0.0);
  t.month_accrual.assign(cells, 0.0);
  t.scheduled.assign(cells, 1.0);
  t.reset_share.assign(cells, -1.0);
  t.leg_accrual.assign(cells, 0.0);
  t.survival.assign(cells, 1.0);
  std::vector<std::int32_t> month_start(static_cast<std::size_t>(horizon_months) + 1);
  for (int k = 0; k <= horizon_months; ++k) month_start[static_cast<std::size_t>(k)] = add_months(valuation_date, k).days;
  const std::int32_t today = valuation_date.days;

  for (int i = 0; i < p.size; ++i) {
    if (i % 4096 == 0) check_stop_flag(stop);  // 10^7 positions take seconds
    const std::size_t row = static_cast<std::size_t>(i) * horizon_months;
    const PositionKind kind = p.kind[i];
    const bool nmd = kind == PositionKind::kNmd;
    const std::int32_t start = p.start_day[i], maturity = nmd ? INT32_MAX : p.maturity_day[i];
    const DayCount dc = nmd ? DayCount::kAct365Fixed : p.day_count[i];
    t.age_months.push_back(nmd ? 0 : std::max(0, months_between(Date{start}, valuation_date)));
    int maturity_month = horizon_months;
    const Schedule coupons = make_schedule(start, nmd ? start : p.maturity_day[i], p.payment_months[i]);
    for (int k = 0; k < horizon_months; ++k) {
      const std::int32_t a = month_start[static_cast<std::size_t>(k)], b = month_start[static_cast<std::size_t>(k) + 1];
      const std::int32_t from = std::max(a, nmd ? a : start), to = std::min(b, maturity);
      if (to > from) {
        t.accrual[row + k] = nmd ? year_fraction(dc, from, to) : schedule_accrual(coupons, dc, from, to);
        t.leg_accrual[row + k] = year_fraction(kIndexDayCount, from, to);
      }
      t.month_accrual[row + k] = year_fraction(dc, a, b);
      if (!nmd && maturity > a && maturity <= b) maturity_month = k;
    }
    t.maturity_month.push_back(maturity_month);

    // Contractual balance at each month start, from the schedule walked without prepayment.
    if (!nmd && !is_option_or_swap(kind)) {
      const Schedule s = make_schedule(start, p.maturity_day[i], p.payment_months[i]);
      const int first = first_live_period(s, today);
      std::vector<double> at_month(static_cast<std::size_t>(horizon_months) + 1, 0.0);
      if (first <= s.count) {
        AmortizationPlan plan = make_amortization(p, behaviours.view(), i, s, first);
        plan.survival = 1.0;  // the contractual schedule; prepayment is the path's
        BalanceWalk walk(plan);
        double balance = walk.balance();  // outstanding now
        int k = first;
        for (int m = 0; m <= horizon_months; ++m) {
          const std::int32_t d = month_start[static_cast<std::size_t>(m)];
          while (k <= s.count && s.date(k) <= d) {  // payments on or before d have been made
            walk.advance();
            balance = walk.balance();
            ++k;
          }
          at_month[static_cast<std::size_t>(m)] = balance;
        }
      }
      for (int m = 0; m < horizon_months; ++m) {
        const double a = at_month[static_cast<std::size_t>(m)], b = at_month[static_cast<std::size_t>(m) + 1];
        t.scheduled[row + m] = a > 0.0 ? b / a : 0.0;
      }
    }

    // Resets: floating coupons and the floating legs of swaps, caps and floors.
    const bool resets = p.floating[i] || is_option_or_swap(kind);
    if (resets) {
      const int every = p.reset_months[i] > 0 ? p.reset_months[i] : p.payment_months[i];
      for (int q = 0; every > 0; ++q) {
        const std::int32_t reset = add_months(Date{start}, q * every).days;
        if (reset >= maturity || reset >= month_start.back()) break;
        if (reset <= today) continue;
        const int k = std::max(0, months_between(valuation_date, Date{reset}));
        int month = k;
        while (month > 0 && month_start[static_cast<std::size_t>(month)] > reset) --month;
        while (month + 1 < horizon_months && month_start[static_cast<std::size_t>(month) + 1] <= reset) ++month;
        if (month >= horizon_months) break;
        const std::int32_t a = std::max(month_start[static_cast<std::size_t>(month)], start);
        const std::int32_t b = std::min(month_start[static_cast<std::size_t>(month) + 1], maturity);
        double whole, after;
        if (is_option_or_swap(kind)) {
          whole = year_fraction(kIndexDayCount, a, b);
          after = year_fraction(kIndexDayCount, reset, b);
        } else {  // coupon resets fall on coupon period starts
          whole = schedule_accrual(coupons, dc, a, b);
          after = schedule_accrual(coupons, dc, reset, b);
        }
        t.reset_share[row + month] = whole > 0.0 ? after / whole : 1.0;
      }
    }

    // The month's survival where no path moves it: computed here once, exactly as position_nii
    // would on every path (the same expressions, so the same bits).
    const int profile = p.behaviour[i];
    if (profile != kNoBehaviour && !is_option_or_swap(kind)) {
      const BehaviourDynamics& dyn = behaviours.dynamics[static_cast<std::size_t>(profile)];
      for (int k = 0; k < horizon_months; ++k) {
        double& survival = t.survival[row + k];
        if (nmd) {
          survival = dyn.decay_sensitivity == 0.0 ? exp(-dyn.decay_rate / 12.0) : -1.0;
        } else if (dyn.has_s_curve) {
          survival = -1.0;
        } else {
          double cpr = behaviours.cpr[static_cast<std::size_t>(profile)];
          if (dyn.seasoning_months > 0) {
            const double ramp = (t.age_months.back() + k + 1.0) / dyn.seasoning_months;
            if (ramp < 1.0) cpr *= ramp;
          }
          survival = pow(1.0 - cpr, 1.0 / 12.0);
        }
      }
    }

    // Index planes and the replacement terms.
    t.index_plane.push_back(resets ? plane_of(t.indices, p.index_tenor_months[i]) : kNoPlane);
    const int b = p.behaviour[i];
    const BehaviourDynamics* d = b == kNoBehaviour ? nullptr : &behaviours.dynamics[static_cast<std::size_t>(b)];
    const bool s_curve = d && behaviours.type[static_cast<std::size_t>(b)] == BehaviourType::kPrepayment && d->has_s_curve;
    t.refinancing_plane.push_back(s_curve ? plane_of(t.indices, d->refinancing_tenor_months) : kNoPlane);
    t.reference_plane.push_back(d && nmd ? plane_of(t.indices, d->reference_tenor_months) : kNoPlane);
    t.term.push_back(nmd ? 0 : term_months(p, i));
    if (nmd || is_option_or_swap(kind)) {
      t.replacement_plane.push_back(kNoPlane);
      t.repricing_months.push_back(0);
      t.margin.push_back(0.0);
    } else {
      const int term = term_months(p, i);
      const int plane = plane_of(t.indices, replacement_tenor(term));
      t.replacement_plane.push_back(plane);
      t.repricing_months.push_back(term <= horizon_months ? term : 0);
      t.margin.push_back(p.floating[i] ? 0.0 : p.rate[i] - today_rates[static_cast<std::size_t>(plane)]);
    }
  }

  // Segment-homogeneous blocks over positions grouped by segment (stable: file order within).
  t.order.resize(static_cast<std::size_t>(p.size));
  std::iota(t.order.begin(), t.order.end(), 0);
  std::stable_sort(t.order.begin(), t.order.end(),
                   [&](int a, int b) { return p.segment[a] < p.segment[b]; });
  for (int at = 0; at < p.size;) {
    const int segment = p.segment[t.order[static_cast<std::size_t>(at)]];
    int end = at;
    while (end < p.size && end - at < kNiiBlockPositions && p.segment[t.order[static_cast<std::size_t>(end)]] == segment) ++end;
    t.block_begin.push_back(at);
    t.block_segment.push_back(segment);
    at = end;
  }
  t.block_begin.push_back(p.size);

  // Each S-curve profile's survival polynomials, one set per seasoning ramp, all stored at the
  // most terms any set needs: a profile with a set no polynomial reaches keeps the exact form.
  for (std::size_t profile = 0; profile < behaviours.dynamics.size(); ++profile) {
    const BehaviourDynamics& d = behaviours.dynamics[profile];
    std::int32_t first = -1, terms = 0;
    if (d.has_s_curve && behaviours.type[profile] == BehaviourType::kPrepayment) {
      const int sets = d.seasoning_months > 0 ? d.seasoning_months : 1;
      std::vector<std::vector<double>> fitted;
      for (int n = 1; n <= sets; ++n) {
        const double ramp = d.seasoning_months > 0 && n < d.seasoning_months ? n / static_cast<double>(d.seasoning_months) : 1.0;
        fitted.push_back(fit_survival_polynomial(d.base_cpr, d.max_cpr, ramp));
        terms = std::max(terms, static_cast<std::int32_t>(fitted.back().size()));
        if (fitted.back().empty()) break;
      }
      if (!fitted.back().empty()) {
        first = static_cast<std::int32_t>(t.survival_coefficients.size());
        for (std::vector<double>& c : fitted) {
          c.resize(static_cast<std::size_t>(terms), 0.0);  // a set with fewer terms: zeros above
          t.survival_coefficients.insert(t.survival_coefficients.end(), c.begin(), c.end());
        }
      } else {
        terms = 0;
      }
    }
    t.survival_sets.push_back(first);
    t.survival_terms.push_back(terms);
  }
  return t;
}

std::vector<double> today_index_rates(const HullWhiteTables& hw) {
  std::vector<double> rates;
  for (int plane = 0; plane < hw.n_indices(); ++plane) rates.push_back(index_rate(hw.index_view(), plane, 0, 0.0));
  return rates;
}

std::vector<double> fit_survival_polynomial(double base_cpr, double max_cpr, double ramp) {
  using Wide = long double;
  auto exact = [&](Wide u) {
    const Wide cpr = (static_cast<Wide>(base_cpr) + (static_cast<Wide>(max_cpr) - base_cpr) * u) * ramp;
    return std::pow(1.0L - cpr, 1.0L / 12.0L);
  };
  // In long double (model/chebyshev.hpp works in double): the change to powers of 2u - 1 adds
  // terms of both signs, so the coefficients are rounded to double only at the end.
  // cos(pi k (j + 1/2) / n) for the transform, computed once for every profile and ramp.
  constexpr int kPoints = 64;
  static const std::vector<Wide> cosines = [] {
    const Wide pi = 3.141592653589793238462643383279502884L;
    std::vector<Wide> c(static_cast<std::size_t>(kPoints) * kPoints);
    for (int k = 0; k < kPoints; ++k) {
      for (int j = 0; j < kPoints; ++j) c[static_cast<std::size_t>(k) * kPoints + j] = std::cos(pi * k * (j + 0.5L) / kPoints);
    }
    return c;
  }();
  std::vector<Wide> values(kPoints), chebyshev(kPoints);
  for (int j = 0; j < kPoints; ++j) values[j] = exact(0.5L + 0.5L * cosines[static_cast<std::size_t>(kPoints) + j]);
  for (int k = 0; k < kPoints; ++k) {
    Wide sum = 0.0L;
    for (int j = 0; j < kPoints; ++j) sum += values[j] * cosines[static_cast<std::size_t>(k) * kPoints + j];
    chebyshev[k] = (k == 0 ? 1.0L : 2.0L) * sum / kPoints;
  }
  // The fewest terms whose dropped tail is well within the tolerance (the survival is at least
  // exact(1)), then checked; a term more while the check fails.
  const Wide smallest = exact(1.0L);
  int terms = 2;
  Wide tail = 0.0L;
  for (int k = kPoints - 1; k >= 2; --k) {
    tail += std::fabs(chebyshev[k]);
    if (tail > 0.25L * kSurvivalPolynomialTolerance * smallest) {
      terms = k + 1;
      break;
    }
  }
  for (; terms <= kMostSurvivalTerms; ++terms) {
    // Powers of x = 2u - 1 from the first `terms` Chebyshev terms, T_(k+1) = 2x T_k - T_(k-1).
    std::vector<Wide> power(terms, 0.0L), previous(terms, 0.0L), current(terms, 0.0L);
    previous[0] = 1.0L;  // T_0
    current[1] = 1.0L;   // T_1
    power[0] = chebyshev[0];
    power[1] = chebyshev[1];
    for (int k = 2; k < terms; ++k) {
      std::vector<Wide> next(terms, 0.0L);
      for (int d = 0; d < terms; ++d) next[d] = (d > 0 ? 2.0L * current[d - 1] : 0.0L) - previous[d];
      for (int d = 0; d < terms; ++d) power[d] += chebyshev[k] * next[d];
      previous = current;
      current = next;
    }
    std::vector<double> c(power.begin(), power.end());
    double worst = 0.0;
    constexpr int kChecks = 1024;
    for (int j = 0; j <= kChecks && worst <= kSurvivalPolynomialTolerance; ++j) {
      const double u = static_cast<double>(j) / kChecks;
      const Wide want = exact(u);
      worst = std::fmax(worst, static_cast<double>(std::fabs((survival_polynomial(c.data(), terms, u) - want) / want)));
    }
    if (worst <= kSurvivalPolynomialTolerance) return c;
  }
  return {};
}

NiiTablesView NiiTables::view() const {
  NiiTablesView v;
  v.months = months;
  v.accrual = accrual.data();
  v.month_accrual = month_accrual.data();
  v.scheduled = scheduled.data();
  v.reset_share = reset_share.data();
  v.leg_accrual = leg_accrual.data();
  v.survival = survival.data();
  v.age_months = age_months.data();
  v.maturity_month = maturity_month.data();
  v.repricing_months = repricing_months.data();
  v.term_months = term.data();
  v.index_plane = index_plane.data();
  v.refinancing_plane = refinancing_plane.data();
  v.replacement_plane = replacement_plane.data();
  v.reference_plane = reference_plane.data();
  v.margin = margin.data();
  v.survival_sets = survival_sets.data();
  v.survival_terms = survival_terms.data();
  v.survival_coefficients = survival_coefficients.data();
  return v;
}

}  // namespace ratesim
