// Bad experiment input must name the file, the line and the key, say what is accepted, and never
// be half-read: these are the messages users see first.
#include <gtest/gtest.h>

#include <filesystem>

#include "../support/scratch.hpp"
#include "core/config_node.hpp"

namespace nas {
namespace {

using testing::error_of;

const char* kExperiment =
    "name: quickstart\n"
    "seed: 0\n"
    "controller: {name: evolution, population: 16, tournament: 4}\n"
    "evaluator:\n"
    "  workers: two\n"
    "  epochs: -1\n"
    "  lr: 0.05\n";

TEST(ConfigNode, WrongTypeNamesFileLineColumnAndKey) {
  const auto root = ConfigNode::parse(kExperiment, "quickstart.yaml");
  const std::string message = error_of([&] { root.section("evaluator").integer("workers", 1, 1); });
  EXPECT_EQ(message, "quickstart.yaml:5:12: evaluator.workers: expected an integer, got 'two'");
}

TEST(ConfigNode, OutOfRangeSaysTheAcceptedRange) {
  const auto root = ConfigNode::parse(kExperiment, "quickstart.yaml");
  EXPECT_EQ(error_of([&] { root.section("evaluator").integer("epochs", 1, 1, 1000); }),
            "quickstart.yaml:6:11: evaluator.epochs: must be between 1 and 1000, got -1");
  EXPECT_EQ(error_of([&] { root.section("evaluator").number("lr", 0.1, 0.0, 0.01); }),
            "quickstart.yaml:7:7: evaluator.lr: must be between 0 and 0.01, got 0.05");
}

TEST(ConfigNode, UnknownKeySuggestsTheClosestKnownKey) {
  const auto root = ConfigNode::parse("name: x\nsede: 3\n", "e.yaml");
  root.string("name", "");
  root.integer("seed", 0);
  EXPECT_EQ(error_of([&] { root.finish(); }),
            "e.yaml:2:7: sede: unknown key 'sede'; accepted: name, seed (did you mean 'seed'?)");
}

TEST(ConfigNode, UnknownNameListsAcceptedNames) {
  const auto root = ConfigNode::parse("space: {name: nasnt}\n", "e.yaml");
  EXPECT_EQ(error_of([&] { root.section("space").choice("name", "", {"nasnet", "einspace"}, "search space"); }),
            "e.yaml:1:15: space.name: unknown search space 'nasnt'; accepted: nasnet, einspace (did you mean 'nasnet'?)");
}

TEST(ConfigNode, MissingRequiredNameIsAnError) {
  const auto root = ConfigNode::parse("space: {}\n", "e.yaml");
  EXPECT_NE(error_of([&] { root.section("space").choice("name", "", {"nasnet"}, "search space"); })
                .find("space.name: missing required key 'name'; accepted: nasnet"),
            std::string::npos);
}

TEST(ConfigNode, OverridesReplaceValuesAndAreNamedInErrors) {
  const auto root = ConfigNode::parse(kExperiment, "quickstart.yaml",
                                      {"controller.population=8", "evaluator.workers=x", "budget.trials=3"});
  const auto controller = root.section("controller");
  EXPECT_EQ(controller.integer("population", 0), 8);
  EXPECT_EQ(root.section("budget").integer("trials", 0), 3);  // a section the file did not have
  EXPECT_EQ(error_of([&] { root.section("evaluator").integer("workers", 1); }),
            "--set evaluator.workers=x: evaluator.workers: expected an integer, got 'x'");
}

TEST(ConfigNode, BadOverridesAreRejected) {
  EXPECT_NE(error_of([&] { ConfigNode::parse(kExperiment, "q.yaml", {"controller.population"}); })
                .find("expected --set key.path=value"),
            std::string::npos);
  EXPECT_NE(error_of([&] { ConfigNode::parse(kExperiment, "q.yaml", {"seed.x=1"}); })
                .find("'seed' is not a section"),
            std::string::npos);
}

TEST(ConfigNode, InvalidYamlNamesTheLine) {
  const std::string message = error_of([] { ConfigNode::parse("name: x\nspace: {name: nasnet\n", "bad.yaml"); });
  EXPECT_EQ(message.rfind("bad.yaml:", 0), 0u) << message;
  EXPECT_NE(message.find("not valid YAML"), std::string::npos) << message;
}

TEST(ConfigNode, ListsAreCheckedAgainstAcceptedEntries) {
  const auto root = ConfigNode::parse("ops: [conv_3x3, sep_conv_3x5]\n", "e.yaml");
  EXPECT_NE(error_of([&] { root.string_list("ops", {}, {"conv_3x3", "sep_conv_3x3"}); })
                .find("unknown entry 'sep_conv_3x5'; accepted: conv_3x3, sep_conv_3x3 (did you mean 'sep_conv_3x3'?)"),
            std::string::npos);
}

TEST(ConfigNode, DefaultsApplyWhenKeysAreAbsent) {
  const auto root = ConfigNode::parse("", "e.yaml");
  EXPECT_EQ(root.integer("seed", 5), 5);
  EXPECT_EQ(root.section("evaluator").number("lr", 0.5), 0.5);
  EXPECT_TRUE(root.boolean("flag", true));
  EXPECT_NO_THROW(root.finish());
}

// Paths in an experiment file are the file's: relative ones are read from its folder, those of --set
// flags from the working directory, and the configuration keeps them absolute.
TEST(ConfigNode, PathsAreReadFromTheFilesFolderOrTheWorkingDirectoryForOverrides) {
  const auto root = ConfigNode::parse("data: {table: ../tables/nb201.csv, folder: /srv/data, other: x.npy}\n",
                                      "/home/ada/exp/e.yaml", {"data.other=sub/y.npy"}, "/home/ada/exp");
  const ConfigNode data = root.section("data");
  EXPECT_EQ(data.path("table", ""), "/home/ada/tables/nb201.csv");
  EXPECT_EQ(data.path("folder", ""), "/srv/data");
  EXPECT_EQ(data.path("other", ""), (std::filesystem::current_path() / "sub/y.npy").string());
  EXPECT_EQ(data.path("absent", "/usr/share/x"), "/usr/share/x");
  // Written back, so that what a search log keeps names the same files from any directory.
  EXPECT_EQ(root.yaml()["data"]["table"].Scalar(), "/home/ada/tables/nb201.csv");
  EXPECT_EQ(root.yaml()["data"]["other"].Scalar(), (std::filesystem::current_path() / "sub/y.npy").string());
  EXPECT_FALSE(root.yaml()["data"]["absent"].IsDefined());

  // Text that is not a file (a logged configuration) reads relative paths from the working directory.
  const auto text = ConfigNode::parse("table: t.csv\n", "run/search.db");
  EXPECT_EQ(text.path("table", ""), (std::filesystem::current_path() / "t.csv").string());
}

}  // namespace
}  // namespace nas

namespace nas {
namespace {

// yaml-cpp keeps both entries of a key written twice; the run used one value and logged the other.
TEST(ConfigNodeDuplicates, AKeyGivenTwiceIsRefusedNamingBothLines) {
  const std::string message = testing::error_of(
      [] { ConfigNode::parse("name: a\nbudget: {trials: 3}\nseed: 1\nbudget: {trials: 5}\n", "dup.yaml"); });
  EXPECT_NE(message.find("dup.yaml:4"), std::string::npos) << message;
  EXPECT_NE(message.find("key 'budget' appears twice (lines 2 and 4)"), std::string::npos) << message;
}

TEST(ConfigNodeDuplicates, ADuplicateInsideASectionOrAnOverrideIsRefusedToo) {
  const std::string nested = testing::error_of(
      [] { ConfigNode::parse("evaluator:\n  workers: 1\n  epochs: 2\n  workers: 4\n", "nested.yaml"); });
  EXPECT_NE(nested.find("key 'workers' of 'evaluator' appears twice (lines 2 and 4)"), std::string::npos) << nested;
  const std::string override_message = testing::error_of(
      [] { ConfigNode::parse("name: a\n", "run.yaml", {"controller={name: random, name: evolution}"}); });
  EXPECT_NE(override_message.find("--set controller={name: random, name: evolution}"), std::string::npos)
      << override_message;
  EXPECT_NE(override_message.find("appears twice"), std::string::npos) << override_message;
}

TEST(ConfigNodeDuplicates, NestingPastTheLimitIsRefusedNotRecursedInto) {
  std::string deep = "a: ";
  for (int i = 0; i < 80; ++i) deep += "[";
  for (int i = 0; i < 80; ++i) deep += "]";
  const std::string message = testing::error_of([&] { ConfigNode::parse(deep + "\n", "deep.yaml"); });
  EXPECT_NE(message.find("nested more than 64 levels deep"), std::string::npos) << message;
  EXPECT_EQ(testing::error_of([] { ConfigNode::parse("a: [[1, 2], {b: [3]}]\n", "fine.yaml"); }), "(no error)");
}

}  // namespace
}  // namespace nas
