#include "ratesim/portfolio/portfolio.hpp"

#include "ratesim/portfolio/behaviour.hpp"

namespace ratesim {

PortfolioView Portfolio::view() const {
  PortfolioView v;
  v.size = size();
  v.kind = kind.data();
  v.side = side.data();
  v.amortization = amortization.data();
  v.day_count = day_count.data();
  v.swap_leg = swap_leg.data();
  v.nmd_category = nmd_category.data();
  v.floating = floating.data();
  v.start_day = start_day.data();
  v.maturity_day = maturity_day.data();
  v.payment_months = payment_months.data();
  v.reset_months = reset_months.data();
  v.index_tenor_months = index_tenor_months.data();
  v.behaviour = behaviour.data();
  v.segment = segment.data();
  v.currency = currency.data();
  v.notional = notional.data();
  v.rate = rate.data();
  v.spread = spread.data();
  v.cap_rate = cap_rate.data();
  v.floor_rate = floor_rate.data();
  v.strike = strike.data();
  return v;
}

const char* position_kind_name(PositionKind kind) {
  switch (kind) {
    case PositionKind::kFixedLoan: return "fixed_loan";
    case PositionKind::kFloatingLoan: return "floating_loan";
    case PositionKind::kMortgage: return "mortgage";
    case PositionKind::kFixedBond: return "fixed_bond";
    case PositionKind::kFloatingBond: return "floating_bond";
    case PositionKind::kTermDeposit: return "term_deposit";
    case PositionKind::kNmd: return "nmd";
    case PositionKind::kSwap: return "swap";
    case PositionKind::kCap: return "cap";
    case PositionKind::kFloor: return "floor";
  }
  return "?";
}

const char* side_name(Side side) {
  switch (side) {
    case Side::kAsset: return "asset";
    case Side::kLiability: return "liability";
    case Side::kOffBalance: return "off_balance";
  }
  return "?";
}

void BehaviourTable::add(const BehaviourProfile& profile) {
  profiles.push_back(profile);
  type.push_back(profile.type);
  cpr.push_back(profile.cpr);
  core_share.push_back(profile.core_share);
  core_average_life.push_back(profile.core_average_life);
  dynamics.push_back(profile.dynamics);
}

int BehaviourTable::find(const std::string& name) const {
  for (std::size_t i = 0; i < profiles.size(); ++i) {
    if (profiles[i].name == name) return static_cast<int>(i);
  }
  return kNoBehaviour;
}

}  // namespace ratesim
