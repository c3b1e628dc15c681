#pragma once
// Per-path NII: the balance sheet carried month by month along Monte Carlo Hull-White paths and
// along deterministic scenario paths through the same code (docs/nii.md).

#include <cstdint>
#include <string>
#include <vector>

#include <optional>

#include "ratesim/engine/eve.hpp"
#include "ratesim/model/lmm_tables.hpp"
#include "ratesim/model/lmm_calibration.hpp"
#include "ratesim/portfolio/nii.hpp"
#include "ratesim/portfolio/nii_tables.hpp"
#include "ratesim/risk/distribution.hpp"

namespace ratesim {

/// A deterministic NII scenario: an instantaneous shock of the curve (`shock`), or a ramp that
/// moves every index rate linearly by `ramp_bp` over `ramp_months` and holds it there.
struct NiiScenario {
  std::string name, set, description;
  Scenario shock;
  bool ramp = false;
  double ramp_bp = 0.0;
  int ramp_months = 12;
};

/// How the horizon EVE values each leg on each Hull-White path.
enum class HorizonSeriesMode {
  kAuto,    ///< a series for each leg whose fit costs less than revaluing it on every path
  kAlways,  ///< a series for every leg the tolerance allows (kHorizonFitMostValuations at most)
  kOff,     ///< every leg revalued on every path: the reference the series are tested against
};

/// The NII run's options: the configuration's `nii` section read straight into them
/// (docs/nii.md); each default is written here once.
struct NiiOptions {
  int horizon_months = 12;
  BalanceSheetAssumption assumption = BalanceSheetAssumption::kConstant;
  bool monte_carlo = true;
  std::int64_t paths = 2000;
  /// Hull-White paths: the horizon EVE from each leg's series in x(H) (fit_horizon_series).
  HorizonSeriesMode horizon_series = HorizonSeriesMode::kAuto;
};

struct NiiSpec : NiiOptions {
  std::uint64_t seed = 1;
  std::int64_t chunk_paths = 0;
  std::vector<NiiScenario> scenarios;
  std::vector<double> quantiles{0.01, 0.05, 0.5, 0.95, 0.99};
  /// Monte Carlo paths from the LIBOR market model instead of Hull-White (on the CPU; the
  /// engine sets monthly steps and the horizon). Options are still valued in Hull-White.
  std::optional<LmmSpec> lmm;
  std::vector<CalibrationFit> lmm_calibration;  ///< reported with the run
};

struct NiiFigures {
  std::string name, set, description;
  double total = 0.0;
  std::vector<double> by_segment;
  std::vector<double> by_month;
};

struct NiiResult {
  std::vector<std::string> segments;
  std::vector<Date> month_starts;  ///< horizon months: month k runs from month_starts[k]
  NiiFigures base;                  ///< the deterministic path of today's forwards
  std::vector<NiiFigures> scenarios;
  // Monte Carlo.
  std::int64_t paths = 0;
  std::vector<std::int64_t> chunks;
  /// [path * width() + j]: NII total, by segment, by month; horizon EVE total, by segment; D(0,H)
  std::vector<double> path_values;
  Distribution total;
  std::vector<Distribution> by_segment;
  std::vector<Distribution> by_month;  ///< the NII fan
  /// EVE at the horizon on each path, in horizon money (the balance sheet the path left, valued
  /// on the path's curve P(H, .)), in total and by segment.
  Distribution eve;
  std::vector<Distribution> eve_by_segment;
  double eve_discounted_mean = 0.0;  ///< E[D(0,H) EVE(H)]: the horizon EVE in today's money
  double eve_discounted_std_error = 0.0;
  double nii_seconds = 0.0, path_seconds = 0.0, total_seconds = 0.0;
  HorizonSeriesSummary horizon_series;  ///< the legs' series (Hull-White Monte Carlo)

  int width() const {
    return nii_result_width(static_cast<int>(segments.size()), static_cast<int>(month_starts.size()));
  }
  /// Column of the horizon EVE total in path_values rows.
  int eve_column() const { return 1 + static_cast<int>(segments.size()) + static_cast<int>(month_starts.size()); }
};

/// The horizon curve's nodes (horizon_curve_nodes) and valuation settings for `book` at the
/// horizon day, with no series yet: what run_nii, and the tests and benchmarks that call the NII
/// stages one by one, value the horizon with.
HorizonCurve horizon_curve_for(const EveSpec& book, std::int32_t horizon_day);

/// The book, curves and model come from the EVE spec (single currency: the reporting one).
/// Throws std::invalid_argument for a multi-currency book.
/// `observer`, when given, hears the phases and chunks and may stop the run (RunInterrupted).
NiiResult run_nii(const EveSpec& book, const NiiSpec& spec, const BackendSelection& backend,
                  const RunObserver* observer = nullptr);

/// The NII scenarios of the built-in sets: BCBS 368 parallel up and down (the NII shocks), the
/// US instantaneous shocks and 12-month ramps, and the custom scenarios as instantaneous shocks.
std::vector<NiiScenario> nii_scenarios(const std::vector<Scenario>& eve_scenarios,
                                       bool include_us_ramps);

}  // namespace ratesim
