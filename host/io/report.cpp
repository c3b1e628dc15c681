#include "ratesim/io/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "ratesim/scenario/builtin_data.hpp"

namespace ratesim {
namespace {

using nlohmann::ordered_json;

const std::string& asset(const std::string& name) {
  for (const BuiltinFile& f : builtin_report_assets()) {
    if (f.name == name) return f.text;
  }
  throw std::logic_error("report asset missing from the build: " + name);
}

// Equal-width bins over the sample's range, with markers at the quantiles and the given values.
ordered_json histogram(std::vector<double> values, const Distribution& d,
                       const std::vector<std::pair<std::string, double>>& extra_markers) {
  constexpr int kBins = 40;
  std::sort(values.begin(), values.end());
  double lo = values.front(), hi = values.back();
  for (const auto& [label, v] : extra_markers) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (!(hi > lo)) {  // a degenerate sample: one bin around the value
    const double pad = std::max(1.0, std::fabs(lo) * 1e-6);
    lo -= pad;
    hi += pad;
  }
  const double width = (hi - lo) / kBins;
  ordered_json edges = ordered_json::array(), counts = ordered_json::array();
  std::vector<long long> count(kBins, 0);
  for (double v : values) ++count[static_cast<std::size_t>(std::clamp(static_cast<int>((v - lo) / width), 0, kBins - 1))];
  for (int b = 0; b <= kBins; ++b) edges.push_back(lo + b * width);
  for (long long c : count) counts.push_back(c);
  ordered_json markers = ordered_json::array();
  for (const QuantileEstimate& q : d.quantiles) {
    markers.push_back({{"label", fmt::format("p{:g}", 100.0 * q.level)}, {"value", q.value}});
  }
  markers.push_back({{"label", "mean"}, {"value", d.mean}});
  for (const auto& [label, v] : extra_markers) markers.push_back({{"label", label}, {"value", v}});
  return {{"edges", edges}, {"counts", counts}, {"markers", markers}};
}

ordered_json nii_fan(const NiiSpec& spec, const NiiResult& n) {
  const int months = static_cast<int>(n.month_starts.size());
  const int first_month_column = 1 + static_cast<int>(n.segments.size());
  const auto width = static_cast<std::size_t>(n.width());
  std::vector<double> running(static_cast<std::size_t>(n.paths), 0.0), sorted;
  ordered_json labels = ordered_json::array(), base = ordered_json::array();
  std::vector<ordered_json> by_level(spec.quantiles.size(), ordered_json::array());
  double base_running = 0.0;
  for (int k = 0; k < months; ++k) {
    for (std::size_t p = 0; p < running.size(); ++p) running[p] += n.path_values[p * width + static_cast<std::size_t>(first_month_column + k)];
    sorted = running;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t q = 0; q < spec.quantiles.size(); ++q) by_level[q].push_back(sorted_quantile(sorted, spec.quantiles[q]));
    base_running += n.base.by_month[static_cast<std::size_t>(k)];
    base.push_back(base_running);
    labels.push_back(format_iso_date(n.month_starts[static_cast<std::size_t>(k)]).substr(0, 7));
  }
  return {{"months", labels}, {"levels", spec.quantiles}, {"quantiles", by_level}, {"base", base}};
}

ordered_json shocked_curves(const EveSpec& spec, const EveResult& result) {
  std::size_t c = 0;
  while (c < spec.currencies.size() && spec.currencies[c] != spec.reporting_currency) ++c;
  if (c == spec.currencies.size()) c = 0;
  const DiscountCurve& base = spec.base_curves.at(c);
  const std::string& currency = spec.currencies.at(c);
  std::vector<double> tenors{0.083333333333333329, 0.25, 0.5, 0.75};
  for (double t = 1.0; t <= 30.0; t += 1.0) tenors.push_back(t);
  auto zero_rates = [&](const DiscountCurve& curve) {
    ordered_json points = ordered_json::array();
    for (double t : tenors) points.push_back({{"x", t}, {"y", curve.zero_rate(t)}});
    return points;
  };
  ordered_json scenarios;
  for (const Scenario& s : spec.scenarios) {
    if (std::none_of(result.scenarios.begin(), result.scenarios.end(), [&](const ScenarioEve& e) { return e.name == s.name; })) continue;
    scenarios[s.name] = zero_rates(shocked_curve(base, s, currency, spec.floor));
  }
  return {{"currency", currency}, {"tenors", tenors}, {"base", zero_rates(base)}, {"scenarios", scenarios}};
}

// JSON inside <script type="application/json">: "</script" would end the element early and
// "<!--" would change how it is parsed, so every "<" (which JSON has only inside strings) is
// written as the escape \u003c, the same string to a JSON parser.
std::string script_safe(const std::string& json) {
  std::string out;
  out.reserve(json.size());
  for (char ch : json) {
    if (ch == '<') out += "\\u003c";
    else out += ch;
  }
  return out;
}

void replace_once(std::string& text, const std::string& marker, const std::string& with) {
  const std::size_t at = text.find(marker);
  if (at == std::string::npos) throw std::logic_error("report template lacks " + marker);
  text.replace(at, marker.size(), with);
}

// The template with Chart.js and the page's data filled in.
std::string page_with(const ordered_json& data) {
  std::string page = asset("report");
  replace_once(page, "/*RATESIM_CHART_JS*/", asset("chart"));
  replace_once(page, "/*RATESIM_REPORT_DATA*/", script_safe(data.dump()));
  return page;
}

}  // namespace

std::string report_html(const EveSpec& spec, const EveResult& result, const NiiReport& nii,
                        const std::string& summary_json, const std::string& generated) {
  ordered_json charts;
  if (nii.result && nii.spec && nii.result->paths > 0) {
    const NiiResult& n = *nii.result;
    const auto width = static_cast<std::size_t>(n.width());
    std::vector<double> totals, eves;
    for (std::int64_t p = 0; p < n.paths; ++p) {
      totals.push_back(n.path_values[static_cast<std::size_t>(p) * width]);
      eves.push_back(n.path_values[static_cast<std::size_t>(p) * width + static_cast<std::size_t>(n.eve_column())]);
    }
    charts["nii_histogram"] = histogram(totals, n.total, {{"base scenario", n.base.total}});
    charts["eve_histogram"] = histogram(eves, n.eve, {});
    charts["nii_fan"] = nii_fan(*nii.spec, n);
  }
  charts["curves"] = shocked_curves(spec, result);
  return page_with({{"generated", generated}, {"summary", ordered_json::parse(summary_json)}, {"charts", charts}});
}

std::string simulation_report_html(const std::string& summary_json, const std::string& generated) {
  return page_with({{"generated", generated},
                    {"summary", ordered_json::parse(summary_json)},
                    {"charts", ordered_json::object()}});
}

}  // namespace ratesim
