// The `ratesim` command line.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>

#include "ratesim/build_info.hpp"
#include "ratesim/config/simulation_config.hpp"
#include "ratesim/engine/backend.hpp"
#include "ratesim/engine/simulation.hpp"
#include "ratesim/io/input_error.hpp"
#include "ratesim/io/run_folder.hpp"
#include "ratesim/io/simulation_writer.hpp"
#include "host/cli/console.hpp"
#include "ratesim/io/eve_writer.hpp"
#include "ratesim/io/report.hpp"
#include "ratesim/model/lmm_tables.hpp"
#include "ratesim/portfolio/bank_generator.hpp"
#include "ratesim/scenario/scenario.hpp"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInterrupted = 130;  // 128 + SIGINT, as shells report it

using ratesim::cli::Console;
using ratesim::cli::LogLevel;

struct GlobalOptions {
  bool quiet = false;
  std::string log_level = "info";
};

Console make_console(const GlobalOptions& options) {
  const char* term = std::getenv("TERM");
  const bool terminal = isatty(fileno(stderr)) != 0 && !(term && std::string(term) == "dumb");
  const LogLevel level = options.quiet ? LogLevel::kError : ratesim::cli::parse_log_level(options.log_level);
  return Console(level, !options.quiet, terminal);
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return text;
}

// --device overrides the configuration's simulation.device when given.
ratesim::DeviceChoice device_choice(const std::string& option, ratesim::DeviceChoice configured) {
  if (option == "cpu") return ratesim::DeviceChoice::kCpu;
  if (option == "gpu") return ratesim::DeviceChoice::kGpu;
  if (option == "auto") return ratesim::DeviceChoice::kAuto;
  return configured;
}

// --out, or runs/<config name>.
std::filesystem::path output_folder(const std::string& option, const std::string& config) {
  return option.empty() ? std::filesystem::path("runs") / std::filesystem::path(config).stem()
                        : std::filesystem::path(option);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct SimulateOptions {
  std::string config;
  std::string device;
  std::int64_t paths = 0;
  std::int64_t seed = -1;
  std::string out;
};

int run_simulate(const SimulateOptions& options, Console& console) {
  using namespace ratesim;
  const auto start = std::chrono::steady_clock::now();
  const RunObserver observer = console.observer(cli::install_interrupt_handler());
  SimulationSpec spec = check_inputs(options.config, Purpose::kSimulate, observer.stop, options.paths).simulation;
  if (options.seed >= 0) spec.seed = static_cast<std::uint64_t>(options.seed);
  spec.device = device_choice(options.device, spec.device);

  const BackendSelection backend = select_backend(spec.device);
  if (!backend.note.empty()) console.warn(backend.note);
  console.info("simulate " + options.config + ": " + std::to_string(spec.paths) + " paths on " + backend.device);

  // Claimed before any work: a folder ratesim may not replace is refused now (exit 2).
  RunFolder folder(output_folder(options.out, options.config), spec.input_files, "simulate");
  const SimulationResult result = run_simulation(spec, backend, {}, &observer);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::string summary = simulation_summary_json(spec, result, wall);
  folder.write("summary.json", summary);
  folder.write("discount_factors.csv", discount_factors_csv(result));
  folder.write("short_rate.csv", short_rate_csv(spec, result));
  folder.write("report.html", simulation_report_html(summary, utc_now()));
  check_stop(&observer);
  folder.commit();
  std::fputs(simulation_console_summary(spec, result).c_str(), stdout);
  std::printf("results in %s (report: %s)\n", folder.target().string().c_str(),
              (folder.target() / "report.html").string().c_str());
  return kExitOk;
}

struct RunOptions {
  std::string config;
  std::string device;
  std::int64_t paths = 0;
  std::string out;
};

int run_balance_sheet(const RunOptions& options, Console& console) {
  using namespace ratesim;
  const auto start = std::chrono::steady_clock::now();
  const RunObserver observer = console.observer(cli::install_interrupt_handler());
  const RunObserver* watch = &observer;

  begin_phase(watch, "Reading inputs", 0, "");
  const CheckedInputs checked = check_inputs(options.config, Purpose::kRun, observer.stop, options.paths);
  const RunConfig& config = checked.config;
  const EveSpec& spec = checked.eve;
  const NiiSpec& nii_spec = checked.nii;
  end_phase(watch, "Reading inputs", seconds_since(start));

  const BackendSelection backend = select_backend(device_choice(options.device, config.simulation.device));
  if (!backend.note.empty()) console.warn(backend.note);
  console.info(fmt::format("run {}: {} positions, {} scenarios, on {}", options.config, spec.portfolio.size(),
                           spec.scenarios.size(), backend.device));

  // Claimed before any work: a folder ratesim may not replace is refused now (exit 2).
  std::vector<std::string> inputs{options.config};
  for (const auto& [role, file] : config.input_files) inputs.push_back(file);
  RunFolder folder(output_folder(options.out, options.config), inputs, "run");
  const EveResult result = run_eve(spec, backend, watch);
  NiiResult nii;
  NiiReport nii_report;
  if (!config.nii_enabled) {
    nii_report.note = "nii.enabled is false";
  } else if (spec.currencies.size() != 1) {
    nii_report.note = "the NII engine simulates one currency; this book has " +
                      std::to_string(spec.currencies.size());
  } else {
    nii = run_nii(spec, nii_spec, backend, watch);
    nii_report = NiiReport{&nii_spec, &nii, ""};
  }
  check_stop(watch);

  EveRunInfo info{options.config, config.positions_file, config.simulation.seed, seconds_since(start),
                  config.input_files, console.phase_seconds()};
  const std::string summary = eve_summary_json(spec, result, info, nii_report);
  folder.write("summary.json", summary);
  folder.write("eve_by_scenario.csv", eve_by_scenario_csv(result));
  folder.write("repricing_gap.csv", repricing_gap_csv(spec, result));
  folder.write("sensitivities.csv", sensitivities_csv(spec, result));
  if (nii_report.result) {
    folder.write("nii_by_scenario.csv", nii_by_scenario_csv(nii));
    folder.write("nii_fan.csv", nii_fan_csv(nii_spec, nii));
    folder.write("distribution.csv", distribution_csv(nii));
    if (config.nii_write_paths && nii.paths > 0) folder.write("paths.csv", paths_csv(nii));
  }
  folder.write("report.html", report_html(spec, result, nii_report, summary, utc_now()));
  check_stop(watch);
  folder.commit();
  std::fputs(eve_console_summary(spec, result).c_str(), stdout);
  if (nii_report.result) std::fputs(nii_console_summary(nii_spec, nii).c_str(), stdout);
  if (!nii_report.note.empty()) std::printf("NII skipped: %s\n", nii_report.note.c_str());
  std::printf("results in %s (report: %s)\n", folder.target().string().c_str(),
              (folder.target() / "report.html").string().c_str());
  return kExitOk;
}

// `validate`: the check `run` makes (or `simulate`, for a configuration without positions) and
// nothing more: it accepts exactly what that command accepts, and prints every problem at once.
int validate(const std::string& config_file, Console& console) {
  using namespace ratesim;
  const CheckedInputs inputs = check_inputs(config_file, Purpose::kAsConfigured, cli::install_interrupt_handler());
  const RunConfig& config = inputs.config;
  if (inputs.checked_as == Purpose::kSimulate) {
    std::printf("%s: valid simulation configuration (no positions): %lld paths, %d grid dates, %zu indices, model %s\n",
                config_file.c_str(), static_cast<long long>(config.simulation.paths), config.simulation.grid.size(),
                config.simulation.indices.size(), config.lmm ? "lmm" : "hull_white");
    return kExitOk;
  }
  const EveSpec& spec = inputs.eve;
  std::map<std::string, int> by_kind;
  for (PositionKind k : spec.portfolio.kind) ++by_kind[position_kind_name(k)];
  std::string kinds;
  for (const auto& [kind, count] : by_kind) kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", count, kind);
  std::printf("%s: valid: %d positions (%s) in %zu currencies, %zu scenarios, %zu behaviour profiles, "
              "NII %s, model %s\n",
              config_file.c_str(), spec.portfolio.size(), kinds.c_str(), spec.currencies.size(), spec.scenarios.size(),
              config.behaviours.profiles.size(),
              config.nii_enabled ? fmt::format("{} months, {} paths", inputs.nii.horizon_months,
                                               inputs.nii.monte_carlo ? inputs.nii.paths : 0).c_str()
                                 : "off",
              config.lmm ? "lmm" : "hull_white");
  for (const auto& [role, file] : config.input_files) console.info(fmt::format("read {}: {}", role, file));
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
  // Claimed first: an existing file ratesim did not write is refused before any work (exit 2);
  // the file is written under a temporary name and renamed, never left truncated.
  RunFile file(options.out, "generate-bank");
  const std::atomic<bool>* stop = cli::install_interrupt_handler();
  file.commit([&](std::ostream& out) {
    generate_bank_csv(
        options.positions, options.seed, *date,
        [&](std::string_view text) { out.write(text.data(), static_cast<std::streamsize>(text.size())); }, stop);
  });
  std::printf("wrote %d positions to %s\n", options.positions, options.out.c_str());
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ratesim: Monte Carlo interest-rate risk engine for the banking book (ALM, IRRBB)"};
  app.set_version_flag("--version", std::string("ratesim ") + ratesim::kVersion + " (commit " +
                                        ratesim::kGitCommit + ")");
  app.require_subcommand(1);
  app.fallthrough();  // the options below are accepted after the subcommand too
  GlobalOptions global;
  app.add_flag("-q,--quiet", global.quiet, "print only the results and errors: no progress, no log lines");
  app.add_option("--log-level", global.log_level, "error, warn, info (default) or debug")
      ->check(CLI::IsMember({"error", "warn", "info", "debug"}));

  SimulateOptions simulate;
  CLI::App* sim = app.add_subcommand(
      "simulate", "Simulate the rate model (Hull-White, or the LMM) alone and check it against the curve");
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

  std::string validate_config;
  CLI::App* validate_cmd = app.add_subcommand(
      "validate", "Check every input of a configuration (config, curves, positions, scenarios, behaviour "
                  "profiles) and print all problems at once, without running");
  validate_cmd->add_option("config", validate_config, "run configuration (YAML)")->required();

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

  Console console = make_console(global);
  try {
    if (*sim) return run_simulate(simulate, console);
    if (*run_cmd) return run_balance_sheet(run, console);
    if (*validate_cmd) return validate(validate_config, console);
    if (*scenarios_cmd) return list_scenarios();
    if (*generate_cmd) return generate_bank(generate);
  } catch (const ratesim::InputError& e) {
    for (const ratesim::InputIssue& issue : e.issues()) {
      std::fprintf(stderr, "%s\n", issue.format().c_str());
    }
    std::fprintf(stderr, "ratesim: %zu input problem(s)%s\n", e.issues().size(),
                 *validate_cmd ? "" : "; nothing was written");
    return kExitBadInput;
  } catch (const ratesim::RunInterrupted&) {
    console.error("interrupted; nothing was written (an earlier run's output folder is unchanged)");
    return kExitInterrupted;
  } catch (const std::exception& e) {
    console.error(e.what());
    return kExitFailure;
  }
  return kExitFailure;
}
