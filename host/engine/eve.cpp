#include "ratesim/engine/eve.hpp"

#include "ratesim/io/input_error.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "ratesim/risk/statistics.hpp"

namespace ratesim {
namespace {

using Clock = std::chrono::steady_clock;

// Sums of one scenario's position values: total, by segment, by currency (reporting currency),
// compensated and in position order, so both backends reduce identically.
void reduce_scenario(const EveSpec& spec, const std::vector<double>& values, int scenario,
                     ScenarioEve& out) {
  const Portfolio& p = spec.portfolio;
  const int n = p.size();
  std::vector<CompensatedSum> by_segment(p.segments.size()), by_currency(p.currencies.size());
  CompensatedSum total;
  for (int i = 0; i < n; ++i) {
    const double local = values[static_cast<std::size_t>(scenario) * n + i];
    const double reported = local * spec.fx[static_cast<std::size_t>(p.currency[i])];
    total.add(reported);
    by_segment[static_cast<std::size_t>(p.segment[i])].add(reported);
    by_currency[static_cast<std::size_t>(p.currency[i])].add(reported);
  }
  out.value = total.value();
  out.by_segment.clear();
  for (const CompensatedSum& s : by_segment) out.by_segment.push_back(s.value());
  out.by_currency.clear();
  for (const CompensatedSum& s : by_currency) out.by_currency.push_back(s.value());
}

// A position whose value is NaN or infinite under some scenario: its inputs overflow the
// arithmetic (a coupon or notional beyond any bank's, a maturity centuries away). Such a value
// would make every figure of the run NaN; the run stops instead, naming each position (up to 20)
// with its line in the positions file.
// `values` holds the scenarios [first, first + count) of `scenarios`.
void require_finite_values(const EveSpec& spec, const std::vector<double>& values, const std::vector<Scenario>& scenarios,
                           std::size_t first, std::size_t count) {
  const auto n = static_cast<std::size_t>(spec.portfolio.size());
  std::vector<InputIssue> issues;
  for (std::size_t i = 0; i < n && issues.size() < 20; ++i) {
    for (std::size_t g = 0; g < count; ++g) {
      const std::size_t s = first + g;
      const double v = values[g * n + i];
      if (std::isfinite(v)) continue;
      const int line = i < spec.portfolio.source_line.size() ? spec.portfolio.source_line[i] : 0;
      issues.push_back({spec.positions_file.empty() ? std::string("positions") : spec.positions_file, line, 0,
                        "value not finite",
                        "position " + spec.portfolio.ids[i] + " is worth " + (std::isnan(v) ? "NaN" : "an infinite amount") +
                            " under " + scenarios[s].name +
                            ": its notional, rates or dates overflow the arithmetic (docs/positions.md gives the ranges)"});
      break;
    }
  }
  if (!issues.empty()) throw InputError(std::move(issues));
}

}  // namespace

double standardised_eve(const double* cash_flows, const DiscountCurve& curve) {
  double value = 0.0;
  for (int b = 0; b < kBcbsBuckets; ++b) {
    const double t = kBcbsBucketTable[static_cast<std::size_t>(b)].midpoint;
    value += cash_flows[b] * std::exp(-curve.zero_rate(t) * t);
  }
  return value;
}

EveResult run_eve(const EveSpec& spec, const BackendSelection& backend, const RunObserver* observer) {
  const auto start = Clock::now();
  EveResult result;
  result.backend = backend;
  result.segments = spec.portfolio.segments;
  result.currencies = spec.currencies;
  const int n_ccy = static_cast<int>(spec.currencies.size());

  // Scenario 0 is the base; then the reported scenarios; then the sensitivity bumps.
  std::vector<Scenario> all;
  all.push_back(Scenario{"base", "base", "today's curves", {}, {}, false});
  all.insert(all.end(), spec.scenarios.begin(), spec.scenarios.end());
  const std::size_t first_bump = all.size();
  all.push_back(parallel_bump("sensitivity/parallel_up", spec.bump_bp));
  all.push_back(parallel_bump("sensitivity/parallel_down", -spec.bump_bp));
  for (std::size_t k = 0; k < spec.key_rate_tenors.size(); ++k) {
    all.push_back(key_rate_bump("sensitivity/key_rate_up", spec.key_rate_tenors, k, spec.bump_bp));
    all.push_back(key_rate_bump("sensitivity/key_rate_down", spec.key_rate_tenors, k, -spec.bump_bp));
  }

  std::vector<std::vector<DiscountCurve>> shocked(all.size());
  for (std::size_t s = 0; s < all.size(); ++s) {
    for (int c = 0; c < n_ccy; ++c) {
      const DiscountCurve& base = spec.base_curves[static_cast<std::size_t>(c)];
      shocked[s].push_back(s == 0 ? base
                                  : shocked_curve(base, all[s], spec.currencies[static_cast<std::size_t>(c)],
                                                  spec.floor));
    }
  }

  // Batched valuations of every position under groups of scenarios, each group reduced and let go:
  // the values of a 10^7-position book under 40 scenarios would be 3 GB at once. A scenario's
  // sums do not depend on the grouping (positions in order, compensated).
  const auto n_positions = static_cast<std::size_t>(spec.portfolio.size());
  const std::size_t group = std::clamp<std::size_t>(spec.max_values_in_memory / std::max<std::size_t>(n_positions, 1), 1, all.size());
  const auto total_valuations = static_cast<std::int64_t>(n_positions * all.size());
  begin_phase(observer, "EVE revaluation", total_valuations, "valuations");
  const auto valuation_start = Clock::now();
  ValuationSettings settings;
  settings.valuation_day = spec.valuation_date.days;
  settings.time_basis = spec.day_count;
  settings.model = spec.model;
  settings.behaviours = spec.behaviours.view();
  settings.nmd_caps = spec.nmd_caps;
  std::vector<ScenarioEve> reduced(all.size());
  std::int64_t done_before = 0;
  RunObserver group_observer = observer ? *observer : RunObserver{};
  if (observer && observer->advance) {
    group_observer.advance = [&](std::int64_t done) { observer->advance(done_before + done); };
  }
  for (std::size_t first = 0; first < all.size(); first += group) {
    const std::size_t count = std::min(group, all.size() - first);
    CurveSet curves;
    if (first > 0) {  // the base's curves give the past fixings of every scenario
      curves.add_scenario(shocked[0]);
      curves.first_valued = 1;
    }
    for (std::size_t s = first; s < first + count; ++s) curves.add_scenario(shocked[s]);
    const ValuationOutput valued = value_positions(backend.backend, spec.portfolio, spec.behaviours, curves, settings,
                                                   observer ? &group_observer : nullptr);
    result.valuation_seconds += valued.device_seconds;
    require_finite_values(spec, valued.values, all, first, count);
    for (std::size_t g = 0; g < count; ++g) reduce_scenario(spec, valued.values, static_cast<int>(g), reduced[first + g]);
    done_before += static_cast<std::int64_t>(n_positions * count);
  }
  result.valuations = total_valuations;
  end_phase(observer, "EVE revaluation", std::chrono::duration<double>(Clock::now() - valuation_start).count());

  result.repricing = slot_repricing(spec.portfolio, spec.behaviours, spec.nmd_caps,
                                    spec.valuation_date.days, spec.day_count, observer ? observer->stop : nullptr);
  auto standardised = [&](std::size_t s, ScenarioEve& out) {
    out.standardised = 0.0;
    out.standardised_by_currency.clear();
    for (int c = 0; c < n_ccy; ++c) {
      const double v = standardised_eve(
          result.repricing.standardised_cash_flows.data() + static_cast<std::size_t>(c) * kBcbsBuckets,
          shocked[s][static_cast<std::size_t>(c)]) * spec.fx[static_cast<std::size_t>(c)];
      out.standardised_by_currency.push_back(v);
      out.standardised += v;
    }
  };

  result.base = reduced[0];
  result.base.name = "base";
  result.base.set = "base";
  result.base.description = all[0].description;
  standardised(0, result.base);
  for (std::size_t s = 1; s < first_bump; ++s) {
    ScenarioEve e = reduced[s];
    e.name = all[s].name;
    e.set = all[s].set;
    e.description = all[s].description;
    standardised(s, e);
    const double delta = e.value - result.base.value;
    if (result.worst_scenario.empty() || delta < result.worst_delta) {
      result.worst_scenario = e.name;
      result.worst_delta = delta;
    }
    result.scenarios.push_back(std::move(e));
  }

  // Sensitivities from the bumps.
  auto bump = [&](std::size_t s) { return reduced[s]; };
  const ScenarioEve up = bump(first_bump), down = bump(first_bump + 1);
  const double b = spec.bump_bp * 1e-4;
  EveSensitivities& sens = result.sensitivities;
  sens.dv01 = -(up.value - down.value) / (2.0 * spec.bump_bp);
  sens.duration = (down.value - up.value) / (2.0 * result.base.value * b);
  sens.convexity = (up.value + down.value - 2.0 * result.base.value) / (result.base.value * b * b);
  for (std::size_t g = 0; g < result.segments.size(); ++g) {
    sens.dv01_by_segment.push_back(-(up.by_segment[g] - down.by_segment[g]) / (2.0 * spec.bump_bp));
  }
  for (std::size_t k = 0; k < spec.key_rate_tenors.size(); ++k) {
    const ScenarioEve kr_up = bump(first_bump + 2 + 2 * k), kr_down = bump(first_bump + 3 + 2 * k);
    sens.key_rate_dv01.push_back(-(kr_up.value - kr_down.value) / (2.0 * spec.bump_bp));
    std::vector<double> by_segment;
    for (std::size_t g = 0; g < result.segments.size(); ++g) {
      by_segment.push_back(-(kr_up.by_segment[g] - kr_down.by_segment[g]) / (2.0 * spec.bump_bp));
    }
    sens.key_rate_dv01_by_segment.push_back(std::move(by_segment));
  }

  // Supervisory outlier test over the six BCBS shocks.
  if (spec.tier1) {
    OutlierTest t;
    t.tier1 = *spec.tier1;
    t.threshold = spec.outlier_threshold;
    bool any = false;
    for (const ScenarioEve& e : result.scenarios) {
      if (e.set != "bcbs368") continue;
      const double delta = e.value - result.base.value;
      if (!any || delta < t.worst_delta) {
        t.worst_delta = delta;
        t.worst_scenario = e.name;
        any = true;
      }
    }
    if (any) {
      t.ratio = t.worst_delta / t.tier1;
      t.outlier = t.worst_delta < -t.threshold * t.tier1;
      result.outlier_test = t;
    }
  }
  result.total_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace ratesim
