#pragma once
// Shared fixtures for the test suites.

#include <cstdint>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ratesim/engine/backend.hpp"
#include "ratesim/engine/simulation.hpp"

namespace ratesim::test {

/// The worst value a validation test reaches for one checked quantity (an error in standard errors,
/// a relative error), beside the limit its assertions allow. Recorded as a test property when the
/// test ends; scripts/validation-figures collects them into docs/validation.md, so the documents
/// quote what the tests measure rather than only what they allow.
class Figure {
 public:
  Figure(std::string name, double limit) : name_(std::move(name)), limit_(limit) {}
  Figure(const Figure&) = delete;
  Figure& operator=(const Figure&) = delete;
  ~Figure() {
    char text[96];
    std::snprintf(text, sizeof text, "%.3g of %.3g (%d checks)", worst_, limit_, count_);
    ::testing::Test::RecordProperty("figure: " + name_, text);
  }
  /// Notes one checked value; returns it, so it can stand inside the assertion.
  double operator()(double value) {
    if (!(value <= worst_)) worst_ = value;  // NaN is kept: it is the worst
    ++count_;
    return value;
  }

 private:
  std::string name_;
  double limit_;
  double worst_ = 0.0;
  int count_ = 0;
};

/// An upward sloping curve with a hump, continuously compounded zero rates at yearly-ish nodes.
inline DiscountCurve sample_curve() {
  const std::vector<double> t{0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 15.0, 20.0, 30.0};
  const std::vector<double> z{0.030, 0.031, 0.032, 0.034, 0.035, 0.037, 0.038, 0.039, 0.040,
                              0.0405, 0.039};
  std::vector<double> df;
  for (std::size_t i = 0; i < t.size(); ++i) df.push_back(std::exp(-z[i] * t[i]));
  return DiscountCurve(t, df);
}

/// A Hull-White run on sample_curve(): monthly calendar grid from 2026-06-30, default indices.
inline SimulationSpec hull_white_spec(double a, double sigma, int horizon_months,
                                      std::int64_t paths, std::uint64_t seed) {
  SimulationSpec spec;
  spec.valuation_date = make_date(2026, 6, 30);
  spec.curve = sample_curve();
  spec.model = HullWhiteParams{a, sigma};
  spec.grid = make_calendar_grid(spec.valuation_date, DayCount::kAct365Fixed, 1, horizon_months);
  spec.indices = default_indices();
  spec.paths = paths;
  spec.seed = seed;
  return spec;
}

/// A file of the source tree: under $RATESIM_SOURCE_DIR when set (scripts/device-check runs the
/// test binaries away from the tree they were built in), else the tree the build came from.
inline std::string source_path(const std::string& relative) {
  const char* root = std::getenv("RATESIM_SOURCE_DIR");
  return std::string(root && *root ? root : RATESIM_SOURCE_DIR) + "/" + relative;
}

/// A suite that runs on every backend: the CPU always, and CUDA where this build has it and a GPU
/// is usable (skipped, saying why, elsewhere; scripts/device-check fails such a skip on a machine
/// with a GPU). Instantiate with RATESIM_ON_EVERY_BACKEND(Suite); tests take backend().
class EveryBackend : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() != Backend::kCuda) return;
    if (!cuda_backend_compiled()) GTEST_SKIP() << "built without the CUDA backend";
    try {
      select_backend(DeviceChoice::kGpu);
    } catch (const std::exception& e) {
      GTEST_SKIP() << "no usable GPU: " << e.what();
    }
  }
  BackendSelection backend() const {
    return select_backend(GetParam() == Backend::kCuda ? DeviceChoice::kGpu : DeviceChoice::kCpu);
  }
};

}  // namespace ratesim::test

namespace ratesim {
/// How googletest prints a backend parameter (and so how ctest names the case).
inline void PrintTo(Backend backend, std::ostream* out) { *out << (backend == Backend::kCuda ? "Cuda" : "Cpu"); }
}  // namespace ratesim

namespace ratesim::test {

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kCuda ? "Cuda" : "Cpu";
}

#define RATESIM_ON_EVERY_BACKEND(Suite)                                                               \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::Values(::ratesim::Backend::kCpu, ::ratesim::Backend::kCuda), \
                           ::ratesim::test::backend_name)

/// Folders made by temp_dir(), removed when the test process exits.
struct TempDirs {
  std::vector<std::filesystem::path> made;
  ~TempDirs() {
    std::error_code ignored;
    for (const auto& dir : made) std::filesystem::remove_all(dir, ignored);
  }
};
inline TempDirs& temp_dirs() {
  static TempDirs dirs;
  return dirs;
}

/// A fresh empty folder under the system temporary directory, unique to the running test and
/// process: ctest runs tests of one binary in parallel processes, so a shared name would race.
inline std::filesystem::path temp_dir(const std::string& name) {
  const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string owner = test ? std::string(test->test_suite_name()) + "." + test->name() : "none";
  const auto dir = std::filesystem::temp_directory_path() /
                   ("ratesim-test-" + name + "-" + owner + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  temp_dirs().made.push_back(dir);
  return dir;
}

/// The positions CSV header with every column (docs/positions.md), without its end of line.
inline constexpr const char* kPositionsHeader =
    "id,segment,side,kind,currency,notional,start_date,maturity_date,amortization,"
    "payment_frequency_months,day_count,rate,index_tenor_months,spread,reset_frequency_months,"
    "cap_rate,floor_rate,swap_leg,strike,behaviour,nmd_category";

/// What a command printed and its exit code.
struct CommandResult {
  int exit_code = -1;
  std::string out, err;
};

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Runs the ratesim binary with `args`, capturing stdout and stderr in files under `dir`.
inline CommandResult ratesim(const std::string& args, const std::filesystem::path& dir) {
  const std::filesystem::path out = dir / "stdout.txt", err = dir / "stderr.txt";
  const std::string command = std::string(RATESIM_BINARY) + " " + args + " > " + out.string() +
                              " 2> " + err.string();
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

/// How a ratesim interrupted by Ctrl-C ended.
struct Interrupted {
  std::string status;  ///< its exit status ("130\n" when it stopped as it should)
  int milliseconds = -1;  ///< from SIGINT to its end
  std::string err;
};

/// Starts ratesim with `args` in `dir` (stdout and stderr to files there), waits until the shell
/// condition `ready` holds (e.g. "grep -q 'EVE revaluation:' stderr.txt"; at most 30 s), sends
/// SIGINT and waits for it to end.
inline Interrupted interrupt_ratesim(const std::string& args, const std::filesystem::path& dir, const std::string& ready) {
  const std::string command = "cd " + dir.string() + " && (" + RATESIM_BINARY + " " + args +
                              " > stdout.txt 2> stderr.txt & pid=$!; for i in $(seq 600); do " + ready +
                              " && break; sleep 0.05; done; start=$(date +%s%N); kill -INT $pid; wait $pid; "
                              "echo $? > status.txt; echo $(( ($(date +%s%N) - start) / 1000000 )) > ms.txt)";
  if (std::system(command.c_str()) != 0) return {};
  return {slurp(dir / "status.txt"), std::stoi(slurp(dir / "ms.txt")), slurp(dir / "stderr.txt")};
}

}  // namespace ratesim::test
