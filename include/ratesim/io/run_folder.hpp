#pragma once
// An output folder that appears complete or not at all (DESIGN.md invariant 6): files are written
// into a hidden sibling folder, which replaces the target only in commit(). A run that fails or is
// interrupted leaves the target as it was and removes its partial folder.

#include <filesystem>
#include <string>

namespace ratesim {

class RunFolder {
 public:
  explicit RunFolder(std::filesystem::path target);
  RunFolder(const RunFolder&) = delete;
  RunFolder& operator=(const RunFolder&) = delete;
  ~RunFolder();

  /// Path of `name` inside the staging folder.
  std::filesystem::path file(const std::string& name) const { return staging_ / name; }
  /// Writes `contents` to `name` in the staging folder; throws on any I/O error.
  void write(const std::string& name, const std::string& contents) const;
  /// Moves the staging folder into place, replacing an earlier run's folder.
  void commit();

  const std::filesystem::path& target() const { return target_; }

 private:
  std::filesystem::path target_;
  std::filesystem::path staging_;
  bool committed_ = false;
};

}  // namespace ratesim
