#pragma once
// The NAS-Bench-201 table: every cell of the space with the figures the benchmark measured for it, read
// from a CSV file such as ../shared/datasets/nasbench201/nb201.csv. No torch here.
//
// Format: plain comma-separated values (no quoting), a header line, then one row per cell, 15,625 rows.
// Columns, in any order: `arch_str` (the benchmark's arch string), `e01, e02, e12, e03, e13, e23` (the
// op code of each edge, 0..4 as nb201_op_labels() numbers them, which must agree with arch_str), an
// optional `index` (the benchmark's own numbering, kept as it is), and any number of metric columns,
// each holding a number in every row, e.g. `c10v_valid_acc200` (in percent).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "search_spaces/nb201/nb201_genotype.hpp"

namespace nas {

class Nb201Table {
 public:
  // Reads and checks the whole file; throws nas::Error naming the file (and line, and column) of the
  // first problem. A file this process has loaded before (same path, size and modification time) is
  // shared rather than read again: a benchmark of controllers loads one experiment per run.
  static std::shared_ptr<const Nb201Table> load(const std::string& path);

  const std::string& path() const { return path_; }
  // The metric columns, in file order.
  const std::vector<std::string>& metric_columns() const { return metric_columns_; }
  // The position of `column` in metric_columns(), or -1.
  int metric_index(const std::string& column) const;
  // Metric `metric` (a metric_index) of the cell numbered `cell` (Nb201Genotype::index()).
  double value(int cell, int metric) const {
    return values_[static_cast<std::size_t>(cell) * metric_columns_.size() + static_cast<std::size_t>(metric)];
  }
  // The file line (1 = the header) that holds the cell numbered `cell`.
  std::int64_t line(int cell) const { return lines_[static_cast<std::size_t>(cell)]; }

 private:
  explicit Nb201Table(std::string path) : path_(std::move(path)) {}
  void read();

  std::string path_;
  std::vector<std::string> metric_columns_;
  std::vector<double> values_;       // cell-major: the metrics of cell 0, then of cell 1, ...
  std::vector<std::int64_t> lines_;  // per cell
};

}  // namespace nas
