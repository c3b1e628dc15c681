#include "ratesim/curve/discount_curve.hpp"

#include <cmath>
#include <stdexcept>

namespace ratesim {

DiscountCurve::DiscountCurve(const std::vector<double>& node_times,
                             const std::vector<double>& node_discounts) {
  if (node_times.empty() || node_times.size() != node_discounts.size()) {
    throw std::invalid_argument("DiscountCurve: need as many discount factors as nodes, and one");
  }
  times_.reserve(node_times.size() + 1);
  log_discount_.reserve(node_times.size() + 1);
  times_.push_back(0.0);
  log_discount_.push_back(0.0);
  for (std::size_t i = 0; i < node_times.size(); ++i) {
    if (!(node_times[i] > times_.back()) || !(node_discounts[i] > 0.0) ||
        !std::isfinite(node_times[i]) || !std::isfinite(node_discounts[i])) {
      throw std::invalid_argument("DiscountCurve: nodes must increase from 0 and discount "
                                  "factors must be positive and finite");
    }
    times_.push_back(node_times[i]);
    log_discount_.push_back(std::log(node_discounts[i]));
  }
}

}  // namespace ratesim
