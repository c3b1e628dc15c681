#include "ratesim/io/run_folder.hpp"

#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <system_error>

namespace ratesim {

namespace fs = std::filesystem;

RunFolder::RunFolder(fs::path target) : target_(std::move(target)) {
  if (target_.filename().empty()) target_ = target_.parent_path();
  const fs::path parent = target_.has_parent_path() ? target_.parent_path() : fs::path(".");
  fs::create_directories(parent);
  staging_ = parent / ("." + target_.filename().string() + ".partial-" + std::to_string(::getpid()));
  fs::remove_all(staging_);
  fs::create_directory(staging_);
}

RunFolder::~RunFolder() {
  if (!committed_) {
    std::error_code ignored;
    fs::remove_all(staging_, ignored);
  }
}

void RunFolder::write(const std::string& name, const std::string& contents) const {
  std::ofstream out(file(name), std::ios::binary | std::ios::trunc);
  out << contents;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + file(name).string());
}

void RunFolder::commit() {
  // rename() replaces an empty directory only, so an earlier run's folder is moved aside first.
  const fs::path old = target_.parent_path() /
                       ("." + target_.filename().string() + ".old-" + std::to_string(::getpid()));
  const bool had_old = fs::exists(target_);
  if (had_old) fs::rename(target_, old);
  fs::rename(staging_, target_);
  committed_ = true;
  if (had_old) {
    std::error_code ignored;
    fs::remove_all(old, ignored);
  }
}

}  // namespace ratesim
