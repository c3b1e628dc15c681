#pragma once
// A book of one of every kind, amortisation and behaviour the NII month step and the horizon
// valuation distinguish (the tests of portfolio/nii.hpp and portfolio/horizon_series.hpp share it).

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "ratesim/engine/eve.hpp"
#include "ratesim/engine/nii.hpp"
#include "ratesim/portfolio/portfolio_reader.hpp"
#include "test_support.hpp"

namespace ratesim::test {

inline const Date kKindsBookToday = make_date(2026, 6, 30);

inline BehaviourTable kinds_book_behaviours() {
  BehaviourTable table;
  BehaviourProfile prepay;
  prepay.name = "prepay";
  prepay.type = BehaviourType::kPrepayment;
  prepay.cpr = 0.06;
  prepay.dynamics.has_s_curve = 1;
  prepay.dynamics.base_cpr = 0.04;
  prepay.dynamics.max_cpr = 0.35;
  prepay.dynamics.steepness = 250;
  prepay.dynamics.midpoint = 0.01;
  prepay.dynamics.refinancing_tenor_months = 120;
  prepay.dynamics.refinancing_spread = 0.017;
  prepay.dynamics.seasoning_months = 30;
  table.add(prepay);
  BehaviourProfile flat_cpr;
  flat_cpr.name = "flat_cpr";
  flat_cpr.type = BehaviourType::kPrepayment;
  flat_cpr.cpr = 0.10;
  table.add(flat_cpr);
  BehaviourProfile deposit;
  deposit.name = "savings";
  deposit.type = BehaviourType::kDeposit;
  deposit.core_share = 0.65;
  deposit.core_average_life = 4.0;
  deposit.dynamics.beta_up = 0.45;
  deposit.dynamics.beta_down = 0.35;
  deposit.dynamics.lag_months = 2;
  deposit.dynamics.rate_floor = 0.0;
  deposit.dynamics.reference_tenor_months = 1;
  deposit.dynamics.decay_rate = 0.08;
  deposit.dynamics.decay_sensitivity = 2.0;
  table.add(deposit);
  BehaviourProfile still;
  still.name = "still";
  still.type = BehaviourType::kDeposit;
  still.core_share = 0.9;
  still.core_average_life = 6.0;
  table.add(still);
  return table;
}

// One of every kind, amortisation and behaviour the horizon valuation distinguishes; some mature
// inside the horizon (replaced under the constant balance sheet), one starts after it.
inline const char* kKindsBook =
    "M1,m1,asset,mortgage,USD,1000000,2021-07-31,2051-07-31,annuity,1,30/360,0.0325,,,,,,,,prepay,\n"
    "M2,m2,asset,mortgage,USD,800000,2024-02-29,2054-02-28,annuity,1,30/360,0.0615,12,0.025,12,0.09,0.025,,,prepay,\n"
    "L1,l1,asset,fixed_loan,USD,500000,2024-01-15,2029-01-15,linear,3,ACT/360,0.055,,,,,,,,flat_cpr,\n"
    "L2,l2,asset,fixed_loan,USD,300000,2025-03-31,2027-03-31,annuity,1,ACT/365F,0.065,,,,,,,,flat_cpr,\n"
    "F1,f1,asset,floating_loan,USD,2000000,2025-09-30,2032-09-30,bullet,3,ACT/360,0.0548,3,0.018,3,0.08,0.01,,,,\n"
    "F2,f2,asset,floating_loan,USD,700000,2026-01-31,2027-01-31,bullet,1,ACT/360,0.0565,1,0.02,1,,,,,,\n"
    "F3,f3,asset,floating_loan,USD,900000,2024-06-30,2034-06-30,linear,6,ACT/360,0.052,6,0.015,6,,0.0,,,,\n"
    "B1,b1,asset,fixed_bond,USD,3000000,2025-03-31,2045-03-31,bullet,6,30/360,0.045,,,,,,,,,\n"
    "B2,b2,asset,floating_bond,USD,1500000,2024-03-31,2029-03-31,bullet,3,ACT/360,0.0468,3,0.008,3,,,,,,\n"
    "B3,b3,asset,fixed_bond,USD,1200000,2027-09-30,2037-09-30,bullet,12,30/360,0.04,,,,,,,,,\n"
    "T1,t1,liability,term_deposit,USD,600000,2026-03-31,2027-03-31,bullet,,ACT/365F,0.035,,,,,,,,,\n"
    "T2,t2,liability,term_deposit,USD,400000,2025-06-30,2028-06-30,bullet,12,ACT/365F,0.038,,,,,,,,,\n"
    "N1,n1,liability,nmd,USD,5000000,,,,,,0.01,,,,,,,,savings,retail_transactional\n"
    "N2,n2,liability,nmd,USD,2000000,,,,,,0.002,,,,,,,,still,wholesale\n"
    "I1,i1,liability,fixed_bond,USD,2500000,2024-09-30,2034-09-30,bullet,12,30/360,0.042,,,,,,,,,\n"
    "S1,s1,off_balance,swap,USD,4000000,2025-06-30,2035-06-30,,12,30/360,0.036,3,0.0,3,,,pay_fixed,,,\n"
    "S2,s2,off_balance,swap,USD,1000000,2026-12-31,2031-12-31,,6,30/360,0.037,3,0.001,3,,,receive_fixed,,,\n"
    "S3,s3,off_balance,swap,USD,2000000,2026-03-31,2027-03-31,,12,30/360,0.035,3,0.0,3,,,receive_fixed,,,\n"
    "C1,c1,off_balance,cap,USD,3000000,2025-12-31,2030-12-31,,,,,3,,3,,,,0.045,,\n"
    "C2,c2,off_balance,floor,USD,-1000000,2026-03-31,2031-03-31,,,,,3,,3,,,,0.025,,\n";

inline EveSpec kinds_book() {
  const auto dir = temp_dir("horizon-series");
  std::ofstream(dir / "p.csv") << kPositionsHeader << "\n" << kKindsBook;
  EveSpec spec;
  spec.valuation_date = kKindsBookToday;
  spec.behaviours = kinds_book_behaviours();
  spec.portfolio = read_positions_csv((dir / "p.csv").string(), spec.behaviours);
  spec.currencies = spec.portfolio.currencies;
  spec.base_curves = {sample_curve()};
  spec.fx = {1.0};
  spec.model = HullWhiteParams{0.03, 0.012};
  return spec;
}

/// A Monte Carlo NII run of `paths` Hull-White paths with the horizon EVE.
inline NiiSpec kinds_book_run(std::int64_t paths, BalanceSheetAssumption assumption, HorizonSeriesMode series) {
  NiiSpec s;
  s.paths = paths;
  s.seed = 7;
  s.assumption = assumption;
  s.horizon_series = series;
  return s;
}

/// The worst gaps of a run with the horizon series from the same run fully revalued.
struct HorizonGap {
  double worst_relative = 0.0;  ///< total horizon EVE, relative
  double worst_per_unit = 0.0;  ///< a segment's horizon EVE per unit of its balance
};

/// Compares two runs' rows: NII columns bit for bit, the horizon EVE total relative to its size
/// and each segment's per unit of `scale[segment]`.
inline HorizonGap compare_horizon(const NiiResult& series, const NiiResult& revalued, const std::vector<double>& scale) {
  EXPECT_EQ(series.path_values.size(), revalued.path_values.size());
  const int width = series.width(), eve = series.eve_column();
  const int n_segments = static_cast<int>(series.segments.size());
  HorizonGap gap;
  for (std::int64_t p = 0; p < series.paths; ++p) {
    const double* a = series.path_values.data() + static_cast<std::size_t>(p) * width;
    const double* b = revalued.path_values.data() + static_cast<std::size_t>(p) * width;
    for (int j = 0; j < eve; ++j) EXPECT_EQ(a[j], b[j]) << "NII column " << j << " path " << p;
    EXPECT_EQ(a[width - 1], b[width - 1]) << "discount factor, path " << p;
    gap.worst_relative = std::fmax(gap.worst_relative, std::fabs(a[eve] - b[eve]) / std::fabs(b[eve]));
    for (int s = 0; s < n_segments; ++s) {
      const double d = std::fabs(a[eve + 1 + s] - b[eve + 1 + s]) / scale[static_cast<std::size_t>(s)];
      gap.worst_per_unit = std::fmax(gap.worst_per_unit, std::isnan(d) ? INFINITY : d);
    }
  }
  return gap;
}

/// Each segment's gross notional: the scale of compare_horizon's per-unit gaps.
inline std::vector<double> notional_by_segment(const Portfolio& portfolio) {
  std::vector<double> scale(portfolio.segments.size(), 0.0);
  for (int i = 0; i < portfolio.size(); ++i) {
    scale[static_cast<std::size_t>(portfolio.segment[static_cast<std::size_t>(i)])] +=
        std::fabs(portfolio.notional[static_cast<std::size_t>(i)]);
  }
  return scale;
}

/// The bounds every series run keeps against its full revaluation (docs/validation.md): NII bit
/// for bit, the horizon EVE total within 1e-10 relative and each segment within 1e-12 per unit of
/// its notional; both gaps recorded as figures, named after `what` and what a segment holds.
inline void expect_series_match_revaluation(const NiiResult& series, const NiiResult& revalued,
                                            const Portfolio& portfolio, const std::string& what,
                                            const std::string& segment_holds) {
  const HorizonGap gap = compare_horizon(series, revalued, notional_by_segment(portfolio));
  Figure relative(what + ": horizon EVE total, series vs revaluation, relative", 1e-10);
  Figure per_unit(what + ": " + segment_holds + ", series vs revaluation, per unit of notional", 1e-12);
  EXPECT_LE(relative(gap.worst_relative), 1e-10) << what;
  EXPECT_LE(per_unit(gap.worst_per_unit), 1e-12) << what;
}

}  // namespace ratesim::test
