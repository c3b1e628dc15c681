#pragma once
// Reads a run configuration (YAML, every key in docs/config.md) into a validated SimulationSpec.

#include <string>

#include "ratesim/engine/simulation.hpp"

namespace ratesim {

/// Reads `path` and every file it names (paths relative to the config file's folder). Throws
/// InputError listing every problem found, each with file, line, column and rule; unknown keys
/// are problems too.
SimulationSpec load_simulation_config(const std::string& path);

}  // namespace ratesim
