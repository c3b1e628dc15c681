#pragma once
// Shared by the libFuzzer targets: each writes the fuzzer's bytes to a file in a private folder
// and reads it with the real reader, as `ratesim` would. An InputError is the expected answer to
// bad bytes; any other exception, a crash or a sanitizer report is a finding.

#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "ratesim/io/input_error.hpp"

namespace ratesim::fuzz {

/// A folder of this process's own, made once, under $RATESIM_FUZZ_WORK (scripts/fuzz points it
/// into build/fuzz/ and empties it after each reader: libFuzzer ends a timed run with _Exit, so
/// the removal at exit below never runs there) or else the system temporary directory.
/// The path is never destroyed: a handler registered while a function-local static is being
/// built runs after that static's destructor, so the removal at exit used to see an empty path
/// and left every replay's folder behind.
inline const std::filesystem::path& work_dir() {
  static const std::filesystem::path* const dir = [] {
    const char* parent = std::getenv("RATESIM_FUZZ_WORK");
    const auto* d = new std::filesystem::path(
        (parent && *parent ? std::filesystem::path(parent) : std::filesystem::temp_directory_path()) /
        ("ratesim-fuzz-" + std::to_string(::getpid())));
    std::filesystem::create_directories(*d);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(work_dir(), ignored);
    });
    return d;
  }();
  return *dir;
}

inline std::string write_file(const std::string& name, const std::string& contents) {
  const auto path = work_dir() / name;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << contents;
  return path.string();
}

inline std::string write_input(const std::string& name, const std::uint8_t* data, std::size_t size) {
  return write_file(name, std::string(reinterpret_cast<const char*>(data), size));
}

/// Runs `read`; only InputError (a clear input problem) is an acceptable way to fail.
template <class Read>
int expect_input_error_at_most(Read read) {
  try {
    read();
  } catch (const InputError& e) {
    if (e.issues().empty()) __builtin_trap();  // an error must say what is wrong
    if (std::getenv("RATESIM_FUZZ_VERBOSE")) {  // to see why a seed is refused
      for (const InputIssue& issue : e.issues()) std::fprintf(stderr, "  %s\n", issue.format().c_str());
    }
  }
  return 0;
}

}  // namespace ratesim::fuzz
