#pragma once
// The `simulate` job: Hull-White paths on a grid, reduced to a summary that checks the model
// against today's curve (mean path discount factor vs P(0,t)) and describes the short rate.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ratesim/curve/discount_curve.hpp"
#include "ratesim/engine/backend.hpp"
#include "ratesim/engine/progress.hpp"
#include "ratesim/model/hull_white.hpp"
#include "ratesim/model/index_spec.hpp"
#include "ratesim/model/lmm_tables.hpp"
#include "ratesim/model/lmm_calibration.hpp"
#include "ratesim/model/time_grid.hpp"
#include "ratesim/time/date.hpp"

namespace ratesim {

/// A validated, immutable description of a simulation run (built by load_simulation_config).
struct SimulationSpec {
  std::string config_file;
  std::vector<std::string> input_files;  ///< every file read: the configuration, curve, LMM inputs
  Date valuation_date;
  DayCount day_count = DayCount::kAct365Fixed;
  std::string curve_file;
  DiscountCurve curve;
  HullWhiteParams model;
  TimeGrid grid;
  std::vector<IndexSpec> indices;
  std::int64_t paths = 65536;
  std::uint64_t seed = 1;
  std::int64_t chunk_paths = 0;  ///< 0: sized to the backend's memory
  DeviceChoice device = DeviceChoice::kAuto;
  std::vector<double> quantiles{0.01, 0.05, 0.5, 0.95, 0.99};
  int histogram_bins = 8192;  ///< per date, over +-10 analytic standard deviations of x
  /// model.type: lmm: the LIBOR market model instead of Hull-White. The summary is then on the
  /// LMM's tenor dates up to the grid's horizon, and its "short rate" is the spot LIBOR.
  std::optional<LmmSpec> lmm;
  std::vector<CalibrationFit> lmm_calibration;
};

struct DateSummary {
  double time = 0.0;
  std::optional<Date> date;
  double curve_discount = 0.0;          ///< P(0,t)
  double mc_discount_mean = 0.0;        ///< mean of D(0,t) = exp(-int r)
  double mc_discount_std_error = 0.0;
  double short_rate_mean = 0.0;         ///< Monte Carlo
  double short_rate_std = 0.0;          ///< Monte Carlo
  double model_short_rate_mean = 0.0;   ///< phi(t) = E[r(t)] under the risk-neutral measure; NaN for the LMM
  double model_short_rate_std = 0.0;    ///< sigma sqrt(B(2a, t)); NaN for the LMM
  std::vector<double> short_rate_quantiles;  ///< at SimulationSpec::quantiles
};

struct SimulationResult {
  std::vector<DateSummary> dates;
  BackendSelection backend;
  std::int64_t paths = 0;
  std::vector<std::int64_t> chunks;  ///< paths per chunk, in order
  double setup_seconds = 0.0;        ///< grid tables and backend start
  double generate_seconds = 0.0;     ///< path generation (device time on a GPU)
  double reduce_seconds = 0.0;
  double total_seconds = 0.0;
};

/// Splits `total` paths into chunks of at most `max_chunk` paths; every chunk but the last is a
/// whole number of reduction blocks.
std::vector<std::int64_t> plan_chunks(std::int64_t total, std::int64_t max_chunk);

/// Splits `total` paths into chunks of `chunk` paths and a shorter last one, for runs that keep
/// every path's values (no block alignment needed).
std::vector<std::int64_t> plan_equal_chunks(std::int64_t total, std::int64_t chunk);

/// Checks chunk sizes given by a caller: positive, adding up to `total`, and with
/// `block_aligned` every one but the last a whole number of reduction blocks. Throws
/// std::invalid_argument otherwise.
void check_chunk_sizes(const std::vector<std::int64_t>& chunks, std::int64_t total, bool block_aligned);

/// Runs the simulation on the selected backend. `chunk_sizes`, when given, overrides the plan
/// (tests use it to prove chunking invariance); each but the last must be a whole number of
/// reduction blocks. `observer`, when given, hears the chunks and may stop the run.
/// The accrual periods an LMM simulation reports (its tenor dates within the grid's horizon).
int lmm_simulation_periods(const SimulationSpec& spec);

SimulationResult run_simulation(const SimulationSpec& spec, const BackendSelection& backend,
                                const std::vector<std::int64_t>& chunk_sizes = {},
                                const RunObserver* observer = nullptr);

}  // namespace ratesim
