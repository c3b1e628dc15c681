// The `ratesim` command line.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "ratesim/build_info.hpp"
#include "ratesim/config/simulation_config.hpp"
#include "ratesim/engine/backend.hpp"
#include "ratesim/engine/simulation.hpp"
#include "ratesim/io/input_error.hpp"
#include "ratesim/io/run_folder.hpp"
#include "ratesim/io/simulation_writer.hpp"
#include "ratesim/io/eve_writer.hpp"
#include "ratesim/portfolio/bank_generator.hpp"
#include "ratesim/scenario/scenario.hpp"
#include <fstream>

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;

struct SimulateOptions {
  std::string config;
  std::string device;
  std::int64_t paths = 0;
  std::int64_t seed = -1;
  std::string out;
};

int run_simulate(const SimulateOptions& options) {
  using namespace ratesim;
  const auto start = std::chrono::steady_clock::now();
  SimulationSpec spec = load_simulation_config(options.config);
  if (options.paths > 0) spec.paths = options.paths;
  if (options.seed >= 0) spec.seed = static_cast<std::uint64_t>(options.seed);
  if (options.device == "cpu") spec.device = DeviceChoice::kCpu;
  if (options.device == "gpu") spec.device = DeviceChoice::kGpu;
  if (options.device == "auto") spec.device = DeviceChoice::kAuto;

  const BackendSelection backend = select_backend(spec.device);
  if (!backend.note.empty()) std::fprintf(stderr, "ratesim: %s\n", backend.note.c_str());

  const std::filesystem::path out =
      options.out.empty() ? std::filesystem::path("runs") /
                                std::filesystem::path(options.config).stem()
                          : std::filesystem::path(options.out);
  RunFolder folder(out);
  const SimulationResult result = run_simulation(spec, backend);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  folder.write("summary.json", simulation_summary_json(spec, result, wall));
  folder.write("discount_factors.csv", discount_factors_csv(result));
  folder.write("short_rate.csv", short_rate_csv(spec, result));
  folder.commit();
  std::fputs(simulation_console_summary(spec, result).c_str(), stdout);
  std::printf("results in %s\n", folder.target().string().c_str());
  return kExitOk;
}

struct RunOptions {
  std::string config;
  std::string device;
  std::int64_t paths = 0;
  std::string out;
};

int run_balance_sheet(const RunOptions& options) {
  using namespace ratesim;
  const auto start = std::chrono::steady_clock::now();
  RunConfig config = load_run_config(options.config, true);
  if (options.paths > 0) config.nii_paths = options.paths;
  const EveSpec spec = make_eve_spec(config);
  DeviceChoice device = config.simulation.device;
  if (options.device == "cpu") device = DeviceChoice::kCpu;
  if (options.device == "gpu") device = DeviceChoice::kGpu;
  if (options.device == "auto") device = DeviceChoice::kAuto;
  const BackendSelection backend = select_backend(device);
  if (!backend.note.empty()) std::fprintf(stderr, "ratesim: %s\n", backend.note.c_str());

  const std::filesystem::path out =
      options.out.empty() ? std::filesystem::path("runs") / std::filesystem::path(options.config).stem()
                          : std::filesystem::path(options.out);
  RunFolder folder(out);
  const EveResult result = run_eve(spec, backend);
  const NiiSpec nii_spec = make_nii_spec(config, spec);
  NiiResult nii;
  NiiReport nii_report;
  if (!config.nii_enabled) {
    nii_report.note = "nii.enabled is false";
  } else if (spec.currencies.size() != 1) {
    nii_report.note = "the NII engine simulates one currency; this book has " +
                      std::to_string(spec.currencies.size());
  } else {
    nii = run_nii(spec, nii_spec, backend);
    nii_report = NiiReport{&nii_spec, &nii, ""};
  }
  EveRunInfo info{options.config, config.positions_file, config.simulation.seed,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
  folder.write("summary.json", eve_summary_json(spec, result, info, nii_report));
  folder.write("eve_by_scenario.csv", eve_by_scenario_csv(result));
  folder.write("repricing_gap.csv", repricing_gap_csv(spec, result));
  folder.write("sensitivities.csv", sensitivities_csv(spec, result));
  if (nii_report.result) {
    folder.write("nii_by_scenario.csv", nii_by_scenario_csv(nii));
    folder.write("nii_fan.csv", nii_fan_csv(nii_spec, nii));
    folder.write("distribution.csv", distribution_csv(nii));
    if (config.nii_write_paths && nii.paths > 0) folder.write("paths.csv", paths_csv(nii));
  }
  folder.commit();
  std::fputs(eve_console_summary(spec, result).c_str(), stdout);
  if (nii_report.result) std::fputs(nii_console_summary(nii_spec, nii).c_str(), stdout);
  if (!nii_report.note.empty()) std::printf("NII skipped: %s\n", nii_report.note.c_str());
  std::printf("results in %s\n", folder.target().string().c_str());
  return kExitOk;
}

int list_scenarios() {
  using namespace ratesim;
  std::printf("Built-in scenario sets (select with scenarios.sets in the configuration):\n\n");
  std::string versions;
  for (const std::string& v : builtin_bcbs_versions()) versions += (versions.empty() ? "" : ", ") + v;
  std::printf("bcbs368  BCBS 368 standardised EVE shocks, per-currency sizes (tables: %s)\n", versions.c_str());
  for (const Scenario& s : bcbs_scenarios(builtin_bcbs_table(builtin_bcbs_versions().front()))) {
    std::printf("  %s\n", s.name.c_str());
  }
  std::printf("\nus       US interagency advisory (2010): instantaneous parallel shocks\n");
  for (const Scenario& s : us_scenarios()) std::printf("  %-22s %s\n", s.name.c_str(), s.description.c_str());
  std::printf("\ncustom   files listed under scenarios.custom: tenor shifts or replacement curves "
              "(docs/scenarios.md)\n");
  return kExitOk;
}

struct GenerateOptions {
  int positions = 10000;
  std::uint64_t seed = 1;
  std::string valuation_date = "2026-06-30";
  std::string out;
};

int generate_bank(const GenerateOptions& options) {
  using namespace ratesim;
  const auto date = parse_iso_date(options.valuation_date);
  if (!date) {
    throw InputError(InputIssue{"--valuation-date", 0, 0, "not a date", "'" + options.valuation_date + "'"});
  }
  const std::string csv = generate_bank_csv(options.positions, options.seed, *date);
  // Written to a temporary name and renamed, so a failure never leaves a truncated file.
  const std::filesystem::path target(options.out);
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path());
  const std::filesystem::path staging = target.string() + ".partial";
  {
    std::ofstream file(staging, std::ios::binary | std::ios::trunc);
    file << csv;
    file.close();
    if (!file) throw std::runtime_error("cannot write " + staging.string());
  }
  std::filesystem::rename(staging, target);
  std::printf("wrote %d positions to %s\n", options.positions, options.out.c_str());
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ratesim: Monte Carlo interest-rate risk engine for the banking book (ALM, IRRBB)"};
  app.set_version_flag("--version", std::string("ratesim ") + ratesim::kVersion + " (commit " +
                                        ratesim::kGitCommit + ")");
  app.require_subcommand(1);

  SimulateOptions simulate;
  CLI::App* sim = app.add_subcommand(
      "simulate", "Simulate Hull-White paths for a configuration and summarise them");
  sim->add_option("config", simulate.config, "run configuration (YAML)")->required();
  sim->add_option("--device", simulate.device, "where to run: auto (default), cpu or gpu")
      ->check(CLI::IsMember({"auto", "cpu", "gpu"}));
  sim->add_option("--paths", simulate.paths, "number of Monte Carlo paths (overrides the config)")
      ->check(CLI::Range(std::int64_t{2}, std::int64_t{2147483647}));
  sim->add_option("--seed", simulate.seed, "random seed (overrides the config)")
      ->check(CLI::NonNegativeNumber);
  sim->add_option("--out", simulate.out, "output folder (default runs/<config name>)");

  RunOptions run;
  CLI::App* run_cmd = app.add_subcommand(
      "run", "Value the balance sheet under the base curve and every scenario: EVE, delta EVE, "
             "standardised EVE, repricing gap, sensitivities");
  run_cmd->add_option("config", run.config, "run configuration (YAML)")->required();
  run_cmd->add_option("--device", run.device, "where to run: auto (default), cpu or gpu")
      ->check(CLI::IsMember({"auto", "cpu", "gpu"}));
  run_cmd->add_option("--paths", run.paths, "Monte Carlo paths for NII and horizon EVE (overrides nii.paths)")
      ->check(CLI::Range(std::int64_t{2}, std::int64_t{2147483647}));
  run_cmd->add_option("--out", run.out, "output folder (default runs/<config name>)");

  CLI::App* scenarios_cmd = app.add_subcommand("scenarios", "List the built-in scenario sets");

  GenerateOptions generate;
  CLI::App* generate_cmd = app.add_subcommand(
      "generate-bank", "Write a synthetic bank's positions CSV (docs/positions.md)");
  generate_cmd->add_option("--positions", generate.positions, "number of positions")
      ->check(CLI::Range(1, 50000000));
  generate_cmd->add_option("--seed", generate.seed, "random seed");
  generate_cmd->add_option("--valuation-date", generate.valuation_date,
                           "the date the positions are dated around (default 2026-06-30)");
  generate_cmd->add_option("--out", generate.out, "output CSV file")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitBadInput;
  }

  try {
    if (*sim) return run_simulate(simulate);
    if (*run_cmd) return run_balance_sheet(run);
    if (*scenarios_cmd) return list_scenarios();
    if (*generate_cmd) return generate_bank(generate);
  } catch (const ratesim::InputError& e) {
    for (const ratesim::InputIssue& issue : e.issues()) {
      std::fprintf(stderr, "%s\n", issue.format().c_str());
    }
    std::fprintf(stderr, "ratesim: %zu input problem(s); nothing was written\n", e.issues().size());
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ratesim: error: %s\n", e.what());
    return kExitFailure;
  }
  return kExitFailure;
}
