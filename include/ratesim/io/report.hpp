#pragma once
// report.html: one self-contained page per run (docs/outputs.md) with the headline table, the
// scenario tables, the charts and the run's metadata. Chart.js is inlined from Debian's
// libjs-chart.js, embedded at build time; the page makes no network request.

#include <string>

#include "ratesim/io/eve_writer.hpp"

namespace ratesim {

/// The page for a run, from its summary.json text and the results behind it (the chart series:
/// histograms, the NII fan, the shocked curves). `generated` is the timestamp shown.
std::string report_html(const EveSpec& spec, const EveResult& result, const NiiReport& nii,
                        const std::string& summary_json, const std::string& generated);

/// The page for a `simulate` run, from its summary.json text: the curve check and the rate's
/// distribution over time.
std::string simulation_report_html(const std::string& summary_json, const std::string& generated);

}  // namespace ratesim
