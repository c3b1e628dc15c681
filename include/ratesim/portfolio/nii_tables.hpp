#pragma once
// Host construction of the path-independent NII tables (portfolio/nii.hpp), the index rates the
// positions need, and the segment-homogeneous position blocks the reductions use.

#include <atomic>
#include <cstdint>
#include <vector>

#include "ratesim/engine/progress.hpp"
#include "ratesim/model/hull_white_tables.hpp"
#include "ratesim/model/index_spec.hpp"
#include "ratesim/model/time_grid.hpp"
#include "ratesim/portfolio/nii.hpp"

namespace ratesim {

/// Positions summed together before blocks are added up; blocks never straddle segments, so a
/// block's sum belongs to one segment and every reduction runs in the same order on any backend.
inline constexpr int kNiiBlockPositions = 1024;

struct NiiTables {
  int months = 0;
  std::vector<double> accrual, month_accrual, scheduled, reset_share, leg_accrual, survival;
  std::vector<std::int32_t> age_months, maturity_month, repricing_months, term;
  std::vector<std::int32_t> index_plane, refinancing_plane, replacement_plane, reference_plane;
  std::vector<double> margin;
  /// Per profile: the S-curve survival polynomials (NiiTablesView::survival_sets).
  std::vector<std::int32_t> survival_sets, survival_terms;
  std::vector<double> survival_coefficients;

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

/// The most terms a survival polynomial may take, and its largest error relative to the exact
/// survival (1 - CPR)^(1/12) over every incentive (u in [0, 1]), checked on a fine grid.
inline constexpr int kMostSurvivalTerms = 28;
inline constexpr double kSurvivalPolynomialTolerance = 1e-15;

/// The survival polynomial (survival_polynomial in portfolio/nii.hpp) of an S-curve from base to
/// max_cpr, times `ramp`: Chebyshev interpolation in u, in extended precision, turned into powers
/// of 2u - 1 and checked on 1,025 points against the exact survival. Empty where no polynomial
/// of at most kMostSurvivalTerms terms reaches the tolerance (a maximum CPR near 1); the month
/// step then takes the exact form.
std::vector<double> fit_survival_polynomial(double base_cpr, double max_cpr, double ramp);

/// Builds the tables for a monthly horizon from the valuation date. `today_rate(plane)` gives
/// each index plane's rate today (for the replacement margins of fixed-rate products); call
/// `required_indices` first to know the planes.
std::vector<IndexSpec> required_indices(const Portfolio& portfolio, const BehaviourTable& behaviours);

/// Each index plane's rate today (date 0, state 0) on `hw`: what build_nii_tables takes.
std::vector<double> today_index_rates(const HullWhiteTables& hw);

NiiTables build_nii_tables(const Portfolio& portfolio, const BehaviourTable& behaviours,
                           Date valuation_date, int horizon_months,
                           const std::vector<double>& today_rates, const std::atomic<bool>* stop = nullptr);

/// The horizon curve's nodes and valuation settings (portfolio/nii.hpp), owned on the host, and
/// the legs' series in the Hull-White state (fit_horizon_series; none: every leg is revalued).
struct HorizonCurve {
  std::vector<double> tau;
  ValuationSettings settings;
  double x_lo = 0.0, x_hi = 0.0;
  std::vector<HorizonLeg> legs;  ///< empty, or two per position ([2i] original, [2i + 1] replacement)
  std::vector<double> coefficients;

  HorizonCurveView view() const {
    HorizonCurveView v{static_cast<int>(tau.size()), tau.data(), settings, HorizonSeriesView{}};
    if (!legs.empty()) v.series = HorizonSeriesView{x_lo, x_hi, legs.data(), coefficients.data()};
    return v;
  }
};

/// The most revaluations any leg's fit makes: an adjustable-rate mortgage (a tensor in the state
/// and its coupon, with its cap and floor cut into pieces) takes about 4,000-6,500.
inline constexpr std::int64_t kHorizonFitMostValuations = 16384;

/// What the series are fitted over: the path's curve at the horizon as a function of its state,
/// ln P(H, H + tau_j) = log_a[j] - b[j] x(H) on HorizonCurve::tau, the range of x(H) that paths
/// reach, and each index plane's range over the horizon months (the coupons that paths can leave).
struct HorizonSeriesInputs {
  std::vector<double> log_a, b;
  double x_lo = 0.0, x_hi = 0.0;
  std::vector<double> plane_lo, plane_hi;
  /// Revaluations one leg's fit may cost; a leg that needs more is revalued on every path.
  std::int64_t most_valuations = kHorizonFitMostValuations;
};

/// Standard deviations of the state that the fitted ranges cover: a path beyond them (about one
/// in 4e11) is revalued in full, so the range bounds the cost, never the result.
inline constexpr double kHorizonStateDeviations = 7.0;

/// The inputs under Hull-White on `curve` (today's), for the horizon at grid date horizon_date
/// and the nodes tau: ln A and B at each node; x(H) has mean 0 and variance sigma^2 B(2a, H); the
/// index planes' ranges are their rates at the state's bounds on every grid date up to the
/// horizon (an index rate is monotone in x), widened by 5%.
HorizonSeriesInputs hull_white_horizon_inputs(const HullWhiteTables& hw, const DiscountCurve& curve,
                                              int horizon_date, const std::vector<double>& tau);

/// Legs fitted by form, and the fit's cost.
struct HorizonSeriesSummary {
  std::int64_t legs[4] = {0, 0, 0, 0};  ///< by HorizonForm; kRevalue: legs the series do not cover
  std::int64_t replacement_classes = 0;  ///< distinct replacement books fitted
  std::int64_t valuations = 0;           ///< full revaluations the fit made
  std::int64_t coefficients = 0;         ///< doubles in the series' pool (breakpoints and coefficients)
  double seconds = 0.0;
};

/// Fits every live leg's value at the horizon per unit of balance as a Chebyshev series in x(H)
/// (and the coupon, where the path sets it) to kHorizonSeriesTolerance, from full revaluations
/// with value_in_state on the same curves the paths carry; fills horizon.x_lo/x_hi, legs and
/// coefficients. Does nothing when the state's range is empty (no volatility). The result does
/// not depend on the thread count.
HorizonSeriesSummary fit_horizon_series(const Portfolio& portfolio, const NiiTables& tables, BalanceSheetAssumption assumption,
                                        const HorizonSeriesInputs& inputs, HorizonCurve& horizon,
                                        const RunObserver* observer = nullptr);

/// The standard normal distribution function the fit prices embedded caps and floors with
/// (vector lanes of this CPU's widest instruction set), exposed for tests.
std::vector<double> horizon_fit_normal_cdf(const std::vector<double>& z);

/// What the fit samples, exposed for tests: position i's leg from `start` to `end` per unit of
/// balance at states xs[j] with coupons[l] in force, v[j * coupons.size() + l]. Each sample is
/// value_in_state on the curve ln P(H, H + tau_j) = log_a[j] - b[j] x to rounding, however it is
/// computed (amortizing legs walk their schedule once for the whole grid).
std::vector<double> horizon_leg_samples(const Portfolio& portfolio, const HorizonCurve& horizon,
                                        const HorizonSeriesInputs& inputs, int i, std::int32_t start,
                                        std::int32_t end, const std::vector<double>& xs,
                                        const std::vector<double>& coupons);

/// The horizon nodes: 0, monthly to a year, quarterly to 50 years.
std::vector<double> horizon_curve_nodes();

/// The replacement index tenor of a product with a term of `term_months`: the term itself up to
/// a year, then the nearest of 2, 3, 5, 7 and 10 years.
int replacement_tenor(int term_months);

}  // namespace ratesim
