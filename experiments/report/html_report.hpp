#pragma once
// `nas inspect DIR --html FILE`: a run as one self-contained HTML page that opens without a network
// (inline CSS, SVG and a few lines of script; no fonts, scripts or images from elsewhere): progress of
// the best result, accuracy against parameters and multiply-adds with the Pareto front, the accuracy
// histogram, drawings of the best architectures, and a sortable table of every trial.
#include <string>

#include "experiments/log/search_log.hpp"

namespace nas {

// The page. Reads one consistent snapshot, so it is safe while the run still writes. Drawings need
// Graphviz's `dot`; without it, or when the run's space cannot be rebuilt, the page says why instead.
std::string html_report(const SearchLog& log);

// Writes html_report(log) to `file`; throws nas::Error naming the file when it cannot.
void write_html_report(const SearchLog& log, const std::string& file);

}  // namespace nas
