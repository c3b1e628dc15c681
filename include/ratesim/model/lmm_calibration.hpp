#pragma once
// Calibration of the LMM's per-rate volatility scales to caplet quotes.

#include <vector>

#include "ratesim/model/lmm_tables.hpp"

namespace ratesim {

/// Black caplet volatilities to calibrate to: the caplet on forward i (fixing at T_i) quotes
/// `volatility` (lognormal on L + displacement).
struct CapletQuote {
  int rate = 0;
  double volatility = 0.0;
};

struct CalibrationFit {
  int rate;
  double target;     ///< quoted Black volatility
  double model;      ///< the model's Black volatility after calibration
  double scale;      ///< the rate's volatility scale
};

/// Per-rate scales so that each quoted caplet's integrated model variance equals the quote's
/// Black variance: scale_i = sigma_i sqrt(T_i / int_0^{T_i} abcd(T_i - t)^2 dt). Rates without a
/// quote take the scale of the nearest quoted rate. Returns the spec with scales set, and the fit.
LmmSpec calibrate_to_caplets(const LmmSpec& spec, const std::vector<CapletQuote>& quotes,
                             std::vector<CalibrationFit>* fit);

}  // namespace ratesim
