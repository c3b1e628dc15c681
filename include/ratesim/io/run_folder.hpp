#pragma once
// Where a run writes, and what it never touches (DESIGN.md invariant 6, docs/outputs.md).
//
// A run's output folder appears complete or not at all: files go into a hidden staging folder
// beside the target, which replaces the target in one atomic exchange in commit(). The target is
// claimed before any work, and refused (InputError, exit 2) unless it is absent, an empty folder,
// or a folder an earlier ratesim run wrote and nobody has changed since (its manifest,
// `.ratesim-manifest.json`, lists every file with its size and hash); it may never hold one of the
// run's inputs. A lock beside the target keeps a second run out while one is writing it; staging
// folders a killed run left behind are swept by the next; a run that fails or is interrupted
// removes its staging folder and any parent folders it created, and leaves the target as it was.

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace ratesim {

/// The name of the manifest every folder and file ratesim writes carries.
inline constexpr const char* kManifestName = ".ratesim-manifest.json";

/// What claiming an output target holds: the lock `.<name>.lock` beside it and the parent folders
/// made for it. Released (the lock file removed) and, unless the output was committed, those
/// parents removed again when it goes.
class OutputClaim {
 public:
  OutputClaim() = default;
  OutputClaim(const OutputClaim&) = delete;
  OutputClaim& operator=(const OutputClaim&) = delete;
  ~OutputClaim();

  /// Makes the missing parents of `target` and takes its lock; throws InputError ("output in
  /// use") when another run holds it, with the parents removed again.
  void take(const std::filesystem::path& target);
  /// The output is in place: its parents stay; the lock is released.
  void commit();

 private:
  void release();
  std::filesystem::path lock_path_;
  std::vector<std::filesystem::path> created_parents_;  ///< innermost first
  int lock_fd_ = -1;
  bool committed_ = false;
};

class RunFolder {
 public:
  /// Claims `target` for a run of `command` that reads `inputs`. Throws InputError naming the
  /// target and the reason when the rules above forbid it.
  RunFolder(std::filesystem::path target, const std::vector<std::string>& inputs, std::string command);
  RunFolder(const RunFolder&) = delete;
  RunFolder& operator=(const RunFolder&) = delete;
  ~RunFolder();

  /// Writes `contents` to `name` in the staging folder; throws on any I/O error.
  void write(const std::string& name, const std::string& contents);
  /// Writes the manifest and puts the staging folder in the target's place (an earlier run's
  /// folder is exchanged atomically, then removed).
  void commit();

  const std::filesystem::path& target() const { return target_; }

 private:
  std::filesystem::path target_, staging_;
  std::vector<std::string> written_;
  std::string command_;
  OutputClaim claim_;
  bool committed_ = false;
};

/// The same rules for one output file (`generate-bank --out FILE`): the file may be replaced only
/// if ratesim wrote it and it is unchanged since (its manifest is `.<name>.ratesim-manifest.json`
/// beside it); it is written under a temporary name and renamed into place.
class RunFile {
 public:
  RunFile(std::filesystem::path target, std::string command);
  RunFile(const RunFile&) = delete;
  RunFile& operator=(const RunFile&) = delete;
  ~RunFile();

  void commit(const std::string& contents);
  /// The file's contents streamed by `write` into the staging file (a writer that throws, e.g.
  /// RunInterrupted, leaves nothing behind).
  void commit(const std::function<void(std::ostream&)>& write);
  const std::filesystem::path& target() const { return target_; }

 private:
  std::filesystem::path target_, manifest_;
  std::string command_;
  OutputClaim claim_;
};

}  // namespace ratesim
