#pragma once
// Reads a run configuration (YAML, every key in docs/config.md) into validated specs.

#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ratesim/engine/eve.hpp"
#include "ratesim/engine/nii.hpp"
#include "ratesim/engine/simulation.hpp"
#include "ratesim/model/lmm_tables.hpp"
#include "ratesim/model/lmm_calibration.hpp"
#include "ratesim/portfolio/behaviour.hpp"
#include "ratesim/portfolio/portfolio.hpp"
#include "ratesim/scenario/scenario.hpp"

namespace ratesim {

struct RunConfig {
  SimulationSpec simulation;  ///< its curve is the reporting currency's
  std::string reporting_currency = "USD";
  std::vector<std::pair<std::string, DiscountCurve>> curves;  ///< by currency, those read
  std::vector<std::string> curve_currencies;  ///< every currency given a curve, read or not
  std::map<std::string, double> fx;  ///< reporting-currency units per unit; absent: 1 if reporting
  BehaviourTable behaviours;
  NmdCaps nmd_caps;
  std::string positions_file;
  Portfolio portfolio;
  std::vector<std::string> scenario_sets{"bcbs368", "us"};
  std::string bcbs_version = "2016";
  std::string bcbs_table_file;  ///< a table file instead of a built-in version
  std::vector<Scenario> custom_scenarios;
  EveOptions eve;  ///< scenarios.post_shock_floor, capital, sensitivities
  // `nii`: the per-path NII run (docs/nii.md).
  NiiOptions nii;
  bool nii_enabled = true;
  bool nii_write_paths = false;  ///< paths.csv with every path's results
  /// model.type: lmm: the LIBOR market model generates the Monte Carlo paths (docs/model.md).
  std::optional<LmmSpec> lmm;
  std::vector<CalibrationFit> lmm_calibration;  ///< when calibrated to caplet volatilities
  /// Every file the configuration named, as (role, path), in reading order (for the run's record).
  std::vector<std::pair<std::string, std::string>> input_files;
};

/// Reads `path` and every file it names (paths relative to the config file's folder). Throws
/// InputError listing every problem found, each with file, line, column and rule; unknown keys
/// are problems too. With `need_balance_sheet`, `positions` is required and read.
RunConfig load_run_config(const std::string& path, bool need_balance_sheet);

/// The EVE run of a configuration read with need_balance_sheet. Throws InputError when a
/// position's currency has no curve or no fx rate, or is missing from the BCBS shock table.
EveSpec make_eve_spec(const RunConfig& config);

/// The NII run of a configuration, over the EVE spec's book and scenarios.
NiiSpec make_nii_spec(const RunConfig& config, const EveSpec& eve);

/// The simulation part of a configuration (positions, if any, are not read): check_inputs for
/// simulate.
SimulationSpec load_simulation_config(const std::string& path);

/// What a command will do with a configuration: `run` values the balance sheet (positions are
/// required), `simulate` runs the model alone. `validate` checks kAsConfigured: as run when the
/// configuration names positions and as simulate otherwise, so it accepts exactly what that
/// command accepts.
enum class Purpose { kRun, kSimulate, kAsConfigured };

/// A configuration and every input it names, checked as a whole.
struct CheckedInputs {
  RunConfig config;  ///< as read (for kRun its portfolio has moved into `eve`)
  EveSpec eve;       ///< kRun
  NiiSpec nii;       ///< kRun
  SimulationSpec simulation;  ///< kSimulate
  Purpose checked_as = Purpose::kRun;  ///< kRun or kSimulate (what kAsConfigured resolved to)
};

/// The one check every command makes before any work: reads the configuration and every file it
/// names (curves, positions, behaviour profiles, scenario files, shock tables, caplet and
/// correlation files) and asks what the engines will ask of them (a curve, an fx rate and a shock
/// size for every currency of the book; NII limits; LMM tables that can be built). Throws
/// InputError with every problem of every input at once; RunInterrupted once `stop` is set.
/// `paths_override` (the command line's --paths) replaces the configured paths; paths whose kept
/// results would not fit in this machine's memory are a problem too.
CheckedInputs check_inputs(const std::string& path, Purpose purpose, const std::atomic<bool>* stop = nullptr,
                           std::int64_t paths_override = 0);

}  // namespace ratesim
