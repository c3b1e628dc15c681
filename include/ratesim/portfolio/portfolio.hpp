#pragma once
// The balance sheet as struct-of-arrays tables: one entry per position, every field a plain
// array, so a kernel reads position i's fields from neighbouring threads' neighbouring addresses.
// Column meanings, units and defaults: docs/positions.md.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ratesim/core.hpp"
#include "ratesim/time/date.hpp"

namespace ratesim {

enum class Side : std::uint8_t { kAsset, kLiability, kOffBalance };

enum class PositionKind : std::uint8_t {
  kFixedLoan,
  kFloatingLoan,
  kMortgage,  ///< fixed unless index_tenor_months is given (adjustable-rate)
  kFixedBond,
  kFloatingBond,
  kTermDeposit,
  kNmd,
  kSwap,
  kCap,
  kFloor,
};

enum class Amortization : std::uint8_t { kBullet, kAnnuity, kLinear };
enum class SwapLeg : std::uint8_t { kNone, kPayFixed, kReceiveFixed };
enum class NmdCategory : std::uint8_t {
  kNone,
  kRetailTransactional,
  kRetailNonTransactional,
  kWholesale,
};

inline constexpr int kNoBehaviour = -1;

/// Light view for kernels. Rates are decimals per year; amounts in the position's currency.
struct PortfolioView {
  int size = 0;
  const PositionKind* kind = nullptr;
  const Side* side = nullptr;
  const Amortization* amortization = nullptr;
  const DayCount* day_count = nullptr;
  const SwapLeg* swap_leg = nullptr;
  const NmdCategory* nmd_category = nullptr;
  const std::uint8_t* floating = nullptr;       ///< 1 if the coupon resets on an index
  const std::int32_t* start_day = nullptr;      ///< days since 1970-01-01
  const std::int32_t* maturity_day = nullptr;   ///< NMDs: unused
  const std::int32_t* payment_months = nullptr; ///< 0: one payment at maturity
  const std::int32_t* reset_months = nullptr;   ///< floating: months between resets
  const std::int32_t* index_tenor_months = nullptr;
  const std::int32_t* behaviour = nullptr;      ///< index into the behaviour table, or kNoBehaviour
  const std::int32_t* segment = nullptr;        ///< index into Portfolio::segments
  const std::int32_t* currency = nullptr;       ///< index into Portfolio::currencies
  const double* notional = nullptr;  ///< outstanding at the valuation date (caps/floors: < 0 sold)
  const double* rate = nullptr;      ///< fixed coupon; floating kinds: the coupon now fixed
  const double* spread = nullptr;
  const double* cap_rate = nullptr;    ///< embedded coupon cap, +inf when none
  const double* floor_rate = nullptr;  ///< embedded coupon floor, -inf when none
  const double* strike = nullptr;      ///< standalone caps and floors
};

/// Owning struct-of-arrays portfolio on the host.
struct Portfolio {
  std::vector<std::string> ids;
  std::vector<std::string> segments;    ///< distinct segment names, in order of appearance
  std::vector<std::string> currencies;  ///< distinct currencies, in order of appearance
  std::vector<int> source_line;         ///< line of each position in its file

  std::vector<PositionKind> kind;
  std::vector<Side> side;
  std::vector<Amortization> amortization;
  std::vector<DayCount> day_count;
  std::vector<SwapLeg> swap_leg;
  std::vector<NmdCategory> nmd_category;
  std::vector<std::uint8_t> floating;
  std::vector<std::int32_t> start_day, maturity_day, payment_months, reset_months,
      index_tenor_months, behaviour, segment, currency;
  std::vector<double> notional, rate, spread, cap_rate, floor_rate, strike;

  int size() const { return static_cast<int>(kind.size()); }
  PortfolioView view() const;
};

/// The positions in an order that keeps a GPU warp's threads on the same path through the
/// valuation: by kind, amortisation, fixed or floating, payment frequency, behaviour and
/// maturity, so that neighbours walk schedules of the same shape and length (a warp runs as long
/// as its longest thread, and takes both sides of every branch its threads split on). The order
/// only speeds the kernel up; the values do not depend on it. One 64-bit key per position and a
/// plain sort of (key, index): 10^6 positions in a few tens of ms, not a comparison of six fields.
inline std::vector<std::int32_t> coherent_order(const Portfolio& p) {
  auto bits = [](std::int64_t v, std::int64_t most) { return static_cast<std::uint64_t>(std::clamp<std::int64_t>(v, 0, most)); };
  std::vector<std::pair<std::uint64_t, std::int32_t>> keyed(static_cast<std::size_t>(p.size()));
  for (std::size_t i = 0; i < keyed.size(); ++i) {
    const std::uint64_t key = bits(static_cast<int>(p.kind[i]), 15) << 60 | bits(static_cast<int>(p.amortization[i]), 3) << 58 |
                              bits(p.floating[i], 1) << 57 | bits(p.payment_months[i], 511) << 48 |
                              bits(p.behaviour[i] + 1, 255) << 40 | bits(p.maturity_day[i], (std::int64_t{1} << 40) - 1);
    keyed[i] = {key, static_cast<std::int32_t>(i)};
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::int32_t> order(keyed.size());
  for (std::size_t i = 0; i < keyed.size(); ++i) order[i] = keyed[i].second;
  return order;
}

const char* position_kind_name(PositionKind kind);
const char* side_name(Side side);

}  // namespace ratesim
