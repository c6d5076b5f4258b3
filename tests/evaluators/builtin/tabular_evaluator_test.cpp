// The tabular evaluator: trials looked up in the NAS-Bench-201 table (accuracies as fractions,
// reported columns, the benchmark network's size, a simulated time), and every way a table or the
// evaluator section can be wrong named by file, line, column or key.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/config_node.hpp"
#include "core/rng.hpp"
#include "evaluators/builtin/tabular_evaluator.hpp"
#include "evaluators/evaluation/evaluator_registry.hpp"
#include "search_spaces/nb201/nb201_space.hpp"
#include "tests/support/evaluate_once.hpp"
#include "tests/support/scratch.hpp"
#include "tests/support/toy_space.hpp"

namespace nas {
namespace {

const std::string kTable = NAS_SHARED_DIR "/datasets/nasbench201/nb201.csv";
// Row 1 of the table.
const char* const kRowOne =
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|";

struct Lookup {
  std::unique_ptr<SearchSpace> space;
  std::unique_ptr<Evaluator> evaluator;
};

// An experiment's space, dataset and evaluator sections, made as load_experiment makes them.
Lookup make(const std::string& evaluator_keys, const std::string& space = "{name: nb201}",
            const std::string& more_sections = "") {
  const ConfigNode root = ConfigNode::parse(
      "space: " + space + "\nevaluator: {name: tabular, " + evaluator_keys + "}\n" + more_sections, "test.yaml");
  Lookup lookup;
  lookup.space = make_search_space(root.section("space"));
  const ConfigNode evaluator = root.section("evaluator");
  lookup.evaluator = make_evaluator(root.section("dataset"), evaluator, *lookup.space, 0);
  evaluator.finish();
  return lookup;
}

std::string error_of_make(const std::string& evaluator_keys, const std::string& space = "{name: nb201}",
                          const std::string& more_sections = "") {
  return testing::error_of([&] { make(evaluator_keys, space, more_sections); });
}

void expect_contains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "message: " << text << "\nexpected to contain: " << part;
}

TEST(TabularEvaluator, LooksUpTheTableRowOfTheArchitecture) {
  const Lookup lookup = make("table: " + kTable +
                             ", fitness: c10v_valid_acc200, report: [c10_test_acc200, c100_test_acc200], "
                             "seconds_per_query: 12.5");
  const Architecture arch = lookup.space->from_genotype(Json(kRowOne));
  const TrialMetrics metrics = testing::evaluate_once(*lookup.evaluator, arch, 7);
  // Row 1: c10v_valid_acc200 90.7693, c10_test_acc200 93.6600, c100_test_acc200 70.2933.
  EXPECT_NEAR(metrics.val_accuracy, 0.907693, 1e-12);
  EXPECT_EQ(metrics.val_loss, 0);
  EXPECT_EQ(metrics.train_seconds, 12.5);
  ASSERT_EQ(metrics.reported.size(), 2u);
  EXPECT_NEAR(metrics.reported.at("c10_test_acc200"), 0.9366, 1e-12);
  EXPECT_NEAR(metrics.reported.at("c100_test_acc200"), 0.702933, 1e-12);
  // The size of the benchmark's CIFAR-10 network with this cell.
  const ModelSummary summary = lookup.space->describe(arch, TabularEvaluator::benchmark_task());
  EXPECT_EQ(metrics.params, 802426);
  EXPECT_EQ(metrics.params, summary.params);
  EXPECT_EQ(metrics.madds, summary.madds);
  // Looked up again (now from the cache of sizes), the same figures.
  const TrialMetrics again = testing::evaluate_once(*lookup.evaluator, arch, 8);
  EXPECT_EQ(again.val_accuracy, metrics.val_accuracy);
  EXPECT_EQ(again.params, metrics.params);
  EXPECT_EQ(again.reported, metrics.reported);
}

TEST(TabularEvaluator, FindsTheRowOfCellsAllOverTheTable) {
  const Lookup lookup = make("table: " + kTable + ", fitness: c100_test_acc200");
  std::ifstream in(kTable);
  std::string line;
  std::getline(in, line);  // the header: index,arch_str,e01,...,c100_test_acc200 is column 12
  int checked = 0;
  for (int row = 0; std::getline(in, line); ++row) {
    if (row % 97 != 0) continue;
    std::vector<std::string> fields;
    std::stringstream stream(line);
    for (std::string field; std::getline(stream, field, ',');) fields.push_back(field);
    const TrialMetrics metrics = testing::evaluate_once(*lookup.evaluator, lookup.space->from_genotype(Json(fields.at(1))), 0);
    EXPECT_NEAR(metrics.val_accuracy, std::stod(fields.at(12)) / 100, 1e-12) << fields.at(1);
    EXPECT_TRUE(metrics.reported.empty());
    ++checked;
  }
  EXPECT_EQ(checked, 162);
}

TEST(TabularEvaluator, AnArchitectureOfAnotherSpaceFailsItsTrial) {
  const Lookup lookup = make("table: " + kTable);
  testing::ToySpace toy(6, 5);
  Rng rng(1);
  RandomPolicy policy(rng);
  try {
    testing::evaluate_once(*lookup.evaluator, toy.sample(policy), 0);
    ADD_FAILURE() << "no TrialFailure";
  } catch (const TrialFailure& failure) {
    expect_contains(failure.what(), "space 'toy'");
    expect_contains(failure.what(), "holds the cells of space 'nb201'");
  }
}

TEST(TabularEvaluator, SectionErrorsNameTheKey) {
  const std::string table = "table: " + kTable;
  const std::string fitness = error_of_make(table + ", fitness: c10v_valid_acc20");
  expect_contains(fitness, "test.yaml:2:");
  expect_contains(fitness, "evaluator.fitness: unknown table column 'c10v_valid_acc20'");
  expect_contains(fitness, "did you mean 'c10v_valid_acc200'");
  const std::string report = error_of_make(table + ", report: [c10_tst_acc200]");
  expect_contains(report, "evaluator.report: unknown entry 'c10_tst_acc200'");
  expect_contains(report, "did you mean 'c10_test_acc200'");
  expect_contains(error_of_make(table + ", seconds_per_query: -1"), "evaluator.seconds_per_query: must be at least 0");
  expect_contains(error_of_make(table + ", tabel: x"), "did you mean 'table'");
  expect_contains(error_of_make("fitness: c10v_valid_acc200"), "evaluator.table: missing required key 'table'");
  // Text parsed with no file folder reads a relative path from the working directory.
  expect_contains(error_of_make("table: no/such/table.csv"),
                  "evaluator.table: no such file '" + (std::filesystem::current_path() / "no/such/table.csv").string() + "'");
  expect_contains(error_of_make(table, "{name: nb201}", "dataset: {name: fashion-mnist}\n"),
                  "dataset: the tabular evaluator reads no dataset");
  expect_contains(error_of_make(table, "{name: nasnet}"), "needs space: {name: nb201}");
  expect_contains(error_of_make(table, "{name: nb201, channels: 8}"), "space.channels: 16");
  // Restricting the ops keeps the benchmark's network.
  EXPECT_EQ(error_of_make(table, "{name: nb201, ops: [nor_conv_3x3, skip_connect]}"), "(no error)");
  const std::string name = testing::error_of([&] {
    const ConfigNode root = ConfigNode::parse("space: {name: nb201}\nevaluator: {name: tabulr}\n", "test.yaml");
    const auto space = make_search_space(root.section("space"));
    make_evaluator(root.section("dataset"), root.section("evaluator"), *space, 0);
  });
  expect_contains(name, "evaluator.name: unknown evaluator 'tabulr'");
  expect_contains(name, "did you mean 'tabular'");
}

// Tables written by the tests: a header and rows, or every cell with made-up accuracies.
class TabularTable : public testing::ScratchDirTest {
 protected:
  std::string write(const std::string& text) {
    const std::string path = dir("table.csv");
    std::ofstream(path) << text;
    return path;
  }
  std::string table_error(const std::string& text) {
    const std::string path = write(text);
    return testing::error_of([&] { make("table: " + path + ", fitness: acc"); });
  }
  // Every cell once, columns in another order than the benchmark's file and no index; acc of cell
  // number n is n % 100 + 0.25 (as Nb201Genotype::index numbers cells), or `bad_acc` on line `bad_line`.
  std::string full_table(std::int64_t bad_line = -1, const std::string& bad_acc = "") {
    std::string text = "acc,e23,e13,e03,e12,e02,e01,arch_str,test\n";
    for (int n = 0; n < kNb201Cells; ++n) {
      const Nb201Genotype genotype = Nb201Genotype::from_index(kNb201Cells - 1 - n);  // backwards, for a change
      const std::int64_t line = n + 2;
      text += line == bad_line ? bad_acc : std::to_string(genotype.index() % 100) + ".25";
      for (int e = kNb201Edges - 1; e >= 0; --e) text += "," + std::to_string(genotype.ops[e]);
      text += "," + nb201_arch_string(genotype) + ",50\n";
    }
    return text;
  }
};

TEST_F(TabularTable, ATableOfOtherColumnsAndOrderServesToo) {
  const Lookup lookup = make("table: " + write(full_table()) + ", fitness: acc, report: [test]");
  for (int index : {0, 1, 99, 100, 7777, kNb201Cells - 1}) {
    const Architecture arch = lookup.space->from_genotype(Json(nb201_arch_string(Nb201Genotype::from_index(index))));
    const TrialMetrics metrics = testing::evaluate_once(*lookup.evaluator, arch, 0);
    EXPECT_NEAR(metrics.val_accuracy, (index % 100 + 0.25) / 100, 1e-12) << index;
    EXPECT_EQ(metrics.reported.at("test"), 0.5);
  }
}

TEST_F(TabularTable, AnAccuracyOutsidePercentNamesItsLine) {
  const std::string message = table_error(full_table(5, "120.5"));
  expect_contains(message, "table.csv:5: column 'acc' holds 120.5");
  expect_contains(message, "percent (0..100)");
}

TEST_F(TabularTable, BadTablesNameTheFileLineAndColumn) {
  const std::string header = "index,arch_str,e01,e02,e12,e03,e13,e23,acc\n";
  const std::string good_row =
      "0,|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|,3,3,4,1,3,1,"
      "90.5\n";
  expect_contains(table_error(""), "table.csv:1: the table is empty");
  const std::string misspelt = table_error("index,arch_st,e01,e02,e12,e03,e13,e23,acc\n" + good_row);
  expect_contains(misspelt, "table.csv:1: the header has no column 'arch_str' (is 'arch_st' it, misspelt?)");
  expect_contains(table_error("index,arch_str,e01,e02,e03,e13,e23,acc\n"), "no column 'e12'");
  expect_contains(table_error("index,arch_str,e01,e02,e12,e03,e13,e23,acc,acc\n"), "names column 'acc' twice");
  expect_contains(table_error(header + good_row + "1,|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,0,0,0,0,0,0\n"),
                  "table.csv:3: has 8 fields, the header 9");
  expect_contains(table_error(header + "0,|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,0,0,0,0,0,0,9x.5\n"),
                  "table.csv:2: column 'acc': expected a number, got '9x.5'");
  expect_contains(table_error(header + "0,|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,0,0,0,0,0,0,\n"),
                  "table.csv:2: column 'acc': expected a number, got ''");
  expect_contains(table_error(header + "0,|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,2,0,0,0,0,0,1\n"),
                  "table.csv:2: arch_str puts 0 (none) on edge 0-1, but column 'e01' says 2 (nor_conv_1x1)");
  expect_contains(table_error(header + "0,|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,0,0,0,0,0,7,1\n"),
                  "table.csv:2: column 'e23' must hold an op code 0..4");
  expect_contains(table_error(header + "0,|none~0|+|none~0|none~1|,0,0,0,0,0,0,1\n"),
                  "table.csv:2: arch_str: '|none~0|+|none~0|none~1|' has 2 node groups");
  expect_contains(table_error(header + good_row + "\n" + good_row), "table.csv:4: repeats the cell");
  expect_contains(table_error(header + good_row + good_row), "of line 2");
  const std::string rows = table_error(header + good_row);
  expect_contains(rows, "table.csv: has 1 rows of cells");
  expect_contains(rows, "each of the 15625 cells");
  expect_contains(rows, "|none~0|+|none~0|none~1|+|none~0|none~1|none~2| is missing");
}

}  // namespace
}  // namespace nas
