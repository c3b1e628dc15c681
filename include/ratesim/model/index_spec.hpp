#pragma once
// Index rates the path table carries for later kernels (floating coupons, refinancing rates).

#include <string>
#include <vector>

#include "ratesim/time/date.hpp"

namespace ratesim {

enum class IndexKind {
  kSimple,   ///< money-market rate over the tenor: (1/P(t, t+tenor) - 1) / accrual
  kParSwap,  ///< par rate of a swap with fixed payments every fixed_frequency_months
};

struct IndexSpec {
  std::string name;
  IndexKind kind = IndexKind::kSimple;
  int tenor_months = 3;
  int fixed_frequency_months = 3;  ///< payment period; equals the tenor for a simple rate
  DayCount day_count = DayCount::kAct360;  ///< accrual basis of the rate
};

/// 1M, 3M and 12M simple rates (ACT/360) and a 10Y par swap rate (annual, 30/360).
std::vector<IndexSpec> default_indices();

}  // namespace ratesim
