// report.html: self-contained (no address to fetch, a policy that forbids any request, the data
// the same as summary.json), and rendered in headless Chromium: every chart drew, no error and no
// console message. The browser test skips, saying why, where Chromium is not installed
// (scripts/install-deps --browser installs it; .ci/run does).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "test_support.hpp"

namespace ratesim {
namespace {

namespace fs = std::filesystem;

// A small bank from generate-bank with the sample bank's behaviours and scenarios.
fs::path run_small_bank(const std::string& name, const std::string& nii) {
  const fs::path dir = test::temp_dir("report-" + name);
  const test::CommandResult bank =
      test::ratesim("generate-bank --positions 300 --seed 5 --out " + (dir / "positions.csv").string(), dir);
  EXPECT_EQ(bank.exit_code, 0) << bank.err;
  std::string config = test::slurp(test::source_path("scenarios/sample_bank/bank.yaml"));
  config = std::regex_replace(config, std::regex(R"(\.\./)"), test::source_path("scenarios/"));
  config = std::regex_replace(config, std::regex("behaviours: behaviours.yaml"),
                              "behaviours: " + test::source_path("scenarios/sample_bank/behaviours.yaml"));
  config = std::regex_replace(config, std::regex(R"(nii:\n(  .*\n)+)"), nii);
  // A scenario whose description would end the page's data element early if it were not escaped.
  std::ofstream(dir / "tricky.yaml") << "name: tricky\ndescription: \"</script><script>document.title='x'</script><!--\"\n"
                                        "shifts:\n  - {tenor: 1Y, bp: 25}\n";
  config = std::regex_replace(config, std::regex(R"(custom: \[)"), "custom: [" + (dir / "tricky.yaml").string() + ", ");
  std::ofstream(dir / "bank.yaml") << config;
  const test::CommandResult r =
      test::ratesim("run " + (dir / "bank.yaml").string() + " --device cpu --quiet --out " + (dir / "out").string(), dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");  // --quiet: nothing but errors
  return dir / "out";
}

std::string attribute(const std::string& html, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(html, m, std::regex("<body[^>]*\\s" + name + "=\"([^\"]*)\""))) return "<missing>";
  return m[1];
}

bool chromium_available(std::string* path) {
  for (const char* candidate : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
    if (fs::exists(candidate)) {
      *path = candidate;
      return true;
    }
  }
  return false;
}

const char* kNiiMonteCarlo = "nii:\n  horizon_months: 12\n  paths: 64\n";
const char* kNoNii = "nii:\n  enabled: false\n";

TEST(Report, IsSelfContainedAndCarriesTheSummary) {
  const fs::path out = run_small_bank("self-contained", kNiiMonteCarlo);
  const std::string html = test::slurp(out / "report.html");
  ASSERT_FALSE(html.empty());
  // Nothing to fetch: no src or href attribute anywhere, and a policy that forbids requests.
  EXPECT_FALSE(std::regex_search(html, std::regex(R"(<[a-z]+[^>]*\s(src|href)\s*=)", std::regex::icase)));
  EXPECT_NE(html.find("content=\"default-src 'none';"), std::string::npos);
  EXPECT_NE(html.find("Chart.js v3"), std::string::npos);  // inlined, not linked
  // The embedded data is the run's summary.json.
  const std::string open = "<script id=\"ratesim-data\" type=\"application/json\">";
  const std::size_t begin = html.find(open);
  ASSERT_NE(begin, std::string::npos);
  const std::size_t end = html.find("</script>", begin);
  const auto data = nlohmann::json::parse(html.substr(begin + open.size(), end - begin - open.size()));
  EXPECT_EQ(data["summary"], nlohmann::json::parse(test::slurp(out / "summary.json")));
  EXPECT_EQ(data["summary"]["eve"]["scenarios"]["custom/tricky"]["description"],
            "</script><script>document.title='x'</script><!--");
  EXPECT_EQ(data["charts"]["nii_histogram"]["counts"].size(), 40u);
  long long paths = 0;
  for (const auto& c : data["charts"]["nii_histogram"]["counts"]) paths += c.get<long long>();
  EXPECT_EQ(paths, 64);
  EXPECT_EQ(data["charts"]["nii_fan"]["months"].size(), 12u);
  // Per-phase timings are in the summary.
  const auto& phases = data["summary"]["run"]["timings"]["phases_s"];
  for (const char* phase : {"Reading inputs", "EVE revaluation", "NII scenarios", "NII Monte Carlo"}) {
    EXPECT_TRUE(phases.contains(phase)) << phase;
  }
}

// Renders `report` in headless Chromium with no network and checks the page's own record: every
// chart drew data, no error, and nothing on the console.
void expect_renders(const std::string& chromium, const fs::path& report, int charts, const std::string& what) {
  const fs::path dir = report.parent_path().parent_path();
  const fs::path dom = dir / (what + "-dom.html"), log = dir / (what + "-chromium.log");
  // No network: every host name fails to resolve, so a request could only fail (and log).
  const std::string command = chromium + " --headless --no-sandbox --disable-gpu --no-first-run "
                              "--user-data-dir=" + (dir / "profile").string() +
                              " --enable-logging=stderr --v=0 \"--host-resolver-rules=MAP * ~NOTFOUND\""
                              " --virtual-time-budget=10000 --dump-dom file://" + report.string() +
                              " > " + dom.string() + " 2> " + log.string();
  ASSERT_EQ(std::system(command.c_str()), 0) << test::slurp(log);
  const std::string page = test::slurp(dom);
  EXPECT_EQ(attribute(page, "data-report-status"), "ok") << what;
  EXPECT_EQ(attribute(page, "data-charts"), std::to_string(charts)) << what;
  EXPECT_EQ(attribute(page, "data-charts-drawn"), std::to_string(charts)) << what;
  EXPECT_EQ(attribute(page, "data-errors"), "0") << what;
  // The page writes nothing to the console; anything there is a browser error or warning.
  const std::string messages = test::slurp(log);
  EXPECT_EQ(messages.find(":CONSOLE"), std::string::npos) << what << "\n" << messages;
}

TEST(Report, EveryChartDrawsInHeadlessChromium) {
  std::string chromium;
  if (!chromium_available(&chromium)) {
    GTEST_SKIP() << "Chromium is not installed (scripts/install-deps --browser installs Debian's chromium)";
  }
  for (const auto& [variant, nii, charts] : {std::tuple{"with-nii", kNiiMonteCarlo, 8}, std::tuple{"eve-only", kNoNii, 4}}) {
    const fs::path out = run_small_bank(std::string("chromium-") + variant, nii);
    expect_renders(chromium, out / "report.html", charts, variant);
  }
  // `simulate` pages, Hull-White and LMM: the curve check and the rate's distribution.
  const fs::path dir = test::temp_dir("report-simulate");
  for (const char* config : {"hull_white_usd", "lmm_bank"}) {
    const fs::path out = dir / config;
    const test::CommandResult r = test::ratesim("simulate " + test::source_path(std::string("scenarios/examples/") + config + ".yaml") +
                                                    " --device cpu --paths 1024 --quiet --out " + out.string(), dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expect_renders(chromium, out / "report.html", 2, config);
  }
}

}  // namespace
}  // namespace ratesim
