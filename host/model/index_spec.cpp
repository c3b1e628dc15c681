#include "ratesim/model/index_spec.hpp"

namespace ratesim {

std::vector<IndexSpec> default_indices() {
  return {
      {"1M", IndexKind::kSimple, 1, 1, DayCount::kAct360},
      {"3M", IndexKind::kSimple, 3, 3, DayCount::kAct360},
      {"12M", IndexKind::kSimple, 12, 12, DayCount::kAct360},
      {"SWAP_10Y", IndexKind::kParSwap, 120, 12, DayCount::kThirty360},
  };
}

}  // namespace ratesim
