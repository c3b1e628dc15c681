#include "host/io/finite_figures.hpp"
#include "ratesim/io/eve_writer.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "host/io/run_metadata.hpp"

namespace ratesim {
namespace {

using nlohmann::ordered_json;

std::string exact(double v) { return fmt::format("{}", v); }

std::string tenor_key(double years) { return fmt::format("{}", years); }

}  // namespace

GapTable repricing_gap(const EveSpec& spec, const EveResult& result) {
  const RepricingSlots& r = result.repricing;
  GapTable g;
  const std::size_t rows = static_cast<std::size_t>(r.n_segments) + 1;
  g.assets.assign(rows, {});
  g.liabilities.assign(rows, {});
  g.off_balance.assign(rows, {});
  for (int s = 0; s < r.n_segments; ++s) {
    for (int c = 0; c < r.n_currencies; ++c) {
      const double fx = spec.fx[static_cast<std::size_t>(c)];
      for (int b = 0; b < kBcbsBuckets; ++b) {
        const std::size_t at = (static_cast<std::size_t>(s) * r.n_currencies + c) * kBcbsBuckets + b;
        const double a = r.assets[at] * fx, l = r.liabilities[at] * fx, o = r.off_balance[at] * fx;
        g.assets[static_cast<std::size_t>(s)][b] += a;
        g.liabilities[static_cast<std::size_t>(s)][b] += l;
        g.off_balance[static_cast<std::size_t>(s)][b] += o;
        g.assets[rows - 1][b] += a;
        g.liabilities[rows - 1][b] += l;
        g.off_balance[rows - 1][b] += o;
      }
    }
  }
  return g;
}

namespace {

ordered_json distribution_json(const Distribution& d, double base) {
  ordered_json quantiles, intervals;
  for (const QuantileEstimate& q : d.quantiles) {
    quantiles[fmt::format("{}", q.level)] = q.value;
    intervals[fmt::format("{}", q.level)] = {q.ci_low, q.ci_high};
  }
  return {{"mean", d.mean},
          {"std", d.std},
          {"std_error", d.std_error},
          {"quantiles", quantiles},
          {"quantile_ci95", intervals},
          {"ear95", d.at_risk_95},
          {"ear95_ci95", {d.at_risk_95_low, d.at_risk_95_high}},
          {"ear99", d.at_risk_99},
          {"ear99_ci95", {d.at_risk_99_low, d.at_risk_99_high}},
          {"ear95_vs_base", base - (d.mean - d.at_risk_95)},
          {"ear99_vs_base", base - (d.mean - d.at_risk_99)},
          {"es99", d.es_99},
          {"es99_std_error", d.es_99_std_error}};
}

const char* assumption_name(BalanceSheetAssumption a) {
  return a == BalanceSheetAssumption::kConstant ? "constant" : "run_off";
}

const char* horizon_series_name(HorizonSeriesMode m) {
  switch (m) {
    case HorizonSeriesMode::kAuto: return "auto";
    case HorizonSeriesMode::kAlways: return "always";
    case HorizonSeriesMode::kOff: return "off";
  }
  return "?";
}

/// How the Monte Carlo run valued each path's book at the horizon (docs/nii.md): from the legs'
/// series in the Hull-White state, what the fit cost, and which legs were revalued instead.
ordered_json horizon_eve_json(const NiiSpec& spec, const HorizonSeriesSummary& s) {
  ordered_json j;
  j["horizon_series"] = horizon_series_name(spec.horizon_series);
  const std::int64_t fitted = s.legs[static_cast<int>(HorizonForm::kState)] +
                              s.legs[static_cast<int>(HorizonForm::kAffine)] +
                              s.legs[static_cast<int>(HorizonForm::kTensor)];
  const std::int64_t revalued = s.legs[static_cast<int>(HorizonForm::kRevalue)];
  if (fitted + revalued == 0) {
    j["method"] = "revaluation";
    j["why"] = spec.lmm                                         ? "LMM paths have no single state to fit in"
               : spec.horizon_series == HorizonSeriesMode::kOff ? "nii.horizon_series is off"
                                                                : "no leg is live at the horizon";
    return j;
  }
  // kAuto fits a leg only where the fit costs less than revaluing it on every path.
  j["method"] = fitted > 0 ? "series" : "revaluation";
  j["legs"] = {{"series_in_state", s.legs[static_cast<int>(HorizonForm::kState)]},
               {"series_affine_in_coupon", s.legs[static_cast<int>(HorizonForm::kAffine)]},
               {"series_in_state_and_coupon", s.legs[static_cast<int>(HorizonForm::kTensor)]},
               {"revalued_on_every_path", revalued}};
  j["replacement_books"] = s.replacement_classes;
  j["fit_samples"] = s.valuations;
  j["fit_s"] = s.seconds;
  j["series_memory_mb"] = static_cast<double>(s.coefficients) * sizeof(double) / 1e6;
  return j;
}

}  // namespace

std::string eve_summary_json(const EveSpec& spec, const EveResult& result, const EveRunInfo& info,
                             const NiiReport& nii_report) {
  std::map<std::string, int> by_kind;
  for (PositionKind k : spec.portfolio.kind) ++by_kind[position_kind_name(k)];

  ordered_json run = run_metadata("run", info.config_file, result.backend);
  run["seed"] = info.seed;
  run["valuation_date"] = format_iso_date(spec.valuation_date);
  run["day_count"] = day_count_name(spec.day_count);
  run["reporting_currency"] = spec.reporting_currency;
  run["positions"] = {{"file", info.positions_file}, {"count", spec.portfolio.size()}, {"by_kind", by_kind}};
  run["scenarios"] = result.scenarios.size();
  run["valuations"] = result.valuations;
  ordered_json inputs = ordered_json::array();
  for (const auto& [role, file] : info.inputs) inputs.push_back({{"role", role}, {"file", file}});
  run["inputs"] = inputs;
  ordered_json phases;
  for (const auto& [phase, seconds] : info.phase_seconds) phases[phase] = seconds;
  run["timings"] = {{"valuation_s", result.valuation_seconds},
                    {"run_s", result.total_seconds},
                    {"wall_s", info.wall_seconds},
                    {"phases_s", phases}};

  ordered_json eve;
  eve["base"] = result.base.value;
  ordered_json base_segments;
  for (std::size_t g = 0; g < result.segments.size(); ++g) base_segments[result.segments[g]] = result.base.by_segment[g];
  eve["base_by_segment"] = base_segments;
  eve["base_standardised"] = result.base.standardised;
  ordered_json scenarios;
  for (const ScenarioEve& s : result.scenarios) {
    ordered_json by_segment;
    for (std::size_t g = 0; g < result.segments.size(); ++g) {
      by_segment[result.segments[g]] = s.by_segment[g] - result.base.by_segment[g];
    }
    scenarios[s.name] = {{"set", s.set},
                         {"description", s.description},
                         {"value", s.value},
                         {"delta", s.value - result.base.value},
                         {"delta_by_segment", by_segment},
                         {"standardised", {{"value", s.standardised},
                                           {"delta", s.standardised - result.base.standardised}}}};
  }
  eve["scenarios"] = scenarios;
  eve["worst"] = {{"scenario", result.worst_scenario}, {"delta", result.worst_delta}};
  if (result.outlier_test) {
    const OutlierTest& t = *result.outlier_test;
    eve["sot"] = {{"tier1", t.tier1},          {"threshold", t.threshold},
                  {"worst_scenario", t.worst_scenario}, {"worst_delta", t.worst_delta},
                  {"ratio", t.ratio},          {"outlier", t.outlier}};
  } else {
    eve["sot"] = nullptr;
  }

  const EveSensitivities& s = result.sensitivities;
  ordered_json key_rates, key_rate_years;
  for (std::size_t k = 0; k < spec.key_rate_tenors.size(); ++k) {
    const std::string label = spec.key_rate_labels.size() == spec.key_rate_tenors.size()
                                  ? spec.key_rate_labels[k]
                                  : tenor_key(spec.key_rate_tenors[k]);
    key_rates[label] = s.key_rate_dv01[k];
    key_rate_years[label] = spec.key_rate_tenors[k];
  }
  ordered_json sensitivities = {{"bump_bp", spec.bump_bp}, {"dv01", s.dv01},
                                {"duration", s.duration}, {"convexity", s.convexity},
                                {"key_rate_dv01", key_rates}, {"key_rate_years", key_rate_years}};

  const GapTable gap = repricing_gap(spec, result);
  ordered_json labels = ordered_json::array(), assets = ordered_json::array(),
               liabilities = ordered_json::array(), off = ordered_json::array(),
               net = ordered_json::array(), cumulative = ordered_json::array();
  double running = 0.0;
  const std::size_t total = gap.assets.size() - 1;
  for (int b = 0; b < kBcbsBuckets; ++b) {
    labels.push_back(kBcbsBucketTable[static_cast<std::size_t>(b)].label);
    const double g = gap.assets[total][b] - gap.liabilities[total][b] + gap.off_balance[total][b];
    running += g;
    assets.push_back(gap.assets[total][b]);
    liabilities.push_back(gap.liabilities[total][b]);
    off.push_back(gap.off_balance[total][b]);
    net.push_back(g);
    cumulative.push_back(running);
  }

  ordered_json j;
  j["run"] = run;
  j["eve"] = eve;
  if (nii_report.result && nii_report.spec) {
    const NiiResult& n = *nii_report.result;
    ordered_json nii;
    nii["horizon_months"] = nii_report.spec->horizon_months;
    nii["balance_sheet"] = assumption_name(nii_report.spec->assumption);
    nii["base"] = n.base.total;
    ordered_json nii_base_segments;
    for (std::size_t g = 0; g < n.segments.size(); ++g) nii_base_segments[n.segments[g]] = n.base.by_segment[g];
    nii["base_by_segment"] = nii_base_segments;
    ordered_json nii_scenarios;
    std::string worst;
    double worst_delta = 0.0;
    for (const NiiFigures& f : n.scenarios) {
      ordered_json by_segment;
      for (std::size_t g = 0; g < n.segments.size(); ++g) by_segment[n.segments[g]] = f.by_segment[g] - n.base.by_segment[g];
      const double delta = f.total - n.base.total;
      nii_scenarios[f.name] = {{"set", f.set}, {"description", f.description}, {"value", f.total},
                           {"delta", delta}, {"delta_by_segment", by_segment}};
      if (worst.empty() || delta < worst_delta) {
        worst = f.name;
        worst_delta = delta;
      }
    }
    nii["scenarios"] = nii_scenarios;
    nii["worst"] = {{"scenario", worst}, {"delta", worst_delta}};
    j["nii"] = nii;
    if (n.paths > 0) {
      ordered_json mc;
      mc["paths"] = n.paths;
      mc["seed"] = nii_report.spec->seed;
      mc["chunks"] = n.chunks;
      if (const auto& lmm = nii_report.spec->lmm) {
        mc["model"] = lmm_model_json(*lmm, nii_report.spec->lmm_calibration);
        mc["model"]["option_model"] = {{"type", "hull_white"}, {"mean_reversion", spec.model.mean_reversion},
                                       {"volatility", spec.model.volatility}};
      } else {
        mc["model"] = {{"type", "hull_white"}, {"mean_reversion", spec.model.mean_reversion},
                       {"volatility", spec.model.volatility}};
      }
      mc["nii"] = distribution_json(n.total, n.base.total);
      ordered_json by_segment;
      for (std::size_t g = 0; g < n.segments.size(); ++g) {
        by_segment[n.segments[g]] = distribution_json(n.by_segment[g], n.base.by_segment[g]);
      }
      mc["nii_by_segment"] = by_segment;
      ordered_json eve_mc = distribution_json(n.eve, result.base.value);
      eve_mc.erase("ear95_vs_base");
      eve_mc.erase("ear99_vs_base");
      eve_mc["horizon_date"] = format_iso_date(Date{n.month_starts.empty() ? 0 : add_months(n.month_starts.back(), 1).days});
      eve_mc["today"] = result.base.value;
      eve_mc["discounted_mean"] = n.eve_discounted_mean;
      eve_mc["discounted_mean_std_error"] = n.eve_discounted_std_error;
      mc["eve"] = eve_mc;
      ordered_json eve_segments;
      for (std::size_t g = 0; g < n.segments.size(); ++g) {
        ordered_json e = distribution_json(n.eve_by_segment[g], 0.0);
        e.erase("ear95_vs_base");
        e.erase("ear99_vs_base");
        eve_segments[n.segments[g]] = e;
      }
      mc["eve_by_segment"] = eve_segments;
      mc["horizon_eve"] = horizon_eve_json(*nii_report.spec, n.horizon_series);
      mc["timings"] = {{"paths_s", n.path_seconds}, {"nii_s", n.nii_seconds}, {"total_s", n.total_seconds}};
      j["monte_carlo"] = mc;
    }
  } else if (!nii_report.note.empty()) {
    j["nii"] = {{"skipped", nii_report.note}};
  }
  j["sensitivities"] = sensitivities;
  j["repricing_gap"] = {{"buckets", labels}, {"assets", assets}, {"liabilities", liabilities},
                        {"off_balance", off}, {"gap", net}, {"cumulative_gap", cumulative}};
  require_finite_figures(j);
  return j.dump(2) + "\n";
}

std::string eve_by_scenario_csv(const EveResult& result) {
  std::string out = "scenario,set,segment,value,delta,standardised_value,standardised_delta\n";
  auto rows = [&](const ScenarioEve& s) {
    out += fmt::format("{},{},total,{},{},{},{}\n", s.name, s.set, exact(s.value),
                       exact(s.value - result.base.value), exact(s.standardised),
                       exact(s.standardised - result.base.standardised));
    for (std::size_t g = 0; g < result.segments.size(); ++g) {
      out += fmt::format("{},{},{},{},{},,\n", s.name, s.set, result.segments[g],
                         exact(s.by_segment[g]), exact(s.by_segment[g] - result.base.by_segment[g]));
    }
  };
  rows(result.base);
  for (const ScenarioEve& s : result.scenarios) rows(s);
  return out;
}

std::string repricing_gap_csv(const EveSpec& spec, const EveResult& result) {
  const GapTable gap = repricing_gap(spec, result);
  std::string out = "segment,bucket,lower_years,upper_years,midpoint_years,assets,liabilities,"
                    "off_balance,gap,cumulative_gap\n";
  for (std::size_t s = 0; s < gap.assets.size(); ++s) {
    const std::string name = s + 1 == gap.assets.size() ? "total" : result.segments[s];
    double running = 0.0, lower = 0.0;
    for (int b = 0; b < kBcbsBuckets; ++b) {
      const BcbsBucket& bucket = kBcbsBucketTable[static_cast<std::size_t>(b)];
      const double g = gap.assets[s][b] - gap.liabilities[s][b] + gap.off_balance[s][b];
      running += g;
      out += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", name, bucket.label, exact(lower),
                         b + 1 == kBcbsBuckets ? std::string("") : exact(bucket.upper),
                         exact(bucket.midpoint), exact(gap.assets[s][b]),
                         exact(gap.liabilities[s][b]), exact(gap.off_balance[s][b]), exact(g),
                         exact(running));
      lower = bucket.upper;
    }
  }
  return out;
}

std::string sensitivities_csv(const EveSpec& spec, const EveResult& result) {
  const EveSensitivities& s = result.sensitivities;
  std::string out = "segment,measure,tenor_years,value\n";
  out += fmt::format("total,dv01,,{}\ntotal,effective_duration,,{}\ntotal,convexity,,{}\n",
                     exact(s.dv01), exact(s.duration), exact(s.convexity));
  for (std::size_t k = 0; k < spec.key_rate_tenors.size(); ++k) {
    out += fmt::format("total,key_rate_dv01,{},{}\n", exact(spec.key_rate_tenors[k]),
                       exact(s.key_rate_dv01[k]));
  }
  for (std::size_t g = 0; g < result.segments.size(); ++g) {
    out += fmt::format("{},dv01,,{}\n", result.segments[g], exact(s.dv01_by_segment[g]));
    for (std::size_t k = 0; k < spec.key_rate_tenors.size(); ++k) {
      out += fmt::format("{},key_rate_dv01,{},{}\n", result.segments[g],
                         exact(spec.key_rate_tenors[k]), exact(s.key_rate_dv01_by_segment[k][g]));
    }
  }
  return out;
}

std::string eve_console_summary(const EveSpec& spec, const EveResult& result) {
  const double base = result.base.value;
  std::string out = fmt::format(
      "EVE of {} positions on {} ({}); {} valuations on {} in {:.2f} s\n", spec.portfolio.size(),
      format_iso_date(spec.valuation_date), spec.reporting_currency, result.valuations,
      result.backend.device, result.total_seconds);
  out += fmt::format("{:<28} {:>18} {:>16} {:>8} {:>16}\n", "scenario", "EVE", "delta EVE",
                     "% EVE", "std. delta");
  out += fmt::format("{:<28} {:>18.0f}\n", "base", base);
  for (const ScenarioEve& s : result.scenarios) {
    const double delta = s.value - base;
    out += fmt::format("{:<28} {:>18.0f} {:>16.0f} {:>7.2f}% {:>16.0f}\n", s.name, s.value, delta,
                       100.0 * delta / base, s.standardised - result.base.standardised);
  }
  out += fmt::format("worst: {} ({:.0f})\n", result.worst_scenario, result.worst_delta);
  if (result.outlier_test) {
    const OutlierTest& t = *result.outlier_test;
    out += fmt::format("supervisory outlier test: worst BCBS delta EVE {:.0f} is {:.2f}% of Tier 1 "
                       "({:.0f}); threshold -{:.0f}%: {}\n",
                       t.worst_delta, 100.0 * t.ratio, t.tier1, 100.0 * t.threshold,
                       t.outlier ? "OUTLIER" : "pass");
  }
  const EveSensitivities& s = result.sensitivities;
  out += fmt::format("DV01 {:.0f} per bp; effective duration {:.2f}; convexity {:.1f}\n", s.dv01,
                     s.duration, s.convexity);
  return out;
}

}  // namespace ratesim

namespace ratesim {

std::string nii_by_scenario_csv(const NiiResult& nii) {
  std::string out = "scenario,set,segment,value,delta\n";
  auto rows = [&](const NiiFigures& f) {
    out += fmt::format("{},{},total,{},{}\n", f.name, f.set, exact(f.total), exact(f.total - nii.base.total));
    for (std::size_t g = 0; g < nii.segments.size(); ++g) {
      out += fmt::format("{},{},{},{},{}\n", f.name, f.set, nii.segments[g], exact(f.by_segment[g]),
                         exact(f.by_segment[g] - nii.base.by_segment[g]));
    }
  };
  rows(nii.base);
  for (const NiiFigures& f : nii.scenarios) rows(f);
  return out;
}

std::string nii_fan_csv(const NiiSpec& spec, const NiiResult& nii) {
  std::string out = "month,start_date,base,mean,std_error";
  for (double q : spec.quantiles) out += fmt::format(",q{}", q);
  out += "\n";
  for (std::size_t k = 0; k < nii.month_starts.size(); ++k) {
    out += fmt::format("{},{},{}", k + 1, format_iso_date(nii.month_starts[k]), exact(nii.base.by_month[k]));
    if (k < nii.by_month.size()) {
      const Distribution& d = nii.by_month[k];
      out += fmt::format(",{},{}", exact(d.mean), exact(d.std_error));
      for (const QuantileEstimate& q : d.quantiles) out += "," + exact(q.value);
    }
    out += "\n";
  }
  return out;
}

std::string distribution_csv(const NiiResult& nii) {
  std::string out = "measure,segment,statistic,value,std_error,ci_low,ci_high\n";
  auto rows = [&](const char* measure, const std::string& segment, const Distribution& d) {
    out += fmt::format("{},{},mean,{},{},,\n", measure, segment, exact(d.mean), exact(d.std_error));
    out += fmt::format("{},{},std,{},,,\n", measure, segment, exact(d.std));
    for (const QuantileEstimate& q : d.quantiles) {
      out += fmt::format("{},{},q{},{},,{},{}\n", measure, segment, q.level, exact(q.value), exact(q.ci_low), exact(q.ci_high));
    }
    out += fmt::format("{},{},at_risk_95,{},,{},{}\n", measure, segment, exact(d.at_risk_95), exact(d.at_risk_95_low), exact(d.at_risk_95_high));
    out += fmt::format("{},{},at_risk_99,{},,{},{}\n", measure, segment, exact(d.at_risk_99), exact(d.at_risk_99_low), exact(d.at_risk_99_high));
    out += fmt::format("{},{},es99,{},{},,\n", measure, segment, exact(d.es_99), exact(d.es_99_std_error));
  };
  if (nii.paths > 0) {
    rows("nii", "total", nii.total);
    for (std::size_t g = 0; g < nii.segments.size(); ++g) rows("nii", nii.segments[g], nii.by_segment[g]);
    rows("eve_horizon", "total", nii.eve);
    for (std::size_t g = 0; g < nii.segments.size(); ++g) rows("eve_horizon", nii.segments[g], nii.eve_by_segment[g]);
  }
  return out;
}

std::string paths_csv(const NiiResult& nii) {
  std::string out = "path,nii_total";
  for (const std::string& s : nii.segments) out += ",nii_" + s;
  for (std::size_t k = 0; k < nii.month_starts.size(); ++k) out += fmt::format(",nii_m{}", k + 1);
  out += ",eve_horizon";
  for (const std::string& s : nii.segments) out += ",eve_horizon_" + s;
  out += ",discount_to_horizon\n";
  const int width = nii.width();
  for (std::int64_t p = 0; p < nii.paths; ++p) {
    out += std::to_string(p);
    for (int j = 0; j < width; ++j) out += "," + exact(nii.path_values[static_cast<std::size_t>(p) * width + j]);
    out += "\n";
  }
  return out;
}

std::string nii_console_summary(const NiiSpec& spec, const NiiResult& nii) {
  std::string out = fmt::format("NII over {} months ({} balance sheet): base {:.0f}\n", spec.horizon_months,
                                spec.assumption == BalanceSheetAssumption::kConstant ? "constant" : "run-off",
                                nii.base.total);
  for (const NiiFigures& f : nii.scenarios) {
    out += fmt::format("  {:<26} {:>16.0f} {:>14.0f}\n", f.name, f.total, f.total - nii.base.total);
  }
  if (nii.paths > 0) {
    const Distribution& d = nii.total;
    out += fmt::format("Monte Carlo NII, {} paths: mean {:.0f} (std error {:.0f}), EaR95 {:.0f}, EaR99 {:.0f}, ES99 {:.0f}\n",
                       nii.paths, d.mean, d.std_error, d.at_risk_95, d.at_risk_99, d.es_99);
    out += fmt::format("EVE at the horizon: mean {:.0f} (std error {:.0f}), EVE-at-risk 99% {:.0f}, ES99 {:.0f}\n",
                       nii.eve.mean, nii.eve.std_error, nii.eve.at_risk_99, nii.eve.es_99);
  }
  return out;
}

}  // namespace ratesim
