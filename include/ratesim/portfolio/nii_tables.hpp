#pragma once
// Host construction of the path-independent NII tables (portfolio/nii.hpp), the index rates the
// positions need, and the segment-homogeneous position blocks the reductions use.

#include <atomic>
#include <cstdint>
#include <vector>

#include "ratesim/engine/progress.hpp"
#include "ratesim/model/index_spec.hpp"
#include "ratesim/model/time_grid.hpp"
#include "ratesim/portfolio/nii.hpp"

namespace ratesim {

/// Positions summed together before blocks are added up; blocks never straddle segments, so a
/// block's sum belongs to one segment and every reduction runs in the same order on any backend.
inline constexpr int kNiiBlockPositions = 1024;

struct NiiTables {
  int months = 0;
  std::vector<double> accrual, month_accrual, scheduled, reset_share, leg_accrual;
  std::vector<std::int32_t> age_months, maturity_month, repricing_months, term;
  std::vector<std::int32_t> index_plane, refinancing_plane, replacement_plane, reference_plane;
  std::vector<double> margin;

  /// Index rates to carry on every path: simple rates for tenors up to 12 months, annual par
  /// swap rates beyond. Plane p of the path table is indices[p].
  std::vector<IndexSpec> indices;

  /// Positions in processing order (grouped by segment, file order within), and the blocks over
  /// that order: block b covers order[block_begin[b] .. block_begin[b + 1]) of block_segment[b].
  std::vector<std::int32_t> order;
  std::vector<std::int32_t> block_begin;
  std::vector<std::int32_t> block_segment;

  NiiTablesView view() const;

  NiiBlockView block_view() const {
    return NiiBlockView{static_cast<int>(block_segment.size()), order.data(), block_begin.data(),
                        block_segment.data()};
  }
};

/// Builds the tables for a monthly horizon from the valuation date. `today_rate(plane)` gives
/// each index plane's rate today (for the replacement margins of fixed-rate products); call
/// `required_indices` first to know the planes.
std::vector<IndexSpec> required_indices(const Portfolio& portfolio, const BehaviourTable& behaviours);

NiiTables build_nii_tables(const Portfolio& portfolio, const BehaviourTable& behaviours,
                           Date valuation_date, int horizon_months,
                           const std::vector<double>& today_rates, const std::atomic<bool>* stop = nullptr);

/// The horizon curve's nodes and valuation settings (portfolio/nii.hpp), owned on the host.
struct HorizonCurve {
  std::vector<double> tau;
  ValuationSettings settings;
  HorizonCurveView view() const {
    return HorizonCurveView{static_cast<int>(tau.size()), tau.data(), settings};
  }
};

/// The horizon nodes: 0, monthly to a year, quarterly to 50 years.
std::vector<double> horizon_curve_nodes();

/// The replacement index tenor of a product with a term of `term_months`: the term itself up to
/// a year, then the nearest of 2, 3, 5, 7 and 10 years.
int replacement_tenor(int term_months);

}  // namespace ratesim
