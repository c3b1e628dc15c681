#pragma once
// The scalar counterparts of the SIMD lanes' operations (simd/lanes.hpp), so that one template of
// per-path code runs with Real = double (the GPU's thread, the CPU's scalar oracle) or with
// Real = Lanes<double, W> (the CPU's paths side by side). Every one is the plain scalar
// expression; branches on path values become choose(condition, a, b) and any_of(condition).

#include <cmath>

#include "ratesim/core.hpp"

namespace ratesim {

RATESIM_HD inline double exp_of(double x) { return exp(x); }
RATESIM_HD inline float exp_of(float x) { return expf(x); }
RATESIM_HD inline double log_of(double x) { return log(x); }
RATESIM_HD inline double abs_of(double x) { return fabs(x); }
/// b where a is NaN, as the lanes' max_of and min_of.
RATESIM_HD inline double max_of(double a, double b) { return a > b ? a : b; }
RATESIM_HD inline double min_of(double a, double b) { return a < b ? a : b; }
RATESIM_HD inline float max_of(float a, float b) { return a > b ? a : b; }
RATESIM_HD inline double choose(bool condition, double a, double b) { return condition ? a : b; }
RATESIM_HD inline bool any_of(bool condition) { return condition; }

}  // namespace ratesim
