#pragma once
// The "run" block every summary.json starts with: what ran, where, from which build.

#include <nlohmann/json.hpp>
#include <string>

#include "ratesim/build_info.hpp"
#include "ratesim/engine/backend.hpp"

namespace ratesim {

inline nlohmann::ordered_json run_metadata(const char* command, const std::string& config,
                                           const BackendSelection& backend) {
  nlohmann::ordered_json run;
  run["version"] = kVersion;
  run["commit"] = kGitCommit;
  run["command"] = command;
  run["config"] = config;
  run["backend"] = backend.backend == Backend::kCuda ? "cuda" : "cpu";
  run["device"] = backend.device;
  if (!backend.note.empty()) run["device_note"] = backend.note;
  return run;
}

}  // namespace ratesim
