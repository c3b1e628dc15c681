#pragma once
// Serialises an EVE run: summary.json, eve_by_scenario.csv, repricing_gap.csv, sensitivities.csv
// (docs/outputs.md).

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "ratesim/engine/eve.hpp"

namespace ratesim {

struct EveRunInfo {
  std::string config_file;
  std::string positions_file;
  std::uint64_t seed = 0;  ///< the configuration's simulation seed (deterministic runs draw none)
  double wall_seconds = 0.0;
};

std::string eve_summary_json(const EveSpec& spec, const EveResult& result, const EveRunInfo& info);
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
