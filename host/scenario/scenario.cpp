#include "ratesim/scenario/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "ratesim/io/csv.hpp"
#include "ratesim/io/input_error.hpp"
#include "ratesim/scenario/builtin_data.hpp"

namespace ratesim {
namespace {

constexpr double kBcbsDecay = 4.0;  // x in e^{-t/x}
constexpr double kBasisPoint = 1e-4;

BcbsShockTable parse_bcbs_table(const CsvTable& table, const std::string& version) {
  std::vector<InputIssue> issues = table.issues;
  const int ccy = table.find_column("currency"), par = table.find_column("parallel_bp"),
            shrt = table.find_column("short_bp"), lng = table.find_column("long_bp");
  if (ccy < 0 || par < 0 || shrt < 0 || lng < 0) {
    if (!table.header.cells.empty()) {
      issues.push_back({table.file, table.header.line, 1, "missing column",
                        "a shock table needs currency, parallel_bp, short_bp, long_bp"});
    }
    throw InputError(std::move(issues));
  }
  BcbsShockTable out;
  out.version = version;
  for (const CsvRow& row : table.rows) {
    ShockSizes sizes;
    double* fields[] = {&sizes.parallel, &sizes.short_rate, &sizes.long_rate};
    const int columns[] = {par, shrt, lng};
    bool ok = true;
    for (int f = 0; f < 3; ++f) {
      const CsvCell& cell = row.cells[static_cast<std::size_t>(columns[f])];
      const auto v = parse_finite_number(cell.text);
      if (!v || *v < 0.0) {
        issues.push_back({table.file, row.line, cell.column, "not a shock size",
                          "'" + cell.text + "' must be a non-negative number of basis points"});
        ok = false;
      } else {
        *fields[f] = *v * kBasisPoint;
      }
    }
    const std::string& code = row.cells[static_cast<std::size_t>(ccy)].text;
    if (!out.by_currency.emplace(code, sizes).second) {
      issues.push_back({table.file, row.line, 1, "duplicate currency", "'" + code + "'"});
    }
    (void)ok;
  }
  if (!issues.empty()) throw InputError(std::move(issues));
  return out;
}

}  // namespace

std::vector<std::string> builtin_bcbs_versions() {
  std::vector<std::string> versions;
  for (const BuiltinFile& f : builtin_bcbs_shock_tables()) {
    versions.push_back(f.name.substr(f.name.find('_') + 1));
  }
  return versions;
}

BcbsShockTable builtin_bcbs_table(const std::string& version) {
  for (const BuiltinFile& f : builtin_bcbs_shock_tables()) {
    if (f.name == "shocks_" + version) {
      return parse_bcbs_table(parse_csv(f.text, "scenarios/bcbs368/" + f.name + ".csv"), version);
    }
  }
  std::string known;
  for (const std::string& v : builtin_bcbs_versions()) known += (known.empty() ? "" : ", ") + v;
  throw InputError(InputIssue{"", 0, 0, "unknown shock table version",
                              "'" + version + "' (built in: " + known + ")"});
}

BcbsShockTable read_bcbs_table(const std::string& file, const std::string& version) {
  return parse_bcbs_table(read_csv(file), version);
}

double bcbs_shift(const std::string& shape, const ShockSizes& s, double t) {
  const double short_factor = std::exp(-t / kBcbsDecay);
  const double short_shock = s.short_rate * short_factor;
  const double long_shock = s.long_rate * (1.0 - short_factor);
  if (shape == "parallel_up") return s.parallel;
  if (shape == "parallel_down") return -s.parallel;
  if (shape == "short_up") return short_shock;
  if (shape == "short_down") return -short_shock;
  if (shape == "steepener") return -0.65 * short_shock + 0.9 * long_shock;
  if (shape == "flattener") return 0.8 * short_shock - 0.6 * long_shock;
  return 0.0;
}

std::vector<Scenario> bcbs_scenarios(const BcbsShockTable& table) {
  std::vector<Scenario> out;
  for (const char* shape : kBcbsScenarioNames) {
    Scenario s;
    s.name = std::string("bcbs368/") + shape;
    s.set = "bcbs368";
    s.description = std::string("BCBS 368 ") + shape + " (table " + table.version + ")";
    const std::string name = shape;
    s.shift = [table, name](const std::string& currency, double t) {
      const auto it = table.by_currency.find(currency);
      return it == table.by_currency.end() ? 0.0 : bcbs_shift(name, it->second, t);
    };
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Scenario> us_scenarios() {
  std::vector<Scenario> out;
  for (int bp : {100, -100, 200, -200, 300, -300, 400, -400}) {
    Scenario s;
    s.name = "us/parallel_" + std::string(bp > 0 ? "+" : "") + std::to_string(bp);
    s.set = "us";
    s.description = "US interagency instantaneous parallel shock of " + std::to_string(bp) + " bp";
    const double shift = bp * kBasisPoint;
    s.shift = [shift](const std::string&, double) { return shift; };
    out.push_back(std::move(s));
  }
  return out;
}

Scenario parallel_bump(const std::string& name, double bp) {
  Scenario s;
  s.name = name;
  s.set = "sensitivity";
  s.floored = false;
  const double shift = bp * kBasisPoint;
  s.shift = [shift](const std::string&, double) { return shift; };
  return s;
}

Scenario key_rate_bump(const std::string& name, const std::vector<double>& tenors, std::size_t k,
                       double bp) {
  Scenario s;
  s.name = name;
  s.set = "sensitivity";
  s.floored = false;
  const double size = bp * kBasisPoint;
  s.shift = [tenors, k, size](const std::string&, double t) {
    const double at = tenors[k];
    if (t <= at) {
      if (k == 0) return size;
      const double before = tenors[k - 1];
      return t <= before ? 0.0 : size * (t - before) / (at - before);
    }
    if (k + 1 == tenors.size()) return size;
    const double after = tenors[k + 1];
    return t >= after ? 0.0 : size * (after - t) / (after - at);
  };
  return s;
}

DiscountCurve shocked_curve(const DiscountCurve& base, const Scenario& scenario,
                            const std::string& currency, const PostShockFloor& floor) {
  if (const auto it = scenario.replacement.find(currency); it != scenario.replacement.end()) {
    return it->second;
  }
  std::set<double> nodes(base.times().begin() + 1, base.times().end());
  for (int m = 1; m <= 12; ++m) nodes.insert(m / 12.0);
  for (int q = 5; q <= 200; ++q) nodes.insert(q / 4.0);
  // The BCBS bucket midpoints, so the standardised measure reads the shock exactly there.
  for (double mid : {0.0028, 0.0417, 0.1667, 0.375, 0.625, 0.875, 1.25, 1.75, 2.5, 3.5, 4.5, 5.5,
                     6.5, 7.5, 8.5, 9.5, 12.5, 17.5, 25.0}) {
    nodes.insert(mid);
  }
  nodes.insert(1.0 / 365.0);
  std::vector<double> times, discounts;
  for (double t : nodes) {
    const double zero = base.zero_rate(t);
    double shocked = zero + (scenario.shift ? scenario.shift(currency, t) : 0.0);
    if (floor.enabled && scenario.floored) {
      shocked = std::max(shocked, std::min(zero, floor.at(t)));
    }
    times.push_back(t);
    discounts.push_back(std::exp(-shocked * t));
  }
  return DiscountCurve(times, discounts);
}

}  // namespace ratesim
