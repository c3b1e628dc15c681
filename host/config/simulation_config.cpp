#include "ratesim/config/simulation_config.hpp"

#include <filesystem>

#include "host/config/yaml_reader.hpp"
#include "ratesim/curve/curve_reader.hpp"
#include "ratesim/io/input_error.hpp"

namespace ratesim {
namespace {

namespace fs = std::filesystem;

constexpr long long kMaxPaths = (1LL << 31) - 1;

std::string resolve(const std::string& config_file, const std::string& path) {
  const fs::path p(path);
  if (p.is_absolute()) return path;
  return (fs::path(config_file).parent_path() / p).lexically_normal().string();
}

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
      const auto t = yaml.number(item, "grid.times entry");
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
    if (auto v = yaml.integer(hy, "grid.horizon_years")) horizon = *v * 12;
  }
  if (horizon < step || horizon > 50 * 12) {
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

SimulationSpec load_simulation_config(const std::string& path) {
  YamlReader yaml(path);
  const YAML::Node root = yaml.load();
  SimulationSpec spec;
  spec.config_file = path;
  if (!yaml.issues().empty()) throw InputError(yaml.issues());
  if (!yaml.check_map(root, "the configuration",
                      {"valuation_date", "day_count", "curve", "model", "grid", "indices",
                       "simulation", "output"})) {
    throw InputError(yaml.issues());
  }

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

  // Model.
  const YAML::Node model = yaml.child(root, "model", "the configuration", true);
  if (model.IsDefined() &&
      yaml.check_map(model, "model", {"type", "mean_reversion", "volatility"})) {
    if (auto type = yaml.string(yaml.child(model, "type", "model", true), "model.type")) {
      if (*type != "hull_white") {
        yaml.issue(model["type"], "unknown model", "'" + *type + "' (allowed: hull_white)");
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

  read_grid(yaml, yaml.child(root, "grid", "the configuration", false), spec, have_date);
  read_indices(yaml, yaml.child(root, "indices", "the configuration", false), spec);

  // Simulation.
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

  // Output.
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

  // Curve last: its file's problems follow the configuration's own.
  const YAML::Node curve = yaml.child(root, "curve", "the configuration", true);
  CurveInputSpec curve_input;
  bool curve_ok = false;
  if (curve.IsDefined() && yaml.check_map(curve, "curve", {"file", "compounding"})) {
    if (auto file = yaml.string(yaml.child(curve, "file", "curve", true), "curve.file")) {
      curve_input.file = resolve(path, *file);
      curve_ok = true;
    }
    if (const YAML::Node c = yaml.child(curve, "compounding", "curve", false); c.IsDefined()) {
      const auto text = yaml.string(c, "curve.compounding");
      if (text && *text == "continuous") curve_input.compounding = Compounding::kContinuous;
      else if (text && *text == "annual") curve_input.compounding = Compounding::kAnnual;
      else if (text) yaml.issue(c, "unknown compounding", "'" + *text + "' (allowed: continuous, annual)");
    }
  }
  std::vector<InputIssue> issues = yaml.issues();
  if (curve_ok && have_date) {
    curve_input.valuation_date = spec.valuation_date;
    curve_input.day_count = spec.day_count;
    spec.curve_file = curve_input.file;
    try {
      spec.curve = read_curve_csv(curve_input);
    } catch (const InputError& e) {
      issues.insert(issues.end(), e.issues().begin(), e.issues().end());
    }
  }
  if (!issues.empty()) throw InputError(std::move(issues));
  return spec;
}

}  // namespace ratesim
