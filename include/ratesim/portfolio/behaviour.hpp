#pragma once
// Behavioural profiles named in the configuration (docs/behaviour.md): prepayment for loans and
// mortgages, and core/non-core runoff for non-maturity deposits.

#include <cstdint>
#include <string>
#include <vector>

#include "ratesim/core.hpp"
#include "ratesim/portfolio/portfolio.hpp"

namespace ratesim {

enum class BehaviourType : std::uint8_t { kPrepayment, kDeposit };

struct BehaviourView {
  int size = 0;
  const BehaviourType* type = nullptr;
  const double* cpr = nullptr;               ///< prepayment: constant annual prepayment rate
  const double* core_share = nullptr;        ///< deposit: stable (core) share of the balance
  const double* core_average_life = nullptr; ///< deposit: average life of the core, years
};

/// BCBS 368 caps on the core share and on the average maturity of core deposits, by category
/// (index: NmdCategory). Defaults are the standard's table (docs/behaviour.md); configurable.
struct NmdCaps {
  double max_core_share[4] = {0.0, 0.90, 0.70, 0.50};
  double max_average_life[4] = {0.0, 5.0, 4.5, 4.0};
};

struct BehaviourProfile {
  std::string name;
  BehaviourType type = BehaviourType::kPrepayment;
  double cpr = 0.0;
  double core_share = 0.0;
  double core_average_life = 0.0;
};

/// Owning table of profiles, in the configuration's order.
struct BehaviourTable {
  std::vector<BehaviourProfile> profiles;
  std::vector<BehaviourType> type;
  std::vector<double> cpr, core_share, core_average_life;

  void add(const BehaviourProfile& profile);
  int find(const std::string& name) const;  ///< index or kNoBehaviour
  BehaviourView view() const {
    return BehaviourView{static_cast<int>(type.size()), type.data(), cpr.data(),
                         core_share.data(), core_average_life.data()};
  }
};

}  // namespace ratesim
