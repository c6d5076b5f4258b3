// The NAS-Bench-201 space as a search uses it: one decision per edge, the benchmark's arch strings as
// genotypes (every row of the benchmark table round-trips), the benchmark's isomorphism as the
// canonical hash (6,466 unique cells), options and errors.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "core/config_node.hpp"
#include "core/rng.hpp"
#include "search_spaces/nb201/nb201_canonical.hpp"
#include "search_spaces/nb201/nb201_space.hpp"
#include "tests/support/recording_policy.hpp"
#include "tests/support/scratch.hpp"
#include "tests/support/toy_space.hpp"

namespace nas {
namespace {

const char* const kTable = NAS_SHARED_DIR "/datasets/nasbench201/nb201.csv";

std::unique_ptr<SearchSpace> make_space(const std::string& options = "") {
  return make_search_space(ConfigNode::parse("space:\n  name: nb201\n" + options, "test.yaml").section("space"));
}

// The table's arch_str and edge-code columns, row by row.
struct TableRow {
  std::string arch_str;
  std::vector<int> edge_codes;
};

std::vector<TableRow> read_table_rows() {
  std::ifstream in(kTable);
  EXPECT_TRUE(in.good()) << kTable;
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  std::stringstream header_fields(line);
  for (std::string field; std::getline(header_fields, field, ',');) header.push_back(field);
  const auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  const std::vector<std::size_t> edges = {column("e01"), column("e02"), column("e12"),
                                          column("e03"), column("e13"), column("e23")};
  std::vector<TableRow> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream row_fields(line);
    for (std::string field; std::getline(row_fields, field, ',');) fields.push_back(field);
    TableRow row{fields.at(column("arch_str")), {}};
    for (std::size_t e : edges) row.edge_codes.push_back(std::stoi(fields.at(e)));
    rows.push_back(row);
  }
  return rows;
}

Architecture from_arch_string(const SearchSpace& space, const std::string& arch_str) {
  return space.from_genotype(Json(arch_str));
}

TEST(Nb201Space, AsksOneEdgeDecisionPerEdgeInTheBenchmarksOrder) {
  auto space = make_space("  ops: [nor_conv_3x3, skip_connect]\n");
  testing::RecordingPolicy recorder;
  const Architecture arch = space->sample(recorder);
  ASSERT_EQ(recorder.asked.size(), 6u);
  const std::vector<std::string> keys = {"edge/0-1", "edge/0-2", "edge/1-2", "edge/0-3", "edge/1-3", "edge/2-3"};
  for (std::size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(recorder.asked[i].key, keys[i]);
    EXPECT_EQ(recorder.asked[i].kind, "edge");
    EXPECT_EQ(recorder.asked[i].options, (std::vector<std::string>{"nor_conv_3x3", "skip_connect"}));
  }
  EXPECT_EQ(arch.short_form(),
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|");
  const std::vector<DecisionKind> kinds = space->decision_kinds();
  ASSERT_EQ(kinds.size(), 1u);
  EXPECT_EQ(kinds[0].name, "edge");
  EXPECT_EQ(kinds[0].options, (std::vector<std::string>{"nor_conv_3x3", "skip_connect"}));
  EXPECT_EQ(make_space()->decision_kinds()[0].options,
            (std::vector<std::string>{"none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"}));
}

TEST(Nb201Space, EveryArchStringOfTheBenchmarkTableRoundTrips) {
  auto space = make_space();
  const std::vector<TableRow> rows = read_table_rows();
  ASSERT_EQ(rows.size(), 15625u);
  std::set<std::string> strings;
  for (const TableRow& row : rows) {
    const Architecture arch = from_arch_string(*space, row.arch_str);
    ASSERT_EQ(arch.short_form(), row.arch_str);
    // The choices are the table's edge codes, in its column order e01, e02, e12, e03, e13, e23.
    for (std::size_t e = 0; e < 6; ++e)
      ASSERT_EQ(arch.choices()[e].label, nb201_op_labels()[row.edge_codes[e]]) << row.arch_str;
    // The JSON genotype (what logs and `nas space sample --json` hold) and the replayed choices agree.
    ASSERT_EQ(space->from_genotype(arch.genotype()).short_form(), row.arch_str);
    ASSERT_EQ(space->replay(arch.choices()).hash(), arch.hash());
    strings.insert(row.arch_str);
  }
  EXPECT_EQ(strings.size(), 15625u);
}

TEST(Nb201Space, CountsTheBenchmarks6466UniqueCells) {
  // NATS-Bench: 15,625 cells, 6,466 unique topologies once isomorphic cells are merged.
  auto space = make_space();
  std::set<std::string> hashes, canonical;
  for (int index = 0; index < kNb201Cells; ++index) {
    const Nb201Genotype genotype = Nb201Genotype::from_index(index);
    ASSERT_EQ(genotype.index(), index);
    const Architecture arch = from_arch_string(*space, nb201_arch_string(genotype));
    hashes.insert(arch.hash());
    canonical.insert(arch.canonical());
  }
  EXPECT_EQ(canonical.size(), 6466u);
  EXPECT_EQ(hashes.size(), 6466u);
}

TEST(Nb201Space, IsomorphicCellsShareAHashAndOthersDoNot) {
  auto space = make_space();
  const auto hash = [&](const std::string& arch_str) { return from_arch_string(*space, arch_str).hash(); };
  // Node 1 is zero, so whatever reads it adds nothing.
  EXPECT_EQ(hash("|none~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|avg_pool_3x3~1|nor_conv_1x1~2|"),
            hash("|none~0|+|nor_conv_3x3~0|none~1|+|skip_connect~0|none~1|nor_conv_1x1~2|"));
  // Node 2 does not reach the output: its ops do not matter.
  EXPECT_EQ(hash("|skip_connect~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|nor_conv_3x3~0|skip_connect~1|none~2|"),
            hash("|skip_connect~0|+|avg_pool_3x3~0|none~1|+|nor_conv_3x3~0|skip_connect~1|none~2|"));
  // A skip passes its source on: the conv reads the cell input through node 1 or directly.
  EXPECT_EQ(hash("|skip_connect~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|none~2|"),
            hash("|avg_pool_3x3~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|"));
  // Which op, and what it reads, do matter.
  EXPECT_NE(hash("|none~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|"),
            hash("|none~0|+|none~0|none~1|+|nor_conv_1x1~0|none~1|none~2|"));
  EXPECT_NE(hash("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|none~2|"),
            hash("|nor_conv_3x3~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|"));
  EXPECT_EQ(nb201_canonical(
                parse_nb201_arch_string("|nor_conv_3x3~0|+|none~0|skip_connect~1|+|none~0|none~1|avg_pool_3x3~2|", "")),
            "#+#+(#+(0)@nor_conv_3x3)@avg_pool_3x3");
}

TEST(Nb201Space, MutationRedrawsOneEdge) {
  auto space = make_space();
  Rng rng(3);
  RandomPolicy policy(rng);
  for (int i = 0; i < 20; ++i) {
    const Architecture parent = space->sample(policy);
    EXPECT_EQ(testing::decisions_apart(parent, space->mutate(parent, rng)), 1);
  }
}

std::string genotype_error(const SearchSpace& space, const Json& genotype) {
  return testing::error_of([&] { space.from_genotype(genotype); });
}

void expect_contains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "message: " << text << "\nexpected to contain: " << part;
}

TEST(Nb201Space, GenotypeJsonFormAndItsErrors) {
  auto space = make_space("  ops: [none, skip_connect, nor_conv_3x3]\n");
  const std::string arch_str = "|nor_conv_3x3~0|+|none~0|skip_connect~1|+|skip_connect~0|none~1|nor_conv_3x3~2|";
  const Architecture arch = from_arch_string(*space, arch_str);
  EXPECT_EQ(arch.genotype(), (Json{{"edges",
                                    {{"0-1", "nor_conv_3x3"},
                                     {"0-2", "none"},
                                     {"1-2", "skip_connect"},
                                     {"0-3", "skip_connect"},
                                     {"1-3", "none"},
                                     {"2-3", "nor_conv_3x3"}}},
                                   {"short", arch_str}}));
  Json edges_only = arch.genotype();
  edges_only.erase("short");
  EXPECT_EQ(space->from_genotype(edges_only).short_form(), arch_str);
  // Inputs of a node may come in any order; the short form lists them in order.
  EXPECT_EQ(from_arch_string(*space, "|nor_conv_3x3~0|+|skip_connect~1|none~0|+|nor_conv_3x3~2|skip_connect~0|none~1|")
                .short_form(),
            arch_str);

  expect_contains(genotype_error(*space, Json("|nor_conv_3x3~0|+|none~0|skip_connect~1|")), "2 node groups");
  expect_contains(genotype_error(*space, Json("|nor_conv_3x3~0|+|none~0|+|skip_connect~0|none~1|nor_conv_3x3~2|")),
                  "node 2 ('|none~0|')");
  expect_contains(
      genotype_error(*space, Json("|nor_conv_3x3~0|+|none~0|none~0|+|skip_connect~0|none~1|nor_conv_3x3~2|")),
      "reads node 0 twice");
  expect_contains(
      genotype_error(*space, Json("|nor_conv_3x3~0|+|none~0|none~2|+|skip_connect~0|none~1|nor_conv_3x3~2|")),
      "earlier node k in 0..1");
  const std::string unknown =
      genotype_error(*space, Json("|nor_conv_3x4~0|+|none~0|none~1|+|skip_connect~0|none~1|nor_conv_3x3~2|"));
  expect_contains(unknown, "unknown op 'nor_conv_3x4'");
  expect_contains(unknown, "did you mean 'nor_conv_3x3'");
  // An op of the benchmark that this space's `ops` leaves out.
  const std::string excluded =
      genotype_error(*space, Json("|avg_pool_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|nor_conv_3x3~2|"));
  expect_contains(excluded, "genotype.edges.0-1");
  expect_contains(excluded, "space.ops");

  Json bad_short = arch.genotype();
  bad_short["short"] = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";
  expect_contains(genotype_error(*space, bad_short), "genotype.short");
  Json missing_edge = arch.genotype();
  missing_edge["edges"].erase("1-3");
  missing_edge.erase("short");
  expect_contains(genotype_error(*space, missing_edge), "missing edge '1-3'");
  Json stray_edge = edges_only;
  stray_edge["edges"]["0-4"] = "none";
  expect_contains(genotype_error(*space, stray_edge), "genotype.edges.0-4: no such edge");
  expect_contains(genotype_error(*space, Json{{"edge", 1}}), "did you mean 'edges'");
  expect_contains(genotype_error(*space, Json::array()), "expected an arch string or an object");
}

TEST(Nb201Space, BadOptionsNameTheKey) {
  const auto option_error = [](const std::string& options) { return testing::error_of([&] { make_space(options); }); };
  const std::string unknown_op = option_error("  ops: [none, max_pool_3x3]\n");
  expect_contains(unknown_op, "space.ops");
  expect_contains(unknown_op, "avg_pool_3x3");  // the accepted list
  expect_contains(option_error("  ops: [none, none]\n"), "lists 'none' twice");
  expect_contains(option_error("  ops: []\n"), "needs at least one entry");
  expect_contains(option_error("  channels: 0\n"), "space.channels: must be between 1 and 4096");
  expect_contains(option_error("  cells_per_stage: 40\n"), "space.cells_per_stage");
  expect_contains(option_error("  cell_per_stage: 4\n"), "did you mean 'cells_per_stage'");
}

TEST(Nb201Space, ArchitecturesOfAnotherSpaceAreRefused) {
  auto nb201 = make_space();
  auto nasnet = make_search_space(ConfigNode::parse("space: {name: nasnet, blocks: 1}", "test.yaml").section("space"));
  Rng rng(1);
  RandomPolicy policy(rng);
  const Architecture foreign = nasnet->sample(policy);
  expect_contains(testing::error_of([&] { nb201->describe(foreign, TaskShape{}); }),
                  "architecture of space 'nasnet' given to space 'nb201'");
}

}  // namespace
}  // namespace nas
