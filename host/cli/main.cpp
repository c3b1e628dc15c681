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
