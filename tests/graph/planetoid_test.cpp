// The Planetoid loader: Cora as the README describes it, and clear errors for broken files.
#include <gtest/gtest.h>

#include <fstream>

#include "../support/scratch.hpp"
#include "core/config_node.hpp"
#include "evaluators/datasets/graph_dataset.hpp"

namespace nas {
namespace {

using testing::error_of;

const std::string kCora = std::string(NAS_SHARED_DIR) + "/datasets/planetoid/cora";

std::shared_ptr<const GraphDataset> load(const std::string& yaml) {
  const ConfigNode root = ConfigNode::parse(yaml, "test.yaml");
  return load_graph_dataset(root.section("dataset"));
}

TEST(Planetoid, LoadsCoraWithItsCountsAndSplits) {
  const auto cora = load("dataset: {name: planetoid, path: " + kCora + "}");
  EXPECT_EQ(cora->name, "cora");
  EXPECT_EQ(cora->nodes(), 2708);
  EXPECT_EQ(cora->features.size(1), 1433);
  EXPECT_EQ(cora->classes, 7);
  EXPECT_EQ(cora->edge_index.size(1), 10556);
  EXPECT_EQ(cora->features._nnz(), 49216);
  EXPECT_EQ(cora->train.numel(), 140);
  EXPECT_EQ(cora->val.numel(), 500);
  EXPECT_EQ(cora->test.numel(), 1000);
  // Rows normalised to sum 1; every edge both ways.
  EXPECT_NEAR(cora->features._values().sum().item<double>(), 2708, 1e-2);
  const auto reversed = cora->edge_index.flip(0);
  EXPECT_TRUE(torch::equal(std::get<0>(torch::sort(cora->edge_index[0] * 10000 + cora->edge_index[1])),
                           std::get<0>(torch::sort(reversed[0] * 10000 + reversed[1]))));
  EXPECT_EQ(torch::bincount(cora->labels.index_select(0, cora->train)).min().item<std::int64_t>(), 20);
}

class PlanetoidErrors : public testing::ScratchDirTest {
 protected:
  // A 4-node graph "toy" whose file `broken` gets `content` instead.
  std::string write(const std::string& broken = "", const std::string& content = "") {
    const std::map<std::string, std::string> files = {
        {"features", "# toy N=4 F=3\n0:1 2:1\n1:1\n?\n0:1 1:1 2:1\n"},
        {"labels", "# toy N=4 C=2\n0\n1\n0\n1\n"},
        {"edges", "# toy edges\n0 1\n1 2\n2 3\n"},
        {"train", "0\n1\n"},
        {"val", "2\n"},
        {"test", "3\n"}};
    const std::string directory = dir("toy");
    std::filesystem::create_directories(directory);
    for (const auto& [suffix, text] : files)
      std::ofstream(directory + "/toy." + suffix + ".txt") << (suffix == broken ? content : text);
    return directory;
  }
  std::string error(const std::string& broken, const std::string& content) {
    const std::string directory = write(broken, content);
    return error_of([&] { load("dataset: {name: planetoid, path: " + directory + "}"); });
  }
};

TEST_F(PlanetoidErrors, AGoodToyGraphLoads) {
  const auto toy = load("dataset: {name: planetoid, path: " + write() + ", normalize_features: false}");
  EXPECT_EQ(toy->nodes(), 4);
  EXPECT_EQ(toy->edge_index.size(1), 6);
  EXPECT_EQ(toy->features._values().sum().item<double>(), 6);
}

TEST_F(PlanetoidErrors, NameTheFileLineAndProblem) {
  EXPECT_NE(error("edges", "# e\n0 1\n1 7\n").find("toy.edges.txt:3: node id 7 is out of range; the graph has nodes 0..3"),
            std::string::npos);
  EXPECT_NE(error("edges", "# e\n0 1\n1\n").find("toy.edges.txt:3: expected an edge 'u v'"), std::string::npos);
  EXPECT_NE(error("edges", "# e\n2 2\n").find("self-loop"), std::string::npos);
  EXPECT_NE(error("features", "# toy N=4 F=3\n0:1\n5:1\n?\n?\n").find("toy.features.txt:3: feature column 5 is out of range"),
            std::string::npos);
  EXPECT_NE(error("features", "# toy N=4 F=3\n0:1\nx\n?\n?\n").find("toy.features.txt:3: expected col:value"),
            std::string::npos);
  EXPECT_NE(error("features", "# toy N=4 F=3\n0:1\n").find("holds 1 feature lines; the header says N=4"),
            std::string::npos);
  EXPECT_NE(error("features", "toy N=4 F=3\n").find("toy.features.txt:1: expected a header line"), std::string::npos);
  EXPECT_NE(error("labels", "# toy N=4 C=2\n0\n1\n2\n1\n").find("toy.labels.txt:4: class 2 is not -1 (unlabelled) or 0..1"),
            std::string::npos);
  EXPECT_NE(error("test", "3\n1\n").find("toy.test.txt:2: node 1 is also in the train split"), std::string::npos);
  EXPECT_NE(error("val", "2\n2\n").find("toy.val.txt:2: node 2 is listed twice"), std::string::npos);
  EXPECT_NE(error("labels", "# toy N=4 C=2\n0\n1\n-1\n1\n").find("node 2 has no class"), std::string::npos);
}

// NaN and infinite features were accepted (every prediction they reach becomes NaN), and so were
// headers promising a billion nodes, features or classes.
TEST_F(PlanetoidErrors, NonFiniteFeaturesAndHugeHeadersAreRefused) {
  for (const std::string value : {"nan", "inf", "-inf", "1e99", "1.5x"})
    EXPECT_NE(error("features", "# toy N=4 F=3\n0:1\n1:" + value + "\n?\n?\n")
                  .find("toy.features.txt:3: expected a finite number after ':' in '1:" + value + "'"),
              std::string::npos)
        << value;
  EXPECT_NE(error("features", "# toy N=999999999 F=3\n0:1\n").find("holds 1 feature lines; the header says N=999999999"),
            std::string::npos);
  EXPECT_NE(error("features", "# toy N=4 F=999999999\n?\n?\n?\n?\n")
                .find("toy.features.txt:1: F=999999999 features per node; at most 1000000 are accepted"),
            std::string::npos);
  EXPECT_NE(error("labels", "# toy N=4 C=999999999\n0\n1\n0\n1\n")
                .find("toy.labels.txt:1: C=999999999 classes; at most 100000 are accepted"),
            std::string::npos);
}

TEST_F(PlanetoidErrors, AMissingDirectoryOrKeyIsNamed) {
  EXPECT_NE(error_of([&] { load("dataset: {name: planetoid, path: " + dir("nothing") + "}"); }).find("no such directory"),
            std::string::npos);
  EXPECT_NE(error_of([&] { load("dataset: {name: planetoid}"); }).find("missing required key 'path'"), std::string::npos);
  EXPECT_NE(error_of([&] { load("dataset: {name: planetoid, path: " + write() + ", pth: 1}"); }).find("pth"),
            std::string::npos);
}

}  // namespace
}  // namespace nas
