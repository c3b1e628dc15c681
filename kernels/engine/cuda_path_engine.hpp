#pragma once
// The CUDA backend's host-facing API: plain C++, no CUDA types, so g++-compiled code includes it.

#include <cstddef>
#include <memory>
#include <string>

#include "ratesim/engine/backend.hpp"

namespace ratesim::cuda {

struct DeviceStatus {
  bool usable = false;
  std::string reason;  ///< why not, when not usable
  std::string name;
  int compute_capability = 0;  ///< e.g. 90
  int driver_version = 0;      ///< CUDA driver API version, e.g. 13000
  int runtime_version = 0;
  std::size_t free_bytes = 0;
  std::size_t total_bytes = 0;
  double peak_bandwidth_gb_s = 0.0;  ///< from the memory clock and bus width
};

/// Queries device 0 once; cheap to call again.
DeviceStatus query_device();

std::unique_ptr<PathEngine> make_path_engine(const HullWhiteTables& tables);

}  // namespace ratesim::cuda
