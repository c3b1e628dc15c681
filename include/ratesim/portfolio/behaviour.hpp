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

/// Rate-driven parameters of the profiles; the per-path NII engine reads them
/// (docs/behaviour.md). A profile without an S-curve prepays at its constant cpr.
struct BehaviourDynamics {
  // Prepayment S-curve: CPR = base + (max - base) / (1 + exp(-steepness (incentive - midpoint))),
  // incentive = coupon - (refinancing index + refinancing spread); times min(1, age / seasoning).
  std::uint8_t has_s_curve = 0;
  double base_cpr = 0.0, max_cpr = 0.0, steepness = 0.0, midpoint = 0.0;
  int refinancing_tenor_months = 120;
  double refinancing_spread = 0.0;
  int seasoning_months = 0;
  // Deposit pass-through: rate = max(floor, rate0 + beta_up max(d, 0) + beta_down min(d, 0)),
  // d = reference index (lag months ago) - reference index today; balance decays at
  // decay_rate + decay_sensitivity max(d, 0) per year.
  double beta_up = 0.0, beta_down = 0.0;
  int lag_months = 0;
  double rate_floor = -1e300;
  int reference_tenor_months = 1;
  double decay_rate = 0.0, decay_sensitivity = 0.0;
};

struct BehaviourView {
  int size = 0;
  const BehaviourType* type = nullptr;
  const double* cpr = nullptr;               ///< prepayment: constant annual prepayment rate
  const double* core_share = nullptr;        ///< deposit: stable (core) share of the balance
  const double* core_average_life = nullptr; ///< deposit: average life of the core, years
  const BehaviourDynamics* dynamics = nullptr;
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
  BehaviourDynamics dynamics;
};

/// Owning table of profiles, in the configuration's order.
struct BehaviourTable {
  std::vector<BehaviourProfile> profiles;
  std::vector<BehaviourType> type;
  std::vector<double> cpr, core_share, core_average_life;
  std::vector<BehaviourDynamics> dynamics;

  void add(const BehaviourProfile& profile);
  int find(const std::string& name) const;  ///< index or kNoBehaviour
  BehaviourView view() const {
    return BehaviourView{static_cast<int>(type.size()), type.data(), cpr.data(),
                         core_share.data(), core_average_life.data(), dynamics.data()};
  }
};

}  // namespace ratesim
