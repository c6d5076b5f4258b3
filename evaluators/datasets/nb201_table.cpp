#include "evaluators/datasets/nb201_table.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/suggest.hpp"

namespace nas {
namespace {

namespace fs = std::filesystem;

constexpr const char* kArchColumn = "arch_str";
constexpr const char* kIndexColumn = "index";

// e01, e02, e12, e03, e13, e23: the edge columns, in nb201_edges() order.
std::string edge_column(const Nb201Edge& edge) { return "e" + std::to_string(edge.from) + std::to_string(edge.to); }

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (std::size_t end; (end = line.find(',', start)) != std::string::npos; start = end + 1)
    fields.push_back(line.substr(start, end - start));
  fields.push_back(line.substr(start));
  return fields;
}

// Reads one line without its end (a file written on Windows ends lines with \r\n).
bool read_line(std::istream& in, std::string& line) {
  if (!std::getline(in, line)) return false;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

template <typename Number>
bool parse_number(const std::string& text, Number& value) {
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  return error == std::errc() && stop == end;
}

std::string op_code_text(int code) { return std::to_string(code) + " (" + nb201_op_labels()[code] + ")"; }

}  // namespace

std::shared_ptr<const Nb201Table> Nb201Table::load(const std::string& path) {
  // Keyed by what tells a rewritten file apart, so that a changed table is read again.
  std::error_code error;
  const auto size = fs::file_size(path, error);
  const auto modified = fs::last_write_time(path, error);
  const std::string key = error ? std::string()
                                : fs::absolute(path).string() + "|" + std::to_string(size) + "|" +
                                      std::to_string(modified.time_since_epoch().count());
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const Nb201Table>> loaded;
  const std::lock_guard<std::mutex> lock(mutex);
  if (!key.empty()) {
    const auto it = loaded.find(key);
    if (it != loaded.end()) return it->second;
  }
  std::shared_ptr<Nb201Table> table(new Nb201Table(path));
  table->read();
  if (!key.empty()) loaded[key] = table;
  return table;
}

int Nb201Table::metric_index(const std::string& column) const {
  for (std::size_t i = 0; i < metric_columns_.size(); ++i)
    if (metric_columns_[i] == column) return static_cast<int>(i);
  return -1;
}

void Nb201Table::read() {
  require_regular_file(path_, "the NAS-Bench-201 table (a .csv file)");
  std::ifstream in(path_);
  if (!in) throw Error(path_, "cannot read the NAS-Bench-201 table: " + std::string(std::strerror(errno)));
  const std::string header_where = path_ + ":1";
  std::string line;
  if (!read_line(in, line))
    throw Error(header_where, "the table is empty; it needs a header line naming its columns (arch_str, e01, ...)");
  const std::vector<std::string> header = split_fields(line);

  std::map<std::string, int> position;
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i].empty()) throw Error(header_where, "column " + std::to_string(i + 1) + " has no name");
    if (!position.emplace(header[i], static_cast<int>(i)).second)
      throw Error(header_where, "names column '" + header[i] + "' twice");
  }
  std::array<std::string, kNb201Edges> edge_columns;
  for (int e = 0; e < kNb201Edges; ++e) edge_columns[e] = edge_column(nb201_edges()[e]);
  const auto key_column = [&](const std::string& name) {
    return name == kArchColumn || name == kIndexColumn ||
           std::find(edge_columns.begin(), edge_columns.end(), name) != edge_columns.end();
  };
  const auto required = [&](const std::string& column) {
    const auto it = position.find(column);
    if (it != position.end()) return it->second;
    // A misspelt key column shows up among the columns that are not key columns.
    std::vector<std::string> others;
    for (const std::string& name : header)
      if (!key_column(name)) others.push_back(name);
    const std::string guess = closest_word(column, others);
    throw Error(header_where, "the header has no column '" + column + "'" +
                                  (guess.empty() ? "" : " (is '" + guess + "' it, misspelt?)") +
                                  "; a NAS-Bench-201 table needs arch_str, e01, e02, e12, e03, e13 and e23");
  };
  const int arch_position = required(kArchColumn);
  std::array<int, kNb201Edges> edge_positions{};
  for (int e = 0; e < kNb201Edges; ++e) edge_positions[e] = required(edge_columns[e]);
  std::vector<int> metric_positions;
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (key_column(header[i])) continue;
    metric_columns_.push_back(header[i]);
    metric_positions.push_back(static_cast<int>(i));
  }

  values_.assign(static_cast<std::size_t>(kNb201Cells) * metric_columns_.size(), 0.0);
  lines_.assign(kNb201Cells, 0);
  std::int64_t line_number = 1, rows = 0;
  while (read_line(in, line)) {
    ++line_number;
    if (line.empty()) continue;
    const std::string where = path_ + ":" + std::to_string(line_number);
    const std::vector<std::string> fields = split_fields(line);
    if (fields.size() != header.size())
      throw Error(where, "has " + std::to_string(fields.size()) + " fields, the header " +
                             std::to_string(header.size()) +
                             " (the table is plain comma-separated values, without quoting)");
    const Nb201Genotype genotype = parse_nb201_arch_string(fields[arch_position], where + ": arch_str");
    for (int e = 0; e < kNb201Edges; ++e) {
      const std::string& text = fields[edge_positions[e]];
      int code = -1;
      if (!parse_number(text, code) || code < 0 || code >= kNb201Ops)
        throw Error(where, "column '" + edge_columns[e] + "' must hold an op code 0..4 (none, skip_connect, " +
                               "nor_conv_1x1, nor_conv_3x3, avg_pool_3x3), got '" + text + "'");
      if (code != genotype.ops[e])
        throw Error(where, "arch_str puts " + op_code_text(genotype.ops[e]) + " on edge " + nb201_edge_names()[e] +
                               ", but column '" + edge_columns[e] + "' says " + op_code_text(code));
    }
    const int cell = genotype.index();
    if (lines_[cell] != 0)
      throw Error(where,
                  "repeats the cell " + nb201_arch_string(genotype) + " of line " + std::to_string(lines_[cell]));
    lines_[cell] = line_number;
    double* row = values_.data() + static_cast<std::size_t>(cell) * metric_columns_.size();
    for (std::size_t m = 0; m < metric_positions.size(); ++m) {
      const std::string& text = fields[metric_positions[m]];
      if (!parse_number(text, row[m]) || !std::isfinite(row[m]))
        throw Error(where, "column '" + metric_columns_[m] + "': expected a number, got '" + text + "'");
    }
    ++rows;
  }
  if (rows != kNb201Cells) {
    std::string missing;
    for (int cell = 0; cell < kNb201Cells && missing.empty(); ++cell)
      if (lines_[cell] == 0) missing = nb201_arch_string(Nb201Genotype::from_index(cell));
    throw Error(path_, "has " + std::to_string(rows) +
                           " rows of cells; a NAS-Bench-201 table has one row for each of the " +
                           std::to_string(kNb201Cells) + " cells (" + missing + " is missing)");
  }
}

}  // namespace nas
