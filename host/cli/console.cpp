#include "host/cli/console.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <stdexcept>

namespace ratesim::cli {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_interrupt(int signal_number) {
  g_stop.store(true);
  std::signal(signal_number, SIG_DFL);  // a second Ctrl-C ends the process
}

std::string rate_text(double per_second) {
  if (per_second >= 1e6) return fmt::format("{:.2f}M", per_second / 1e6);
  if (per_second >= 1e3) return fmt::format("{:.1f}k", per_second / 1e3);
  return fmt::format("{:.0f}", per_second);
}

}  // namespace

LogLevel parse_log_level(const std::string& text) {
  if (text == "error") return LogLevel::kError;
  if (text == "warn") return LogLevel::kWarn;
  if (text == "info") return LogLevel::kInfo;
  if (text == "debug") return LogLevel::kDebug;
  throw std::invalid_argument("log level '" + text + "' (allowed: error, warn, info, debug)");
}

std::string format_duration(double seconds) {
  if (seconds < 60.0) return fmt::format("{:.1f} s", seconds);
  const auto whole = static_cast<long long>(seconds + 0.5);
  if (whole < 3600) return fmt::format("{} min {:02d} s", whole / 60, static_cast<int>(whole % 60));
  return fmt::format("{} h {:02d} min", whole / 3600, static_cast<int>((whole % 3600) / 60));
}

Console::Console(LogLevel level, bool show_progress, bool terminal)
    : level_(level), progress_(show_progress && level >= LogLevel::kInfo), terminal_(terminal) {}

void Console::clear_bar() {
  if (bar_drawn_) {
    std::fputs("\r\033[K", stderr);
    bar_drawn_ = false;
  }
}

void Console::log(LogLevel level, const std::string& message) {
  if (level > level_) return;
  clear_bar();
  const char* prefix = level == LogLevel::kError ? "error: " : level == LogLevel::kWarn ? "warning: " : "";
  std::fprintf(stderr, "ratesim: %s%s\n", prefix, message.c_str());
  std::fflush(stderr);
}

RunObserver Console::observer(const std::atomic<bool>* stop) {
  RunObserver o;
  o.begin_phase = [this](const std::string& phase, std::int64_t total, const std::string& unit) { begin(phase, total, unit); };
  o.advance = [this](std::int64_t done) { advance(done); };
  o.end_phase = [this](const std::string& phase, double seconds) { end(phase, seconds); };
  o.stop = stop;
  return o;
}

void Console::begin(const std::string& phase, std::int64_t total, const std::string& unit) {
  phase_ = phase;
  unit_ = unit;
  total_ = total;
  last_decile_ = 0;
  phase_start_ = last_draw_ = Clock::now();
  if (!progress_) return;
  if (terminal_) {
    std::fprintf(stderr, "\r\033[K%s ...", phase.c_str());
    bar_drawn_ = true;
    std::fflush(stderr);
  } else {
    log(LogLevel::kInfo, total > 0 ? fmt::format("{}: {} {}", phase, total, unit) : phase + " ...");
  }
}

void Console::advance(std::int64_t done) {
  if (!progress_ || total_ <= 0) return;
  const auto now = Clock::now();
  const double elapsed = std::chrono::duration<double>(now - phase_start_).count();
  const double fraction = std::clamp(static_cast<double>(done) / static_cast<double>(total_), 0.0, 1.0);
  const double rate = elapsed > 0.0 ? static_cast<double>(done) / elapsed : 0.0;
  const std::string eta = rate > 0.0 && done < total_
                              ? "ETA " + format_duration(static_cast<double>(total_ - done) / rate)
                              : "";
  if (terminal_) {
    if (std::chrono::duration<double>(now - last_draw_).count() < 0.1 && done < total_) return;
    last_draw_ = now;
    constexpr int kWidth = 28;
    const int filled = static_cast<int>(fraction * kWidth);
    std::fprintf(stderr, "\r\033[K%s [%s%s] %lld/%lld %s %3.0f%%  %s %s/s  %s", phase_.c_str(),
                 std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(kWidth - filled), '.').c_str(), static_cast<long long>(done),
                 static_cast<long long>(total_), unit_.c_str(), 100.0 * fraction, rate_text(rate).c_str(),
                 unit_.c_str(), eta.c_str());
    bar_drawn_ = true;
    std::fflush(stderr);
  } else {
    // Plain lines: one per tenth of the work (every chunk at debug level).
    const int decile = static_cast<int>(fraction * 10.0);
    if (decile <= last_decile_ && level_ < LogLevel::kDebug) return;
    last_decile_ = decile;
    log(LogLevel::kInfo, fmt::format("{}: {}/{} {} ({:.0f}%), {} {}/s{}", phase_, done, total_, unit_, 100.0 * fraction,
                                     rate_text(rate), unit_, eta.empty() ? "" : ", " + eta));
  }
}

void Console::end(const std::string& phase, double seconds) {
  phases_.emplace_back(phase, seconds);
  if (!progress_) return;
  clear_bar();
  log(LogLevel::kInfo, fmt::format("{}: done in {}", phase, format_duration(seconds)));
}

const std::atomic<bool>* install_interrupt_handler() {
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  return &g_stop;
}

}  // namespace ratesim::cli
