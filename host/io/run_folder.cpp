#include "ratesim/io/run_folder.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>

#include "ratesim/core.hpp"
#include "ratesim/io/input_error.hpp"

namespace ratesim {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void refuse(const fs::path& target, const std::string& rule, const std::string& detail) {
  throw InputError(InputIssue{target.string(), 0, 0, rule, detail});
}

// FNV-1a over the file's bytes: enough to tell a file ratesim wrote from one changed since.
std::string content_hash(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::uint64_t h = 0xcbf29ce484222325ULL;
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof buffer);
    for (std::streamsize i = 0; i < in.gcount(); ++i) {
      h = (h ^ static_cast<unsigned char>(buffer[i])) * 0x100000001b3ULL;
    }
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
  return text;
}

nlohmann::json file_entry(const fs::path& file) {
  return {{"name", file.filename().string()}, {"bytes", fs::file_size(file)}, {"fnv1a64", content_hash(file)}};
}

nlohmann::json make_manifest(const std::string& command, nlohmann::json files) {
  return {{"written_by", std::string("ratesim ") + kVersion}, {"command", command}, {"files", std::move(files)}};
}

// The entries of `manifest` (a JSON file) by name, or an empty object when it cannot be read.
nlohmann::json manifest_files(const fs::path& manifest) {
  std::ifstream in(manifest);
  if (!in) return nlohmann::json::object();
  try {
    const nlohmann::json parsed = nlohmann::json::parse(in);
    nlohmann::json files = nlohmann::json::object();
    for (const auto& f : parsed.at("files")) files[f.at("name").get<std::string>()] = f;
    return files;
  } catch (const std::exception&) {
    return nlohmann::json::object();
  }
}

// Whether `file` is what the manifest entry says ratesim wrote.
bool unchanged(const fs::path& file, const nlohmann::json& entry) {
  std::error_code ec;
  return fs::is_regular_file(fs::symlink_status(file, ec)) && fs::file_size(file, ec) == entry.at("bytes").get<std::uintmax_t>() &&
         content_hash(file) == entry.at("fnv1a64").get<std::string>();
}

// Why the folder `target` is not one ratesim wrote and nobody changed since; empty when it is.
std::string foreign_contents(const fs::path& target) {
  const nlohmann::json files = manifest_files(target / kManifestName);
  std::vector<std::string> foreign;
  std::size_t count = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(target)) {
    const std::string name = e.path().filename().string();
    if (name == kManifestName) continue;
    ++count;
    if (!files.contains(name)) {
      foreign.push_back(name + " (not written by ratesim)");
    } else if (!unchanged(e.path(), files[name])) {
      foreign.push_back(name + " (changed since ratesim wrote it)");
    }
  }
  if (count > 0 && !fs::exists(target / kManifestName)) {
    return "it holds " + std::to_string(count) + " entries and no ratesim manifest (" + kManifestName +
           "); ratesim replaces only an empty folder or one it wrote itself";
  }
  if (foreign.empty()) return "";
  std::string list;
  for (std::size_t i = 0; i < foreign.size() && i < 5; ++i) list += (i ? ", " : "") + foreign[i];
  if (foreign.size() > 5) list += ", and " + std::to_string(foreign.size() - 5) + " more";
  return "replacing it would lose " + list;
}

bool inside(const fs::path& path, const fs::path& folder) {
  auto p = path.begin(), f = folder.begin();
  for (; f != folder.end(); ++f, ++p) {
    if (p == path.end() || *p != *f) return false;
  }
  return true;
}

// Creates the missing folders above `target`, returning them innermost first.
std::vector<fs::path> make_parents(const fs::path& target) {
  std::vector<fs::path> missing;
  for (fs::path p = target.parent_path(); !p.empty() && !fs::exists(p); p = p.parent_path()) {
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) refuse(target, "output folder", "cannot create " + target.parent_path().string() + ": " + ec.message());
  return missing;
}

void remove_if_empty(const std::vector<fs::path>& folders) {
  std::error_code ignored;
  for (const fs::path& f : folders) fs::remove(f, ignored);  // removes empty folders only
}

// An exclusive lock on `path` (created if need be), or -1 when another process holds it. The lock
// file is unlinked on release, so the lock is checked to still be the file at `path`.
int acquire_lock(const fs::path& path) {
  for (int attempt = 0; attempt < 10; ++attempt) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return -2;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      return -1;
    }
    struct stat held {}, now {};
    if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &now) == 0 && held.st_ino == now.st_ino &&
        held.st_dev == now.st_dev) {
      return fd;
    }
    ::close(fd);  // the previous holder unlinked it between our open and our lock: try again
  }
  return -1;
}

void release_lock(const fs::path& path, int& fd) {
  if (fd < 0) return;
  ::unlink(path.c_str());
  ::close(fd);
  fd = -1;
}

// Staging and set-aside folders of earlier runs into the same target that were killed before they
// could clean up: under the target's lock nobody else can be using them.
void sweep_leftovers(const fs::path& target) {
  const std::string prefix = "." + target.filename().string() + ".";
  const std::string mine = std::to_string(::getpid());
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(target.parent_path(), ec)) {
    const std::string name = e.path().filename().string();
    for (const char* kind : {"partial-", "old-"}) {
      const std::string start = prefix + kind;
      if (name.rfind(start, 0) == 0 && name.substr(start.size()) != mine) {
        std::error_code ignored;
        fs::remove_all(e.path(), ignored);
      }
    }
  }
}

fs::path absolute_target(fs::path target) {
  if (target.filename().empty()) target = target.parent_path();
  std::error_code ec;
  fs::path full = fs::weakly_canonical(fs::absolute(target), ec);
  return ec ? fs::absolute(target) : full;
}

// Moves `staging` into `target`'s place; an existing target is exchanged with it atomically (a
// reader never finds the target missing) and then removed.
void put_in_place(const fs::path& staging, const fs::path& target) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(target, ec))) {
    fs::rename(staging, target);
    return;
  }
#if defined(RENAME_EXCHANGE)
  if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
    fs::remove_all(staging, ec);  // the earlier run's folder, now at the staging name
    return;
  }
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
    throw std::runtime_error("cannot replace " + target.string() + ": " + std::strerror(errno));
  }
#endif
  // No atomic exchange on this system or file system: move the earlier run aside, then in.
  const fs::path old = target.parent_path() / ("." + target.filename().string() + ".old-" + std::to_string(::getpid()));
  fs::rename(target, old);
  fs::rename(staging, target);
  fs::remove_all(old, ec);
}

}  // namespace

OutputClaim::~OutputClaim() {
  release();
  if (!committed_) remove_if_empty(created_parents_);
}

void OutputClaim::take(const fs::path& target) {
  created_parents_ = make_parents(target);
  lock_path_ = target.parent_path() / ("." + target.filename().string() + ".lock");
  lock_fd_ = acquire_lock(lock_path_);
  if (lock_fd_ >= 0) return;
  const int error = errno;
  const bool busy = lock_fd_ == -1;
  lock_fd_ = -1;
  remove_if_empty(created_parents_);
  created_parents_.clear();
  if (busy) {
    refuse(target, "output in use",
           "another ratesim run is writing it (lock " + lock_path_.string() + "); wait for it or choose another --out");
  }
  refuse(target, "output folder", "cannot create the lock " + lock_path_.string() + ": " + std::strerror(error));
}

void OutputClaim::commit() {
  committed_ = true;
  release();
}

void OutputClaim::release() { release_lock(lock_path_, lock_fd_); }

RunFolder::RunFolder(fs::path target, const std::vector<std::string>& inputs, std::string command)
    : target_(absolute_target(std::move(target))), command_(std::move(command)) {
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(target_, ec);
  if (fs::is_symlink(status)) refuse(target_, "output folder", "is a symbolic link; give the folder itself");
  if (fs::exists(status) && !fs::is_directory(status)) {
    refuse(target_, "output folder", "is a file, not a folder; ratesim never replaces a file with a folder");
  }
  for (const std::string& input : inputs) {
    const fs::path in = absolute_target(input);
    if (inside(in, target_)) {
      refuse(target_, "output folder", "holds the run's input " + input + "; write the results somewhere else");
    }
  }
  if (fs::is_directory(status)) {
    if (const std::string why = foreign_contents(target_); !why.empty()) refuse(target_, "output folder", why);
  }
  claim_.take(target_);
  // Checked again under the lock: another run may have replaced the folder meanwhile.
  if (fs::is_directory(target_)) {
    if (const std::string why = foreign_contents(target_); !why.empty()) refuse(target_, "output folder", why);
  }
  sweep_leftovers(target_);
  staging_ = target_.parent_path() / ("." + target_.filename().string() + ".partial-" + std::to_string(::getpid()));
  fs::remove_all(staging_);
  fs::create_directory(staging_);
}

RunFolder::~RunFolder() {
  std::error_code ignored;
  if (!committed_ && !staging_.empty()) fs::remove_all(staging_, ignored);
}

void RunFolder::write(const std::string& name, const std::string& contents) {
  const fs::path path = staging_ / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path.string());
  written_.push_back(name);
}

void RunFolder::commit() {
  nlohmann::json files = nlohmann::json::array();
  for (const std::string& name : written_) files.push_back(file_entry(staging_ / name));
  write(kManifestName, make_manifest(command_, std::move(files)).dump(1) + "\n");
  // The target was checked when the run began; if someone put files into it since, they stay and
  // the results go beside it under a name of their own.
  if (const std::string why = fs::is_directory(target_) ? foreign_contents(target_) : ""; !why.empty()) {
    const fs::path aside = target_.string() + "-" + std::to_string(::getpid());
    fs::rename(staging_, aside);
    committed_ = true;
    claim_.commit();
    throw std::runtime_error(target_.string() + " changed while the run was writing (" + why +
                             "); it was left as it is and the results are in " + aside.string());
  }
  put_in_place(staging_, target_);
  committed_ = true;
  claim_.commit();
}

RunFile::RunFile(fs::path target, std::string command)
    : target_(absolute_target(std::move(target))), command_(std::move(command)) {
  manifest_ = target_.parent_path() / ("." + target_.filename().string() + ".ratesim-manifest.json");
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(target_, ec);
  auto ours = [&] {
    const nlohmann::json files = manifest_files(manifest_);
    const std::string name = target_.filename().string();
    return files.contains(name) && unchanged(target_, files[name]);
  };
  if (fs::is_symlink(status)) refuse(target_, "output file", "is a symbolic link; give the file itself");
  if (fs::is_directory(status)) refuse(target_, "output file", "is a folder; give a file name");
  if (fs::exists(status) && !ours()) {
    refuse(target_, "output file", "exists and was not written by ratesim (or was changed since); ratesim "
                                   "replaces only a file it wrote itself: choose another name or remove it");
  }
  claim_.take(target_);
  if (fs::exists(target_) && !ours()) refuse(target_, "output file", "changed while ratesim was starting");
}

RunFile::~RunFile() = default;

void RunFile::commit(const std::string& contents) {
  commit([&](std::ostream& out) { out << contents; });
}

void RunFile::commit(const std::function<void(std::ostream&)>& write) {
  const std::string suffix = ".partial-" + std::to_string(::getpid());
  const fs::path staging = target_.parent_path() / ("." + target_.filename().string() + suffix);
  const fs::path manifest_staging = manifest_.string() + suffix;
  try {
    {
      std::ofstream out(staging, std::ios::binary | std::ios::trunc);
      write(out);
      out.close();
      if (!out) throw std::runtime_error("cannot write " + staging.string());
    }
    nlohmann::json entry = file_entry(staging);
    entry["name"] = target_.filename().string();
    {
      std::ofstream out(manifest_staging, std::ios::trunc);
      out << make_manifest(command_, nlohmann::json::array({entry})).dump(1) << "\n";
      out.close();
      if (!out) throw std::runtime_error("cannot write " + manifest_staging.string());
    }
    // The file first: a crash between the two renames leaves a file whose manifest does not
    // match, which the next run refuses to replace (the safe side).
    fs::rename(staging, target_);
    fs::rename(manifest_staging, manifest_);
  } catch (...) {
    std::error_code ignored;
    fs::remove(staging, ignored);
    fs::remove(manifest_staging, ignored);
    throw;
  }
  claim_.commit();
}

}  // namespace ratesim
