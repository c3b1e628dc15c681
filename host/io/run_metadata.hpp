#pragma once
// The "run" block every summary.json starts with: what ran, where, from which build.

#include <nlohmann/json.hpp>
#include <string>

#include "ratesim/build_info.hpp"
#include "ratesim/engine/backend.hpp"
#include "ratesim/model/lmm_tables.hpp"
#include "ratesim/model/lmm_calibration.hpp"

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

/// The LMM's parameters and its calibration fit, as summary.json reports them.
inline nlohmann::ordered_json lmm_model_json(const LmmSpec& lmm, const std::vector<CalibrationFit>& calibration) {
  using nlohmann::ordered_json;
  ordered_json fit = ordered_json::array();
  for (const CalibrationFit& f : calibration) {
    fit.push_back({{"expiry_years", f.rate * lmm.accrual_years()}, {"target", f.target}, {"model", f.model}, {"scale", f.scale}});
  }
  return {{"type", "lmm"},
          {"accrual_months", lmm.accrual_months},
          {"rates", lmm.n_rates},
          {"factors", lmm.n_factors},
          {"scheme", lmm.scheme == LmmScheme::kEuler ? "euler" : "predictor_corrector"},
          {"displacement", lmm.displacement},
          {"volatility", {{"a", lmm.volatility.a}, {"b", lmm.volatility.b}, {"c", lmm.volatility.c}, {"d", lmm.volatility.d}}},
          {"correlation", lmm.correlation.empty()
                              ? ordered_json{{"type", "exponential"}, {"beta", lmm.correlation_beta}}
                              : ordered_json{{"type", "matrix"}, {"file", lmm.correlation_file}}},
          {"calibration", fit}};
}

}  // namespace ratesim
