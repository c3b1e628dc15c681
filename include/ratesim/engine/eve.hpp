#pragma once
// The `run` job: EVE of the balance sheet by full revaluation under the base curve and every
// scenario, the standardised BCBS EVE beside it, the repricing gap and the EVE sensitivities.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ratesim/curve/discount_curve.hpp"
#include "ratesim/engine/backend.hpp"
#include "ratesim/engine/progress.hpp"
#include "ratesim/model/hull_white.hpp"
#include "ratesim/portfolio/behaviour.hpp"
#include "ratesim/portfolio/portfolio.hpp"
#include "ratesim/risk/repricing.hpp"
#include "ratesim/scenario/scenario.hpp"
#include "ratesim/time/date.hpp"

namespace ratesim {

/// The EVE run's options: the configuration's `scenarios.post_shock_floor`, `capital` and
/// `sensitivities` sections read straight into them (docs/config.md); each default is written here
/// once.
struct EveOptions {
  PostShockFloor floor;
  std::optional<double> tier1;
  double outlier_threshold = 0.15;  ///< supervisory outlier test: loss > 15% of Tier 1
  double bump_bp = 1.0;
  std::vector<double> key_rate_tenors{0.25, 0.5, 1, 2, 3, 5, 7, 10, 15, 20, 30};
  std::vector<std::string> key_rate_labels;  ///< as configured ("3M", "10Y"); empty: the years
  /// Position values held at once by the revaluation (a group of scenarios at a time; 2^24
  /// doubles: 128 MB); the results do not depend on it.
  std::size_t max_values_in_memory = std::size_t{1} << 24;
};

struct EveSpec : EveOptions {
  Date valuation_date;
  DayCount day_count = DayCount::kAct365Fixed;
  std::string reporting_currency = "USD";
  std::vector<std::string> currencies;     ///< portfolio order
  std::vector<DiscountCurve> base_curves;  ///< one per currency, same order
  std::vector<double> fx;  ///< reporting-currency units per unit of each currency
  HullWhiteParams model;
  BehaviourTable behaviours;
  NmdCaps nmd_caps;
  Portfolio portfolio;
  std::string positions_file;  ///< where the portfolio was read, for errors that name a position
  std::vector<Scenario> scenarios;  ///< regulatory and custom, in report order
};

struct ScenarioEve {
  std::string name, set, description;
  double value = 0.0;                   ///< EVE, reporting currency
  std::vector<double> by_segment;
  std::vector<double> by_currency;      ///< in reporting currency
  double standardised = 0.0;            ///< standardised EVE, reporting currency
  std::vector<double> standardised_by_currency;
};

struct EveSensitivities {
  double dv01 = 0.0;       ///< -(EVE(+b) - EVE(-b)) / 2 per basis point, b = bump_bp
  double duration = 0.0;   ///< (EVE(-b) - EVE(+b)) / (2 EVE b)
  double convexity = 0.0;  ///< (EVE(+b) + EVE(-b) - 2 EVE) / (EVE b^2)
  std::vector<double> dv01_by_segment;
  std::vector<double> key_rate_dv01;                      ///< per key tenor
  std::vector<std::vector<double>> key_rate_dv01_by_segment;  ///< [tenor][segment]
};

struct OutlierTest {
  double tier1 = 0.0;
  double threshold = 0.15;
  std::string worst_scenario;
  double worst_delta = 0.0;
  double ratio = 0.0;  ///< worst ΔEVE / Tier 1
  bool outlier = false;
};

struct EveResult {
  std::vector<std::string> segments, currencies;
  ScenarioEve base;
  std::vector<ScenarioEve> scenarios;
  EveSensitivities sensitivities;
  std::optional<OutlierTest> outlier_test;  ///< when Tier 1 is configured
  std::string worst_scenario;
  double worst_delta = 0.0;
  RepricingSlots repricing;  ///< amounts in each position's currency
  BackendSelection backend;
  std::int64_t valuations = 0;  ///< positions x scenarios valued
  double valuation_seconds = 0.0, total_seconds = 0.0;
};

/// `observer`, when given, hears the phases and may stop the run (RunInterrupted).
EveResult run_eve(const EveSpec& spec, const BackendSelection& backend, const RunObserver* observer = nullptr);

/// The standardised EVE of one currency's slotted cash flows on a curve: sum_k CF_k exp(-R(t_k) t_k)
/// with R the curve's zero rate at the bucket midpoint.
double standardised_eve(const double* cash_flows, const DiscountCurve& curve);

}  // namespace ratesim
