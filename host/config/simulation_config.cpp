#include "ratesim/config/simulation_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <unistd.h>

#include "host/config/yaml_reader.hpp"
#include "ratesim/curve/curve_reader.hpp"
#include "ratesim/io/input_error.hpp"
#include "ratesim/model/lmm_inputs.hpp"
#include "ratesim/portfolio/portfolio_reader.hpp"

namespace ratesim {
namespace {

namespace fs = std::filesystem;

constexpr long long kMaxPaths = (1LL << 31) - 1;

std::string resolve(const std::string& config_file, const std::string& path) {
  const fs::path p(path);
  if (p.is_absolute()) return path;
  return (fs::path(config_file).parent_path() / p).lexically_normal().string();
}

// A number within [lo, hi] (lo itself excluded when `above_lo`), or an "out of range" issue that
// names the key and the range (docs/config.md gives every range).
std::optional<double> number_in(YamlReader& yaml, const YAML::Node& node, const std::string& key, double lo,
                                double hi, bool above_lo = false) {
  const auto v = yaml.number(node, key);
  if (!v) return std::nullopt;
  if ((above_lo ? !(*v > lo) : !(*v >= lo)) || !(*v <= hi)) {
    yaml.issue(node, "out of range", fmt::format("{} must be in {}{}, {}]", key, above_lo ? "(" : "[", lo, hi));
    return std::nullopt;
  }
  return v;
}

/// The longest horizon a grid may reach, in years (grid.times, grid.horizon_months and _years).
constexpr double kMaxGridYears = 50.0;

std::optional<DayCount> read_day_count(YamlReader& yaml, const YAML::Node& node,
                                       const std::string& what) {
  const auto text = yaml.string(node, what);
  if (!text) return std::nullopt;
  const auto dc = parse_day_count(*text);
  if (!dc) {
    yaml.issue(node, "unknown day count", what + " '" + *text + "' (allowed: ACT/365F, ACT/360, 30/360)");
  }
  return dc;
}

void read_grid(YamlReader& yaml, const YAML::Node& node, SimulationSpec& spec, bool dates_ok) {
  long long step = 1, horizon = 120;
  if (!node.IsDefined()) {
    if (dates_ok) spec.grid = make_calendar_grid(spec.valuation_date, spec.day_count, 1, 120);
    return;
  }
  if (!yaml.check_map(node, "grid", {"step_months", "horizon_months", "horizon_years", "times"})) {
    return;
  }
  const YAML::Node times = yaml.child(node, "times", "grid", false);
  if (times.IsDefined()) {
    for (const char* other : {"step_months", "horizon_months", "horizon_years"}) {
      if (node[other].IsDefined()) {
        yaml.issue(node[other], "conflicting keys", std::string("grid.") + other +
                                                         " cannot be combined with grid.times");
      }
    }
    if (!times.IsSequence() || times.size() == 0) {
      yaml.issue(times, "wrong type", "grid.times must be a non-empty list of years");
      return;
    }
    std::vector<double> values;
    double previous = 0.0;
    for (const auto& item : times) {
      const auto t = number_in(yaml, item, "a grid.times entry (years)", 0.0, kMaxGridYears, true);
      if (!t) return;
      if (!(*t > previous)) {
        yaml.issue(item, "non-increasing times", "grid.times must be positive and increase strictly");
        return;
      }
      previous = *t;
      values.push_back(*t);
    }
    spec.grid = make_year_grid(values);
    return;
  }
  if (const YAML::Node n = yaml.child(node, "step_months", "grid", false); n.IsDefined()) {
    if (auto v = yaml.integer(n, "grid.step_months")) {
      if (*v < 1 || *v > 120) yaml.issue(n, "out of range", "grid.step_months must be 1..120");
      else step = *v;
    }
  }
  const YAML::Node hm = yaml.child(node, "horizon_months", "grid", false);
  const YAML::Node hy = yaml.child(node, "horizon_years", "grid", false);
  if (hm.IsDefined() && hy.IsDefined()) {
    yaml.issue(hy, "conflicting keys", "give grid.horizon_months or grid.horizon_years, not both");
  } else if (hm.IsDefined()) {
    if (auto v = yaml.integer(hm, "grid.horizon_months")) horizon = *v;
  } else if (hy.IsDefined()) {
    // Clamped before scaling: a huge number of years must not overflow into a small horizon.
    if (auto v = yaml.integer(hy, "grid.horizon_years")) horizon = *v > 1000 ? 1000 * 12 : (*v < 0 ? -1 : *v * 12);
  }
  if (horizon < step || horizon > static_cast<long long>(kMaxGridYears) * 12) {
    yaml.issue(hm.IsDefined() ? hm : (hy.IsDefined() ? hy : node), "out of range",
               "the horizon must be at least one step and at most 50 years");
    return;
  }
  if (dates_ok) {
    spec.grid = make_calendar_grid(spec.valuation_date, spec.day_count, static_cast<int>(step),
                                   static_cast<int>(horizon));
  }
}

void read_indices(YamlReader& yaml, const YAML::Node& node, SimulationSpec& spec) {
  if (!node.IsDefined()) {
    spec.indices = default_indices();
    return;
  }
  if (!node.IsSequence()) {
    yaml.issue(node, "wrong type", "indices must be a list of index definitions");
    return;
  }
  for (const auto& item : node) {
    if (!yaml.check_map(item, "an index",
                        {"name", "type", "tenor_months", "fixed_frequency_months", "day_count"})) {
      continue;
    }
    IndexSpec index;
    if (auto name = yaml.string(yaml.child(item, "name", "an index", true), "index name")) {
      index.name = *name;
      for (const IndexSpec& other : spec.indices) {
        if (other.name == index.name) {
          yaml.issue(item["name"], "duplicate index", "an index named '" + index.name +
                                                          "' is already defined");
        }
      }
    }
    const YAML::Node type = yaml.child(item, "type", "an index", true);
    if (type.IsDefined()) {
      const auto text = yaml.string(type, "index type");
      if (text && *text == "simple") index.kind = IndexKind::kSimple;
      else if (text && *text == "par_swap") index.kind = IndexKind::kParSwap;
      else if (text) yaml.issue(type, "unknown index type", "'" + *text + "' (allowed: simple, par_swap)");
    }
    const YAML::Node tenor = yaml.child(item, "tenor_months", "an index", true);
    if (tenor.IsDefined()) {
      if (auto v = yaml.integer(tenor, "index tenor_months")) {
        if (*v < 1 || *v > 600) yaml.issue(tenor, "out of range", "tenor_months must be 1..600");
        else index.tenor_months = static_cast<int>(*v);
      }
    }
    index.day_count = index.kind == IndexKind::kSimple ? DayCount::kAct360 : DayCount::kThirty360;
    index.fixed_frequency_months = index.kind == IndexKind::kSimple ? index.tenor_months : 12;
    if (const YAML::Node f = yaml.child(item, "fixed_frequency_months", "an index", false);
        f.IsDefined()) {
      if (index.kind == IndexKind::kSimple) {
        yaml.issue(f, "not applicable", "fixed_frequency_months applies to par_swap indices only");
      } else if (auto v = yaml.integer(f, "fixed_frequency_months")) {
        if (*v < 1 || index.tenor_months % *v != 0) {
          yaml.issue(f, "incompatible frequency",
                     "fixed_frequency_months must divide tenor_months (" +
                         std::to_string(index.tenor_months) + ")");
        } else {
          index.fixed_frequency_months = static_cast<int>(*v);
        }
      }
    } else if (index.kind == IndexKind::kParSwap && index.tenor_months % 12 != 0) {
      yaml.issue(item, "incompatible frequency",
                 "a par_swap whose tenor is not whole years needs fixed_frequency_months");
    }
    if (const YAML::Node dc = yaml.child(item, "day_count", "an index", false); dc.IsDefined()) {
      if (auto v = read_day_count(yaml, dc, "index day_count")) index.day_count = *v;
    }
    spec.indices.push_back(index);
  }
}

}  // namespace

namespace {

std::optional<CurveInputSpec> read_curve_entry(YamlReader& yaml, const YAML::Node& node,
                                               const std::string& what, const std::string& config) {
  if (!yaml.check_map(node, what, {"file", "compounding", "currency"})) return std::nullopt;
  CurveInputSpec input;
  const auto file = yaml.string(yaml.child(node, "file", what, true), what + ".file");
  if (const YAML::Node c = yaml.child(node, "compounding", what, false); c.IsDefined()) {
    const auto text = yaml.string(c, what + ".compounding");
    if (text && *text == "continuous") input.compounding = Compounding::kContinuous;
    else if (text && *text == "annual") input.compounding = Compounding::kAnnual;
    else if (text) yaml.issue(c, "unknown compounding", "'" + *text + "' (allowed: continuous, annual)");
  }
  if (!file) return std::nullopt;
  input.file = resolve(config, *file);
  return input;
}

void read_behaviours(YamlReader& yaml, const YAML::Node& node, BehaviourTable& table) {
  if (!node.IsDefined()) return;
  if (!node.IsSequence()) {
    yaml.issue(node, "wrong type", "behaviours must be a list of profiles, or the name of a YAML file holding one");
    return;
  }
  for (const auto& item : node) {
    if (!yaml.check_map(item, "a behaviour profile",
                        {"name", "type", "cpr", "s_curve", "refinancing", "seasoning_months",
                         "core_share", "core_average_life_years", "pass_through", "decay_rate",
                         "decay_sensitivity"})) {
      continue;
    }
    BehaviourProfile profile;
    const auto name = yaml.string(yaml.child(item, "name", "a behaviour profile", true), "behaviour name");
    if (!name) continue;
    profile.name = *name;
    const std::string where = "behaviour '" + profile.name + "'";
    if (table.find(profile.name) != kNoBehaviour) {
      yaml.issue(item["name"], "duplicate behaviour", "'" + profile.name + "' is already defined");
      continue;
    }
    const auto type = yaml.string(yaml.child(item, "type", "a behaviour profile", true), "behaviour type");
    // A number under `map` (or the profile) at `key`, checked against [lo, hi].
    auto number_at = [&](const YAML::Node& map, const char* key, double lo, double hi, bool required,
                         double& out) {
      const YAML::Node n = yaml.child(map, key, where, required);
      if (!n.IsDefined()) return;
      if (auto v = yaml.number(n, std::string(key))) {
        if (*v < lo || *v > hi) {
          yaml.issue(n, "out of range", std::string(key) + " must be in [" + fmt::format("{}", lo) +
                                            ", " + fmt::format("{}", hi) + "]");
        } else {
          out = *v;
        }
      }
    };
    auto months_at = [&](const YAML::Node& map, const char* key, int lo, int hi, int& out) {
      double v = out;
      number_at(map, key, lo, hi, false, v);
      if (v != std::floor(v)) yaml.issue(map[key], "not an integer", std::string(key) + " must be whole months");
      else out = static_cast<int>(v);
    };
    auto not_for = [&](std::initializer_list<const char*> keys, const char* type_name) {
      for (const char* key : keys) {
        if (item[key].IsDefined()) {
          yaml.issue(item[key], "not applicable", std::string(key) + " does not apply to a " + type_name + " profile");
        }
      }
    };
    BehaviourDynamics& d = profile.dynamics;
    if (type && *type == "prepayment") {
      profile.type = BehaviourType::kPrepayment;
      const YAML::Node curve = yaml.child(item, "s_curve", where, false);
      number_at(item, "cpr", 0.0, 1.0, !curve.IsDefined(), profile.cpr);
      if (curve.IsDefined() && yaml.check_map(curve, where + ".s_curve", {"base_cpr", "max_cpr", "steepness", "midpoint"})) {
        d.has_s_curve = 1;
        number_at(curve, "base_cpr", 0.0, 1.0, true, d.base_cpr);
        number_at(curve, "max_cpr", 0.0, 1.0, true, d.max_cpr);
        number_at(curve, "steepness", 0.0, 1e5, true, d.steepness);
        number_at(curve, "midpoint", -1.0, 1.0, false, d.midpoint);
      }
      if (const YAML::Node refi = yaml.child(item, "refinancing", where, false);
          refi.IsDefined() && yaml.check_map(refi, where + ".refinancing", {"index_tenor_months", "spread"})) {
        months_at(refi, "index_tenor_months", 1, 360, d.refinancing_tenor_months);
        number_at(refi, "spread", -1.0, 1.0, false, d.refinancing_spread);
      }
      months_at(item, "seasoning_months", 0, 360, d.seasoning_months);
      not_for({"core_share", "core_average_life_years", "pass_through", "decay_rate", "decay_sensitivity"}, "prepayment");
    } else if (type && *type == "deposit") {
      profile.type = BehaviourType::kDeposit;
      number_at(item, "core_share", 0.0, 1.0, true, profile.core_share);
      number_at(item, "core_average_life_years", 1e-6, 30.0, true, profile.core_average_life);
      if (const YAML::Node pass = yaml.child(item, "pass_through", where, false);
          pass.IsDefined() && yaml.check_map(pass, where + ".pass_through", {"beta_up", "beta_down", "lag_months", "floor", "index_tenor_months"})) {
        number_at(pass, "beta_up", 0.0, 2.0, false, d.beta_up);
        number_at(pass, "beta_down", 0.0, 2.0, false, d.beta_down);
        months_at(pass, "lag_months", 0, 60, d.lag_months);
        number_at(pass, "floor", -1.0, 1.0, false, d.rate_floor);
        months_at(pass, "index_tenor_months", 1, 120, d.reference_tenor_months);
      }
      number_at(item, "decay_rate", 0.0, 10.0, false, d.decay_rate);
      number_at(item, "decay_sensitivity", 0.0, 1000.0, false, d.decay_sensitivity);
      not_for({"cpr", "s_curve", "refinancing", "seasoning_months"}, "deposit");
    } else if (type) {
      yaml.issue(item["type"], "unknown behaviour type", "'" + *type + "' (allowed: prepayment, deposit)");
      continue;
    }
    table.add(profile);
  }
}

PostShockFloor read_floor(YamlReader& yaml, const YAML::Node& node) {
  PostShockFloor floor;
  if (!node.IsDefined() || !yaml.check_map(node, "scenarios.post_shock_floor", {"type", "rate", "start", "slope_per_year", "cap"})) {
    return floor;
  }
  const auto type = yaml.string(yaml.child(node, "type", "scenarios.post_shock_floor", true), "post_shock_floor.type");
  auto value = [&](const char* key, double fallback) {
    const YAML::Node n = yaml.child(node, key, "scenarios.post_shock_floor", false);
    if (!n.IsDefined()) return fallback;
    return yaml.number(n, std::string("post_shock_floor.") + key).value_or(fallback);
  };
  if (!type || *type == "none") return floor;
  floor.enabled = true;
  if (*type == "constant") {
    floor.start = floor.cap = value("rate", 0.0);
  } else if (*type == "linear") {
    floor.start = value("start", 0.0);
    floor.slope = value("slope_per_year", 0.0);
    floor.cap = value("cap", 0.0);
  } else if (*type == "eba") {
    // EBA/GL/2022/14: -150 bp at t = 0, rising 3 bp a year to 0 at 50 years.
    floor.start = -0.015;
    floor.slope = 0.0003;
    floor.cap = 0.0;
  } else {
    yaml.issue(node["type"], "unknown floor type", "'" + *type + "' (allowed: none, constant, linear, eba)");
    floor.enabled = false;
  }
  return floor;
}

double tenor_years(YamlReader& yaml, const YAML::Node& node, const std::string& what, Date valuation) {
  const auto text = yaml.string(node, what);
  if (!text) return 0.0;
  const auto t = parse_tenor(*text, valuation, DayCount::kAct365Fixed);
  if (!t || !(*t > 0.0)) {
    yaml.issue(node, "not a tenor", what + " '" + *text + "' is not a positive number of years or a period like 6M, 10Y");
    return 0.0;
  }
  if (*t > kMaxTenorYears) {
    yaml.issue(node, "out of range", fmt::format("{} '{}' is beyond {} years", what, *text, kMaxTenorYears));
    return 0.0;
  }
  return *t;
}

/// A custom scenario file (docs/scenarios.md): tenor shifts in basis points, or replacement curves.
std::optional<Scenario> read_custom_scenario(const std::string& file, const RunConfig& config,
                                             std::map<std::string, std::string>& named_in,
                                             std::vector<InputIssue>& issues) {
  YamlReader yaml(file);
  const YAML::Node root = yaml.load();
  Scenario s;
  s.set = "custom";
  if (root.IsDefined() && yaml.check_map(root, "a custom scenario", {"name", "description", "currency", "shifts", "curves", "floored"})) {
    if (auto name = yaml.string(yaml.child(root, "name", "a custom scenario", true), "name")) {
      s.name = "custom/" + *name;
      // Results are keyed by scenario name: two scenarios of one name would hide one another.
      if (auto [at, inserted] = named_in.emplace(s.name, file); !inserted) {
        yaml.issue(root["name"], "duplicate scenario", "'" + *name + "' is also the name of the scenario in " + at->second);
      }
    }
    if (const YAML::Node d = yaml.child(root, "description", "a custom scenario", false); d.IsDefined()) {
      s.description = yaml.string(d, "description").value_or("");
    }
    std::optional<std::string> only;
    if (const YAML::Node c = yaml.child(root, "currency", "a custom scenario", false); c.IsDefined()) {
      only = yaml.string(c, "currency");
    }
    if (const YAML::Node f = yaml.child(root, "floored", "a custom scenario", false); f.IsDefined()) {
      const auto text = yaml.string(f, "floored");
      if (text && (*text == "true" || *text == "false")) s.floored = *text == "true";
      else yaml.issue(f, "not a boolean", "floored must be true or false");
    }
    const YAML::Node shifts = yaml.child(root, "shifts", "a custom scenario", false);
    const YAML::Node curves = yaml.child(root, "curves", "a custom scenario", false);
    if (shifts.IsDefined() == curves.IsDefined()) {
      yaml.issue(root, "missing key", "a custom scenario needs either 'shifts' or 'curves'");
    } else if (shifts.IsDefined()) {
      std::vector<std::pair<double, double>> points;
      if (!shifts.IsSequence() || shifts.size() == 0) {
        yaml.issue(shifts, "wrong type", "shifts must be a list of {tenor, bp}");
      } else {
        for (const auto& item : shifts) {
          if (!yaml.check_map(item, "a shift", {"tenor", "bp"})) continue;
          const YAML::Node tn = yaml.child(item, "tenor", "a shift", true);
          const YAML::Node bp = yaml.child(item, "bp", "a shift", true);
          if (!tn.IsDefined() || !bp.IsDefined()) continue;
          const double t = tenor_years(yaml, tn, "tenor", config.simulation.valuation_date);
          // A shift beyond +-10000 bp (100% a year) is no stress of a rate but a typing error.
          const auto v = number_in(yaml, bp, "bp", -10000.0, 10000.0);
          if (t <= 0.0 || !v) continue;
          if (!points.empty() && !(t > points.back().first)) {
            yaml.issue(tn, "non-increasing tenors", "shift tenors must increase");
            continue;
          }
          points.emplace_back(t, *v * 1e-4);
        }
      }
      s.shift = [points, only](const std::string& currency, double t) {
        if (points.empty() || (only && currency != *only)) return 0.0;
        if (t <= points.front().first) return points.front().second;
        for (std::size_t k = 1; k < points.size(); ++k) {
          if (t <= points[k].first) {
            const auto& [t0, v0] = points[k - 1];
            const auto& [t1, v1] = points[k];
            return v0 + (v1 - v0) * (t - t0) / (t1 - t0);
          }
        }
        return points.back().second;
      };
    } else if (curves.IsMap()) {
      for (const auto& entry : curves) {
        const std::string currency = entry.first.Scalar();
        if (auto input = read_curve_entry(yaml, entry.second, "curves." + currency, file)) {
          input->valuation_date = config.simulation.valuation_date;
          input->day_count = config.simulation.day_count;
          try {
            s.replacement.emplace(currency, read_curve_csv(*input));
          } catch (const InputError& e) {
            issues.insert(issues.end(), e.issues().begin(), e.issues().end());
          }
        }
      }
    } else {
      yaml.issue(curves, "wrong type", "curves must map currencies to curve files");
    }
  }
  issues.insert(issues.end(), yaml.issues().begin(), yaml.issues().end());
  if (!yaml.issues().empty()) return std::nullopt;
  return s;
}

}  // namespace

namespace {

// The configuration file as the section readers see it.
struct ConfigFile {
  YamlReader& yaml;
  const YAML::Node& root;
  const std::string& path;
};

// Files the sections name: read once every section is read, so that each knows the valuation date,
// the LMM's rates and the behaviour profiles.
struct NamedFiles {
  std::string caplets, correlation, positions;
  std::vector<std::string> custom_scenarios;
  std::vector<std::pair<std::string, CurveInputSpec>> curves;
};

// `valuation_date`, `day_count`, `reporting_currency`; true when the valuation date is valid.
bool read_valuation_section(const ConfigFile& source, RunConfig& config) {
  YamlReader& yaml = source.yaml;
  const YAML::Node& root = source.root;
  SimulationSpec& spec = config.simulation;
  bool have_date = false;
  if (const YAML::Node n = yaml.child(root, "valuation_date", "the configuration", true);
      n.IsDefined()) {
    if (auto text = yaml.string(n, "valuation_date")) {
      if (auto d = parse_iso_date(*text)) {
        spec.valuation_date = *d;
        have_date = true;
      } else {
        yaml.issue(n, "not a date", "valuation_date must be YYYY-MM-DD, got '" + *text + "'");
      }
    }
  }
  if (const YAML::Node n = yaml.child(root, "day_count", "the configuration", false); n.IsDefined()) {
    if (auto dc = read_day_count(yaml, n, "day_count")) spec.day_count = *dc;
  }
  if (const YAML::Node n = yaml.child(root, "reporting_currency", "the configuration", false); n.IsDefined()) {
    if (auto c = yaml.string(n, "reporting_currency")) config.reporting_currency = *c;
  }
  return have_date;
}

// `model`: Hull-White parameters, or the LMM with its files (read later).
void read_model_section(const ConfigFile& source, RunConfig& config, NamedFiles& files) {
  YamlReader& yaml = source.yaml;
  const YAML::Node& root = source.root;
  const std::string& path = source.path;
  SimulationSpec& spec = config.simulation;
  const YAML::Node model = yaml.child(root, "model", "the configuration", true);
  if (model.IsDefined() &&
      yaml.check_map(model, "model", {"type", "mean_reversion", "volatility", "lmm"})) {
    if (auto type = yaml.string(yaml.child(model, "type", "model", true), "model.type")) {
      if (*type == "lmm") {
        config.lmm = LmmSpec{};
      } else if (*type != "hull_white") {
        yaml.issue(model["type"], "unknown model", "'" + *type + "' (allowed: hull_white, lmm)");
      }
    }
    const YAML::Node lmm = yaml.child(model, "lmm", "model", config.lmm.has_value());
    if (lmm.IsDefined() && !config.lmm) {
      yaml.issue(lmm, "not applicable", "model.lmm applies to model.type: lmm");
    } else if (lmm.IsDefined() &&
               yaml.check_map(lmm, "model.lmm", {"accrual_months", "rates", "factors", "displacement",
                                                 "volatility", "correlation_beta", "correlation", "caplet_volatilities",
                                                 "scheme"})) {
      LmmSpec& l = *config.lmm;
      auto whole = [&](const char* key, long long lo, long long hi, long long fallback) {
        const YAML::Node n = yaml.child(lmm, key, "model.lmm", false);
        if (!n.IsDefined()) return fallback;
        const auto v = yaml.integer(n, std::string("model.lmm.") + key);
        if (v && (*v < lo || *v > hi)) {
          yaml.issue(n, "out of range", std::string("model.lmm.") + key + " must be " + std::to_string(lo) + ".." + std::to_string(hi));
          return fallback;
        }
        return v.value_or(fallback);
      };
      const long long accrual = whole("accrual_months", 1, 12, 3);
      if (accrual != 3 && accrual != 6) yaml.issue(lmm["accrual_months"], "out of range", "model.lmm.accrual_months must be 3 or 6");
      l.accrual_months = static_cast<int>(accrual);
      l.n_rates = static_cast<int>(whole("rates", 2, kMaxLmmRates, 120));
      l.n_factors = static_cast<int>(whole("factors", 1, kMaxLmmFactors, 3));
      auto real = [&](const YAML::Node& map, const char* key, double fallback) {
        const YAML::Node n = yaml.child(map, key, "model.lmm", false);
        return n.IsDefined() ? yaml.number(n, std::string("model.lmm.") + key).value_or(fallback) : fallback;
      };
      auto ranged = [&](const YAML::Node& map, const std::string& where, const char* key, double fallback, double lo,
                        double hi) {
        const YAML::Node n = yaml.child(map, key, where, false);
        return n.IsDefined() ? number_in(yaml, n, where + "." + key, lo, hi).value_or(fallback) : fallback;
      };
      // A displacement is a shift of the rate (0.02: 2%); beta a decay per year of rate distance.
      l.displacement = ranged(lmm, "model.lmm", "displacement", 0.0, 0.0, 1.0);
      l.correlation_beta = ranged(lmm, "model.lmm", "correlation_beta", 0.1, 0.0, 10.0);
      if (const YAML::Node v = yaml.child(lmm, "volatility", "model.lmm", false);
          v.IsDefined() && yaml.check_map(v, "model.lmm.volatility", {"a", "b", "c", "d"})) {
        l.volatility = AbcdVolatility{real(v, "a", 0.0), real(v, "b", 0.0), ranged(v, "model.lmm.volatility", "c", 0.0, 0.0, 10.0),
                                      ranged(v, "model.lmm.volatility", "d", 0.2, 0.0, 5.0)};
        // sigma(tau) = (a + b tau) e^{-c tau} + d must be a volatility at every time to fixing.
        for (double tau = 0.0; tau <= 50.0; tau += 0.25) {
          const double sigma = l.volatility.at(tau);
          if (!(sigma >= 0.0 && sigma <= 5.0)) {
            yaml.issue(v, "out of range", fmt::format("model.lmm.volatility gives sigma({}) = {:.4g}: the abcd "
                                                      "volatility must lie in [0, 5] at every time to fixing", tau, sigma));
            break;
          }
        }
      }
      if (const YAML::Node c = yaml.child(lmm, "correlation", "model.lmm", false); c.IsDefined()) {
        if (lmm["correlation_beta"].IsDefined()) {
          yaml.issue(c, "conflicting keys", "model.lmm.correlation (a matrix file) cannot be combined with model.lmm.correlation_beta");
        } else if (auto f = yaml.string(c, "model.lmm.correlation")) {
          files.correlation = resolve(path, *f);
        }
      }
      if (const YAML::Node c = yaml.child(lmm, "scheme", "model.lmm", false); c.IsDefined()) {
        if (auto scheme = yaml.string(c, "model.lmm.scheme")) {
          if (*scheme == "predictor_corrector") {
            l.scheme = LmmScheme::kPredictorCorrector;
          } else if (*scheme == "euler") {
            l.scheme = LmmScheme::kEuler;
          } else {
            yaml.issue(c, "unknown scheme", "'" + *scheme + "' (allowed: predictor_corrector, euler)");
          }
        }
      }
      if (const YAML::Node c = yaml.child(lmm, "caplet_volatilities", "model.lmm", false); c.IsDefined()) {
        if (auto f = yaml.string(c, "model.lmm.caplet_volatilities")) files.caplets = resolve(path, *f);
      }
    }
    const YAML::Node a = yaml.child(model, "mean_reversion", "model", true);
    if (a.IsDefined()) {
      if (auto v = yaml.number(a, "model.mean_reversion")) {
        if (*v < 0.0 || *v > 5.0) yaml.issue(a, "out of range", "model.mean_reversion must be in [0, 5]");
        else spec.model.mean_reversion = *v;
      }
    }
    const YAML::Node s = yaml.child(model, "volatility", "model", true);
    if (s.IsDefined()) {
      if (auto v = yaml.number(s, "model.volatility")) {
        if (*v < 0.0 || *v > 1.0) yaml.issue(s, "out of range", "model.volatility must be in [0, 1]");
        else spec.model.volatility = *v;
      }
    }
  }
}

// `simulation`: paths, seed, chunks, device.
void read_simulation_section(const ConfigFile& source, RunConfig& config) {
  YamlReader& yaml = source.yaml;
  const YAML::Node& root = source.root;
  SimulationSpec& spec = config.simulation;
  if (const YAML::Node sim = yaml.child(root, "simulation", "the configuration", false);
      sim.IsDefined() && yaml.check_map(sim, "simulation", {"paths", "seed", "chunk_paths", "device"})) {
    if (const YAML::Node n = yaml.child(sim, "paths", "simulation", false); n.IsDefined()) {
      if (auto v = yaml.integer(n, "simulation.paths")) {
        if (*v < 2 || *v > kMaxPaths) yaml.issue(n, "out of range", "simulation.paths must be 2..2^31-1");
        else spec.paths = *v;
      }
    }
    if (const YAML::Node n = yaml.child(sim, "seed", "simulation", false); n.IsDefined()) {
      if (auto v = yaml.integer(n, "simulation.seed")) {
        if (*v < 0) yaml.issue(n, "out of range", "simulation.seed must not be negative");
        else spec.seed = static_cast<std::uint64_t>(*v);
      }
    }
    if (const YAML::Node n = yaml.child(sim, "chunk_paths", "simulation", false); n.IsDefined()) {
      if (auto v = yaml.integer(n, "simulation.chunk_paths")) {
        if (*v < 0) yaml.issue(n, "out of range", "simulation.chunk_paths must not be negative");
        else spec.chunk_paths = *v;
      }
    }
    if (const YAML::Node n = yaml.child(sim, "device", "simulation", false); n.IsDefined()) {
      const auto text = yaml.string(n, "simulation.device");
      if (text && *text == "auto") spec.device = DeviceChoice::kAuto;
      else if (text && *text == "cpu") spec.device = DeviceChoice::kCpu;
      else if (text && *text == "gpu") spec.device = DeviceChoice::kGpu;
      else if (text) yaml.issue(n, "unknown device", "'" + *text + "' (allowed: auto, cpu, gpu)");
    }
  }
}

// `output`: quantile levels.
void read_output_section(const ConfigFile& source, RunConfig& config) {
  YamlReader& yaml = source.yaml;
  const YAML::Node& root = source.root;
  SimulationSpec& spec = config.simulation;
  if (const YAML::Node out = yaml.child(root, "output", "the configuration", false);
      out.IsDefined() && yaml.check_map(out, "output", {"quantiles"})) {
    if (const YAML::Node q = yaml.child(out, "quantiles", "output", false); q.IsDefined()) {
      if (!q.IsSequence() || q.size() == 0) {
        yaml.issue(q, "wrong type", "output.quantiles must be a non-empty list of levels in (0, 1)");
      } else {
        spec.quantiles.clear();
        for (const auto& item : q) {
          if (auto v = yaml.number(item, "output.quantiles entry")) {
            if (!(*v > 0.0 && *v < 1.0)) yaml.issue(item, "out of range", "a quantile level must be in (0, 1)");
            else spec.quantiles.push_back(*v);
          }
        }
      }
    }
  }
}

// `fx`: reporting-currency units per unit of each currency.
void read_fx_section(const ConfigFile& source, RunConfig& config) {
  YamlReader& yaml = source.yaml;
  const YAML::Node& root = source.root;
  if (const YAML::Node fx = yaml.child(root, "fx", "the configuration", false); fx.IsDefined()) {
    if (!fx.IsMap()) {
      yaml.issue(fx, "wrong type", "fx must map currencies to rates");
    } else {
      for (const auto& entry : fx) {
        if (auto v = yaml.number(entry.second, "fx." + entry.first.Scalar())) {
          if (!(*v > 0.0)) yaml.issue(entry.second, "out of range", "an fx rate must be positive");
          else config.fx[entry.first.Scalar()] = *v;
        }
      }
    }
  }
}

// `behaviours`: profiles in the configuration, or in a YAML file of their own shared by several runs.
void read_behaviours_section(const ConfigFile& source, RunConfig& config) {
  YamlReader& yaml = source.yaml;
  const YAML::Node& root = source.root;
  const std::string& path = source.path;
  if (const YAML::Node b = yaml.child(root, "behaviours", "the configuration", false); b.IsScalar()) {
    if (auto file = yaml.string(b, "behaviours")) {
      const std::string behaviours_file = resolve(path, *file);
      YamlReader profiles(behaviours_file);
      const YAML::Node list = profiles.load();
      if (list.IsDefined() && !list.IsNull()) read_behaviours(profiles, list, config.behaviours);
      else if (profiles.issues().empty()) profiles.issue(list, "wrong type", "a behaviours file must be a list of profiles");
      yaml.adopt(profiles);
      config.input_files.emplace_back("behaviour profiles", behaviours_file);
    }
  } else {
    read_behaviours(yaml, b, config.behaviours);
  }
}

// `nmd_caps`: the supervisory caps on the core share and average life of NMDs.
void read_nmd_caps_section(const ConfigFile& source, RunConfig& config) {
  YamlReader& yaml = source.yaml;
  const YAML::Node& root = source.root;
  if (const YAML::Node caps = yaml.child(root, "nmd_caps", "the configuration", false);
      caps.IsDefined() && yaml.check_map(caps, "nmd_caps", {"retail_transactional", "retail_non_transactional", "wholesale"})) {
    const char* names[] = {"retail_transactional", "retail_non_transactional", "wholesale"};
    for (int c = 0; c < 3; ++c) {
      const YAML::Node entry = yaml.child(caps, names[c], "nmd_caps", false);
      if (!entry.IsDefined() || !yaml.check_map(entry, std::string("nmd_caps.") + names[c], {"max_core_share", "max_average_life_years"})) continue;
      if (const YAML::Node v = yaml.child(entry, "max_core_share", names[c], false); v.IsDefined()) {
        config.nmd_caps.max_core_share[c + 1] =
            number_in(yaml, v, std::string("nmd_caps.") + names[c] + ".max_core_share", 0.0, 1.0)
                .value_or(config.nmd_caps.max_core_share[c + 1]);
      }
      if (const YAML::Node v = yaml.child(entry, "max_average_life_years", names[c], false); v.IsDefined()) {
        config.nmd_caps.max_average_life[c + 1] =
            number_in(yaml, v, std::string("nmd_caps.") + names[c] + ".max_average_life_years", 0.0, 30.0, true)
                .value_or(config.nmd_caps.max_average_life[c + 1]);
      }
    }
  }
}

// `capital`: Tier 1 and the outlier threshold.
void read_capital_section(const ConfigFile& source, RunConfig& config) {
  YamlReader& yaml = source.yaml;
  const YAML::Node& root = source.root;
  if (const YAML::Node cap = yaml.child(root, "capital", "the configuration", false);
      cap.IsDefined() && yaml.check_map(cap, "capital", {"tier1", "outlier_threshold"})) {
    if (const YAML::Node t = yaml.child(cap, "tier1", "capital", false); t.IsDefined()) {
      if (auto v = yaml.number(t, "capital.tier1")) {
        if (!(*v > 0.0)) yaml.issue(t, "out of range", "capital.tier1 must be positive");
        else config.eve.tier1 = *v;
      }
    }
    if (const YAML::Node t = yaml.child(cap, "outlier_threshold", "capital", false); t.IsDefined()) {
      // A share of Tier 1: 0.15 is the BCBS 15%; 0 or less would flag every bank, above 1 none.
      config.eve.outlier_threshold =
          number_in(yaml, t, "capital.outlier_threshold", 0.0, 1.0, true).value_or(config.eve.outlier_threshold);
    }
  }
}

// `sensitivities`: the bump and the key-rate tenors.
void read_sensitivities_section(const ConfigFile& source, RunConfig& config) {
  YamlReader& yaml = source.yaml;
  const YAML::Node& root = source.root;
  SimulationSpec& spec = config.simulation;
  if (const YAML::Node sens = yaml.child(root, "sensitivities", "the configuration", false);
      sens.IsDefined() && yaml.check_map(sens, "sensitivities", {"bump_bp", "key_rate_tenors"})) {
    if (const YAML::Node b = yaml.child(sens, "bump_bp", "sensitivities", false); b.IsDefined()) {
      if (auto v = yaml.number(b, "sensitivities.bump_bp")) {
        if (!(*v > 0.0 && *v <= 100.0)) yaml.issue(b, "out of range", "bump_bp must be in (0, 100]");
        else config.eve.bump_bp = *v;
      }
    }
    if (const YAML::Node k = yaml.child(sens, "key_rate_tenors", "sensitivities", false); k.IsDefined()) {
      if (!k.IsSequence() || k.size() == 0) {
        yaml.issue(k, "wrong type", "key_rate_tenors must be a non-empty list of tenors");
      } else {
        config.eve.key_rate_tenors.clear();
        config.eve.key_rate_labels.clear();
        for (const auto& item : k) {
          const double t = tenor_years(yaml, item, "key rate tenor", spec.valuation_date);
          if (t <= 0.0) continue;
          if (!config.eve.key_rate_tenors.empty() && !(t > config.eve.key_rate_tenors.back())) {
            yaml.issue(item, "non-increasing tenors", "key_rate_tenors must increase");
            continue;
          }
          config.eve.key_rate_tenors.push_back(t);
          config.eve.key_rate_labels.push_back(item.Scalar());
        }
      }
    }
  }
}

// `nii`: the NII run.
void read_nii_section(const ConfigFile& source, RunConfig& config) {
  YamlReader& yaml = source.yaml;
  const YAML::Node& root = source.root;
  if (const YAML::Node nii = yaml.child(root, "nii", "the configuration", false);
      nii.IsDefined() && yaml.check_map(nii, "nii", {"enabled", "horizon_months", "balance_sheet", "monte_carlo", "paths", "write_paths", "horizon_series"})) {
    auto flag = [&](const char* key, bool& out) {
      const YAML::Node n = yaml.child(nii, key, "nii", false);
      if (!n.IsDefined()) return;
      const auto text = yaml.string(n, std::string("nii.") + key);
      if (text && (*text == "true" || *text == "false")) out = *text == "true";
      else if (text) yaml.issue(n, "not a boolean", std::string("nii.") + key + " must be true or false");
    };
    flag("enabled", config.nii_enabled);
    flag("monte_carlo", config.nii.monte_carlo);
    flag("write_paths", config.nii_write_paths);
    if (const YAML::Node h = yaml.child(nii, "horizon_months", "nii", false); h.IsDefined()) {
      if (auto v = yaml.integer(h, "nii.horizon_months")) {
        if (*v < 1 || *v > kMaxNiiMonths) yaml.issue(h, "out of range", "nii.horizon_months must be 1..60");
        else config.nii.horizon_months = static_cast<int>(*v);
      }
    }
    if (const YAML::Node b = yaml.child(nii, "balance_sheet", "nii", false); b.IsDefined()) {
      const auto text = yaml.string(b, "nii.balance_sheet");
      if (text && *text == "constant") config.nii.assumption = BalanceSheetAssumption::kConstant;
      else if (text && *text == "run_off") config.nii.assumption = BalanceSheetAssumption::kRunOff;
      else if (text) yaml.issue(b, "unknown value", "nii.balance_sheet '" + *text + "' (allowed: constant, run_off)");
    }
    if (const YAML::Node h = yaml.child(nii, "horizon_series", "nii", false); h.IsDefined()) {
      const auto text = yaml.string(h, "nii.horizon_series");
      if (text && *text == "auto") config.nii.horizon_series = HorizonSeriesMode::kAuto;
      else if (text && *text == "always") config.nii.horizon_series = HorizonSeriesMode::kAlways;
      else if (text && *text == "off") config.nii.horizon_series = HorizonSeriesMode::kOff;
      else if (text) yaml.issue(h, "unknown value", "nii.horizon_series '" + *text + "' (allowed: auto, always, off)");
    }
    if (const YAML::Node n = yaml.child(nii, "paths", "nii", false); n.IsDefined()) {
      if (auto v = yaml.integer(n, "nii.paths")) {
        if (*v < 2 || *v > kMaxPaths) yaml.issue(n, "out of range", "nii.paths must be 2..2^31-1");
        else config.nii.paths = *v;
      }
    }
  }
}

// `scenarios`: sets, shock table, post-shock floor and custom scenario files (read later).
void read_scenarios_section(const ConfigFile& source, RunConfig& config, NamedFiles& files) {
  YamlReader& yaml = source.yaml;
  const YAML::Node& root = source.root;
  const std::string& path = source.path;
  if (const YAML::Node sc = yaml.child(root, "scenarios", "the configuration", false);
      sc.IsDefined() && yaml.check_map(sc, "scenarios", {"sets", "bcbs368_version", "bcbs368_table", "post_shock_floor", "custom"})) {
    if (const YAML::Node sets = yaml.child(sc, "sets", "scenarios", false); sets.IsDefined()) {
      config.scenario_sets.clear();
      if (!sets.IsSequence()) yaml.issue(sets, "wrong type", "scenarios.sets must be a list");
      else for (const auto& item : sets) {
        const auto name = yaml.string(item, "a scenario set");
        if (name && std::find(config.scenario_sets.begin(), config.scenario_sets.end(), *name) != config.scenario_sets.end()) {
          yaml.issue(item, "duplicate scenario set", "'" + *name + "' is already listed");
        } else if (name && (*name == "bcbs368" || *name == "us")) config.scenario_sets.push_back(*name);
        else if (name) yaml.issue(item, "unknown scenario set", "'" + *name + "' (built in: bcbs368, us)");
      }
    }
    if (const YAML::Node v = yaml.child(sc, "bcbs368_version", "scenarios", false); v.IsDefined()) {
      config.bcbs_version = yaml.string(v, "bcbs368_version").value_or(config.bcbs_version);
    }
    if (const YAML::Node v = yaml.child(sc, "bcbs368_table", "scenarios", false); v.IsDefined()) {
      if (auto f = yaml.string(v, "bcbs368_table")) config.bcbs_table_file = resolve(path, *f);
    }
    config.eve.floor = read_floor(yaml, yaml.child(sc, "post_shock_floor", "scenarios", false));
    if (const YAML::Node c = yaml.child(sc, "custom", "scenarios", false); c.IsDefined()) {
      if (!c.IsSequence()) yaml.issue(c, "wrong type", "scenarios.custom must be a list of files");
      else for (const auto& item : c) {
        if (auto f = yaml.string(item, "a custom scenario file")) files.custom_scenarios.push_back(resolve(path, *f));
      }
    }
  }
}

// `curve` (the reporting currency's) or `curves` (one per currency): the files, read later.
void read_curves_section(const ConfigFile& source, RunConfig& config, NamedFiles& files) {
  YamlReader& yaml = source.yaml;
  const YAML::Node& root = source.root;
  const std::string& path = source.path;
  const YAML::Node single = yaml.child(root, "curve", "the configuration", false);
  const YAML::Node many = yaml.child(root, "curves", "the configuration", false);
  if (single.IsDefined() && many.IsDefined()) {
    yaml.issue(many, "conflicting keys", "give 'curve' or 'curves', not both");
  } else if (single.IsDefined()) {
    if (auto input = read_curve_entry(yaml, single, "curve", path)) {
      std::string currency = config.reporting_currency;
      if (single["currency"].IsDefined()) currency = yaml.string(single["currency"], "curve.currency").value_or(currency);
      files.curves.emplace_back(currency, *input);
    }
  } else if (many.IsDefined()) {
    if (!many.IsMap() || many.size() == 0) {
      yaml.issue(many, "wrong type", "curves must map currencies to curves");
    } else {
      for (const auto& entry : many) {
        if (auto input = read_curve_entry(yaml, entry.second, "curves." + entry.first.Scalar(), path)) {
          files.curves.emplace_back(entry.first.Scalar(), *input);
        }
      }
    }
  } else {
    yaml.issue(root, "missing key", "'curve' (or 'curves') is required in the configuration");
  }
}

// The files the sections named, in the order a reader of the run's record expects: curves,
// positions, shock table, custom scenarios, caplet volatilities, correlation.
void read_named_files(const NamedFiles& files, bool have_date, bool need_balance_sheet, const std::atomic<bool>* stop,
                      RunConfig& config, std::vector<InputIssue>& issues) {
  const std::string& path = config.simulation.config_file;
  SimulationSpec& spec = config.simulation;
  auto curve_inputs = files.curves;
  for (const auto& [currency, input] : files.curves) {
    config.input_files.emplace_back("curve " + currency, input.file);
    config.curve_currencies.push_back(currency);
  }
  if (!files.positions.empty() && need_balance_sheet) config.input_files.emplace_back("positions", files.positions);
  if (!config.bcbs_table_file.empty()) config.input_files.emplace_back("BCBS 368 shock table", config.bcbs_table_file);
  for (const std::string& file : files.custom_scenarios) config.input_files.emplace_back("custom scenario", file);
  if (!files.caplets.empty()) config.input_files.emplace_back("caplet volatilities", files.caplets);
  if (!files.correlation.empty()) config.input_files.emplace_back("LMM correlation", files.correlation);
  if (config.lmm && !files.correlation.empty()) {
    try {
      config.lmm->correlation = read_correlation_matrix(files.correlation, config.lmm->accrual_months, config.lmm->n_rates);
      config.lmm->correlation_file = files.correlation;
    } catch (const InputError& e) {
      issues.insert(issues.end(), e.issues().begin(), e.issues().end());
    }
  }
  if (config.lmm && !files.caplets.empty()) {
    try {
      const auto quotes = read_caplet_quotes(files.caplets, config.lmm->accrual_months, config.lmm->n_rates);
      config.lmm = calibrate_to_caplets(*config.lmm, quotes, &config.lmm_calibration);
    } catch (const InputError& e) {
      issues.insert(issues.end(), e.issues().begin(), e.issues().end());
    }
  }
  if (have_date) {
    for (auto& [currency, input] : curve_inputs) {
      input.valuation_date = spec.valuation_date;
      input.day_count = spec.day_count;
      try {
        config.curves.emplace_back(currency, read_curve_csv(input));
        if (currency == config.reporting_currency || curve_inputs.size() == 1) {
          spec.curve = config.curves.back().second;
          spec.curve_file = input.file;
        }
      } catch (const InputError& e) {
        issues.insert(issues.end(), e.issues().begin(), e.issues().end());
      }
    }
    if (curve_inputs.size() > 1 && spec.curve_file.empty() && issues.empty()) {
      issues.push_back({path, 0, 0, "missing curve", "no curve for the reporting currency '" + config.reporting_currency + "'"});
    }
    std::map<std::string, std::string> scenario_names;
    for (const std::string& file : files.custom_scenarios) {
      if (auto scenario = read_custom_scenario(file, config, scenario_names, issues)) {
        config.custom_scenarios.push_back(std::move(*scenario));
      }
    }
  }
  if (!files.positions.empty() && need_balance_sheet) {
    config.positions_file = files.positions;
    try {
      config.portfolio = read_positions_csv(files.positions, config.behaviours,
                                            have_date ? std::optional<Date>(spec.valuation_date) : std::nullopt,
                                            stop, issues);
    } catch (const InputError& e) {
      issues.insert(issues.end(), e.issues().begin(), e.issues().end());
    }
  }
}

}  // namespace

// The configuration and every file it names; every problem is added to `problems`. A purpose of
// kAsConfigured becomes kRun when the configuration names positions and kSimulate otherwise.
RunConfig read_run_config(const std::string& path, Purpose& purpose, const std::atomic<bool>* stop,
                          std::vector<InputIssue>& problems) {
  YamlReader yaml(path);
  const YAML::Node root = yaml.load(stop);
  RunConfig config;
  SimulationSpec& spec = config.simulation;
  spec.config_file = path;
  auto give_up = [&] {
    problems.insert(problems.end(), yaml.issues().begin(), yaml.issues().end());
    return config;
  };
  if (purpose == Purpose::kAsConfigured) {
    purpose = root.IsMap() && root["positions"].IsDefined() ? Purpose::kRun : Purpose::kSimulate;
  }
  const bool need_balance_sheet = purpose == Purpose::kRun;
  if (!root.IsDefined()) return give_up();  // unreadable or not YAML
  if (!yaml.check_map(root, "the configuration",
                      {"valuation_date", "day_count", "reporting_currency", "curve", "curves", "fx",
                       "model", "grid", "indices", "simulation", "output", "positions",
                       "behaviours", "nmd_caps", "scenarios", "capital", "sensitivities", "nii"})) {
    return give_up();
  }

  const ConfigFile source{yaml, root, path};
  NamedFiles files;
  const bool have_date = read_valuation_section(source, config);
  read_model_section(source, config, files);
  read_grid(yaml, yaml.child(root, "grid", "the configuration", false), spec, have_date);
  read_indices(yaml, yaml.child(root, "indices", "the configuration", false), spec);

  read_simulation_section(source, config);
  read_output_section(source, config);
  read_fx_section(source, config);
  read_behaviours_section(source, config);
  read_nmd_caps_section(source, config);
  read_capital_section(source, config);
  read_sensitivities_section(source, config);
  read_nii_section(source, config);
  read_scenarios_section(source, config, files);
  read_curves_section(source, config, files);
  if (const YAML::Node pos = yaml.child(root, "positions", "the configuration", need_balance_sheet); pos.IsDefined()) {
    if (auto file = yaml.string(pos, "positions")) files.positions = resolve(path, *file);
  }

  problems.insert(problems.end(), yaml.issues().begin(), yaml.issues().end());
  read_named_files(files, have_date, need_balance_sheet, stop, config, problems);
  return config;
}

namespace {

// The EVE run of a configuration; its problems (a currency without a curve, an fx rate or a shock
// size; a shock table that cannot be read) are added to `issues`. The portfolio is taken from
// `portfolio`, never copied (10^7 positions are gigabytes).
EveSpec build_eve_spec(const RunConfig& config, Portfolio portfolio, std::vector<InputIssue>& issues) {
  const std::string& file = config.simulation.config_file;
  EveSpec spec;
  spec.valuation_date = config.simulation.valuation_date;
  spec.day_count = config.simulation.day_count;
  spec.reporting_currency = config.reporting_currency;
  spec.positions_file = config.positions_file;
  spec.model = config.simulation.model;
  spec.behaviours = config.behaviours;
  spec.nmd_caps = config.nmd_caps;
  spec.portfolio = std::move(portfolio);
  static_cast<EveOptions&>(spec) = config.eve;
  spec.currencies = spec.portfolio.currencies;
  for (const std::string& currency : spec.currencies) {
    const auto curve = std::find_if(config.curves.begin(), config.curves.end(),
                                    [&](const auto& c) { return c.first == currency; });
    if (curve == config.curves.end()) {
      const bool configured = std::find(config.curve_currencies.begin(), config.curve_currencies.end(), currency) !=
                              config.curve_currencies.end();
      if (!configured) {  // a configured curve that could not be read has its own problems
        const Portfolio& book = spec.portfolio;
        const int c = static_cast<int>(&currency - spec.currencies.data());
        const auto first = std::find(book.currency.begin(), book.currency.end(), c) - book.currency.begin();
        issues.push_back({config.positions_file, book.source_line[static_cast<std::size_t>(first)], 0,
                          "no curve for currency",
                          "positions in " + currency + " (the first on this line) need a curve under 'curves' in " + file});
      }
      continue;
    }
    spec.base_curves.push_back(curve->second);
    if (currency == config.reporting_currency) {
      spec.fx.push_back(1.0);
    } else if (const auto fx = config.fx.find(currency); fx != config.fx.end()) {
      spec.fx.push_back(fx->second);
    } else {
      issues.push_back({file, 0, 0, "no fx rate",
                        "positions in " + currency + " need fx." + currency + " (" +
                            config.reporting_currency + " per " + currency + ")"});
    }
  }
  for (const std::string& set : config.scenario_sets) {
    if (set == "us") {
      const auto us = us_scenarios();
      spec.scenarios.insert(spec.scenarios.end(), us.begin(), us.end());
      continue;
    }
    try {
      const BcbsShockTable table = config.bcbs_table_file.empty()
                                       ? builtin_bcbs_table(config.bcbs_version)
                                       : read_bcbs_table(config.bcbs_table_file, config.bcbs_version);
      for (const std::string& currency : spec.currencies) {
        if (!table.by_currency.count(currency)) {
          issues.push_back({file, 0, 0, "currency not in shock table",
                            currency + " has no BCBS 368 shock sizes in table " + table.version});
        }
      }
      const auto bcbs = bcbs_scenarios(table);
      spec.scenarios.insert(spec.scenarios.begin(), bcbs.begin(), bcbs.end());
    } catch (const InputError& e) {
      for (InputIssue issue : e.issues()) {
        if (issue.file.empty()) issue.file = file;
        issues.push_back(issue);
      }
    }
  }
  spec.scenarios.insert(spec.scenarios.end(), config.custom_scenarios.begin(),
                        config.custom_scenarios.end());
  return spec;
}

}  // namespace

RunConfig load_run_config(const std::string& path, bool need_balance_sheet) {
  std::vector<InputIssue> issues;
  Purpose purpose = need_balance_sheet ? Purpose::kRun : Purpose::kSimulate;
  RunConfig config = read_run_config(path, purpose, nullptr, issues);
  if (!issues.empty()) throw InputError(std::move(issues));
  return config;
}

EveSpec make_eve_spec(const RunConfig& config) {
  std::vector<InputIssue> issues;
  EveSpec spec = build_eve_spec(config, config.portfolio, issues);
  if (!issues.empty()) throw InputError(std::move(issues));
  return spec;
}

NiiSpec make_nii_spec(const RunConfig& config, const EveSpec& eve) {
  NiiSpec spec;
  static_cast<NiiOptions&>(spec) = config.nii;
  spec.seed = config.simulation.seed;
  spec.chunk_paths = config.simulation.chunk_paths;
  spec.quantiles = config.simulation.quantiles;
  const bool us = std::find(config.scenario_sets.begin(), config.scenario_sets.end(), "us") !=
                  config.scenario_sets.end();
  spec.scenarios = nii_scenarios(eve.scenarios, us);
  spec.lmm = config.lmm;
  spec.lmm_calibration = config.lmm_calibration;
  return spec;
}

namespace {

// The LMM tables a run will build, built now: a problem the tables find (more factors than the
// horizon leaves forward rates, a correlation the eigen-decomposition rejects) is an input
// problem of the configuration, found before any work.
void check_lmm_tables(const std::string& path, const LmmSpec& lmm, const DiscountCurve& curve,
                      std::vector<InputIssue>& issues) {
  try {
    build_lmm_tables(lmm, curve);
  } catch (const std::invalid_argument& e) {
    issues.push_back({path, 0, 0, "invalid LMM", e.what()});
  }
}

SimulationSpec simulation_part(const RunConfig& config, std::vector<InputIssue>& issues) {
  const std::string& path = config.simulation.config_file;
  SimulationSpec spec = config.simulation;
  spec.input_files = {path};
  for (const auto& [role, file] : config.input_files) spec.input_files.push_back(file);
  spec.lmm = config.lmm;
  spec.lmm_calibration = config.lmm_calibration;
  if (spec.lmm && !spec.grid.times.empty()) {
    const int periods = lmm_simulation_periods(spec);
    if (periods < 1) {
      issues.push_back({path, 0, 0, "grid too short",
                        "simulate with the LMM reports on its tenor dates: the grid's horizon must reach "
                        "one accrual period"});
    } else if (!spec.curve.times().empty()) {
      check_lmm_tables(path, on_monthly_steps(*spec.lmm, periods), spec.curve, issues);
    }
  }
  return spec;
}

std::int64_t physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<std::int64_t>(pages) * page : 0;
}

// A run keeps `bytes_per_path` of results for every path (for exact quantiles): refused before any
// work when they would not fit in 80% of this machine's memory (they ended in std::bad_alloc).
void check_paths_fit(std::int64_t paths, std::int64_t bytes_per_path, const std::string& source,
                     std::vector<InputIssue>& issues) {
  const std::int64_t memory = physical_memory_bytes();
  if (memory <= 0 || bytes_per_path <= 0) return;
  const std::int64_t most = memory / 10 * 8 / bytes_per_path;
  if (paths > most) {
    issues.push_back({source, 0, 0, "too many paths",
                      fmt::format("{} paths keep {:.1f} GB of per-path results ({} bytes a path); this machine has "
                                  "{:.1f} GB of memory: at most {} paths",
                                  paths, static_cast<double>(paths) * static_cast<double>(bytes_per_path) / 1e9,
                                  bytes_per_path, static_cast<double>(memory) / 1e9, most)});
  }
}

}  // namespace

CheckedInputs check_inputs(const std::string& path, Purpose purpose, const std::atomic<bool>* stop,
                           std::int64_t paths_override) {
  std::vector<InputIssue> issues;
  CheckedInputs in;
  in.config = read_run_config(path, purpose, stop, issues);
  in.checked_as = purpose;
  const RunConfig& config = in.config;
  const std::string paths_source = paths_override > 0 ? std::string("--paths") : path;
  if (purpose == Purpose::kSimulate) {
    in.simulation = simulation_part(config, issues);
    if (paths_override > 0) in.simulation.paths = paths_override;
    // Hull-White keeps histograms, whatever the paths; the LMM keeps every path's discount factors.
    if (config.lmm && !in.simulation.grid.times.empty()) {
      const auto dates = static_cast<std::int64_t>(std::max(1, lmm_simulation_periods(in.simulation))) + 1;
      check_paths_fit(in.simulation.paths, 8 * (dates + 1), paths_source, issues);
    }
  } else {
    in.eve = build_eve_spec(config, std::move(in.config.portfolio), issues);
    in.nii = make_nii_spec(config, in.eve);
    if (paths_override > 0) in.nii.paths = paths_override;
    if (config.nii_enabled && config.nii.monte_carlo) {
      // Every path's row of results, and one column of them at a time for the quantiles.
      const int width = nii_result_width(static_cast<int>(in.eve.portfolio.segments.size()), config.nii.horizon_months);
      check_paths_fit(in.nii.paths, 8 * (width + 1), paths_source, issues);
    }
    // What run_nii asks of the book and the model, asked now rather than after the EVE run.
    if (config.nii_enabled && in.eve.currencies.size() == 1) {
      if (in.eve.portfolio.segments.size() > static_cast<std::size_t>(kMaxNiiSegments)) {
        issues.push_back({config.positions_file, 0, 0, "too many segments",
                          fmt::format("the NII run reports at most {} segments; the book has {}", kMaxNiiSegments,
                                      in.eve.portfolio.segments.size())});
      }
      if (config.lmm && config.nii.monte_carlo && !in.eve.base_curves.empty()) {
        check_lmm_tables(path, on_monthly_steps(*config.lmm, periods_covering(*config.lmm, config.nii.horizon_months)),
                         in.eve.base_curves[0], issues);
      }
    }
  }
  if (!issues.empty()) throw InputError(std::move(issues));
  return in;
}

SimulationSpec load_simulation_config(const std::string& path) {
  return check_inputs(path, Purpose::kSimulate).simulation;
}

}  // namespace ratesim
