// Output folders and files through the CLI (docs/outputs.md): ratesim replaces only an empty
// folder or one it wrote itself and nobody changed, never a folder holding one of its inputs and
// never a file; every refusal is exit 2 before any work, with the earlier contents kept. Replacing
// an earlier run is atomic, two runs into one folder never both write it, a killed run's staging
// folders are swept by the next, and generate-bank follows the same rules for its file.

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "ratesim/io/run_folder.hpp"
#include "test_support.hpp"

namespace ratesim {
namespace {

namespace fs = std::filesystem;

// A copy of the bundled scenarios (configurations, curves, the sample bank) to run in.
fs::path workspace(const std::string& name) {
  const fs::path dir = test::temp_dir("out-" + name);
  fs::copy(test::source_path("scenarios"), dir / "scenarios", fs::copy_options::recursive);
  return dir;
}

std::string simulate(const fs::path& dir, const fs::path& out) {
  return "simulate " + (dir / "scenarios/examples/hull_white_usd.yaml").string() + " --device cpu --paths 1024 --quiet --out " +
         out.string();
}

// Every file below `dir`, with its contents, to check nothing changed.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = test::slurp(e.path());
  }
  return files;
}

void expect_refused(const test::CommandResult& r, const std::string& reason) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(reason), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing was written"), std::string::npos) << r.err;
}

TEST(OutputFolder, NeverReplacesTheRunsInputsAFileOrAFolderOfOtherFiles) {
  const fs::path dir = workspace("refusals");
  const auto before = snapshot(dir / "scenarios");
  // The issue's own example: the sample bank's folder as --out.
  expect_refused(test::ratesim("run " + (dir / "scenarios/sample_bank/bank.yaml").string() +
                                   " --device cpu --paths 16 --out " + (dir / "scenarios/sample_bank").string(), dir),
                 "holds the run's input");
  // A folder above an input.
  expect_refused(test::ratesim(simulate(dir, dir / "scenarios"), dir), "holds the run's input");
  // A folder of earlier runs, which has no manifest of its own.
  fs::create_directories(dir / "runs");
  ASSERT_EQ(test::ratesim(simulate(dir, dir / "runs/first"), dir).exit_code, 0);
  std::ofstream(dir / "runs/notes.txt") << "ALCO, 3 June\n";
  const auto runs = snapshot(dir / "runs");
  expect_refused(test::ratesim(simulate(dir, dir / "runs"), dir), "no ratesim manifest");
  EXPECT_EQ(snapshot(dir / "runs"), runs);
  // A file.
  std::ofstream(dir / "notes.txt") << "keep me\n";
  expect_refused(test::ratesim(simulate(dir, dir / "notes.txt"), dir), "is a file");
  EXPECT_EQ(test::slurp(dir / "notes.txt"), "keep me\n");
  EXPECT_EQ(snapshot(dir / "scenarios"), before);
}

TEST(OutputFolder, ReplacesOnlyWhatItWroteAndNobodyChanged) {
  const fs::path dir = workspace("replace");
  const fs::path out = dir / "out";
  fs::create_directories(out);  // an empty folder may be used
  ASSERT_EQ(test::ratesim(simulate(dir, out), dir).exit_code, 0);
  EXPECT_TRUE(fs::exists(out / kManifestName));
  ASSERT_EQ(test::ratesim(simulate(dir, out), dir).exit_code, 0);  // its own earlier run
  // A file the user added to the run folder.
  std::ofstream(out / "comments.md") << "reviewed\n";
  expect_refused(test::ratesim(simulate(dir, out), dir), "comments.md (not written by ratesim)");
  EXPECT_EQ(test::slurp(out / "comments.md"), "reviewed\n");
  fs::remove(out / "comments.md");
  // A file of the run the user changed.
  std::ofstream(out / "summary.json", std::ios::app) << " ";
  const std::string edited = test::slurp(out / "summary.json");
  expect_refused(test::ratesim(simulate(dir, out), dir), "summary.json (changed since ratesim wrote it)");
  EXPECT_EQ(test::slurp(out / "summary.json"), edited);
}

TEST(OutputFolder, ASecondRunIsRefusedWhileTheFolderIsLocked) {
  const fs::path dir = workspace("lock");
  const fs::path out = dir / "out";
  // Another run holds the lock (this test takes it as a run would).
  const int fd = ::open((dir / ".out.lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  expect_refused(test::ratesim(simulate(dir, out), dir), "another ratesim run is writing it");
  EXPECT_FALSE(fs::exists(out));
  ::close(fd);
  EXPECT_EQ(test::ratesim(simulate(dir, out), dir).exit_code, 0);
  EXPECT_FALSE(fs::exists(dir / ".out.lock"));  // released and removed
}

// Eight runs into one folder at once: each either writes it or is refused at the start (exit 2);
// none fails after its work (exit 1), and the folder is one complete run.
TEST(OutputFolder, ConcurrentRunsTakeTurnsOrAreRefusedAtTheStart) {
  const fs::path dir = workspace("concurrent");
  const fs::path out = dir / "out";
  std::string command = "cd " + dir.string() + " && for i in 1 2 3 4 5 6 7 8; do (" + RATESIM_BINARY + " " +
                        simulate(dir, out) + " > /dev/null 2> err$i.txt; echo $? > code$i.txt) & done; wait";
  ASSERT_EQ(std::system(command.c_str()), 0);
  int written = 0;
  for (int i = 1; i <= 8; ++i) {
    const std::string code = test::slurp(dir / ("code" + std::to_string(i) + ".txt"));
    EXPECT_TRUE(code == "0\n" || code == "2\n") << "run " << i << " exited " << code
                                              << test::slurp(dir / ("err" + std::to_string(i) + ".txt"));
    written += code == "0\n";
  }
  EXPECT_GE(written, 1);
  EXPECT_TRUE(fs::exists(out / kManifestName));
  EXPECT_EQ(test::ratesim(simulate(dir, out), dir).exit_code, 0);  // and it is ratesim's own folder
}

// Replacing an earlier run exchanges the folders in one rename: a reader polling summary.json in a
// tight loop through twenty replacements never finds it missing.
TEST(OutputFolder, ReplacingAnEarlierRunIsAtomic) {
  const fs::path dir = workspace("atomic");
  const fs::path out = dir / "out";
  ASSERT_EQ(test::ratesim(simulate(dir, out), dir).exit_code, 0);
  std::atomic<bool> done{false};
  std::atomic<long> polls{0}, missing{0};
  std::thread reader([&] {
    while (!done) {
      if (!fs::exists(out / "summary.json")) ++missing;
      ++polls;
    }
  });
  for (int i = 0; i < 20; ++i) ASSERT_EQ(test::ratesim(simulate(dir, out), dir).exit_code, 0);
  done = true;
  reader.join();
  EXPECT_EQ(missing.load(), 0) << "of " << polls.load() << " polls";
  EXPECT_GT(polls.load(), 1000);
}

TEST(OutputFolder, AKilledRunsStagingFoldersAreSweptByTheNext) {
  const fs::path dir = workspace("sweep");
  for (const char* left : {".out.partial-999999", ".out.old-999998"}) {
    fs::create_directories(dir / left);
    std::ofstream(dir / left / "summary.json") << "{}";
  }
  ASSERT_EQ(test::ratesim(simulate(dir, dir / "out"), dir).exit_code, 0);
  EXPECT_FALSE(fs::exists(dir / ".out.partial-999999"));
  EXPECT_FALSE(fs::exists(dir / ".out.old-999998"));
  EXPECT_TRUE(fs::exists(dir / "out/summary.json"));
}

TEST(OutputFolder, GenerateBankReplacesOnlyItsOwnUnchangedFile) {
  const fs::path dir = test::temp_dir("out-generate");
  auto generate = [&](const fs::path& file, int positions) {
    return test::ratesim("generate-bank --positions " + std::to_string(positions) + " --seed 3 --out " + file.string(), dir);
  };
  std::ofstream(dir / "positions.csv") << "the bank's own positions\n";
  expect_refused(generate(dir / "positions.csv", 10), "was not written by ratesim");
  EXPECT_EQ(test::slurp(dir / "positions.csv"), "the bank's own positions\n");
  expect_refused(generate(dir, 10), "is a folder");
  ASSERT_EQ(generate(dir / "gen/bank.csv", 10).exit_code, 0);
  ASSERT_EQ(generate(dir / "gen/bank.csv", 20).exit_code, 0);  // its own file, unchanged
  std::ofstream(dir / "gen/bank.csv", std::ios::app) << "P9,edited by hand\n";
  expect_refused(generate(dir / "gen/bank.csv", 10), "was not written by ratesim (or was changed since)");
  // A refused run leaves no folder it created.
  const test::CommandResult r = generate(dir / "positions.csv/sub/bank.csv", 10);
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

}  // namespace
}  // namespace ratesim
