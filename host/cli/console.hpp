#pragma once
// What the command line tells a person while it works: log lines at a chosen level, and a
// progress display (a redrawn bar on a terminal, plain lines otherwise) driven by the engine's
// RunObserver. Everything goes to stderr; stdout keeps the results.

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ratesim/engine/progress.hpp"

namespace ratesim::cli {

enum class LogLevel { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3 };

/// "error", "warn", "info", "debug".
LogLevel parse_log_level(const std::string& text);

class Console {
 public:
  /// `terminal`: stderr is an interactive terminal (the bar is redrawn in place).
  Console(LogLevel level, bool show_progress, bool terminal);

  void log(LogLevel level, const std::string& message);
  void error(const std::string& message) { log(LogLevel::kError, message); }
  void warn(const std::string& message) { log(LogLevel::kWarn, message); }
  void info(const std::string& message) { log(LogLevel::kInfo, message); }

  /// An observer that draws this console's progress and records each phase's seconds; `stop` is
  /// the flag the interrupt handler sets.
  RunObserver observer(const std::atomic<bool>* stop);
  const std::vector<std::pair<std::string, double>>& phase_seconds() const { return phases_; }

 private:
  using Clock = std::chrono::steady_clock;
  void begin(const std::string& phase, std::int64_t total, const std::string& unit);
  void advance(std::int64_t done);
  void end(const std::string& phase, double seconds);
  void clear_bar();

  LogLevel level_;
  bool progress_, terminal_;
  bool bar_drawn_ = false;
  std::string phase_, unit_;
  std::int64_t total_ = 0;
  int last_decile_ = 0;
  Clock::time_point phase_start_, last_draw_;
  std::vector<std::pair<std::string, double>> phases_;
};

/// Installs SIGINT and SIGTERM handlers that set the returned flag; a second signal ends the
/// process at once (the default action), so a stuck run can still be killed.
const std::atomic<bool>* install_interrupt_handler();

/// Seconds as "4.2 s", "3 min 05 s" or "1 h 02 min".
std::string format_duration(double seconds);

}  // namespace ratesim::cli
