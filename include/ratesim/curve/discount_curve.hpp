#pragma once
// Zero curve as log-linear interpolation on discount factors: ln P(0,t) is piecewise linear in t
// through the nodes and (0, 0), so the instantaneous forward f(0,t) = -d ln P / dt is piecewise
// constant, and beyond the last node the last segment's forward is extended (flat-forward
// extrapolation). f(0,t) is right-continuous at the nodes and integrates exactly to -ln P(0,t).

#include <cmath>
#include <vector>

#include "ratesim/core.hpp"

namespace ratesim {

/// Light view of a curve for kernels: nodes times[0] = 0 < times[1] < ... < times[size-1]
/// (model years), log_discount[i] = ln P(0, times[i]) with log_discount[0] = 0.
struct CurveView {
  const double* times = nullptr;
  const double* log_discount = nullptr;
  int size = 0;
};

/// Index i of the segment [times[i], times[i+1]) that holds t, clamped to the first and last
/// segments (t below 0 or beyond the last node).
RATESIM_HD inline int curve_segment(const CurveView& c, double t) {
  int lo = 0, hi = c.size - 2;
  while (lo < hi) {  // largest i in [0, size-2] with times[i] <= t
    const int mid = (lo + hi + 1) / 2;
    if (c.times[mid] <= t) lo = mid; else hi = mid - 1;
  }
  return lo;
}

/// Continuously compounded forward over segment i.
RATESIM_HD inline double segment_forward(const CurveView& c, int i) {
  return -(c.log_discount[i + 1] - c.log_discount[i]) / (c.times[i + 1] - c.times[i]);
}

/// ln P(0,t), t in model years (t <= 0 gives 0).
RATESIM_HD inline double log_discount(const CurveView& c, double t) {
  if (t <= 0.0) return 0.0;
  const int i = curve_segment(c, t);
  return c.log_discount[i] - segment_forward(c, i) * (t - c.times[i]);
}

RATESIM_HD inline double discount(const CurveView& c, double t) { return exp(log_discount(c, t)); }

/// Instantaneous forward f(0,t), continuously compounded.
RATESIM_HD inline double instantaneous_forward(const CurveView& c, double t) {
  return segment_forward(c, curve_segment(c, t < 0.0 ? 0.0 : t));
}

/// Zero rate to t, continuously compounded (the first segment's forward at t = 0).
RATESIM_HD inline double zero_rate(const CurveView& c, double t) {
  return t > 0.0 ? -log_discount(c, t) / t : instantaneous_forward(c, 0.0);
}

/// Discount factors at increasing times: remembers the segment of the last lookup and scans
/// forward from it, so a schedule's N lookups cost O(N + nodes) rather than O(N log nodes).
/// Falls back to a binary search for a time before the remembered segment.
struct CurveCursor {
  CurveView curve;
  int segment = 0;

  RATESIM_HD double log_discount(double t) {
    if (t <= 0.0) return 0.0;
    if (t < curve.times[segment]) {
      segment = curve_segment(curve, t);
    } else {
      while (segment + 2 < curve.size && curve.times[segment + 1] <= t) ++segment;
    }
    return curve.log_discount[segment] - segment_forward(curve, segment) * (t - curve.times[segment]);
  }
  RATESIM_HD double discount(double t) { return exp(log_discount(t)); }
};

/// Owning curve on the host; `view()` hands kernels the plain arrays.
class DiscountCurve {
 public:
  DiscountCurve() = default;
  /// Nodes strictly increasing and positive, discount factors positive; (0, 1) is added.
  /// Preconditions are checked by the readers, which know the file and line of each node.
  DiscountCurve(const std::vector<double>& node_times, const std::vector<double>& node_discounts);

  CurveView view() const {
    return CurveView{times_.data(), log_discount_.data(), static_cast<int>(times_.size())};
  }
  double discount(double t) const { return ratesim::discount(view(), t); }
  double log_discount(double t) const { return ratesim::log_discount(view(), t); }
  double forward(double t) const { return instantaneous_forward(view(), t); }
  double zero_rate(double t) const { return ratesim::zero_rate(view(), t); }
  /// Continuously compounded forward rate over [t1, t2].
  double forward_rate(double t1, double t2) const {
    return (log_discount(t1) - log_discount(t2)) / (t2 - t1);
  }

  const std::vector<double>& times() const { return times_; }
  const std::vector<double>& log_discounts() const { return log_discount_; }

 private:
  std::vector<double> times_;
  std::vector<double> log_discount_;
};

}  // namespace ratesim
