#pragma once
// Data files compiled into the binary (cmake/embed_files.cmake).

#include <string>
#include <vector>

namespace ratesim {

struct BuiltinFile {
  std::string name;  ///< the file's stem, e.g. "shocks_2016"
  std::string text;
};

/// scenarios/bcbs368/shocks_*.csv
const std::vector<BuiltinFile>& builtin_bcbs_shock_tables();

/// host/io/report/report.html ("report") and Chart.js from Debian's libjs-chart.js ("chart").
const std::vector<BuiltinFile>& builtin_report_assets();

}  // namespace ratesim
