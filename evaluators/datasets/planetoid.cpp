// The Planetoid citation graphs (Cora, Citeseer, Pubmed; Yang et al. 2016) in the plain-text form of
// ../shared/datasets/README.md: in directory `path`, the files <graph>.features.txt (a `#` header
// with N= and F=, then the sparse `col:value` features of node i on line i, "?" for none),
// <graph>.labels.txt (header with C=, then the class of node i, -1 for none), <graph>.edges.txt
// (header, then one undirected edge "u v" per line) and <graph>.{train,val,test}.txt (node ids).
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "core/input_file.hpp"
#include "evaluators/datasets/dataset_registry.hpp"
#include "evaluators/datasets/graph_dataset.hpp"
#include "search_spaces/task.hpp"

namespace nas {
namespace {

namespace fs = std::filesystem;

struct TextFile {
  std::string path;
  std::string header;              // the first line, without '#'
  std::vector<std::string> lines;  // the lines after it
  std::string where(std::size_t index) const { return path + ":" + std::to_string(index + 2); }
};

// The header line alone (`lines` empty) when `header_only`: what the shape of the data needs.
TextFile read_text_file(const fs::path& path, bool header_only = false) {
  require_regular_file(path.string(), "a text file of the graph");
  std::ifstream in(path);
  if (!in) throw Error(path.string(), "cannot open the file (missing or unreadable)");
  TextFile file{path.string(), "", {}};
  std::string line;
  if (!std::getline(in, line) || line.empty() || line[0] != '#')
    throw Error(file.path + ":1", "expected a header line starting with '#'");
  file.header = line.substr(1);
  while (!header_only && std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    file.lines.push_back(line);
  }
  // A final empty line is the end of the last one, not a line of its own.
  while (!file.lines.empty() && file.lines.back().empty()) file.lines.pop_back();
  return file;
}

// The integer after "KEY=" in a header ("# cora N=2708 F=1433; ...").
std::int64_t header_count(const TextFile& file, const std::string& key) {
  std::istringstream words(file.header);
  std::string word;
  while (words >> word) {
    if (word.rfind(key + "=", 0) != 0) continue;
    const std::string digits = word.substr(key.size() + 1, word.find_first_not_of("0123456789", key.size() + 1) - key.size() - 1);
    if (!digits.empty() && digits.size() < 10) return std::stoll(digits);
  }
  throw Error(file.path + ":1", "the header names no " + key + "=<count>");
}

// A whole-token integer, or an error naming the line and what was expected.
std::int64_t parse_integer(const std::string& token, const std::string& where, const std::string& what) {
  std::size_t end = 0;
  std::int64_t value = 0;
  try {
    value = std::stoll(token, &end);
  } catch (const std::exception&) {
    end = 0;
  }
  if (end == 0 || end != token.size()) throw Error(where, "expected " + what + ", got '" + token + "'");
  return value;
}

std::int64_t node_id(const std::string& token, std::int64_t nodes, const std::string& where) {
  const std::int64_t id = parse_integer(token, where, "a node id");
  if (id < 0 || id >= nodes)
    throw Error(where, "node id " + token + " is out of range; the graph has nodes 0.." + std::to_string(nodes - 1));
  return id;
}

torch::Tensor read_features(const TextFile& file, std::int64_t nodes, std::int64_t width, bool normalise) {
  if (static_cast<std::int64_t>(file.lines.size()) != nodes)
    throw Error(file.path, "holds " + std::to_string(file.lines.size()) + " feature lines; the header says N=" +
                               std::to_string(nodes));
  std::vector<std::int64_t> rows, columns;
  std::vector<float> values;
  for (std::int64_t node = 0; node < nodes; ++node) {
    const std::string where = file.where(node);
    std::istringstream tokens(file.lines[node]);
    std::string token;
    const std::size_t row_start = values.size();
    while (tokens >> token) {
      if (token == "?") continue;
      const std::size_t colon = token.find(':');
      if (colon == std::string::npos) throw Error(where, "expected col:value, got '" + token + "'");
      const std::int64_t column = parse_integer(token.substr(0, colon), where, "a feature column");
      if (column < 0 || column >= width)
        throw Error(where, "feature column " + std::to_string(column) + " is out of range 0.." + std::to_string(width - 1) +
                               " (F=" + std::to_string(width) + " in the header)");
      float value = 0;
      std::size_t used = 0;
      const std::string text = token.substr(colon + 1);
      try {
        value = std::stof(text, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      // stof reads "nan", "inf" and the "1.5" of "1.5x"; a feature that is not a finite number would
      // turn every prediction it reaches into NaN.
      if (used == 0 || used != text.size() || !std::isfinite(value))
        throw Error(where, "expected a finite number after ':' in '" + token + "'");
      rows.push_back(node);
      columns.push_back(column);
      values.push_back(value);
    }
    if (normalise) {
      float sum = 0;
      for (std::size_t i = row_start; i < values.size(); ++i) sum += values[i];
      if (sum != 0)
        for (std::size_t i = row_start; i < values.size(); ++i) values[i] /= sum;
    }
  }
  const auto count = static_cast<std::int64_t>(values.size());
  const torch::Tensor indices = torch::stack({torch::tensor(rows, torch::kInt64), torch::tensor(columns, torch::kInt64)});
  return torch::sparse_coo_tensor(indices.view({2, count}), torch::tensor(values, torch::kFloat32), {nodes, width})
      .coalesce();
}

torch::Tensor read_labels(const TextFile& file, std::int64_t nodes, std::int64_t classes) {
  if (static_cast<std::int64_t>(file.lines.size()) != nodes)
    throw Error(file.path, "holds " + std::to_string(file.lines.size()) + " labels; the graph has " +
                               std::to_string(nodes) + " nodes");
  std::vector<std::int64_t> labels(nodes);
  for (std::int64_t node = 0; node < nodes; ++node) {
    labels[node] = parse_integer(file.lines[node], file.where(node), "a class");
    if (labels[node] < -1 || labels[node] >= classes)
      throw Error(file.where(node), "class " + file.lines[node] + " is not -1 (unlabelled) or 0.." + std::to_string(classes - 1));
  }
  return torch::tensor(labels, torch::kInt64);
}

torch::Tensor read_edges(const TextFile& file, std::int64_t nodes) {
  std::vector<std::int64_t> sources, targets;
  for (std::size_t i = 0; i < file.lines.size(); ++i) {
    std::istringstream tokens(file.lines[i]);
    std::string u_text, v_text, extra;
    if (!(tokens >> u_text >> v_text) || (tokens >> extra))
      throw Error(file.where(i), "expected an edge 'u v', got '" + file.lines[i] + "'");
    const std::int64_t u = node_id(u_text, nodes, file.where(i));
    const std::int64_t v = node_id(v_text, nodes, file.where(i));
    if (u == v) throw Error(file.where(i), "self-loop " + u_text + " " + v_text + "; the layers add their own, list none");
    // Messages flow both ways along an undirected edge.
    sources.insert(sources.end(), {u, v});
    targets.insert(targets.end(), {v, u});
  }
  return torch::stack({torch::tensor(sources, torch::kInt64), torch::tensor(targets, torch::kInt64)});
}

struct Split {
  std::string name;
  TextFile file;
  std::vector<std::int64_t> nodes;
};

// The three node lists, each without repeats, none sharing a node with another, all labelled.
void check_splits(const std::vector<Split>& splits, const std::vector<std::int64_t>& labels, const std::string& labels_path) {
  std::vector<int> owner(labels.size(), -1);
  for (std::size_t s = 0; s < splits.size(); ++s) {
    const Split& split = splits[s];
    if (split.nodes.empty()) throw Error(split.file.path, "lists no nodes");
    for (std::size_t i = 0; i < split.nodes.size(); ++i) {
      const std::int64_t node = split.nodes[i];
      const std::string where = split.file.path + ":" + std::to_string(i + 1);
      if (owner[node] == static_cast<int>(s)) throw Error(where, "node " + std::to_string(node) + " is listed twice");
      if (owner[node] >= 0)
        throw Error(where, "node " + std::to_string(node) + " is also in the " + splits[owner[node]].name +
                                             " split (" + splits[owner[node]].file.path + "); the splits must not overlap");
      if (labels[node] < 0)
        throw Error(where, "node " + std::to_string(node) + " has no class (-1 in " + labels_path + ")");
      owner[node] = static_cast<int>(s);
    }
  }
}

// Where a `dataset:` section's files are: its directory and the files' prefix.
struct PlanetoidFiles {
  std::string directory;
  std::string graph;
  fs::path file(const std::string& suffix) const { return fs::path(directory) / (graph + "." + suffix + ".txt"); }
};

PlanetoidFiles planetoid_files(const ConfigNode& section) {
  const std::string path = section.path("path", "");
  if (path.empty())
    throw section.error("path", "missing required key 'path', the directory of the graph's files, e.g. "
                                "../shared/datasets/planetoid/cora");
  std::error_code error;
  if (!fs::is_directory(path, error)) throw section.error("path", "no such directory '" + path + "'");
  // The files' prefix defaults to the directory's name ("cora" for .../planetoid/cora/).
  fs::path normal = fs::path(path).lexically_normal();
  if (normal.filename().empty()) normal = normal.parent_path();
  return PlanetoidFiles{path, section.string("graph", normal.filename().string())};
}

// F= and C= are bounded as every task is (search_spaces/task.hpp), so that a layer of F inputs and C
// outputs can be built.
void check_width(const TextFile& features, std::int64_t width) {
  if (width > kMaxInputChannels)
    throw Error(features.path + ":1", "F=" + std::to_string(width) + " features per node; at most " +
                                          std::to_string(kMaxInputChannels) + " are accepted");
}

void check_classes(const TextFile& labels, std::int64_t classes) {
  if (classes < 2) throw Error(labels.path + ":1", "C must be at least 2");
  if (classes > kMaxClasses)
    throw Error(labels.path + ":1", "C=" + std::to_string(classes) + " classes; at most " +
                                        std::to_string(kMaxClasses) + " are accepted");
}

// Features per node and classes, from the two headers (drawing a logged architecture needs no more).
TaskShape planetoid_shape(const ConfigNode& section) {
  const PlanetoidFiles files = planetoid_files(section);
  const TextFile features = read_text_file(files.file("features"), true);
  const TextFile labels = read_text_file(files.file("labels"), true);
  const std::int64_t width = header_count(features, "F");
  const std::int64_t classes = header_count(labels, "C");
  if (width < 1) throw Error(features.path + ":1", "F must be positive");
  check_width(features, width);
  check_classes(labels, classes);
  return TaskShape{width, 1, 1, classes};
}

std::shared_ptr<const GraphDataset> load_planetoid(const ConfigNode& section) {
  const PlanetoidFiles files = planetoid_files(section);
  const bool normalise = section.boolean("normalize_features", true);

  auto dataset = std::make_shared<GraphDataset>();
  dataset->name = files.graph;
  dataset->source = files.directory;
  const TextFile features = read_text_file(files.file("features"));
  const std::int64_t nodes = header_count(features, "N");
  const std::int64_t width = header_count(features, "F");
  if (nodes < 1 || width < 1) throw Error(features.path + ":1", "N and F must be positive");
  check_width(features, width);
  dataset->features = read_features(features, nodes, width, normalise);
  dataset->rows_normalised = normalise;
  const TextFile labels = read_text_file(files.file("labels"));
  dataset->classes = header_count(labels, "C");
  check_classes(labels, dataset->classes);
  dataset->labels = read_labels(labels, nodes, dataset->classes);
  dataset->edge_index = read_edges(read_text_file(files.file("edges")), nodes);

  std::vector<Split> splits;
  for (const char* name : {"train", "val", "test"}) {
    // Node lists have no header: every line is a node id.
    const fs::path split_path = files.file(name);
    require_regular_file(split_path.string(), "a text file of node ids");
    std::ifstream in(split_path);
    if (!in) throw Error(split_path.string(), "cannot open the file (missing or unreadable)");
    Split split{name, TextFile{split_path.string(), "", {}}, {}};
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      split.file.lines.push_back(line);
    }
    while (!split.file.lines.empty() && split.file.lines.back().empty()) split.file.lines.pop_back();
    for (std::size_t i = 0; i < split.file.lines.size(); ++i)
      split.nodes.push_back(node_id(split.file.lines[i], nodes, split_path.string() + ":" + std::to_string(i + 1)));
    splits.push_back(std::move(split));
  }
  const std::vector<std::int64_t> label_values(dataset->labels.data_ptr<std::int64_t>(),
                                               dataset->labels.data_ptr<std::int64_t>() + nodes);
  check_splits(splits, label_values, labels.path);
  dataset->train = torch::tensor(splits[0].nodes, torch::kInt64);
  dataset->val = torch::tensor(splits[1].nodes, torch::kInt64);
  dataset->test = torch::tensor(splits[2].nodes, torch::kInt64);
  return dataset;
}

const bool registered = graph_dataset_registry().add("planetoid", load_planetoid);
const bool shape_registered = dataset_shape_registry().add("planetoid", planetoid_shape);

}  // namespace
}  // namespace nas
