#pragma once
// How a long run reports its progress and learns that it should stop. The engine calls these
// between chunks and phases, never per path; the command line draws the progress bar and sets
// the stop flag on Ctrl-C.

#include <atomic>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

namespace ratesim {

struct RunObserver {
  /// A phase starts: `total` units of `unit` to do (0: not counted, e.g. one batched valuation).
  std::function<void(const std::string& phase, std::int64_t total, const std::string& unit)> begin_phase;
  /// `done` units of the current phase are finished.
  std::function<void(std::int64_t done)> advance;
  /// The current phase is finished; `seconds` of wall clock.
  std::function<void(const std::string& phase, double seconds)> end_phase;
  /// Set (from a signal handler) to stop the run at the next check.
  const std::atomic<bool>* stop = nullptr;
};

/// Thrown at a check after the stop flag was set; nothing of the run is written.
class RunInterrupted : public std::runtime_error {
 public:
  RunInterrupted() : std::runtime_error("interrupted") {}
};

/// Throws RunInterrupted once `stop` is set (readers and long loops that hold only the flag).
inline void check_stop_flag(const std::atomic<bool>* stop) {
  if (stop && stop->load(std::memory_order_relaxed)) throw RunInterrupted();
}

/// Reporting helpers that do nothing without an observer.
inline void check_stop(const RunObserver* o) {
  if (o) check_stop_flag(o->stop);
}
inline void begin_phase(const RunObserver* o, const std::string& phase, std::int64_t total, const std::string& unit) {
  check_stop(o);
  if (o && o->begin_phase) o->begin_phase(phase, total, unit);
}
inline void advance(const RunObserver* o, std::int64_t done) {
  if (o && o->advance) o->advance(done);
  check_stop(o);
}
inline void end_phase(const RunObserver* o, const std::string& phase, double seconds) {
  if (o && o->end_phase) o->end_phase(phase, seconds);
  check_stop(o);
}

}  // namespace ratesim
