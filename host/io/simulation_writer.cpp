#include "host/io/finite_figures.hpp"
#include "ratesim/io/simulation_writer.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "host/io/run_metadata.hpp"

namespace ratesim {
namespace {

using nlohmann::ordered_json;

double z_score(const DateSummary& d) {
  return d.mc_discount_std_error > 0.0
             ? (d.mc_discount_mean - d.curve_discount) / d.mc_discount_std_error
             : 0.0;
}

std::string date_text(const DateSummary& d) { return d.date ? format_iso_date(*d.date) : ""; }

// Shortest text that reads back as the same double; empty for NaN (a figure with no closed form).
std::string exact(double v) { return std::isnan(v) ? std::string() : fmt::format("{}", v); }

}  // namespace

std::string quantile_key(double level) { return fmt::format("{}", level); }

std::string simulation_summary_json(const SimulationSpec& spec, const SimulationResult& result,
                                    double wall_seconds) {
  ordered_json run = run_metadata("simulate", spec.config_file, result.backend);
  run["seed"] = spec.seed;
  run["paths"] = result.paths;
  run["chunks"] = result.chunks;
  run["valuation_date"] = format_iso_date(spec.valuation_date);
  run["day_count"] = day_count_name(spec.day_count);
  run["timings"] = {{"setup_s", result.setup_seconds},
                    {"generate_s", result.generate_seconds},
                    {"reduce_s", result.reduce_seconds},
                    {"simulation_s", result.total_seconds},
                    {"wall_s", wall_seconds}};

  ordered_json j;
  j["run"] = run;
  if (spec.lmm) {
    j["model"] = lmm_model_json(*spec.lmm, spec.lmm_calibration);
  } else {
    j["model"] = {{"type", "hull_white"},
                  {"mean_reversion", spec.model.mean_reversion},
                  {"volatility", spec.model.volatility}};
  }
  j["curve"] = {{"file", spec.curve_file},
                {"nodes", static_cast<int>(spec.curve.times().size()) - 1}};
  j["grid"] = {{"dates", spec.grid.size()}, {"horizon_years", spec.grid.times.back()}};
  ordered_json indices = ordered_json::array();
  for (const IndexSpec& index : spec.indices) {
    indices.push_back({{"name", index.name},
                       {"type", index.kind == IndexKind::kSimple ? "simple" : "par_swap"},
                       {"tenor_months", index.tenor_months},
                       {"fixed_frequency_months", index.fixed_frequency_months},
                       {"day_count", day_count_name(index.day_count)}});
  }
  j["indices"] = indices;

  ordered_json discounts = ordered_json::array();
  ordered_json short_rates = ordered_json::array();
  double max_abs_z = 0.0;
  for (const DateSummary& d : result.dates) {
    const double z = z_score(d);
    max_abs_z = std::max(max_abs_z, std::fabs(z));
    discounts.push_back({{"date", date_text(d)},
                         {"t", d.time},
                         {"curve", d.curve_discount},
                         {"mc_mean", d.mc_discount_mean},
                         {"std_error", d.mc_discount_std_error},
                         {"z", z}});
    ordered_json quantiles;
    for (std::size_t i = 0; i < spec.quantiles.size(); ++i) {
      quantiles[quantile_key(spec.quantiles[i])] = d.short_rate_quantiles[i];
    }
    short_rates.push_back({{"date", date_text(d)},
                           {"t", d.time},
                           {"mean", d.short_rate_mean},
                           {"std", d.short_rate_std},
                           // No closed form under the LMM's spot measure: null, said on purpose.
                           {"model_mean", spec.lmm ? ordered_json(nullptr) : ordered_json(d.model_short_rate_mean)},
                           {"model_std", spec.lmm ? ordered_json(nullptr) : ordered_json(d.model_short_rate_std)},
                           {"quantiles", quantiles}});
  }
  j["discount_factors"] = discounts;
  j["short_rate"] = short_rates;
  j["checks"] = {{"discount_max_abs_z", max_abs_z},
                 {"discount_within_4_std_errors", max_abs_z <= 4.0}};
  require_finite_figures(j);
  return j.dump(2) + "\n";
}

std::string discount_factors_csv(const SimulationResult& result) {
  std::string out = "date,t,curve_discount,mc_mean,std_error,z\n";
  for (const DateSummary& d : result.dates) {
    out += fmt::format("{},{},{},{},{},{}\n", date_text(d), exact(d.time), exact(d.curve_discount),
                       exact(d.mc_discount_mean), exact(d.mc_discount_std_error), exact(z_score(d)));
  }
  return out;
}

std::string short_rate_csv(const SimulationSpec& spec, const SimulationResult& result) {
  std::string out = "date,t,mean,std,model_mean,model_std";
  for (double q : spec.quantiles) out += ",q" + quantile_key(q);
  out += '\n';
  for (const DateSummary& d : result.dates) {
    out += fmt::format("{},{},{},{},{},{}", date_text(d), exact(d.time), exact(d.short_rate_mean),
                       exact(d.short_rate_std), exact(d.model_short_rate_mean),
                       exact(d.model_short_rate_std));
    for (double v : d.short_rate_quantiles) out += "," + exact(v);
    out += '\n';
  }
  return out;
}

std::string simulation_console_summary(const SimulationSpec& spec, const SimulationResult& result) {
  const std::string model =
      spec.lmm ? fmt::format("LMM {} rates of {} months, {} factor(s), on its tenor dates (rate: spot LIBOR)",
                             spec.lmm->n_rates, spec.lmm->accrual_months, spec.lmm->n_factors)
               : fmt::format("Hull-White a={} sigma={}", spec.model.mean_reversion, spec.model.volatility);
  std::string out = fmt::format("{}; {} paths, seed {}, {} chunk(s) on {}; {:.2f} s\n", model, result.paths,
                                spec.seed, result.chunks.size(), result.backend.device, result.total_seconds);
  out += fmt::format("{:>10}  {:>6}  {:>10}  {:>10}  {:>9}  {:>6}  {:>8}  {:>8}  {:>8}\n", "date",
                     "t", "P(0,t)", "E[D(0,t)]", "std err", "z", "r q1%", "r q50%", "r q99%");
  const std::size_t n = result.dates.size();
  const std::size_t stride = std::max<std::size_t>(1, (n - 1) / 10);
  auto quantile_at = [&](const DateSummary& d, double level) {
    for (std::size_t i = 0; i < spec.quantiles.size(); ++i) {
      if (spec.quantiles[i] == level) return fmt::format("{:7.3f}%", 100.0 * d.short_rate_quantiles[i]);
    }
    return std::string(8, '-');
  };
  for (std::size_t k = stride; k < n; k += stride) {
    const DateSummary& d = result.dates[k];
    out += fmt::format("{:>10}  {:6.2f}  {:10.7f}  {:10.7f}  {:9.2e}  {:6.2f}  {}  {}  {}\n",
                       date_text(d), d.time, d.curve_discount, d.mc_discount_mean,
                       d.mc_discount_std_error, z_score(d), quantile_at(d, 0.01),
                       quantile_at(d, 0.5), quantile_at(d, 0.99));
  }
  return out;
}

}  // namespace ratesim
