#pragma once
// Serialises a simulation: summary.json, discount_factors.csv and short_rate.csv (docs/outputs.md).

#include <string>

#include "ratesim/engine/simulation.hpp"

namespace ratesim {

std::string simulation_summary_json(const SimulationSpec& spec, const SimulationResult& result,
                                    double wall_seconds);
std::string discount_factors_csv(const SimulationResult& result);
std::string short_rate_csv(const SimulationSpec& spec, const SimulationResult& result);

/// A short human-readable summary for the terminal.
std::string simulation_console_summary(const SimulationSpec& spec, const SimulationResult& result);

/// "0.01", "0.5", ...: the JSON key and CSV column suffix of a quantile level.
std::string quantile_key(double level);

}  // namespace ratesim
