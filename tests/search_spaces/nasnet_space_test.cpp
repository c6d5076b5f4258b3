// The NASNet space as a search uses it: decisions, genotypes, canonical hashes, options and errors.
#include <gtest/gtest.h>

#include <set>

#include "core/config_node.hpp"
#include "core/rng.hpp"
#include "search_spaces/nasnet/nasnet_space.hpp"
#include "tests/support/recording_policy.hpp"

namespace nas {
namespace {

std::unique_ptr<SearchSpace> make_space(const std::string& options = "") {
  return make_search_space(ConfigNode::parse("space:\n  name: nasnet\n" + options, "test.yaml").section("space"));
}

std::string option_error(const std::string& options) {
  try {
    make_space(options);
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

std::string genotype_error(const SearchSpace& space, const Json& genotype) {
  try {
    space.from_genotype(genotype);
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

Json block(const std::string& a, const std::string& op_a, const std::string& b, const std::string& op_b,
           const std::string& combine = "add") {
  return Json{{"inputs", {a, b}}, {"ops", {op_a, op_b}}, {"combine", combine}};
}

void expect_same_choices(const Architecture& a, const Architecture& b) {
  ASSERT_EQ(a.choices().size(), b.choices().size());
  for (std::size_t i = 0; i < a.choices().size(); ++i) {
    EXPECT_EQ(a.choices()[i].key, b.choices()[i].key);
    EXPECT_EQ(a.choices()[i].index, b.choices()[i].index);
    EXPECT_EQ(a.choices()[i].label, b.choices()[i].label);
  }
}

TEST(NasnetSpace, AsksFiveDecisionsPerBlockNormalCellFirst) {
  auto space = make_space("  blocks: 3\n  ops: [identity, sep_conv_3x3]\n");
  Rng rng(1);
  RandomPolicy policy(rng);
  const Architecture arch = space->sample(policy);
  ASSERT_EQ(arch.choices().size(), 2u * 3u * 5u);
  EXPECT_EQ(arch.choices()[0].key, "normal/b0/input_a");
  EXPECT_EQ(arch.choices()[1].key, "normal/b0/input_b");
  EXPECT_EQ(arch.choices()[2].key, "normal/b0/op_a");
  EXPECT_EQ(arch.choices()[3].key, "normal/b0/op_b");
  EXPECT_EQ(arch.choices()[4].key, "normal/b0/combine");
  EXPECT_EQ(arch.choices()[15].key, "reduction/b0/input_a");
  EXPECT_EQ(arch.choices()[29].key, "reduction/b2/combine");
  EXPECT_EQ(arch.space(), "nasnet");
  EXPECT_FALSE(arch.short_form().empty());
}

TEST(NasnetSpace, InputOptionsGrowWithTheBlock) {
  auto space = make_space("  blocks: 3\n");
  testing::RecordingPolicy recorder;
  space->sample(recorder);
  EXPECT_EQ(recorder.asked[0].options, (std::vector<std::string>{"s0", "s1"}));
  EXPECT_EQ(recorder.asked[10].key, "normal/b2/input_a");
  EXPECT_EQ(recorder.asked[10].options, (std::vector<std::string>{"s0", "s1", "s2", "s3"}));
  EXPECT_EQ(recorder.asked[2].options.size(), 13u);
  EXPECT_EQ(recorder.asked[4].options, (std::vector<std::string>{"add", "concat"}));
}

TEST(NasnetSpace, GenotypeRoundTripsThroughJsonText) {
  auto space = make_space();
  Rng rng(7);
  RandomPolicy policy(rng);
  for (int i = 0; i < 20; ++i) {
    const Architecture arch = space->sample(policy);
    const Architecture again = space->from_genotype(Json::parse(arch.genotype().dump()));
    EXPECT_EQ(again.canonical(), arch.canonical());
    EXPECT_EQ(again.hash(), arch.hash());
    EXPECT_EQ(again.genotype(), arch.genotype());
    expect_same_choices(again, arch);
  }
  const Architecture nasnet_a = space->named("nasnet-a");
  const Architecture again = space->from_genotype(nasnet_a.genotype());
  EXPECT_EQ(again.hash(), nasnet_a.hash());
  EXPECT_EQ(again.genotype(), nasnet_a.genotype());
}

TEST(NasnetSpace, ReplayOfChoicesGivesTheSameArchitecture) {
  auto space = make_space("  blocks: 4\n");
  Rng rng(3);
  RandomPolicy policy(rng);
  for (int i = 0; i < 10; ++i) {
    const Architecture arch = space->sample(policy);
    const Architecture replayed = space->replay(Architecture::choices_from_json(arch.to_json()));
    EXPECT_EQ(replayed.hash(), arch.hash());
    EXPECT_EQ(replayed.genotype(), arch.genotype());
    expect_same_choices(replayed, arch);
  }
}

TEST(NasnetSpace, CanonicalHashIgnoresOperandOrderAndBlockNumbering) {
  auto space = make_space("  blocks: 3\n");
  const Json reduction = Json::array({block("s0", "max_pool_3x3", "s1", "sep_conv_3x3"),
                                      block("s2", "identity", "s0", "avg_pool_3x3"),
                                      block("s3", "conv_1x1", "s1", "conv_3x3")});
  const Json normal = Json::array({block("s0", "sep_conv_3x3", "s1", "identity"),
                                   block("s1", "conv_3x3", "s0", "max_pool_3x3", "concat"),
                                   block("s2", "avg_pool_3x3", "s3", "sep_conv_5x5")});
  const Architecture base = space->from_genotype(Json{{"normal", normal}, {"reduction", reduction}});

  Json swapped = normal;  // operands of an add and of a concat exchanged
  swapped[0] = block("s1", "identity", "s0", "sep_conv_3x3");
  swapped[1] = block("s0", "max_pool_3x3", "s1", "conv_3x3", "concat");
  const Architecture swapped_arch = space->from_genotype(Json{{"normal", swapped}, {"reduction", reduction}});
  EXPECT_EQ(swapped_arch.hash(), base.hash());
  EXPECT_NE(swapped_arch.short_form(), base.short_form());

  Json renumbered = normal;  // blocks 0 and 1 do not read each other
  renumbered[0] = normal[1];
  renumbered[1] = normal[0];
  renumbered[2] = block("s2", "sep_conv_5x5", "s3", "avg_pool_3x3");  // s2 <-> s3 follow the renumbering
  EXPECT_EQ(space->from_genotype(Json{{"normal", renumbered}, {"reduction", reduction}}).hash(), base.hash());

  Json changed_op = normal;
  changed_op[2] = block("s2", "avg_pool_3x3", "s3", "sep_conv_7x7");
  EXPECT_NE(space->from_genotype(Json{{"normal", changed_op}, {"reduction", reduction}}).hash(), base.hash());
  Json changed_combine = normal;
  changed_combine[2] = block("s2", "avg_pool_3x3", "s3", "sep_conv_5x5", "concat");
  EXPECT_NE(space->from_genotype(Json{{"normal", changed_combine}, {"reduction", reduction}}).hash(), base.hash());
  // The same cell used as the reduction cell builds a different network.
  EXPECT_NE(space->from_genotype(Json{{"normal", reduction}, {"reduction", normal}}).hash(), base.hash());
}

TEST(NasnetSpace, MutateChangesExactlyOneDecision) {
  auto space = make_space();
  Rng rng(11);
  RandomPolicy policy(rng);
  for (int i = 0; i < 20; ++i) {
    const Architecture parent = space->sample(policy);
    const Architecture child = space->mutate(parent, rng);
    ASSERT_EQ(child.choices().size(), parent.choices().size());
    int differences = 0;
    for (std::size_t k = 0; k < parent.choices().size(); ++k) {
      EXPECT_EQ(child.choices()[k].key, parent.choices()[k].key);
      differences += child.choices()[k].label != parent.choices()[k].label;
    }
    EXPECT_EQ(differences, 1);
  }
}

TEST(NasnetSpace, BadOptionsNameTheKey) {
  const std::string unknown_op = option_error("  ops: [identity, sep_conv_9x9]\n");
  EXPECT_NE(unknown_op.find("space.ops"), std::string::npos) << unknown_op;
  EXPECT_NE(unknown_op.find("sep_conv_9x9"), std::string::npos) << unknown_op;
  EXPECT_NE(unknown_op.find("sep_conv_3x3"), std::string::npos) << unknown_op;  // the accepted list

  const std::string blocks = option_error("  blocks: 11\n");
  EXPECT_NE(blocks.find("space.blocks"), std::string::npos) << blocks;
  EXPECT_NE(blocks.find("between 1 and 10"), std::string::npos) << blocks;

  const std::string typo = option_error("  blokcs: 3\n");
  EXPECT_NE(typo.find("space.blokcs"), std::string::npos) << typo;
  EXPECT_NE(typo.find("blocks"), std::string::npos) << typo;

  const std::string combine = option_error("  combines: [add, multiply]\n");
  EXPECT_NE(combine.find("space.combines"), std::string::npos) << combine;
  const std::string keep = option_error("  drop_path_keep: 0\n");
  EXPECT_NE(keep.find("space.drop_path_keep"), std::string::npos) << keep;
  const std::string twice = option_error("  ops: [identity, identity]\n");
  EXPECT_NE(twice.find("twice"), std::string::npos) << twice;
}

TEST(NasnetSpace, BadGenotypeSaysWhatIsWrong) {
  auto space = make_space("  blocks: 2\n  ops: [identity, sep_conv_3x3, max_pool_3x3]\n");
  const Json good_cell = Json::array({block("s0", "identity", "s1", "sep_conv_3x3"),
                                      block("s2", "max_pool_3x3", "s0", "identity")});
  EXPECT_EQ(genotype_error(*space, Json{{"normal", good_cell}, {"reduction", good_cell}}), "no error");

  Json bad_op = good_cell;
  bad_op[1] = block("s2", "max_pool_3x3", "s0", "sep_conv_5x5");
  const std::string op = genotype_error(*space, Json{{"normal", good_cell}, {"reduction", bad_op}});
  EXPECT_NE(op.find("genotype.reduction[1].ops[1]"), std::string::npos) << op;
  EXPECT_NE(op.find("sep_conv_5x5"), std::string::npos) << op;

  Json bad_input = good_cell;
  bad_input[0] = block("s2", "identity", "s1", "sep_conv_3x3");  // block 0 cannot read its own output
  const std::string input = genotype_error(*space, Json{{"normal", bad_input}, {"reduction", good_cell}});
  EXPECT_NE(input.find("genotype.normal[0].inputs[0]"), std::string::npos) << input;

  const std::string count = genotype_error(
      *space, Json{{"normal", Json::array({good_cell[0]})}, {"reduction", good_cell}});
  EXPECT_NE(count.find("blocks=2"), std::string::npos) << count;

  const std::string missing = genotype_error(*space, Json{{"normal", good_cell}});
  EXPECT_NE(missing.find("reduction"), std::string::npos) << missing;

  const std::string dead = genotype_error(
      *space, Json{{"normal", good_cell}, {"reduction", good_cell}, {"normal_concat", {"s1", "s2"}}});
  EXPECT_NE(dead.find("genotype.normal_concat"), std::string::npos) << dead;
  EXPECT_NE(dead.find("s3"), std::string::npos) << dead;

  const std::string stray = genotype_error(*space, Json{{"normal", good_cell}, {"reduction", good_cell}, {"x", 1}});
  EXPECT_NE(stray.find("genotype.x"), std::string::npos) << stray;
}

TEST(NasnetSpace, NasnetANeedsItsOpsAndFiveBlocks) {
  auto space = make_space();
  EXPECT_EQ(space->named_architectures(), std::vector<std::string>{"nasnet-a"});
  const Architecture arch = space->named("nasnet-a");
  EXPECT_EQ(arch.genotype()["normal_concat"].size(), 6u);
  EXPECT_EQ(arch.genotype()["reduction_concat"].size(), 4u);

  auto small = make_space("  blocks: 3\n");
  try {
    small->named("nasnet-a");
    FAIL() << "nasnet-a accepted by a 3-block space";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("blocks"), std::string::npos) << error.what();
  }
  auto no_sep7 = make_space("  ops: [identity, sep_conv_3x3, sep_conv_5x5, avg_pool_3x3, max_pool_3x3]\n");
  try {
    no_sep7->named("nasnet-a");
    FAIL() << "nasnet-a accepted without sep_conv_7x7";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("sep_conv_7x7"), std::string::npos) << error.what();
  }
  EXPECT_THROW(space->named("darts-v2"), Error);
}

}  // namespace
}  // namespace nas
