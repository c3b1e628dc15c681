#pragma once
// Device copies of the portfolio and behaviour tables, with their kernel views.

#include "kernels/device_buffer.cuh"
#include "ratesim/portfolio/behaviour.hpp"
#include "ratesim/portfolio/portfolio.hpp"

namespace ratesim::cuda {

class DevicePortfolio {
 public:
  explicit DevicePortfolio(const Portfolio& portfolio) {
    view_.size = portfolio.size();
    view_.kind = upload(kind_, portfolio.kind);
    view_.side = upload(side_, portfolio.side);
    view_.amortization = upload(amortization_, portfolio.amortization);
    view_.day_count = upload(day_count_, portfolio.day_count);
    view_.swap_leg = upload(swap_leg_, portfolio.swap_leg);
    view_.nmd_category = upload(nmd_category_, portfolio.nmd_category);
    view_.floating = upload(floating_, portfolio.floating);
    view_.start_day = upload(start_day_, portfolio.start_day);
    view_.maturity_day = upload(maturity_day_, portfolio.maturity_day);
    view_.payment_months = upload(payment_months_, portfolio.payment_months);
    view_.reset_months = upload(reset_months_, portfolio.reset_months);
    view_.index_tenor_months = upload(index_tenor_, portfolio.index_tenor_months);
    view_.behaviour = upload(behaviour_, portfolio.behaviour);
    view_.segment = upload(segment_, portfolio.segment);
    view_.currency = upload(currency_, portfolio.currency);
    view_.notional = upload(notional_, portfolio.notional);
    view_.rate = upload(rate_, portfolio.rate);
    view_.spread = upload(spread_, portfolio.spread);
    view_.cap_rate = upload(cap_rate_, portfolio.cap_rate);
    view_.floor_rate = upload(floor_rate_, portfolio.floor_rate);
    view_.strike = upload(strike_, portfolio.strike);
  }
  const PortfolioView& view() const { return view_; }

 private:
  DeviceBuffer<PositionKind> kind_;
  DeviceBuffer<Side> side_;
  DeviceBuffer<Amortization> amortization_;
  DeviceBuffer<DayCount> day_count_;
  DeviceBuffer<SwapLeg> swap_leg_;
  DeviceBuffer<NmdCategory> nmd_category_;
  DeviceBuffer<std::uint8_t> floating_;
  DeviceBuffer<std::int32_t> start_day_, maturity_day_, payment_months_, reset_months_,
      index_tenor_, behaviour_, segment_, currency_;
  DeviceBuffer<double> notional_, rate_, spread_, cap_rate_, floor_rate_, strike_;
  PortfolioView view_;
};

class DeviceBehaviours {
 public:
  explicit DeviceBehaviours(const BehaviourTable& behaviours) {
    view_.size = static_cast<int>(behaviours.type.size());
    view_.type = upload(type_, behaviours.type);
    view_.cpr = upload(cpr_, behaviours.cpr);
    view_.core_share = upload(core_share_, behaviours.core_share);
    view_.core_average_life = upload(core_life_, behaviours.core_average_life);
    view_.dynamics = upload(dynamics_, behaviours.dynamics);
  }
  const BehaviourView& view() const { return view_; }

 private:
  DeviceBuffer<BehaviourType> type_;
  DeviceBuffer<double> cpr_, core_share_, core_life_;
  DeviceBuffer<BehaviourDynamics> dynamics_;
  BehaviourView view_;
};

}  // namespace ratesim::cuda
