#pragma once
// The last guard before a summary is written: every number in it must be finite. A NaN or an
// infinity would otherwise reach summary.json as null and the console as a figure, and a test on
// it (the outlier test) would report pass or fail on nothing. Inputs are checked for ranges long
// before this; whatever still slips through stops the run here, naming the figure.

#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace ratesim {

/// Throws std::runtime_error naming the first figure of `j` (as a JSON path) that is not finite.
inline void require_finite_figures(const nlohmann::ordered_json& j, const std::string& path = "") {
  if (j.is_number_float() && !std::isfinite(j.get<double>())) {
    throw std::runtime_error("the result " + (path.empty() ? std::string("(root)") : path) + " is " +
                             (std::isnan(j.get<double>()) ? "NaN" : "infinite") +
                             ": no figure is written from it (nothing was written); check the inputs' ranges "
                             "(docs/positions.md, docs/config.md)");
  }
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) require_finite_figures(it.value(), path.empty() ? it.key() : path + "." + it.key());
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) require_finite_figures(j[i], path + "[" + std::to_string(i) + "]");
  }
}

}  // namespace ratesim
