#pragma once
// Slotting of notional repricing cash flows into the 19 BCBS 368 time buckets: the repricing gap,
// and the cash flows of the standardised EVE measure (docs/risk.md).

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

#include "ratesim/engine/progress.hpp"
#include "ratesim/portfolio/behaviour.hpp"
#include "ratesim/portfolio/portfolio.hpp"

namespace ratesim {

inline constexpr int kBcbsBuckets = 19;

struct BcbsBucket {
  const char* label;
  double upper;     ///< upper bound in years (the last is unbounded)
  double midpoint;  ///< BCBS 368 midpoint in years
};

/// O/N, O/N-1M, 1-3M, ..., 15-20Y, >20Y. A flow at t years goes to the first bucket whose upper
/// bound is at least t.
extern const std::array<BcbsBucket, kBcbsBuckets> kBcbsBucketTable;
int bcbs_bucket(double t);

/// Per position: notional repricing amounts (principal repaid, or the whole balance at the next
/// reset of a floating coupon) and the interest paid until then, by bucket.
struct RepricingSlots {
  int n_segments = 0, n_currencies = 0;
  /// [(segment * n_currencies + currency) * 19 + bucket], amounts in the position's currency.
  std::vector<double> assets, liabilities, off_balance;
  /// [currency * 19 + bucket]: signed (assets +, liabilities -) notional plus interest, the
  /// cash flows of the standardised EVE.
  std::vector<double> standardised_cash_flows;
};

RepricingSlots slot_repricing(const Portfolio& portfolio, const BehaviourTable& behaviours,
                              const NmdCaps& caps, std::int32_t valuation_day, DayCount time_basis,
                              const std::atomic<bool>* stop = nullptr);

}  // namespace ratesim
