#pragma once
// Deterministic rate scenarios: the BCBS 368 shocks, the US parallel shocks, custom shifts and
// replacement curves, and the bumps behind the sensitivities. Each scenario turns each
// currency's base curve into a shocked curve (docs/scenarios.md).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ratesim/curve/discount_curve.hpp"

namespace ratesim {

/// Shock sizes of one currency, as decimals (0.02 = 200 bp).
struct ShockSizes {
  double parallel = 0.0;
  double short_rate = 0.0;
  double long_rate = 0.0;
};

/// One version of the BCBS 368 shock table.
struct BcbsShockTable {
  std::string version;
  std::map<std::string, ShockSizes> by_currency;
};

/// Versions compiled into the binary (scenarios/bcbs368/shocks_<version>.csv), e.g. {"2016"}.
std::vector<std::string> builtin_bcbs_versions();
/// The built-in version; throws InputError naming the versions available when it is not one.
BcbsShockTable builtin_bcbs_table(const std::string& version);
/// A table from a CSV file in the same format.
BcbsShockTable read_bcbs_table(const std::string& file, const std::string& version);

/// Post-shock lower bound on zero rates: min(cap, start + slope t); rates already below it are
/// not pushed further down (the bound is then the unshocked rate).
struct PostShockFloor {
  bool enabled = false;
  double start = 0.0;  ///< at t = 0
  double slope = 0.0;  ///< per year
  double cap = 0.0;    ///< the bound never exceeds this

  double at(double t) const {
    const double v = start + slope * t;
    return v < cap ? v : cap;
  }
};

/// Continuously compounded zero-rate shift of a currency's curve at t years.
using RateShift = std::function<double(const std::string& currency, double t)>;

struct Scenario {
  std::string name;  ///< "bcbs368/parallel_up", "us/parallel_+200", "custom/<name>", ...
  std::string set;   ///< "bcbs368", "us", "custom", "sensitivity"
  std::string description;
  RateShift shift;   ///< empty for a replacement-curve scenario
  std::map<std::string, DiscountCurve> replacement;  ///< currency -> curve, replaces the base
  bool floored = true;  ///< the post-shock floor applies
};

/// BCBS 368 shock shapes at t years for one currency (x = 4): the six EVE scenarios.
double bcbs_shift(const std::string& shape, const ShockSizes& sizes, double t);
inline constexpr const char* kBcbsScenarioNames[] = {"parallel_up", "parallel_down", "steepener",
                                                     "flattener",   "short_up",      "short_down"};

/// The six BCBS scenarios with the table's sizes per currency. Currencies missing from the table
/// are an error, reported by the caller with the list of currencies in the portfolio.
std::vector<Scenario> bcbs_scenarios(const BcbsShockTable& table);
/// US parallel shocks of +-100, +-200, +-300, +-400 bp, every currency.
std::vector<Scenario> us_scenarios();
/// Parallel shift of `bp` basis points, every currency, not floored.
Scenario parallel_bump(const std::string& name, double bp);
/// Triangular key-rate bump of `bp` at tenors[k], zero at the neighbouring tenors, flat beyond the
/// first and last: the bumps over all k add up to a parallel bump.
Scenario key_rate_bump(const std::string& name, const std::vector<double>& tenors, std::size_t k,
                       double bp);

/// Applies a scenario to a base curve: zero rates shifted (and floored) on a node grid of the
/// base nodes plus monthly nodes to 1 year and quarterly nodes to 50 years.
DiscountCurve shocked_curve(const DiscountCurve& base, const Scenario& scenario,
                            const std::string& currency, const PostShockFloor& floor);

}  // namespace ratesim
