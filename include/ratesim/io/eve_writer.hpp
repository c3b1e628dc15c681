#pragma once
// Serialises an EVE run: summary.json, eve_by_scenario.csv, repricing_gap.csv, sensitivities.csv
// (docs/outputs.md).

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "ratesim/engine/eve.hpp"
#include "ratesim/engine/nii.hpp"

namespace ratesim {

struct EveRunInfo {
  std::string config_file;
  std::string positions_file;
  std::uint64_t seed = 0;  ///< the configuration's simulation seed (deterministic runs draw none)
  double wall_seconds = 0.0;
  std::vector<std::pair<std::string, std::string>> inputs;       ///< (role, file) read by the run
  std::vector<std::pair<std::string, double>> phase_seconds;     ///< wall clock per phase, in order
};

/// The NII part of a run, when there is one (nii and nii_spec both set), or why not (note).
struct NiiReport {
  const NiiSpec* spec = nullptr;
  const NiiResult* result = nullptr;
  std::string note;
};

std::string eve_summary_json(const EveSpec& spec, const EveResult& result, const EveRunInfo& info,
                             const NiiReport& nii = {});
std::string nii_by_scenario_csv(const NiiResult& nii);
std::string nii_fan_csv(const NiiSpec& spec, const NiiResult& nii);
std::string distribution_csv(const NiiResult& nii);
std::string nii_console_summary(const NiiSpec& spec, const NiiResult& nii);
/// One row per Monte Carlo path: path,nii_total,nii_<segment>...,nii_m1..nii_mH.
std::string paths_csv(const NiiResult& nii);
std::string eve_by_scenario_csv(const EveResult& result);
std::string repricing_gap_csv(const EveSpec& spec, const EveResult& result);
std::string sensitivities_csv(const EveSpec& spec, const EveResult& result);
std::string eve_console_summary(const EveSpec& spec, const EveResult& result);

/// The repricing gap in the reporting currency: [segment][bucket] for assets, liabilities and
/// off-balance, with segment == n_segments holding the total.
struct GapTable {
  std::vector<std::array<double, kBcbsBuckets>> assets, liabilities, off_balance;
};
GapTable repricing_gap(const EveSpec& spec, const EveResult& result);

}  // namespace ratesim
