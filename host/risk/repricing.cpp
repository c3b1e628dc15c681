#include "ratesim/risk/repricing.hpp"

#include "ratesim/portfolio/cash_flows.hpp"
#include "ratesim/portfolio/valuation.hpp"

namespace ratesim {

const std::array<BcbsBucket, kBcbsBuckets> kBcbsBucketTable = {{
    {"O/N", 1.0 / 365.0, 0.0028},  {"O/N-1M", 1.0 / 12.0, 0.0417}, {"1M-3M", 0.25, 0.1667},
    {"3M-6M", 0.5, 0.375},         {"6M-9M", 0.75, 0.625},         {"9M-1Y", 1.0, 0.875},
    {"1Y-1.5Y", 1.5, 1.25},        {"1.5Y-2Y", 2.0, 1.75},         {"2Y-3Y", 3.0, 2.5},
    {"3Y-4Y", 4.0, 3.5},           {"4Y-5Y", 5.0, 4.5},            {"5Y-6Y", 6.0, 5.5},
    {"6Y-7Y", 7.0, 6.5},           {"7Y-8Y", 8.0, 7.5},            {"8Y-9Y", 9.0, 8.5},
    {"9Y-10Y", 10.0, 9.5},         {"10Y-15Y", 15.0, 12.5},        {"15Y-20Y", 20.0, 17.5},
    {">20Y", 1e300, 25.0},
}};

int bcbs_bucket(double t) {
  for (int b = 0; b < kBcbsBuckets; ++b) {
    if (t <= kBcbsBucketTable[static_cast<std::size_t>(b)].upper) return b;
  }
  return kBcbsBuckets - 1;
}

namespace {

struct Slotter {
  RepricingSlots& out;
  int segment, currency;
  Side side;
  double sign;  // +1 assets, -1 liabilities; off-balance flows carry their own sign

  void add(double t, double notional, double interest) {
    if (t <= 0.0) return;
    const int b = bcbs_bucket(t);
    const std::size_t at = (static_cast<std::size_t>(segment) * out.n_currencies + currency) *
                               kBcbsBuckets + b;
    switch (side) {
      case Side::kAsset: out.assets[at] += notional; break;
      case Side::kLiability: out.liabilities[at] += notional; break;
      case Side::kOffBalance: out.off_balance[at] += notional; break;
    }
    out.standardised_cash_flows[static_cast<std::size_t>(currency) * kBcbsBuckets + b] +=
        sign * (notional + interest);
  }
};

}  // namespace

RepricingSlots slot_repricing(const Portfolio& portfolio, const BehaviourTable& behaviours,
                              const NmdCaps& caps, std::int32_t valuation_day, DayCount time_basis,
                              const std::atomic<bool>* stop) {
  RepricingSlots out;
  out.n_segments = static_cast<int>(portfolio.segments.size());
  out.n_currencies = static_cast<int>(portfolio.currencies.size());
  const std::size_t cells =
      static_cast<std::size_t>(out.n_segments) * out.n_currencies * kBcbsBuckets;
  out.assets.assign(cells, 0.0);
  out.liabilities.assign(cells, 0.0);
  out.off_balance.assign(cells, 0.0);
  out.standardised_cash_flows.assign(static_cast<std::size_t>(out.n_currencies) * kBcbsBuckets, 0.0);

  const PortfolioView p = portfolio.view();
  const BehaviourView b = behaviours.view();
  auto time = [&](std::int32_t day) { return year_fraction(time_basis, valuation_day, day); };

  for (int i = 0; i < p.size; ++i) {
    if (i % 4096 == 0) check_stop_flag(stop);  // 10^7 positions take seconds
    Slotter slot{out, p.segment[i], p.currency[i], p.side[i], eve_sign(p.side[i])};
    switch (p.kind[i]) {
      case PositionKind::kCap:
      case PositionKind::kFloor:
        break;  // automatic options carry no notional repricing flows
      case PositionKind::kNmd: {
        const DepositProfile profile = deposit_profile(p, i, b, caps);
        const double core = p.notional[i] * profile.core_share;
        slot.add(1.0 / 365.0, p.notional[i] - core, 0.0);
        if (core > 0.0 && profile.core_average_life > 0.0) {
          const double decay = std::exp(-1.0 / (12.0 * profile.core_average_life));
          double balance = core;
          for (int m = 1; m <= kDepositRunoffMonths; ++m) {
            const double next = m == kDepositRunoffMonths ? 0.0 : balance * decay;
            slot.add(m / 12.0, balance - next, balance * p.rate[i] / 12.0);
            balance = next;
          }
        } else {
          slot.add(1.0 / 365.0, core, 0.0);
        }
        break;
      }
      case PositionKind::kSwap: {
        // Receive-fixed is long a fixed-rate bond and short a floater repricing at the next reset.
        const double direction = p.swap_leg[i] == SwapLeg::kPayFixed ? -1.0 : 1.0;
        slot.sign = 1.0;  // the amounts below carry the direction
        const Schedule fixed = make_schedule(p.start_day[i], p.maturity_day[i], p.payment_months[i]);
        for (int k = first_live_period(fixed, valuation_day); k <= fixed.count; ++k) {
          const double coupon = p.notional[i] * p.rate[i] *
                                year_fraction(p.day_count[i], fixed.date(k - 1), fixed.date(k));
          slot.add(time(fixed.date(k)), k == fixed.count ? direction * p.notional[i] : 0.0,
                   direction * coupon);
        }
        const std::int32_t reprice =
            next_reset(p.start_day[i], p.reset_months[i], p.maturity_day[i], valuation_day);
        slot.add(time(reprice), -direction * p.notional[i], 0.0);
        break;
      }
      default: {
        const bool floating = p.floating[i] != 0;
        const int reset_months = p.reset_months[i] > 0 ? p.reset_months[i] : p.payment_months[i];
        const std::int32_t reprice =
            floating ? next_reset(p.start_day[i], reset_months, p.maturity_day[i], valuation_day)
                     : p.maturity_day[i];
        for_each_amortizing_period(p, i, b, valuation_day, [&](const AmortizingPeriod& q) {
          if (floating && q.end > reprice) {
            slot.add(time(reprice), q.balance, 0.0);  // the rest reprices at the reset
            return false;
          }
          slot.add(time(q.end), q.balance - q.next_balance, q.balance * p.rate[i] * q.accrual);
          return true;
        });
        break;
      }
    }
  }
  return out;
}

}  // namespace ratesim
